from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendhub.clock.services import record_event
from sendhub.core.append_only import AppendOnlyError
from sendhub.plans.models import EHCPlan, PlanVersion, SectionDraft
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def case(area):
    assessment = f.AssessmentFactory(child=area.sibling, request_received_on=TODAY - timedelta(days=100))
    cw = area.users["caseworker"]
    record_event(actor=cw, case=assessment, type="decision_to_assess", date=TODAY - timedelta(days=80))
    record_event(actor=cw, case=assessment, type="decision_to_issue_plan", date=TODAY - timedelta(days=20))
    return assessment


def section_url(case, code):
    return reverse("plans:section", kwargs={"kind": "assessment", "pk": case.pk, "code": code})


def workspace_url(case):
    return reverse("plans:workspace", kwargs={"kind": "assessment", "pk": case.pk})


def write(client, case, code, text, version=0):
    return client.post(section_url(case, code), {"text": text, "version": version})


def issue(client, case, kind, day, agreed=False):
    data = {"kind": kind, "issued_on-day": day.day, "issued_on-month": day.month, "issued_on-year": day.year}
    if agreed:
        data["family_agreed_early"] = "on"
    return client.post(workspace_url(case), data)


def test_draft_then_final_after_the_familys_15_days(area, client_for, case):
    client = client_for(area.users["caseworker"])
    assert write(client, case, "B", "Difficulty with spoken language.").status_code == 302
    assert write(client, case, "F", "Weekly speech and language therapy.").status_code == 302
    drafted = TODAY - timedelta(days=14)
    assert issue(client, case, "draft", drafted).status_code == 302
    draft = PlanVersion.objects.get(child=area.sibling)
    assert (draft.number, draft.kind, draft.sections["F"]) == (1, "draft", "Weekly speech and language therapy.")
    too_soon = issue(client, case, "final", TODAY)
    assert "The final plan can be issued from" in str(too_soon.context["form"].errors)
    assert PlanVersion.objects.count() == 1
    assert issue(client, case, "final", TODAY, agreed=True).status_code == 302  # the family agreed
    final = PlanVersion.objects.get(number=2)
    assert final.kind == "final"
    case.refresh_from_db()
    assert case.outcome == "plan_issued"
    assert EHCPlan.objects.get(child=area.sibling).first_issued_on == TODAY


def test_final_from_the_sixteenth_day_needs_no_agreement(area, client_for, case):
    client = client_for(area.users["caseworker"])
    write(client, case, "B", "Needs")
    issue(client, case, "draft", TODAY - timedelta(days=15))
    assert issue(client, case, "final", TODAY).status_code == 302


def test_two_caseworkers_on_one_section_never_overwrite_each_other(area, client_for, case):
    first, second = client_for(area.users["caseworker"]), client_for(area.users["team_manager"])
    assert write(first, case, "E", "Outcome by the first caseworker", version=0).status_code == 302
    response = write(second, case, "E", "Outcome by the second", version=0)  # opened before the first saved
    assert response.status_code == 200
    assert "Someone else saved this section" in response.content.decode()
    assert "Outcome by the first caseworker" in response.content.decode()  # shown beside their own text
    assert SectionDraft.objects.get(assessment=case, section="E").text == "Outcome by the first caseworker"


def test_issued_versions_never_change(area, client_for, case):
    client = client_for(area.users["caseworker"])
    write(client, case, "B", "Needs")
    issue(client, case, "draft", TODAY - timedelta(days=1))
    version = PlanVersion.objects.get()
    write(client, case, "B", "Changed after issue", version=1)
    version.refresh_from_db()
    assert version.sections["B"] == "Needs"
    version.sections = {}
    with pytest.raises(AppendOnlyError):
        version.save()


