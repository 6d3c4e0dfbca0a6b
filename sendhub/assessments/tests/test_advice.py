import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sendhub.assessments.models import AdviceAttachment, AdviceRequest
from sendhub.clock.models import Reminder, StatutoryEvent
from sendhub.people.selectors import children_visible_to
from sendhub.testing import factories as f
from sendhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def assessment(area):
    return f.AssessmentFactory(child=area.sibling, request_received_on=TODAY - timedelta(days=20))


def ask(client, assessment, person, source="social_care", days_ago=1, message="Advice on care needs at home"):
    day = TODAY - timedelta(days=days_ago)
    return client.post(reverse("assessments:ask-for-advice", kwargs={"pk": assessment.pk}), {
        "source": source, "asked_of": person.pk if person else "", "message": message,
        "requested_on-day": day.day, "requested_on-month": day.month, "requested_on-year": day.year})


def test_asking_gives_the_professional_the_child_and_a_six_week_date(area, client_for, assessment):
    worker = area.users["social_worker"]
    assert not children_visible_to(worker).filter(pk=area.sibling.pk).exists()
    assert ask(client_for(area.users["caseworker"]), assessment, worker).status_code == 302
    advice = AdviceRequest.objects.get()
    assert StatutoryEvent.objects.filter(assessment=assessment, type="advice_requested", source="social_care").exists()
    assert children_visible_to(worker).filter(pk=area.sibling.pk).exists()  # now involved
    page = client_for(worker).get(reverse("assessments:advice"))
    assert [a.pk for a in page.context["waiting"]] == [advice.pk]
    assert page.context["waiting"][0].deadline.deadline.due == advice.requested_on + timedelta(weeks=6)


def test_asking_needs_someone_and_a_question(area, client_for, assessment):
    response = ask(client_for(area.users["caseworker"]), assessment, None, message="")
    errors = response.context["form"].errors
    assert "Select who to ask" in errors["asked_of"][0] and "Say what you are asking" in errors["message"][0]
    assert not AdviceRequest.objects.exists() and not StatutoryEvent.objects.exists()


def test_professional_gives_advice_once_and_the_caseworker_sees_it(area, client_for, assessment):
    worker = area.users["social_worker"]
    ask(client_for(area.users["caseworker"]), assessment, worker)
    advice = AdviceRequest.objects.get()
    url = reverse("assessments:give-advice", kwargs={"pk": advice.pk})
    client = client_for(worker)
    bad = client.post(url, {"needs": "Needs", "provision": "Short breaks",
                            "attachments": [SimpleUploadedFile("report.pdf", b"not a pdf")]})
    assert "is not a real PDF" in str(bad.context["form"].errors)
    assert AdviceRequest.objects.get().given_on is None and not AdviceAttachment.objects.exists()
    ok = client.post(url, {"needs": "Needs support with personal care", "outcomes": "Dresses independently",
                           "provision": "Overnight short breaks monthly",
                           "attachments": [SimpleUploadedFile("report.pdf", pdf_bytes())]})
    assert ok.status_code == 302
    advice.refresh_from_db()
    assert advice.given_on == TODAY and advice.given_by == worker
    assert StatutoryEvent.objects.filter(assessment=assessment, type="advice_received", source="social_care").exists()
    case_page = client_for(area.users["caseworker"]).get(reverse("clock:assessment", kwargs={"pk": assessment.pk}))
    assert "Overnight short breaks monthly" in case_page.content.decode()
    again = client.post(url, {"needs": "x", "provision": "y"})
    assert again.context["form"] is None  # given advice is shown, not editable
    assert AdviceRequest.objects.get().needs == "Needs support with personal care"


def test_only_the_person_asked_opens_the_request(area, client_for, assessment):
    ask(client_for(area.users["caseworker"]), assessment, area.users["social_worker"])
    url = reverse("assessments:give-advice", kwargs={"pk": AdviceRequest.objects.get().pk})
    for role in ("therapist", "parent", "senco"):
        assert client_for(area.users[role]).get(url).status_code == 404
    assert ask(client_for(area.users["parent"]), assessment, area.users["therapist"]).status_code == 403
    assert ask(client_for(area.users["senco"]), assessment, area.users["therapist"]).status_code == 404  # not their pupil


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_overdue_advice_is_chased_every_week(area, client_for, assessment):
    worker = area.users["social_worker"]
    assessment.request_received_on = TODAY - timedelta(days=80)
    assessment.save()
    ask(client_for(area.users["caseworker"]), assessment, worker, days_ago=50)  # due 8 days ago
    call_command("send_reminders", stdout=io.StringIO())
    chasers = Reminder.objects.filter(recipient=worker, deadline_key__startswith="chase:advice:social_care")
    assert chasers.count() == 1 and "has not been received" in chasers.get().message
    call_command("send_reminders", stdout=io.StringIO())
    assert chasers.count() == 1  # once a week
    call_command("send_reminders", "--as-of", (TODAY + timedelta(days=7)).isoformat(), stdout=io.StringIO())
    assert chasers.count() == 2


