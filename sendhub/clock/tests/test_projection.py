"""The deadlines projection (ADR 15): always equal to the clock, repaired by the daily check, and the pages that
read it show the same cases in the same order, with the same scores, as computing everything in Python."""

import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from sendhub.clock import projection
from sendhub.clock.models import CaseDeadline, OpenCase, StatutoryEvent
from sendhub.clock.selectors import deadline_queue, queue_cases, queue_rows
from sendhub.clock.services import record_event
from sendhub.messaging.models import Notification
from sendhub.people.models import Child
from sendhub.reviews import selectors
from sendhub.reviews.models import EarlyReviewRequest, PlacementConcern
from sendhub.reviews.priority import Weights
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = date.today()


def varied_cases(area, rng: random.Random, count: int = 24) -> None:
    """Assessments and review rounds at every stage, some overdue, some moving phase, some flagged."""
    manager = area.users["team_manager"]
    for n in range(count):
        born = TODAY - timedelta(days=rng.randint(3 * 365, 17 * 365))
        child = f.ChildFactory(local_authority=area.la, setting=area.school, date_of_birth=born,
                               family_name=rng.choice(["Ahmed", "Brown", "Brown", "Singh"]),
                               looked_after=rng.random() < 0.2, child_in_need=rng.random() < 0.2)
        if n % 3 == 0:
            asked = TODAY - timedelta(days=rng.randint(0, 200))
            assessment = f.AssessmentFactory(child=child, request_received_on=asked)
            steps = [("decision_to_assess", {}), ("advice_requested", {"source": "health"}),
                     ("advice_received", {"source": "health"}), ("decision_to_issue_plan", {}),
                     ("draft_plan_sent", {})]
            day = asked
            for kind, extra in steps[: rng.randint(0, len(steps))]:
                day = min(TODAY, day + timedelta(days=rng.randint(0, 50)))
                StatutoryEvent.objects.create(assessment=assessment, type=kind, date=day, **extra)
            continue
        plan = f.EHCPlanFactory(child=child, first_issued_on=TODAY - timedelta(days=rng.randint(30, 1100)))
        transfer = TODAY + timedelta(days=rng.randint(-60, 400)) if rng.random() < 0.4 else None
        review = f.AnnualReviewFactory(plan=plan, phase_transfer_on=transfer, phase_transfer_to="secondary" if transfer else "")
        if rng.random() < 0.5:
            meeting = min(TODAY, plan.first_issued_on + timedelta(days=rng.randint(200, 400)))
            StatutoryEvent.objects.create(review=review, type="review_meeting", date=meeting)
            if rng.random() < 0.5 and meeting + timedelta(days=10) <= TODAY:
                StatutoryEvent.objects.create(review=review, type="review_report_sent", date=meeting + timedelta(days=10))
        if rng.random() < 0.25:
            EarlyReviewRequest.objects.create(plan=plan, requested_by=manager, reason="Things have changed")
        if rng.random() < 0.2:
            PlacementConcern.objects.create(plan=plan, raised_by=manager, note="May lose the place")


def test_every_write_keeps_the_projection_equal_to_the_clock(area):
    caseworker = area.users["caseworker"]
    assessment = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=60))
    review = f.AnnualReviewFactory(plan=f.EHCPlanFactory(child=area.sibling, first_issued_on=TODAY - timedelta(days=400)))
    assert projection.check_and_repair() == []
    for case, kind, extra in [
        (assessment, "decision_to_assess", {}), (assessment, "advice_requested", {"source": "health"}),
        (assessment, "exception", {"exception_reason": "absent_from_area", "exception_to": TODAY}),
        (assessment, "advice_received", {"source": "health"}), (assessment, "draft_plan_sent", {}),
        (review, "review_meeting", {}), (review, "review_report_sent", {}),
    ]:
        record_event(actor=caseworker, case=case, type=kind, date=TODAY - timedelta(days=1), **extra)
        assert projection.check_and_repair() == [], kind
    assert OpenCase.objects.get(id=f"A-{assessment.pk}").stage == "draft_with_family"
    record_event(actor=caseworker, case=assessment, type="final_plan_issued", date=TODAY)  # closes it, opens a review
    assert not OpenCase.objects.filter(id=f"A-{assessment.pk}").exists()
    assert OpenCase.objects.filter(kind="review", child=area.child).count() == 1
    assert projection.check_and_repair() == []


