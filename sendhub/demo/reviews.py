"""Demo annual-review detail: meeting dates, reports with views and preparing for adulthood, placement
concerns, an early review request, and Care Act transition referrals, so every review screen has work."""

import random
from datetime import date, timedelta

from sendhub.accounts.models import Role
from sendhub.clock.timescales import end_of_twelve_months
from sendhub.organisations.models import Organisation, OrganisationKind, Team
from sendhub.people.models import Involvement, InvolvementRole
from sendhub.plans.models import PlanVersion
from sendhub.reviews.models import (
    AnnualReview, EarlyReviewRequest, PlacementConcern, ReviewOutcome, ReviewReport, TransitionReferral,
    TransitionStatus, TransitionUpdate,
)
from sendhub.reviews.services import CARE_ACT_FROM_AGE, PFA_FROM_YEAR, outcomes_in

BATCH = 1000
PROGRESS = ["achieved", "on_track", "on_track", "some", "not_on_track"]
CHILD_VIEWS = ["I like my new class and I want to stay with my friends.",
               "Lunchtimes are too loud. I like the quiet room.",
               "I want to get better at reading so I can read comics.",
               "I would like to go to college and learn about animals."]
FAMILY_VIEWS = ["We have seen real progress this year, especially with speech.",
                "Mornings are still very hard and we would like more help with the move to secondary school.",
                "The support in the plan has not always happened; we want this checked.",
                "We are happy with the school and want the plan to stay as it is."]


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def add_review_details(la, staff: dict, *, seed: int, today: date) -> None:
    rng = random.Random(seed)
    caseworkers = staff["caseworkers"]
    outcome_text = {child_id: sections.get("E", "") for child_id, sections in PlanVersion.objects.filter(
        child__local_authority=la).order_by("number").values_list("child_id", "sections")}
    reviews = list(AnnualReview.objects.filter(plan__child__local_authority=la, closed_on__isnull=True)
                   .select_related("plan__child").prefetch_related("events").order_by("pk"))
    scheduled, reports, concerns = [], [], []
    for review in reviews:
        child = review.plan.child
        events = {e.type: e for e in review.events.all()}
        due = end_of_twelve_months(review.previous_review_meeting or review.plan.first_issued_on)
        if "review_meeting" not in events and 0 < (due - today).days <= 70 and rng.random() < 0.5:
            review.meeting_on = _weekday(max(today + timedelta(days=15), due - timedelta(days=21)))
            scheduled.append(review)
        if "review_report_sent" in events:
            year, age = child.year_group(today), child.age(today)
            pfa = year >= PFA_FROM_YEAR
            reports.append(ReviewReport(
                review=review, attendees="Parent, class teacher, SENCO, caseworker",
                child_views=rng.choice(CHILD_VIEWS), family_views=rng.choice(FAMILY_VIEWS),
                outcomes=[{"outcome": line, "progress": rng.choice(PROGRESS), "notes": ""}
                          for line in outcomes_in(outcome_text.get(child.pk, ""))],
                recommended_changes="Section F: update the provision to match the outcomes agreed at the meeting.",
                recommendation=ReviewOutcome.AMEND if any(e.type == "la_decision" for e in events.values())
                else rng.choice([ReviewOutcome.MAINTAIN, ReviewOutcome.AMEND]),
                pfa_employment="Work experience in Year 10; thinking about college." if pfa else "",
                pfa_independent_living="Travel training and cooking at home." if pfa else "",
                pfa_community="Goes to a youth club with a friend." if pfa else "",
                pfa_health="Annual health check with the GP from 14." if pfa else "",
                adult_care_likely=(rng.random() < 0.3) if age >= CARE_ACT_FROM_AGE else None,
                version=1, sent_on=events["review_report_sent"].date))
        if rng.random() < 0.015:
            concerns.append(PlacementConcern(plan=review.plan, raised_by=rng.choice(caseworkers),
                                             note=rng.choice(["Repeated fixed-term exclusions this term.",
                                                              "School says it cannot meet needs without more support.",
                                                              "Family moving out of the area; placement not confirmed."])))
    AnnualReview.objects.bulk_update(scheduled, ["meeting_on"], batch_size=BATCH)
    ReviewReport.objects.bulk_create(reports, batch_size=BATCH)
    PlacementConcern.objects.bulk_create(concerns, batch_size=BATCH)

    social_care = Organisation.objects.get(kind=OrganisationKind.SOCIAL_CARE, local_authority=la)
    adult_team = Team.objects.create(organisation=social_care, name="Adult specialist pathway team")
    demo_worker = staff.get("demo", {}).get(Role.SOCIAL_CARE)
    if demo_worker is not None:
        demo_worker.teams.add(adult_team)
    likely = [r for r in reports if r.adult_care_likely]
    for report in likely[: max(1, len(likely) // 3)]:
        child = report.review.plan.child
        referred = report.sent_on + timedelta(days=rng.randint(3, 30))
        if referred > today:
            continue
        referral = TransitionReferral.objects.create(
            child=child, review=report.review, team=adult_team, referred_on=referred, referred_by=rng.choice(caseworkers),
            note="Review said likely to need care and support as an adult.",
            status=rng.choice([TransitionStatus.REFERRED, TransitionStatus.ACKNOWLEDGED, TransitionStatus.ASSESSING]))
        TransitionUpdate.objects.create(referral=referral, status=TransitionStatus.REFERRED, on=referred,
                                        recorded_by=referral.referred_by, note=referral.note)
        if referral.status != TransitionStatus.REFERRED:
            TransitionUpdate.objects.create(referral=referral, status=referral.status, recorded_by=referral.referred_by,
                                            on=min(today, referred + timedelta(days=14)))
        Involvement.objects.create(child=child, team=adult_team, organisation=social_care,
                                   role=InvolvementRole.ADULT_SERVICES, started_on=referred)

    # The demo parent has asked for an early review of their younger child's plan.
    for child in staff.get("demo_children", [])[:2]:
        plan = child.plans.filter(status="active").first()
        parent = child.family_members.filter(user__isnull=False).first()
        if plan is not None and parent is not None:
            EarlyReviewRequest.objects.create(plan=plan, requested_by=parent.user,
                                              reason="Speech has gone backwards since the move and the therapy in "
                                                     "the plan has not happened this term.")
            break