def test_any_two_versions_compare_section_by_section(area, client_for, case):
    client = client_for(area.users["caseworker"])
    write(client, case, "F", "Weekly therapy")
    issue(client, case, "draft", TODAY - timedelta(days=16))
    write(client, case, "F", "Fortnightly therapy", version=1)
    issue(client, case, "final", TODAY)
    parent = client_for(area.users["parent"])
    page = parent.get(reverse("plans:compare", kwargs={"child_pk": area.sibling.pk}) + "?a=1&b=2")
    html = page.content.decode()
    assert "<del>Weekly</del><ins>Fortnightly</ins> therapy" in html
    assert 'data-section="F" data-changed="yes"' in html and 'data-section="B" data-changed="no"' in html
    bad = parent.get(reverse("plans:compare", kwargs={"child_pk": area.sibling.pk}) + "?a=1&b=9")
    assert bad.status_code == 400


def test_who_sees_and_who_drafts(area, client_for, case):
    client = client_for(area.users["caseworker"])
    write(client, case, "B", "Needs")
    issue(client, case, "draft", TODAY)
    version = PlanVersion.objects.get()
    url = reverse("plans:version", kwargs={"pk": version.pk})
    assert client_for(area.users["parent"]).get(url).status_code == 200
    assert client_for(area.users["other_parent"]).get(url).status_code == 404
    assert client_for(area.users["leader"]).get(url).status_code == 404
    assert client_for(area.users["parent"]).get(workspace_url(case)).status_code == 403
    assert write(client_for(area.users["parent"]), case, "B", "x").status_code == 403


def test_advice_is_shown_beside_the_section(area, client_for, case):
    from sendhub.assessments.services import give_advice, request_advice

    advice = request_advice(actor=area.users["caseworker"], assessment=case, source="health",
                            asked_of=area.users["therapist"], message="SLT advice", requested_on=TODAY - timedelta(days=30))
    give_advice(actor=area.users["therapist"], advice=advice, needs="Speech sound disorder",
                outcomes="Understood by peers", provision="Weekly therapy block")
    page = client_for(area.users["caseworker"]).get(section_url(case, "G")).content.decode()
    assert "Weekly therapy block" in page
    assert "Weekly therapy block" not in client_for(area.users["caseworker"]).get(section_url(case, "D")).content.decode()


def respond(client, version, **data):
    return client.post(reverse("plans:version", kwargs={"pk": version.pk}), data)


def test_family_comments_on_sections_and_asks_for_a_school_within_15_days(area, client_for, case):
    cw = client_for(area.users["caseworker"])
    write(cw, case, "F", "Weekly therapy")
    issue(cw, case, "draft", TODAY - timedelta(days=14))  # the 15th and last day is today
    version = PlanVersion.objects.get()
    parent = client_for(area.users["parent"])
    assert respond(parent, version, action="comment", section="F", text="Please make it twice a week").status_code == 302
    assert respond(parent, version, action="school", school=area.school.pk, reason="Near home").status_code == 302
    empty = respond(parent, version, action="comment", section="F", text="  ")
    assert "Enter your comment" in str(empty.context["comment_form"].errors)
    workspace = cw.get(workspace_url(case)).content.decode()
    assert "Please make it twice a week" in workspace
    page = cw.get(reverse("plans:version", kwargs={"pk": version.pk})).content.decode()
    assert area.school.name in page


def test_a_comment_after_the_15_days_is_refused_and_nothing_is_lost(area, client_for, case):
    cw = client_for(area.users["caseworker"])
    write(cw, case, "F", "Weekly therapy")
    issue(cw, case, "draft", TODAY - timedelta(days=15))
    version = PlanVersion.objects.get()
    response = respond(client_for(area.users["parent"]), version, action="comment", section="F", text="Too late?")
    assert "The time to comment on this draft ended on" in str(response.context["comment_form"].errors)
    assert "Too late?" in response.content.decode()  # the text is still in the form
    assert not version.comments.exists()


