"""The clock drives the application: pages, the queue and reminders agree with `sendhub timescales`."""

import io
import json
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sendhub.accounts.models import Role
from sendhub.clock import command
from sendhub.clock.cases import contract_json
from sendhub.clock.models import Reminder, StatutoryEvent
from sendhub.clock.services import record_event
from sendhub.core.append_only import AppendOnlyError
from sendhub.people.models import InvolvementRole
from sendhub.plans.models import EHCPlan
from sendhub.reviews.models import AnnualReview
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def command_output(case) -> list[dict]:
    out, err = io.StringIO(), io.StringIO()
    request = {"as_of": TODAY.isoformat(), "cases": [contract_json(case)]}
    assert command.run(None, io.StringIO(json.dumps(request)), out, err) == 0, err.getvalue()
    return json.loads(out.getvalue())["cases"][0]["deadlines"]


def page_rows(html: str) -> list[tuple[str, str, str]]:
    table = html.split('data-testid="deadlines"', 1)[1].split("</table>", 1)[0]
    keys = re.findall(r'data-key="([^"]+)"', table)
    dues = re.findall(r'data-due="([^"]+)"', table)
    statuses = re.findall(r'data-status="([^"]+)"', table)
    return list(zip(keys, dues, statuses, strict=True))


@pytest.fixture
def assessment(area):
    case = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=60))
    cw = area.users["caseworker"]
    record_event(actor=cw, case=case, type="decision_to_assess", date=TODAY - timedelta(days=50))
    record_event(actor=cw, case=case, type="advice_requested", date=TODAY - timedelta(days=49), source="health")
    record_event(actor=cw, case=case, type="advice_requested", date=TODAY - timedelta(days=20), source="education")
    record_event(actor=cw, case=case, type="exception", date=TODAY - timedelta(days=40),
                 exception_reason="absent_from_area", exception_to=TODAY - timedelta(days=10))
    return case


@pytest.fixture
def review(area):
    plan = f.EHCPlanFactory(child=area.child, first_issued_on=date(2024, 2, 29))
    case = f.AnnualReviewFactory(plan=plan, previous_review_meeting=TODAY - timedelta(days=380),
                                 phase_transfer_on=date(TODAY.year + 1, 9, 1), phase_transfer_to="secondary")
    record_event(actor=area.users["senco"], case=case, type="review_meeting", date=TODAY - timedelta(days=20))
    return case


@pytest.mark.parametrize("case_fixture", ["assessment", "review"])
def test_case_page_shows_what_the_command_computes(request, area, client_for, case_fixture):
    case = request.getfixturevalue(case_fixture)
    kind = "assessment" if case_fixture == "assessment" else "review"
    expected = [(d["key"], d["due"], d["status"]) for d in command_output(case)]
    assert expected, "the case should have deadlines"
    for role in ("caseworker", "parent", "senco"):
        response = client_for(area.users[role]).get(reverse(f"clock:{kind}", kwargs={"pk": case.pk}))
        assert response.status_code == 200
        assert page_rows(response.content.decode()) == expected, role


def test_queue_shows_the_same_next_deadline(area, client_for, assessment):
    deadlines = command_output(assessment)
    open_ones = sorted((d for d in deadlines if d["status"] in {"due", "overdue"}), key=lambda d: d["due"])
    response = client_for(area.users["caseworker"]).get(reverse("clock:queue") + "?show=all&caseworker=")
    html = response.content.decode()
    row = html.split(f'data-case="assessment-{assessment.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f'data-due="{open_ones[0]["due"]}"' in row
    assert f'data-status="{open_ones[0]["status"]}"' in row


def test_recording_an_event_recomputes_deadlines(area, client_for):
    case = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=50))
    client = client_for(area.users["caseworker"])
    url = reverse("clock:assessment", kwargs={"pk": case.pk})
    assert ("decision_whether_to_assess", "overdue") in [(k, s) for k, _, s in page_rows(client.get(url).content.decode())]
    day = TODAY - timedelta(days=2)
    response = client.post(url, {"action": "decide", "decision": "decision_to_assess", "decided_on-day": day.day,
                                 "decided_on-month": day.month, "decided_on-year": day.year})
    assert response.status_code == 302
    rows = page_rows(client.get(url).content.decode())
    assert ("decision_whether_to_assess", "late") in [(k, s) for k, _, s in rows]
    event = StatutoryEvent.objects.get(assessment=case)
    assert (event.recorded_by, event.date) == (area.users["caseworker"], day)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"type": "advice_received", "source": "health"}, "__all__", "no earlier unanswered advice requested"),
        ({"type": "advice_requested"}, "source", "Select who the advice is from"),
        ({"type": "advice_requested", "source": "health", "future": True}, "date", "today or in the past"),
        ({"type": "advice_requested", "source": "health", "before_request": True}, "__all__", "before the request"),
    ],
)
def test_events_the_clock_cannot_place_are_refused(area, client_for, data, field, message):
    case = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=30))
    day = TODAY + timedelta(days=3) if data.pop("future", False) else (
        TODAY - timedelta(days=40) if data.pop("before_request", False) else TODAY - timedelta(days=1))
    response = client_for(area.users["caseworker"]).post(
        reverse("clock:assessment", kwargs={"pk": case.pk}),
        {"action": "record", **data, "date-day": day.day, "date-month": day.month, "date-year": day.year})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message.lower() in e.lower() for e in errors.get(field, [])), errors
    assert not StatutoryEvent.objects.exists()


