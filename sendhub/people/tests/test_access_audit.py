"""Every grant and end of access to a child is audited, wherever it happens (issue 15, finding 1).

Access comes from an involvement, a family member's linked account and, from 16, the young person's own
choice. Each path below (services, web pages, the support admin site with its inline) must leave a GRANT
or REVOKE row naming the child, in the same transaction as the change.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendhub.audit.models import AuditAction, AuditChannel, AuditEvent
from sendhub.people import services
from sendhub.people.models import FamilyMember, Involvement
from sendhub.people.selectors import children_visible_to
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def only(action, **filters) -> AuditEvent:
    return AuditEvent.objects.get(action=action, **filters)


# -- services ---------------------------------------------------------------------------------------------

def test_adding_and_ending_an_involvement_through_the_services(area):
    caseworker, social_worker = area.users["caseworker"], area.users["social_worker"]
    involvement = services.add_involvement(actor=caseworker, child=area.child, role="social_worker",
                                           organisation=social_worker.organisation, professional=social_worker,
                                           started_on=TODAY - timedelta(days=10))
    grant = only(AuditAction.GRANT)
    assert (grant.child, grant.actor, grant.object_id) == (area.child, caseworker, str(involvement.pk))
    assert grant.changes["professional"] == [None, social_worker.pk]
    assert area.child in children_visible_to(social_worker)
    services.end_involvement(actor=caseworker, involvement=involvement, ended_on=TODAY - timedelta(days=1),
                             reason="Case closed")
    revoke = only(AuditAction.REVOKE)
    assert revoke.child == area.child and revoke.changes["ended_on"] == [None, (TODAY - timedelta(days=1)).isoformat()]
    assert area.child not in children_visible_to(social_worker)


def test_asking_for_advice_involves_the_professional_and_that_is_audited(area):
    from sendhub.assessments.services import request_advice

    assessment = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=20))
    request_advice(actor=area.users["caseworker"], assessment=assessment, source="social_care",
                   asked_of=area.users["social_worker"], message="Please advise", requested_on=TODAY)
    grant = only(AuditAction.GRANT)
    assert grant.object_type == "people.Involvement" and grant.child == area.child
    assert area.users["social_worker"].full_name in grant.summary


def test_a_transition_referral_involves_the_adult_team_and_that_is_audited(area):
    from sendhub.organisations.models import Team
    from sendhub.reviews.services import refer_for_transition

    team = Team.objects.create(organisation=area.users["social_worker"].organisation, name="Adult team")
    refer_for_transition(actor=area.users["caseworker"], child=area.child, team=team, referred_on=TODAY)
    grant = only(AuditAction.GRANT)
    assert grant.child == area.child and "Adult team" in grant.summary


def test_the_young_persons_choice_is_audited_both_ways(area, client_for):
    young = area.users["young_person"]
    child = f.ChildFactory(local_authority=area.la, account=young,
                           date_of_birth=date(TODAY.year - 17, 1, 1))
    client = client_for(young)
    url = reverse("web:sharing-consent", kwargs={"pk": child.pk})
    assert client.post(url, {"parents_may_view": "no"}).status_code == 302
    revoke = only(AuditAction.REVOKE, child=child)
    assert (revoke.summary, revoke.channel, revoke.object_type) == (
        "Parents may not see my record", AuditChannel.WEB, "people.SharingConsent")
    assert client.post(url, {"parents_may_view": "yes"}).status_code == 302
    assert only(AuditAction.GRANT, child=child).summary == "Parents may see my record"


# -- the support admin site -------------------------------------------------------------------------------

def _value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, date):
        return value.isoformat()
    return value


def admin_form_data(response) -> dict:
    """What a browser would send back from an admin add or change page, with every inline as shown."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, bool) and not value:
            continue
        data[name] = _value(value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = _value(management[name].value())
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if isinstance(value, bool) and not value:
                    continue
                data[sub.add_prefix(name)] = _value(value)
    return {key: value for key, value in data.items() if value != ""}


@pytest.fixture
def admin(area, client_for):
    return client_for(area.users["administrator"])


def test_an_administrator_involving_a_professional_grants_access_and_is_audited(area, admin):
    social_worker = area.users["social_worker"]
    response = admin.post(reverse("admin:people_involvement_add"), {
        "child": area.child.pk, "role": "social_worker", "organisation": social_worker.organisation_id,
        "professional": social_worker.pk, "started_on": TODAY.isoformat()})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    involvement = Involvement.objects.get(professional=social_worker)
    grant = only(AuditAction.GRANT)
    assert (grant.child, grant.channel, grant.object_id) == (area.child, AuditChannel.ADMIN, str(involvement.pk))
    assert "support admin site" in grant.summary

    change = reverse("admin:people_involvement_change", args=[involvement.pk])
    data = admin_form_data(admin.get(change))
    data["ended_on"] = TODAY.isoformat()
    assert admin.post(change, data).status_code == 302
    revoke = only(AuditAction.REVOKE)
    assert revoke.changes["ended_on"] == [None, TODAY.isoformat()] and revoke.child == area.child


def test_deleting_an_involvement_in_the_admin_ends_access_and_is_audited(area, admin):
    involvement = area.child.involvements.get()
    assert admin.post(reverse("admin:people_involvement_delete", args=[involvement.pk]),
                      {"post": "yes"}).status_code == 302
    revoke = only(AuditAction.REVOKE)
    assert (revoke.child, revoke.object_id) == (area.child, str(involvement.pk))
    assert revoke.changes["professional"] == [area.users["therapist"].pk, None]


def test_deleting_involvements_from_the_admin_list_ends_access_and_is_audited(area, admin):
    other = f.InvolvementFactory(child=area.sibling, professional=area.users["social_worker"],
                                 organisation=area.users["social_worker"].organisation)
    ids = [area.child.involvements.get().pk, other.pk]
    response = admin.post(reverse("admin:people_involvement_changelist"),
                          {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    assert set(AuditEvent.objects.filter(action=AuditAction.REVOKE).values_list("child_id", flat=True)) == {
        area.child.pk, area.sibling.pk}


def test_family_links_changed_in_the_child_admin_are_audited(area, admin):
    change = reverse("admin:people_child_change", args=[area.other_child.pk])
    newcomer = f.UserFactory(role="family")
    data = admin_form_data(admin.get(change))
    prefix = "family_members"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update({f"{prefix}-TOTAL_FORMS": str(total + 1), f"{prefix}-{total}-full_name": "Nia New",
                 f"{prefix}-{total}-relationship": "guardian", f"{prefix}-{total}-user": str(newcomer.pk),
                 f"{prefix}-{total}-parental_responsibility": "on"})
    response = admin.post(change, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    grant = only(AuditAction.GRANT)
    link = FamilyMember.objects.get(user=newcomer)
    assert (grant.child, grant.object_type, grant.object_id) == (area.other_child, "people.FamilyMember", str(link.pk))
    assert area.other_child in children_visible_to(newcomer)

    data = admin_form_data(admin.get(change))
    index = next(i for i in range(int(data[f"{prefix}-TOTAL_FORMS"])) if str(data.get(f"{prefix}-{i}-id")) == str(link.pk))
    data.pop(f"{prefix}-{index}-user")  # unlink the account, keep the person
    assert admin.post(change, data).status_code == 302
    unlink = only(AuditAction.REVOKE)
    assert unlink.changes["user"] == [newcomer.pk, None] and unlink.object_id == str(link.pk)

    data = admin_form_data(admin.get(change))
    existing = next(i for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))
                    if str(data.get(f"{prefix}-{i}-id")) != str(link.pk))
    removed_pk = int(data[f"{prefix}-{existing}-id"])
    data[f"{prefix}-{existing}-DELETE"] = "on"
    assert admin.post(change, data).status_code == 302
    removed = AuditEvent.objects.filter(action=AuditAction.REVOKE, object_id=str(removed_pk)).get()
    assert removed.child == area.other_child and removed.summary.startswith("Removed family member")
    assert area.other_child not in children_visible_to(area.users["other_parent"])


def test_linking_a_young_persons_account_in_the_admin_is_in_the_before_and_after(area, admin):
    change = reverse("admin:people_child_change", args=[area.child.pk])
    data = admin_form_data(admin.get(change))
    data["account"] = str(area.users["young_person"].pk)
    assert admin.post(change, data).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, child=area.child)
    assert event.changes["account"] == [None, area.users["young_person"].pk]
    assert event.channel == AuditChannel.ADMIN
