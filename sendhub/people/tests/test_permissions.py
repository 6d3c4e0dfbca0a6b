"""Who may open which child's record, proved with real requests to the web pages and the API."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from sendhub.accounts.services import issue_api_token
from sendhub.audit.models import AuditAction, AuditEvent
from sendhub.people.models import SharingConsent
from sendhub.people.selectors import children_visible_to

pytestmark = pytest.mark.django_db


def page(child):
    return reverse("web:child", kwargs={"pk": child.pk})


def api_get(client, user, path):
    token = issue_api_token(user=user)
    return client.get(path, headers={"authorization": f"Bearer {token}"})


def test_parent_sees_own_children_but_not_another_familys(area, client_for):
    client = client_for(area.users["parent"])
    assert client.get(page(area.child)).status_code == 200
    assert client.get(page(area.sibling)).status_code == 200
    assert client.get(page(area.other_child)).status_code == 404
    assert client.get(page(area.far_child)).status_code == 404


def test_parent_home_lists_only_their_own_children(area, client_for):
    response = client_for(area.users["parent"]).get(reverse("web:home"))
    names = {c.full_name for c in response.context["children"]}
    assert names == {area.child.full_name, area.sibling.full_name}


def test_senco_sees_pupils_at_their_setting_only(area, client_for):
    client = client_for(area.users["senco"])
    assert client.get(page(area.child)).status_code == 200
    assert client.get(page(area.other_child)).status_code == 404  # another school's pupil
    listed = client.get(reverse("web:children")).context["page"].object_list
    assert [c.pk for c in listed] == [area.child.pk]


def test_caseworker_sees_their_local_authority_only(area, client_for):
    client = client_for(area.users["caseworker"])
    for child in (area.child, area.sibling, area.other_child):
        assert client.get(page(child)).status_code == 200
    assert client.get(page(area.far_child)).status_code == 404
    other = client_for(area.users["other_caseworker"])
    assert other.get(page(area.child)).status_code == 404
    assert other.get(page(area.far_child)).status_code == 200


def test_professional_sees_only_children_with_an_active_involvement(area, client_for):
    therapist = area.users["therapist"]
    client = client_for(therapist)
    assert client.get(page(area.child)).status_code == 200
    assert client.get(page(area.sibling)).status_code == 404
    involvement = area.child.involvements.get(professional=therapist)
    involvement.ended_on = date.today() - timedelta(days=1)
    involvement.save()
    assert client.get(page(area.child)).status_code == 404


def test_professional_sees_children_through_their_team(area, client_for):
    from sendhub.organisations.models import Team
    from sendhub.testing.factories import InvolvementFactory

    team = Team.objects.create(organisation=area.provider, name="Physiotherapy team")
    worker = area.users["social_worker"]
    worker.teams.add(team)
    InvolvementFactory(child=area.other_child, professional=None, team=team, organisation=area.provider)
    client = client_for(worker)
    assert client.get(page(area.other_child)).status_code == 200
    assert client.get(page(area.child)).status_code == 404


@pytest.mark.parametrize("role", ["leader", "administrator"])
def test_leader_and_administrator_never_open_a_childs_record(area, client_for, role):
    client = client_for(area.users[role])
    assert client.get(page(area.child)).status_code == 404
    assert client.get(reverse("web:children")).status_code == 403


def test_leader_sees_area_figures_without_names(area, client_for):
    from sendhub.testing.factories import EHCPlanFactory

    EHCPlanFactory(child=area.child)
    response = client_for(area.users["leader"]).get(reverse("web:area-figures"))
    assert response.status_code == 200
    assert area.child.family_name not in response.content.decode()
    assert response.context["figures"]["plans_total"] == "fewer than 5"


def test_family_cannot_see_area_figures_or_the_children_list(area, client_for):
    client = client_for(area.users["parent"])
    assert client.get(reverse("web:area-figures")).status_code == 403
    assert client.get(reverse("web:children")).status_code == 403


def test_young_person_of_16_can_stop_parents_seeing_their_record(area, client_for):
    young_person = area.users["young_person"]
    child = area.sibling
    child.date_of_birth = date.today().replace(year=date.today().year - 17, day=1)
    child.account = young_person
    child.save()
    parent = client_for(area.users["parent"])
    assert parent.get(page(child)).status_code == 200
    own = client_for(young_person)
    response = own.post(reverse("web:sharing-consent", kwargs={"pk": child.pk}), {"parents_may_view": "no"})
    assert response.status_code == 302
    assert SharingConsent.objects.get(child=child).parents_may_view is False
    assert parent.get(page(child)).status_code == 404
    assert parent.get(page(area.child)).status_code == 200  # the younger child is unaffected
    own.post(reverse("web:sharing-consent", kwargs={"pk": child.pk}), {"parents_may_view": "yes"})
    assert parent.get(page(child)).status_code == 200


def test_under_16_cannot_set_sharing_choice(area, client_for):
    young_person = area.users["young_person"]
    area.child.account = young_person
    area.child.save()
    response = client_for(young_person).post(reverse("web:sharing-consent", kwargs={"pk": area.child.pk}),
                                             {"parents_may_view": "no"})
    assert response.status_code == 403
    assert not SharingConsent.objects.exists()


def test_signed_out_person_is_sent_to_sign_in(area, client):
    response = client.get(page(area.child))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_staff_without_two_factor_cannot_open_records(area, client):
    client.force_login(area.users["caseworker"])
    response = client.get(page(area.child))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))


def test_refused_attempt_is_audited(area, client_for):
    client_for(area.users["parent"]).get(page(area.other_child))
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert event.actor == area.users["parent"]
    assert event.object_id == str(area.other_child.pk)


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("parent", "child", "other_child"),
        ("senco", "child", "other_child"),
        ("therapist", "child", "sibling"),
        ("caseworker", "other_child", "far_child"),
    ],
)
def test_api_applies_the_same_rules(area, client, role, visible, hidden):
    user = area.users[role]
    assert api_get(client, user, f"/api/v1/children/{getattr(area, visible).pk}").status_code == 200
    assert api_get(client, user, f"/api/v1/children/{getattr(area, hidden).pk}").status_code == 404


def test_api_list_is_scoped_and_leaders_are_refused(area, client):
    response = api_get(client, area.users["senco"], "/api/v1/children")
    assert [item["id"] for item in response.json()["items"]] == [area.child.pk]
    assert api_get(client, area.users["leader"], f"/api/v1/children/{area.child.pk}").status_code == 404
    assert api_get(client, area.users["leader"], "/api/v1/children").status_code == 403


def test_api_without_a_valid_token_is_refused(area, client):
    assert client.get(f"/api/v1/children/{area.child.pk}").status_code == 401
    response = client.get("/api/v1/children", headers={"authorization": "Bearer sh_not-a-token"})
    assert response.status_code == 401


def test_selector_denies_unknown_roles_by_default(area):
    user = area.users["parent"]
    user.role = "someone_new"
    assert not children_visible_to(user).exists()