def test_who_may_record_what(area, client_for, review):
    url = reverse("clock:review", kwargs={"pk": review.pk})
    day = TODAY - timedelta(days=1)
    dated = {"date-day": day.day, "date-month": day.month, "date-year": day.year}
    senco = client_for(area.users["senco"])
    assert senco.post(url, {"action": "record", "type": "review_report_sent", **dated}).status_code == 302
    refused = senco.post(url, {"action": "record", "type": "la_decision", "outcome": "maintain", **dated})
    assert "la_decision" not in dict(refused.context["form"].fields["type"].choices)
    assert client_for(area.users["parent"]).post(url, {"action": "record", "type": "review_report_sent",
                                                         **dated}).status_code == 403
    assert client_for(area.users["leader"]).get(url).status_code == 404
    assert client_for(area.users["other_parent"]).get(url).status_code == 404


def test_statutory_events_are_append_only(area, review):
    event = StatutoryEvent.objects.get(review=review)
    event.note = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        StatutoryEvent.objects.filter(pk=event.pk).update(note="changed")
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_final_plan_starts_the_plan_and_its_first_review(area):
    case = f.AssessmentFactory(child=area.sibling, request_received_on=TODAY - timedelta(days=150))
    cw = area.users["caseworker"]
    for kind, days_ago in [("decision_to_assess", 120), ("decision_to_issue_plan", 40), ("draft_plan_sent", 35),
                           ("final_plan_issued", 5)]:
        record_event(actor=cw, case=case, type=kind, date=TODAY - timedelta(days=days_ago))
    case.refresh_from_db()
    assert (case.outcome, case.closed_on) == ("plan_issued", TODAY - timedelta(days=5))
    plan = EHCPlan.objects.get(child=area.sibling)
    assert plan.first_issued_on == TODAY - timedelta(days=5)
    assert AnnualReview.objects.get(plan=plan).closed_on is None
    with pytest.raises(ValidationError, match="closed"):
        record_event(actor=cw, case=case, type="advice_requested", date=TODAY, source="health")


