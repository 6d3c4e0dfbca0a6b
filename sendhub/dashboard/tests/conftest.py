"""Constructed case data whose every dashboard figure was worked out by hand (see EXPECTED)."""

from dataclasses import dataclass
from datetime import date, datetime, timezone as dt_timezone

import pytest

from sendhub.clock.models import StatutoryEvent
from sendhub.dashboard.models import Disagreement
from sendhub.people.models import Child
from sendhub.messaging.models import Delivery
from sendhub.plans.models import PlanVersion
from sendhub.reviews.models import ReviewReport
from sendhub.testing import factories as f

AS_OF = date(2026, 11, 23)


def event(case, type_, day, **extra):
    field = "assessment" if case.__class__.__name__ == "EHCNeedsAssessment" else "review"
    return StatutoryEvent.objects.create(**{field: case}, type=type_, date=day, **extra)


@dataclass
class Constructed:
    area: object
    assessments: dict
    reviews: dict
    refused: list


# Hand-computed from the cases below (all months in the 24-month window, the whole partnership).
EXPECTED = {
    "final_plan_20w": (2, 4),  # A1 met, A2 late (exception), A3 late, A4 met
    "final_plan_20w_exc": (2, 3),  # A2 left out: late with an exception
    "decision_6w": (4, 6),  # A2 and A5 late
    "advice_6w_health": (1, 2),  # A1 met, A2 late
    "advice_6w_social_care": (1, 1),  # A3 on time
    "advice_6w_educational_psychology": (0, 1),  # A3 late
    "advice_6w_education": (0, 0),  # none asked
    "reviews_on_time": (1, 3),  # R1 met, R2 late, R3 overdue
    "reviews_overdue": (1, 1),  # R3
    "phase_transfers_on_time": (0, 1),  # R3's transfer review not finished by 15 February 2026
    "plans_health_content": (2, 3),  # child (C), other_child (G); sibling none
    "plans_social_care_content": (1, 3),  # other_child (H2)
    "pfa_outcomes": (1, 2),  # sibling's report has PfA; other_child's has none; child is in Year 6
    "versions_reached_all": (2, 3),  # other_child's version waits on the post tray: not reached
    "refusals_to_assess": (2, 2),  # A5 (July), A6 (September)
    "refusals_mediation": (1, 2),
    "refusals_appealed": (1, 2),
    "appeals_for_family": (1, 1),
    "quality_checks_new": (0, 3),  # every constructed plan fails the automatic checks (no views, no provision…)
    "quality_checks_amended": (0, 0),  # no amended plans
    "quality_audits_good": (1, 2),  # child's plan audited good; other_child's moderated down to requires improvement
}
# Only the first local authority (far_child's assessment A4 is elsewhere).
EXPECTED_LA = {"final_plan_20w": (1, 3), "final_plan_20w_exc": (1, 2), "decision_6w": (3, 5)}


