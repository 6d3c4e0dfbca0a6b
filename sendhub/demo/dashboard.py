"""Demo data for the partnership dashboard: the published national 20-week figure, leaders' trajectories,
the Big Plan built from the inspection's areas for improvement, and mediation and appeals after refusals.

Deterministic for a seed, and a few bulk inserts per area, so it adds little to `sendhub demo`.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from sendhub.clock.models import StatutoryEvent
from sendhub.dashboard.models import (
    Action, ActionStatus, AppealOutcome, Comparator, Disagreement, ImprovementArea, MediationOutcome, Trajectory,
)

INSPECTION = "Ofsted and CQC, Area SEND inspection of the local area partnership (June 2025)"

# The one national figure sendhub seeds: every other comparator is left for leaders to enter with its source.
NATIONAL = [
    dict(metric="final_plan_20w", geography="national", area_name="England", value=Decimal("46.4"),
         period="Calendar year 2024 (new plans, including exceptions)",
         source="Department for Education, Education, health and care plans, reporting year 2025 (SEN2 collection)",
         source_url="https://explore-education-statistics.service.gov.uk/find-statistics/education-health-and-care-plans"),
]

# Leaders' targets (value by date). Targets are the partnership's own choices, not published figures.
TRAJECTORIES = {
    "final_plan_20w": [(date(2026, 1, 1), "40"), (date(2026, 12, 31), "60"), (date(2027, 12, 31), "75")],
    "decision_6w": [(date(2026, 1, 1), "80"), (date(2027, 3, 31), "95")],
    "advice_6w_health": [(date(2026, 1, 1), "60"), (date(2027, 3, 31), "85")],
    "plans_health_content": [(date(2026, 1, 1), "60"), (date(2027, 3, 31), "90")],
    "plans_social_care_content": [(date(2026, 1, 1), "40"), (date(2027, 3, 31), "75")],
    "reviews_on_time": [(date(2026, 1, 1), "55"), (date(2027, 3, 31), "85")],
    "phase_transfers_on_time": [(date(2026, 1, 1), "70"), (date(2027, 2, 15), "95")],
    "pfa_outcomes": [(date(2026, 1, 1), "50"), (date(2027, 7, 31), "85")],
    "versions_reached_all": [(date(2026, 1, 1), "90"), (date(2026, 12, 31), "100")],
    "quality_checks_new": [(date(2026, 1, 1), "50"), (date(2027, 7, 31), "90")],
    "quality_audits_good": [(date(2026, 1, 1), "45"), (date(2027, 7, 31), "80")],
}

BIG_PLAN = [
    ("Prepare children and young people for adulthood",
     "Coordinated strategic action planning for preparation for adulthood with clear, measurable outcomes; education, "
     "health and social care working together earlier; annual reviews focused on adult life; enough post-16 routes.",
     [("Preparation for adulthood outcomes recorded at every Year 9+ annual review", "Head of SEND assessment and review, council",
       "2026-Q4", ActionStatus.IN_PROGRESS, "Review report template has the four outcomes; QA sample monthly", ["pfa_outcomes"]),
      ("Joint preparing-for-adulthood planning from Year 9 with health and adult social care", "Designated clinical officer, ICB",
       "2027-Q1", ActionStatus.NOT_STARTED, "", ["pfa_outcomes"]),
      ("More supported internships and post-16 routes", "Head of post-16 and skills, council", "2027-Q2",
       ActionStatus.NOT_STARTED, "", [])]),
    ("Reduce waits for therapies, CAMHS and wheelchair services",
     "Work at pace to strengthen and carry out plans to reduce the waits children and young people face.",
     [("Speech and language therapy recovery plan with the community trust", "Director of operations, community health trust",
       "2027-Q1", ActionStatus.IN_PROGRESS, "Waiting list figures monthly on the dashboard", []),
      ("Wheelchair service: clear the longest waits first", "Service manager, wheelchair service", "2026-Q4",
       ActionStatus.DELAYED, "Recruitment of a second assessor delayed", [])]),
    ("Improve the quality and impact of EHC plans",
     "Timely and robust annual reviews and appropriate contributions to new and updated plans by education, health "
     "and social care professionals.",
     [("20-week recovery: decisions within 6 weeks and final plans within 20 weeks", "Head of SEND assessment and review, council",
       "2026-Q4", ActionStatus.IN_PROGRESS, "Weekly deadline queue review", ["final_plan_20w", "decision_6w"]),
      ("Health advice within 6 weeks and health sections in every new plan", "Designated clinical officer, ICB",
       "2027-Q1", ActionStatus.IN_PROGRESS, "", ["advice_6w_health", "plans_health_content"]),
      ("Social care advice and provision written into plans", "Head of children with disabilities, social care",
       "2027-Q1", ActionStatus.NOT_STARTED, "", ["plans_social_care_content"]),
      ("Annual review recovery, phase transfers first", "SEND team manager, council", "2027-Q1", ActionStatus.IN_PROGRESS,
       "Priority queue in use since autumn term", ["reviews_on_time", "phase_transfers_on_time"]),
      ("Plan quality: every plan checked as it is written, a monthly audit sample with health and social care "
       "moderation", "Quality assurance officer, council", "2027-Q2", ActionStatus.IN_PROGRESS,
       "Automatic checks on every draft and issued plan; monthly sample audited against the rubric",
       ["quality_checks_new", "quality_checks_amended", "quality_audits_good"])]),
    ("Improve communication across the partnership",
     "Families know about support and waits and where to get help while waiting; partners know timescales and decisions.",
     [("Every issued plan version reaches every involved professional", "SEND team manager, council", "2026-Q4",
       ActionStatus.DONE, "Plans distributed through sendhub to everyone involved", ["versions_reached_all"]),
      ("Waiting times and help while waiting in the family portal and the local offer", "Local offer manager, council",
       "2026-Q4", ActionStatus.IN_PROGRESS, "", [])]),
]


def _partnership_wide(today: date) -> None:
    if Comparator.objects.exists():
        return
    Comparator.objects.bulk_create([Comparator(**row) for row in NATIONAL])  # England's: shown to every council


def _big_plan(la) -> None:
    """Each council's own Big Plan (a council never sees another's)."""
    if ImprovementArea.objects.filter(local_authority=la).exists():
        return
    for order, (title, description, actions) in enumerate(BIG_PLAN, start=1):
        area = ImprovementArea.objects.create(title=title, description=description, source=INSPECTION, order=order,
                                              local_authority=la)
        Action.objects.bulk_create([Action(area=area, title=t, owner=o, quarter=q, status=s, evidence=e, metrics=m)
                                    for t, o, q, s, e, m in actions])


def _trajectories(la) -> None:
    areas = [la] if Trajectory.objects.filter(local_authority=None).exists() else [la, None]
    Trajectory.objects.bulk_create(
        [Trajectory(metric=metric, local_authority=area, target_on=day, value=Decimal(value))
         for area in areas for metric, points in TRAJECTORIES.items() for day, value in points])


def _disagreements(la, *, seed: int, today: date) -> int:
    rng = random.Random(seed)
    refusals = (StatutoryEvent.objects.filter(type="decision_not_to_assess", assessment__child__local_authority=la)
                .order_by("assessment_id", "date").values_list("assessment_id", "date"))
    rows, seen = [], set()
    for assessment_id, refused_on in refusals:
        if assessment_id in seen:
            continue
        seen.add(assessment_id)
        roll = rng.random()
        if roll > 0.35:
            continue
        requested = refused_on + timedelta(days=rng.randint(7, 40))
        if requested > today:
            continue
        row = Disagreement(assessment_id=assessment_id, mediation_requested_on=requested)
        held = requested + timedelta(days=rng.randint(20, 30))
        if held <= today:
            row.mediation_held_on = held
            row.mediation_outcome = rng.choice([MediationOutcome.AGREED_TO_ASSESS, MediationOutcome.NOT_RESOLVED,
                                                MediationOutcome.NOT_RESOLVED, MediationOutcome.WITHDRAWN])
        if roll < 0.15 and row.mediation_outcome == MediationOutcome.NOT_RESOLVED:
            lodged = held + timedelta(days=rng.randint(5, 30))
            if lodged <= today:
                row.appeal_lodged_on = lodged
                decided = lodged + timedelta(days=rng.randint(90, 180))
                if decided <= today:
                    row.appeal_decided_on = decided
                    row.appeal_outcome = rng.choice([AppealOutcome.ORDERED_TO_ASSESS, AppealOutcome.ORDERED_TO_ASSESS,
                                                     AppealOutcome.CONCEDED, AppealOutcome.UPHELD, AppealOutcome.WITHDRAWN])
        rows.append(row)
    Disagreement.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def add_dashboard_details(la, *, seed: int, today: date) -> int:
    """Comparators and the Big Plan once; trajectories and mediation and appeal records for this area."""
    _partnership_wide(today)
    _big_plan(la)
    _trajectories(la)
    return _disagreements(la, seed=seed, today=today)