def test_only_the_family_comments(area, client_for, case):
    cw = client_for(area.users["caseworker"])
    write(cw, case, "F", "Weekly therapy")
    issue(cw, case, "draft", TODAY)
    version = PlanVersion.objects.get()
    response = respond(client_for(area.users["therapist"]), version, action="comment", section="F", text="x")
    assert response.status_code in {200, 404}
    assert not version.comments.exists()


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_every_version_reaches_the_family_and_every_involved_professional(area, client_for, case,
                                                                         django_capture_on_commit_callbacks):
    from django.core import mail
    from django.test import override_settings

    from sendhub.messaging.models import Delivery, Notification

    f.InvolvementFactory(child=area.sibling, professional=area.users["therapist"], organisation=area.provider)
    cw = client_for(area.users["caseworker"])
    write(cw, case, "G", "Weekly therapy")
    with override_settings(TASKS=IMMEDIATE_TASKS), django_capture_on_commit_callbacks(execute=True):
        issue(cw, case, "draft", TODAY)
    version = PlanVersion.objects.get()
    got = {d.recipient for d in Delivery.objects.filter(version=version)}
    assert {area.users["parent"], area.users["therapist"]} <= got
    assert area.users["other_parent"] not in got and area.users["senco"] not in got
    assert Notification.objects.filter(recipient=area.users["therapist"], email_state="sent").count() == 1
    assert any(area.users["therapist"].email in m.to for m in mail.outbox)
    assert all(area.sibling.family_name not in m.body for m in mail.outbox)  # no child's details by email
    # the case officer sees who has not opened it; the therapist finds it in their list and confirms
    page = cw.get(reverse("plans:version", kwargs={"pk": version.pk})).content.decode()
    assert "Not opened" in page
    therapist = client_for(area.users["therapist"])
    listed = therapist.get(reverse("plans:mine"))
    assert [d.version for d in listed.context["deliveries"]] == [version]
    therapist.get(reverse("plans:version", kwargs={"pk": version.pk}))
    therapist.post(reverse("plans:version", kwargs={"pk": version.pk}), {"action": "acknowledge"})
    delivery = Delivery.objects.get(version=version, recipient=area.users["therapist"])
    assert delivery.opened_at and delivery.acknowledged_at


def test_a_young_persons_choice_keeps_the_plan_from_parents(area, client_for, case):
    from sendhub.messaging.models import Delivery
    from sendhub.people.models import SharingConsent

    child = area.sibling
    child.date_of_birth = TODAY.replace(year=TODAY.year - 17, day=1)  # the 1st exists in every month
    child.account = area.users["young_person"]
    child.save()
    SharingConsent.objects.create(child=child, parents_may_view=False, recorded_by=area.users["young_person"])
    cw = client_for(area.users["caseworker"])
    write(cw, case, "A", "My views")
    issue(cw, case, "draft", TODAY)
    got = {d.recipient for d in Delivery.objects.all()}
    assert area.users["young_person"] in got and area.users["parent"] not in got


def test_plan_downloads_as_a_tagged_pdf(area, client_for, case):
    cw = client_for(area.users["caseworker"])
    write(cw, case, "B", "Needs")
    issue(cw, case, "draft", TODAY)
    version = PlanVersion.objects.get()
    response = client_for(area.users["parent"]).get(reverse("plans:pdf", kwargs={"pk": version.pk}))
    assert response["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    catalog = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "en-GB"  # tagged, with its language
    assert "Section B" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert client_for(area.users["other_parent"]).get(reverse("plans:pdf", kwargs={"pk": version.pk})).status_code == 404


def test_outcomes_prompt_preparation_for_adulthood_from_year_9(area, client_for):
    from sendhub.core.schoolyear import years_before

    young = f.ChildFactory(local_authority=area.la, date_of_birth=years_before(TODAY, 14))
    younger = f.ChildFactory(local_authority=area.la, date_of_birth=years_before(TODAY, 9))
    cw = client_for(area.users["caseworker"])
    for child, expected in ((young, True), (younger, False)):
        case = f.AssessmentFactory(child=child, request_received_on=TODAY - timedelta(days=10))
        page = cw.get(section_url(case, "E")).content.decode()
        assert ('data-testid="pfa"' in page) is expected
