"""The review pages and selectors: who sees what, ordering on constructed plans, figures from the clock."""

import io
import json
from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sendhub.clock import command
from sendhub.clock.cases import contract_json
from sendhub.clock.models import StatutoryEvent
from sendhub.clock.services import open_review
from sendhub.people.models import Child
from sendhub.reviews import selectors
from sendhub.reviews.models import AnnualReview, EarlyReviewRequest, ReviewReport
from sendhub.reviews.priority import Weights
from sendhub.testing import factories as f

TODAY = timezone.localdate()


def round_for(child, *, issued: date, previous: date | None = None, transfer: tuple[date, str] | None = None):
    plan = f.EHCPlanFactory(child=child, first_issued_on=issued)
    return AnnualReview.objects.create(plan=plan, previous_review_meeting=previous,
                                       phase_transfer_on=transfer[0] if transfer else None,
                                       phase_transfer_to=transfer[1] if transfer else "")


def test_constructed_plans_are_ordered_with_their_reasons(area):
    """A phase transfer next month outranks a routine review due in six months; a plan unreviewed for
    two years outranks both."""
    as_of = date(2027, 1, 15)
    la = area.la
    phase = round_for(f.ChildFactory(local_authority=la, date_of_birth=date(2016, 3, 1)), issued=date(2024, 5, 1),
                      previous=date(2026, 6, 1), transfer=(date(2027, 9, 1), "secondary"))
    routine = round_for(f.ChildFactory(local_authority=la, date_of_birth=date(2017, 3, 1)), issued=date(2024, 5, 1),
                        previous=date(2026, 7, 14))
    stale = round_for(f.ChildFactory(local_authority=la, date_of_birth=date(2018, 3, 1)), issued=date(2023, 5, 1),
                      previous=date(2024, 12, 1))
    children = Child.objects.filter(pk__in=[r.plan.child_id for r in (phase, routine, stale)])
    rows = selectors.priority_queue(children, Weights(), as_of=as_of)
    assert [row.review for row in rows] == [stale, phase, routine]
    assert rows[0].priority.reasons[0].text.startswith("No review meeting since 1 December 2024")
    assert rows[1].priority.reasons[0].text == "Moving phase: the phase-transfer review is due by 15 February 2027"
    assert rows[2].priority.reasons == ()
    # A family's request and a placement at risk lift the routine plan above the phase transfer.
    EarlyReviewRequest.objects.create(plan=routine.plan, requested_by=area.users["parent"], reason="Needs changed")
    from sendhub.reviews.models import PlacementConcern
    PlacementConcern.objects.create(plan=routine.plan, note="Exclusion risk", raised_by=area.users["senco"])
    rows = selectors.priority_queue(children, Weights(), as_of=as_of)
    assert [row.review for row in rows] == [stale, routine, phase]


def command_statuses(rounds, as_of: date) -> list[tuple[str, str, bool]]:
    out, err = io.StringIO(), io.StringIO()
    request = {"as_of": as_of.isoformat(), "cases": [contract_json(r) for r in rounds]}
    assert command.run(None, io.StringIO(json.dumps(request)), out, err) == 0, err.getvalue()
    transfer = {f"R-{r.pk}": r.phase_transfer_on is not None for r in rounds}
    return [(d["key"], d["status"], transfer[case["id"]], date.fromisoformat(d["due"]))
            for case in json.loads(out.getvalue())["cases"] for d in case["deadlines"]]


def test_timeliness_figures_equal_the_statutory_clock_command(area):
    as_of = TODAY
    la = area.la
    rounds = []
    for previous_days_ago, meeting, report, decision, transfer in [
        (400, -10, 5, 20, None),          # held on time; report and decision on time
        (500, None, None, None, None),    # not held and overdue
        (420, 20, 20, 40, None),          # held late; report late; decision not made and overdue
        (200, None, None, None, None),    # not due yet
        (340, -15, 10, 25, (date(TODAY.year + 1, 9, 1), "secondary")),
        (500, 100, None, None, (date(TODAY.year, 9, 1), "post16")),
    ]:
        child = f.ChildFactory(local_authority=la)
        previous = TODAY - timedelta(days=previous_days_ago)
        review = round_for(child, issued=previous - timedelta(days=400), previous=previous, transfer=transfer)
        if meeting is not None:
            held = min(previous + timedelta(days=364 + meeting), TODAY - timedelta(days=1))
            StatutoryEvent.objects.create(review=review, type="review_meeting", date=held)
            if report is not None and held + timedelta(days=report) <= TODAY:
                StatutoryEvent.objects.create(review=review, type="review_report_sent", date=held + timedelta(days=report))
            if decision is not None and held + timedelta(days=decision) <= TODAY:
                StatutoryEvent.objects.create(review=review, type="la_decision", outcome="maintain",
                                              date=held + timedelta(days=decision))
        rounds.append(review)
    since, until = TODAY - timedelta(days=730), TODAY + timedelta(days=365)
    rows = {row.key: row.counts for row in selectors.timeliness(Child.objects.filter(local_authority=la),
                                                                 since=since, until=until, as_of=as_of)}
    expected = {key: Counter() for key, *_ in selectors.FIGURE_ROWS}
    for key, status, is_transfer, due in command_statuses(rounds, as_of):
        if not since <= due <= until or status == "not_applicable":
            continue
        if key == "annual_review":
            expected["annual_review:transfer" if is_transfer else "annual_review:other"][status] += 1
        elif key in expected:
            expected[key][status] += 1
    assert rows == {key: dict(counter) for key, counter in expected.items()}
    assert rows["annual_review:other"] == {"met": 1, "overdue": 1, "late": 1, "due": 1}
    assert sum(rows["phase_transfer"].values()) == 2