def test_maintain_decision_closes_the_round_and_opens_the_next(area, review):
    record_event(actor=area.users["caseworker"], case=review, type="la_decision", date=TODAY - timedelta(days=3),
                 outcome="maintain")
    review.refresh_from_db()
    assert (review.outcome, review.closed_on) == ("maintain", TODAY - timedelta(days=3))
    following = AnnualReview.objects.get(plan=review.plan, closed_on__isnull=True)
    assert following.previous_review_meeting == TODAY - timedelta(days=20)


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_daily_job_reminds_the_people_who_must_act(area, django_capture_on_commit_callbacks):
    cw, senco = area.users["caseworker"], area.users["senco"]
    f.InvolvementFactory(child=area.child, role=InvolvementRole.CASEWORKER, professional=cw, organisation=area.la)
    # advice requested 38 days ago is due in 4 days: the therapist (health) and the caseworker hear about it
    case = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=40))
    record_event(actor=cw, case=case, type="decision_to_assess", date=TODAY - timedelta(days=39))
    record_event(actor=cw, case=case, type="advice_requested", date=TODAY - timedelta(days=38), source="health")
    plan = f.EHCPlanFactory(child=area.child, first_issued_on=TODAY - timedelta(days=800))
    review = f.AnnualReviewFactory(plan=plan, previous_review_meeting=TODAY - timedelta(days=370))
    record_event(actor=senco, case=review, type="review_meeting", date=TODAY - timedelta(days=8))  # report due in 6
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--days", "10", stdout=out)
    got = {(r.recipient.email, r.deadline_key) for r in Reminder.objects.select_related("recipient")}
    therapist = area.users["therapist"].email
    assert (therapist, "advice:health") in got
    assert (cw.email, "advice:health") in got
    assert (senco.email, "review_report") in got
    assert (cw.email, "review_report") in got
    assert not any(key == "decision_whether_to_assess" for _, key in got)  # already met
    assert len(mail.outbox) == len(got)
    assert all(area.child.nhs_number not in m.body and area.child.family_name not in m.body for m in mail.outbox)
    call_command("send_reminders", "--days", "10", stdout=io.StringIO())
    assert Reminder.objects.count() == len(got)  # running again raises nothing new
    home = f"{reverse('web:home')}"
    from sendhub.conftest import signed_in_client

    page = signed_in_client(senco).get(home).content.decode()
    assert "New for you" in page and "Send the review report" in page  # in the app, with the detail


def test_daily_job_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--as-of must be a date"):
        call_command("send_reminders", "--as-of", "2026-02-30")


def test_role_names_stay_in_step(area):
    assert Role.SENCO == "senco"


def test_api_gives_the_same_deadlines(area, client, assessment):
    from sendhub.accounts.services import issue_api_token

    token = issue_api_token(user=area.users["parent"])
    body = client.get(f"/api/v1/children/{area.child.pk}/cases", headers={"authorization": f"Bearer {token}"}).json()
    case = next(c for c in body if c["kind"] == "assessment" and c["id"] == assessment.pk)
    assert [(d["key"], d["due"], d["status"]) for d in case["deadlines"]] == [
        (d["key"], d["due"], d["status"]) for d in command_output(assessment)]


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_opening_the_case_marks_its_reminders_read(area, client_for):
    cw = area.users["caseworker"]
    f.InvolvementFactory(child=area.child, role=InvolvementRole.CASEWORKER, professional=cw, organisation=area.la)
    case = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=40))
    call_command("send_reminders", stdout=io.StringIO())
    assert Reminder.objects.filter(recipient=cw, read_at__isnull=True).count() == 1
    client_for(cw).get(reverse("clock:assessment", kwargs={"pk": case.pk}))
    assert Reminder.objects.filter(recipient=cw, read_at__isnull=True).count() == 0
    from sendhub.messaging.models import Notification

    assert not Notification.objects.filter(recipient=cw, read_at__isnull=True).exists()


def test_queue_filters_by_stage_school_need_and_caseworker_and_says_why(area, client_for):
    cw = area.users["caseworker"]
    first = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=10))
    second = f.AssessmentFactory(child=area.other_child, request_received_on=TODAY - timedelta(days=30))
    record_event(actor=cw, case=second, type="decision_to_assess", date=TODAY - timedelta(days=5))
    record_event(actor=cw, case=second, type="advice_requested", date=TODAY - timedelta(days=4), source="health")
    f.InvolvementFactory(child=area.other_child, role=InvolvementRole.CASEWORKER, professional=cw, organisation=area.la)
    client = client_for(area.users["team_manager"])
    queue = reverse("clock:queue")

    def shown(query):
        rows = client.get(f"{queue}?show=all&{query}").context["page"].object_list
        return [(row.case.pk, row.stage) for row in rows]

    assert set(shown("")) == {(first.pk, "deciding_to_assess"), (second.pk, "gathering_advice")}
    assert shown("stage=gathering_advice") == [(second.pk, "gathering_advice")]
    assert shown(f"setting={area.school.pk}") == [(first.pk, "deciding_to_assess")]
    assert shown(f"caseworker={cw.pk}") == [(second.pk, "gathering_advice")]
    assert shown("need=SLCN") == []
    assert "Gathering advice" in client.get(f"{queue}?show=all").content.decode()
    own = client_for(cw).get(f"{queue}?show=all").context["page"].object_list  # a caseworker starts with their own
    assert [row.case.pk for row in own] == [second.pk]