@pytest.fixture
def constructed(area) -> Constructed:
    users = area.users
    caseworker = users["caseworker"]
    Child.objects.filter(pk=area.other_child.pk).update(date_of_birth=date(2010, 2, 1))  # Year 11 now
    a1 = f.AssessmentFactory(child=area.child, request_received_on=date(2026, 3, 2))
    event(a1, "decision_to_assess", date(2026, 4, 6))
    event(a1, "advice_requested", date(2026, 4, 7), source="health")
    event(a1, "advice_received", date(2026, 5, 12), source="health")
    event(a1, "draft_plan_sent", date(2026, 6, 20))
    event(a1, "final_plan_issued", date(2026, 7, 13))
    a2 = f.AssessmentFactory(child=area.sibling, request_received_on=date(2026, 1, 5))
    event(a2, "decision_to_assess", date(2026, 3, 2))
    event(a2, "advice_requested", date(2026, 3, 3), source="health")
    event(a2, "advice_received", date(2026, 5, 1), source="health")
    event(a2, "final_plan_issued", date(2026, 7, 1))
    event(a2, "exception", date(2026, 2, 1), exception_reason="absent_from_area", exception_to=date(2026, 3, 15))
    a3 = f.AssessmentFactory(child=area.other_child, request_received_on=date(2026, 2, 2))
    event(a3, "decision_to_assess", date(2026, 3, 2))
    event(a3, "advice_requested", date(2026, 3, 3), source="social_care")
    event(a3, "advice_received", date(2026, 4, 10), source="social_care")  # due 14 April: on time
    event(a3, "advice_requested", date(2026, 3, 3), source="educational_psychology")
    event(a3, "advice_received", date(2026, 5, 5), source="educational_psychology")  # late
    event(a3, "final_plan_issued", date(2026, 7, 20))
    a4 = f.AssessmentFactory(child=area.far_child, request_received_on=date(2026, 4, 1))
    event(a4, "decision_to_assess", date(2026, 5, 1))
    event(a4, "final_plan_issued", date(2026, 8, 1))
    refused_children = [f.ChildFactory(local_authority=area.la, setting=area.school) for _ in range(2)]
    a5 = f.AssessmentFactory(child=refused_children[0], request_received_on=date(2026, 6, 1))
    event(a5, "decision_not_to_assess", date(2026, 7, 27))
    Disagreement.objects.create(assessment=a5, mediation_requested_on=date(2026, 8, 10),
                                appeal_lodged_on=date(2026, 9, 1), appeal_decided_on=date(2026, 10, 20),
                                appeal_outcome="ordered_to_assess")
    a6 = f.AssessmentFactory(child=refused_children[1], request_received_on=date(2026, 8, 3))
    event(a6, "decision_not_to_assess", date(2026, 9, 7))

    plans = {
        "child": f.EHCPlanFactory(child=area.child, first_issued_on=date(2025, 3, 10)),
        "other_child": f.EHCPlanFactory(child=area.other_child, first_issued_on=date(2025, 1, 15)),
        "sibling": f.EHCPlanFactory(child=area.sibling, first_issued_on=date(2025, 6, 1)),
    }
    sections = {"child": {"B": "Needs", "C": "Speech and language needs"},
                "other_child": {"B": "Needs", "G": "Physiotherapy weekly", "H2": "Short breaks"},
                "sibling": {"B": "Needs", "C": "  ", "D": ""}}
    versions = {}
    for key, plan in plans.items():
        versions[key] = PlanVersion.objects.create(child=plan.child, number=1, kind="final", sections=sections[key],
                                                   issued_on=plan.first_issued_on, issued_by=caseworker)
    def sent(version, who, **how):
        how = how or {"route": "portal", "state": "in_account"}
        Delivery.objects.create(child=version.child, version=version, recipient=users[who], why="test",
                                recipient_name=users[who].full_name, **how)

    for who in ("parent", "therapist"):
        sent(versions["child"], who)
    sent(versions["sibling"], "parent", route="post", state="posted", posted_on=date(2025, 6, 5))
    sent(versions["other_child"], "other_parent", route="post", state="waiting_post")  # never posted

    r1 = f.AnnualReviewFactory(plan=plans["child"])
    event(r1, "review_meeting", date(2026, 2, 20))
    r2 = f.AnnualReviewFactory(plan=plans["other_child"])
    event(r2, "review_meeting", date(2026, 2, 10))
    ReviewReport.objects.create(review=r2, sent_on=date(2026, 2, 20))
    r3 = f.AnnualReviewFactory(plan=plans["sibling"], phase_transfer_on=date(2026, 9, 1), phase_transfer_to="secondary")
    ReviewReport.objects.create(review=r3, sent_on=date(2025, 12, 1), pfa_employment="Work experience in Year 10")
    from sendhub.quality.checks import check_versions
    from sendhub.quality.models import Audit

    check_versions(list(versions.values()))
    qa, audited = users["qa_officer"], datetime(2026, 8, 3, 12, tzinfo=dt_timezone.utc)
    Audit.objects.create(version=versions["child"], local_authority=area.la, auditor=qa, status="completed",
                         grade="good", completed_at=audited)
    Audit.objects.create(version=versions["other_child"], local_authority=area.la, auditor=qa, status="moderated",
                         grade="good", moderated_grade="requires_improvement", completed_at=audited)
    return Constructed(area, {"A1": a1, "A2": a2, "A3": a3, "A4": a4, "A5": a5, "A6": a6},
                       {"R1": r1, "R2": r2, "R3": r3}, refused_children)