def test_advice_closes_with_access_to_the_child(area, client_for, assessment):
    """Issue 15 finding 7: when the professional's involvement ends, the request, its evidence and their
    own advice files are "not found" for them, and each attempt is audited like any other refusal."""
    from sendhub.assessments.models import EvidenceDocument
    from sendhub.audit.models import AuditAction, AuditEvent
    from sendhub.people.models import Involvement
    from sendhub.people.services import end_involvement

    worker, caseworker = area.users["social_worker"], area.users["caseworker"]
    ask(client_for(caseworker), assessment, worker)
    advice = AdviceRequest.objects.get()
    evidence = EvidenceDocument.objects.create(
        assessment=assessment, file=SimpleUploadedFile("school-report.pdf", b"%PDF-1.7 evidence"),
        original_name="school-report.pdf", content_type="application/pdf", size=17, uploaded_by=caseworker)
    client = client_for(worker)
    page_url = reverse("assessments:give-advice", kwargs={"pk": advice.pk})
    assert client.post(page_url, {"needs": "Needs", "outcomes": "Outcomes", "provision": "Short breaks",
                                  "attachments": [SimpleUploadedFile("report.pdf", pdf_bytes())]}).status_code == 302
    file_urls = [reverse("assessments:evidence", args=[assessment.pk, evidence.pk]),
                 reverse("assessments:advice-file", args=[assessment.pk, AdviceAttachment.objects.get().pk])]
    page = client.get(page_url)
    assert page.status_code == 200 and "school-report.pdf" in page.text  # while involved: everything
    assert all(client.get(url).status_code == 200 for url in file_urls)

    involvement = Involvement.objects.get(child=assessment.child, professional=worker)
    Involvement.objects.filter(pk=involvement.pk).update(started_on=TODAY - timedelta(days=30))
    involvement.refresh_from_db()
    end_involvement(actor=caseworker, involvement=involvement, ended_on=TODAY - timedelta(days=1), reason="Case closed")

    denied = AuditEvent.objects.filter(actor=worker, action=AuditAction.DENIED)
    before = denied.count()
    response = client.get(page_url)
    assert response.status_code == 404
    assert assessment.child.family_name not in response.text and "school-report.pdf" not in response.text
    assert denied.filter(object_type="assessments.AdviceRequest", object_id=str(advice.pk)).exists()
    for url in file_urls:
        assert client.get(url).status_code == 404, url
    assert client.post(page_url, {"needs": "x", "provision": "y"}).status_code == 404
    assert denied.count() == before + 4  # the page, two files and the POST: every refusal written down
    workspace = client.get(reverse("assessments:advice"))
    assert workspace.context["given"] == [] and workspace.context["waiting"] == []
    assert assessment.child.family_name not in workspace.text


def test_an_advice_request_is_readable_only_with_current_access_to_its_child(area, assessment):
    """The rule (assessments.view_advice_request) is the scoped queryset, so it and the lists agree."""
    import rules

    from sendhub.assessments.selectors import advice_visible_to
    from sendhub.assessments.services import request_advice
    from sendhub.people.models import Involvement

    worker = area.users["social_worker"]
    advice = request_advice(actor=area.users["caseworker"], assessment=assessment, source="social_care",
                            asked_of=worker, message="Advice please", requested_on=TODAY)
    assert rules.has_perm("assessments.view_advice_request", worker, advice)
    assert list(advice_visible_to(worker)) == [advice]
    assert not rules.has_perm("assessments.view_advice_request", area.users["therapist"], advice)  # not asked
    Involvement.objects.filter(child=assessment.child, professional=worker).update(
        started_on=TODAY - timedelta(days=9), ended_on=TODAY - timedelta(days=1))
    assert not rules.has_perm("assessments.view_advice_request", worker, advice)
    assert list(advice_visible_to(worker)) == []


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_overdue_advice_is_not_chased_from_someone_who_no_longer_sees_the_child(area, client_for, assessment):
    """A chaser names the child: once the council ends the adviser's involvement, the weekly chaser stops."""
    from sendhub.people.models import Involvement

    worker = area.users["social_worker"]
    assessment.request_received_on = TODAY - timedelta(days=80)
    assessment.save()
    ask(client_for(area.users["caseworker"]), assessment, worker, days_ago=50)  # due 8 days ago
    ended = Involvement.objects.filter(child=assessment.child, professional=worker).update(
        started_on=TODAY - timedelta(days=60), ended_on=TODAY - timedelta(days=1), ended_reason="Moved team")
    assert ended
    call_command("send_reminders", stdout=io.StringIO())
    assert not Reminder.objects.filter(recipient=worker).exists()