@pytest.fixture
def plan_round(area):
    child = area.child
    plan = f.EHCPlanFactory(child=child, first_issued_on=TODAY - timedelta(days=330))
    return open_review(plan=plan, previous_review_meeting=None, on=plan.first_issued_on)


@pytest.mark.parametrize("role, status", [
    ("parent", 200), ("therapist", 200), ("senco", 200), ("caseworker", 200), ("team_manager", 200),
    ("other_parent", 404), ("other_caseworker", 404), ("social_worker", 404), ("leader", 404),
])
def test_review_page_is_for_the_people_in_the_childs_life(area, client_for, plan_round, role, status):
    response = client_for(area.users[role]).get(f"/reviews/{plan_round.pk}/annual-review/")
    assert response.status_code == status


def test_only_the_school_or_council_can_set_the_meeting(area, client_for, plan_round):
    day = TODAY + timedelta(days=20)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    post = {"action": "schedule", "version": 0, "meeting_on-day": day.day, "meeting_on-month": day.month,
            "meeting_on-year": day.year}
    assert client_for(area.users["parent"]).post(f"/reviews/{plan_round.pk}/annual-review/", post).status_code == 403
    assert client_for(area.users["therapist"]).post(f"/reviews/{plan_round.pk}/annual-review/", post).status_code == 403
    response = client_for(area.users["senco"]).post(f"/reviews/{plan_round.pk}/annual-review/", post)
    assert response.status_code == 302
    plan_round.refresh_from_db()
    assert plan_round.meeting_on == day
    # A stale form (version 0 again) is refused and says so.
    response = client_for(area.users["caseworker"]).post(f"/reviews/{plan_round.pk}/annual-review/", post)
    assert response.status_code == 200 and "Someone else changed" in response.text


def test_a_bad_meeting_date_is_shown_beside_the_field(area, client_for, plan_round):
    response = client_for(area.users["senco"]).post(f"/reviews/{plan_round.pk}/annual-review/", {
        "action": "schedule", "version": 0, "meeting_on-day": "31", "meeting_on-month": "2", "meeting_on-year": "2027"})
    assert response.status_code == 200
    assert "The meeting date must be a real date" in response.text and "govuk-error-summary" in response.text


def test_parent_asks_for_an_early_review_and_another_parent_cannot(area, client_for, plan_round):
    url = f"/children/{area.child.pk}/early-review"
    assert client_for(area.users["other_parent"]).get(url).status_code == 404
    assert client_for(area.users["therapist"]).get(url).status_code == 403
    parent = client_for(area.users["parent"])
    response = parent.post(url, {"reason": ""})
    assert "Tell us why" in response.text
    assert parent.post(url, {"reason": "Needs have changed since the move"}).status_code == 302
    queue = client_for(area.users["caseworker"]).get("/reviews/priority/?caseworker=")
    assert "The family or young person asked for an early review" in queue.text


def test_school_list_shows_only_the_schools_pupils(area, client_for, plan_round):
    other = round_for(area.other_child, issued=TODAY - timedelta(days=100))
    response = client_for(area.users["senco"]).get("/school/reviews/")
    assert response.status_code == 200
    assert f'data-review="{plan_round.pk}"' in response.text and f'data-review="{other.pk}"' not in response.text
    assert client_for(area.users["parent"]).get("/school/reviews/").status_code == 403