def test_the_daily_check_repairs_a_corrupted_row_and_tells_the_team_manager(area):
    assessment = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=60))
    f.AnnualReviewFactory(plan=f.EHCPlanFactory(child=area.sibling))
    CaseDeadline.objects.filter(case_id=f"A-{assessment.pk}").update(due=TODAY + timedelta(days=300))
    OpenCase.objects.filter(id=f"A-{assessment.pk}").update(stage="drafting")
    OpenCase.objects.create(id="A-999999", kind="assessment", child=area.other_child, stage="drafting")  # no such case
    call_command("send_reminders")
    assert Notification.objects.filter(recipient=area.users["team_manager"], subject="Deadlines lists repaired").exists()
    assert projection.check_and_repair() == []
    assert OpenCase.objects.get(id=f"A-{assessment.pk}").stage == "deciding_to_assess"


def test_rebuild_writes_what_the_writes_wrote(area):
    varied_cases(area, random.Random(3), count=9)
    before = projection.stored()
    call_command("rebuild_deadlines")
    assert projection.stored() == before and len(before) == 9


@pytest.mark.parametrize("seed", [1, 2])
def test_the_pages_sql_gives_the_same_rows_and_order_as_the_clock_in_python(area, seed):
    rng = random.Random(seed)
    varied_cases(area, rng)
    children = Child.objects.filter(local_authority=area.la)
    for options in ({}, {"overdue_only": True}, {"within_days": 28}, {"stage": "awaiting_meeting"}):
        expected = [(row.kind, row.case.pk) for row in deadline_queue(children, **options)]
        assert [(row.kind, row.case.pk) for row in queue_rows(queue_cases(children, **options))] == expected, options
    for weights in (Weights(), *(Weights(**{name: rng.randint(0, 60) for name in (
            "stale_review", "phase_transfer", "overdue", "overdue_per_week", "due_soon", "family_request",
            "placement_at_risk", "looked_after", "child_in_need")}, phase_transfer_window_days=rng.randint(1, 400),
            due_soon_window_days=rng.randint(1, 200), stale_after_days=rng.randint(1, 900),
            overdue_cap_weeks=rng.randint(0, 30)) for _ in range(4))):
        in_python = selectors.priority_queue(children, weights)
        expected = [(item.review.pk, item.priority.score) for item in in_python]
        cases = selectors.priority_cases(children, weights)
        assert [(case.review_id, case.score) for case in cases] == expected, weights
        assert [(item.review.pk, item.priority.score) for item in selectors.priority_rows(cases, weights)] == expected
        for reason in ("Moving phase", "Overdue", "No review meeting", "The family", "Placement at risk", "Child"):
            wanted = [item.review.pk for item in in_python
                      if any(r.text.startswith(reason) for r in item.priority.reasons)]
            assert [c.review_id for c in selectors.priority_cases(children, weights, reason=reason)] == wanted, reason


@pytest.mark.parametrize("reviews", [3, 30])
def test_review_priorities_page_is_flat(area, client_for, django_assert_max_num_queries, reviews):
    varied_cases(area, random.Random(reviews), count=reviews)
    with django_assert_max_num_queries(35):  # the same for 3 reviews and for 30
        response = client_for(area.users["team_manager"]).get(reverse("reviews:priority"))
    assert response.status_code == 200


def test_a_new_date_of_birth_rewrites_the_childs_deadlines(area):
    from sendhub.people.services import ChildDetails, update_child

    child = area.child
    review = f.AnnualReviewFactory(plan=f.EHCPlanFactory(child=child, first_issued_on=TODAY - timedelta(days=30)))
    assert not CaseDeadline.objects.filter(case_id=f"R-{review.pk}", key="early_years_review").exists()
    details = ChildDetails(given_name=child.given_name, family_name=child.family_name,
                           date_of_birth=TODAY - timedelta(days=3 * 365), local_authority_id=child.local_authority_id,
                           nhs_number=child.nhs_number, upn=child.upn, primary_need=child.primary_need,
                           setting_id=child.setting_id)
    update_child(actor=area.users["caseworker"], child=child, details=details, expected_version=child.version)
    assert CaseDeadline.objects.filter(case_id=f"R-{review.pk}", key="early_years_review").exists()  # now under 5
    assert projection.check_and_repair() == []