def test_bulk_scheduling_page_saves_a_terms_dates(area, client_for, plan_round):
    client = client_for(area.users["senco"])
    page = client.get("/school/reviews/schedule")
    assert page.status_code == 200 and f'data-review="{plan_round.pk}"' in page.text
    form = page.context["form"]
    suggested = form.initial[f"meeting_{plan_round.pk}"]
    name = f"meeting_{plan_round.pk}"
    bad = client.post("/school/reviews/schedule", {f"{name}-day": "1", f"{name}-month": "1", f"{name}-year": "2020"})
    assert "No meeting dates have been saved" in bad.text
    plan_round.refresh_from_db()
    assert plan_round.meeting_on is None
    ok = client.post("/school/reviews/schedule", {f"{name}-day": suggested.day, f"{name}-month": suggested.month,
                                                  f"{name}-year": suggested.year})
    assert ok.status_code == 302
    plan_round.refresh_from_db()
    assert plan_round.meeting_on == suggested


def test_weights_page_explains_and_only_a_team_manager_changes(area, client_for):
    from sendhub.reviews import priority

    caseworker = client_for(area.users["caseworker"])
    page = caseworker.get("/reviews/priority/weights")
    assert page.status_code == 200 and priority.EXPLANATIONS["stale_review"] in page.text
    assert caseworker.post("/reviews/priority/weights", {}).status_code == 403
    values = {name: getattr(priority.Weights(), name) for name in priority.WEIGHT_NAMES}
    manager = client_for(area.users["team_manager"])
    response = manager.post("/reviews/priority/weights", values | {"version": 0, "looked_after": "lots"})
    assert "Enter a whole number" in response.text
    assert manager.post("/reviews/priority/weights", values | {"version": 0, "looked_after": 90}).status_code == 302
    assert client_for(area.users["leader"]).get("/reviews/priority/weights").status_code == 403


def test_report_form_asks_for_preparing_for_adulthood_from_year_9(area, client_for, plan_round):
    from sendhub.clock.services import record_event

    record_event(actor=area.users["senco"], case=plan_round, type="review_meeting", date=TODAY)
    area.child.date_of_birth = date(TODAY.year - 15, 1, 10)
    area.child.save()
    client = client_for(area.users["senco"])
    page = client.get(f"/reviews/{plan_round.pk}/annual-review/report")
    assert "Preparing for adulthood" in page.text and "likely to need care and support" in page.text
    response = client.post(f"/reviews/{plan_round.pk}/annual-review/report", {
        "version": 0, "send": "yes", "child_views": "I like art", "family_views": "Going well",
        "recommendation": "maintain"})
    assert response.status_code == 200
    assert "preparing for adulthood: employment" in response.text.lower()
    assert ReviewReport.objects.get(review=plan_round).child_views == "I like art"  # the draft was kept
    assert client_for(area.users["parent"]).post(f"/reviews/{plan_round.pk}/annual-review/report",
                                                 {"version": 1}).status_code == 403


def test_figures_page_for_leaders_and_council(area, client_for, plan_round):
    for role in ("leader", "team_manager", "caseworker"):
        response = client_for(area.users[role]).get("/reviews/figures/")
        assert response.status_code == 200 and 'data-figure="annual_review:other"' in response.text
    assert client_for(area.users["parent"]).get("/reviews/figures/").status_code == 403
    assert client_for(area.users["senco"]).get("/reviews/figures/").status_code == 403


def test_priority_and_school_pages_do_not_query_per_row(area, client_for, django_assert_max_num_queries):
    for n in range(12):
        child = f.ChildFactory(local_authority=area.la, setting=area.school)
        review = round_for(child, issued=TODAY - timedelta(days=200 + 40 * n))
        StatutoryEvent.objects.create(review=review, type="review_meeting", date=TODAY - timedelta(days=n + 1))
        EarlyReviewRequest.objects.create(plan=review.plan, requested_by=area.users["parent"], reason="x")
    caseworker, senco = client_for(area.users["caseworker"]), client_for(area.users["senco"])
    with django_assert_max_num_queries(30) as few:
        caseworker.get("/reviews/priority/?caseworker=")
    with django_assert_max_num_queries(30) as few_school:
        senco.get("/school/reviews/")
    for n in range(12):
        child = f.ChildFactory(local_authority=area.la, setting=area.school)
        review = round_for(child, issued=TODAY - timedelta(days=210 + 40 * n))
        StatutoryEvent.objects.create(review=review, type="review_meeting", date=TODAY - timedelta(days=n + 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        caseworker.get("/reviews/priority/?caseworker=")
    with django_assert_max_num_queries(len(few_school.captured_queries)):
        senco.get("/school/reviews/")
