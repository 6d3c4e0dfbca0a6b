"""Demo data for plan quality: plan wording that passes every automatic check or fails one, amended plans after
"amend" decisions (some unchanged), advice not carried into a plan, the checks run on every issued version, and
a year of audits by the demo QA officer, some moderated by health.

Deterministic for a seed, and a few bulk inserts per area, so it adds little to `sendhub demo`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sendhub.people.models import Child, Need
from sendhub.quality import checklist

AREA_PROVISION = {
    "communication and interaction":
        "Speech and language therapy weekly for 30 minutes by a speech and language therapist, and a communication "
        "programme for 15 minutes daily delivered by a trained teaching assistant.",
    "cognition and learning":
        "Small-group literacy and maths teaching with a specialist teacher, four sessions a week of 45 minutes.",
    "social, emotional and mental health":
        "A 10-minute check-in every morning with a trusted adult to help with anxiety and emotional regulation, and "
        "a weekly 30-minute session with the emotional literacy support assistant.",
    "sensory and/or physical":
        "A physiotherapy and sensory programme three times a week for 20 minutes, delivered by a teaching assistant "
        "trained by the physiotherapist, with equipment checked termly by the specialist teacher.",
}
# One typical fault in about every other plan; each check fails somewhere. "" is a plan with no fault.
FAULTS = ("", "child_voice", "", "provision_specific", "", "needs_have_provision", "", "outcomes_smart", "",
          "placement_named", "", "personal_budget", "", "preparing_for_adulthood", "", "")


def plan_text(child: Child, today: date, n: int) -> dict[str, str]:
    name = child.given_name
    need = Need(child.primary_need).label.lower() if child.primary_need else "learning and communication"
    fault = FAULTS[n % len(FAULTS)]
    needs = (f"{name}'s main needs are in the area of {need}. Progress is slower than for most children of the "
             "same age, and needs change with tiredness and unfamiliar situations.")
    areas = [area for area, words in checklist.AREAS.items() if checklist._has(words, needs)] or ["cognition and learning"]
    provision = [AREA_PROVISION[area] for area in areas]
    if fault == "provision_specific":
        provision.append("Access to speech and language therapy as required, and regular support from a teaching "
                         "assistant.")
    year = child.year_group(today)
    outcomes = [f"By the next annual review, {name} will take part in activities with two classmates for 20 minutes.",
                f"By the next annual review, {name} will tell an adult when they need a break, using words or a card, "
                "in 4 out of 5 lessons.",
                f"By the end of the school year, {name} will read and understand a short text at their own level."]
    if fault == "outcomes_smart":
        outcomes = [f"{name} will make good progress in reading.", f"{name} will improve their communication."]
    if year >= 9 and fault != "preparing_for_adulthood":
        outcomes.append(f"Preparing for adulthood: within 12 months, {name} will travel to a familiar place with a "
                        "trusted adult and try a work-experience taster.")
    voice = (f"{name} says: “I like music and being outside. I want to make friends and feel calm at school.” "
             f"{name}'s family hope for a setting close to home.")
    if fault == "child_voice":
        voice = f"{name}'s parents say {name} enjoys music and being outside. The school report that {name} is settled."
    return {
        "A": voice,
        "B": needs,
        "C": f"Seen by community paediatrics for sleep difficulties that affect {name}'s learning.",
        "D": "The family receive support from the children with disabilities team to care for "
             f"{name} at home.",
        "E": "\n".join(outcomes),
        "F": "\n".join(provision),
        "G": "" if fault == "needs_have_provision" else
             "A sleep programme, reviewed every six months for 30 minutes by the community paediatrician.",
        "H1": "",
        "H2": "Short breaks: one afternoon a month at the short breaks club, arranged by the children with "
              "disabilities team.",
        "I": "To be confirmed." if fault == "placement_named" or not child.setting else str(child.setting),
        "J": "The family asked for a personal budget for a tutor." if fault == "personal_budget"
             else "No personal budget has been requested.",
        "K": "Advice from education, educational psychology and health, given during the assessment.",
    }


def _amended_versions(la, rng: random.Random, today: date) -> None:
    """Amended plans for a few reviews the council decided to amend: half change the plan, half leave it unchanged."""
    from sendhub.clock.models import StatutoryEvent
    from sendhub.plans.models import PlanVersion, VersionKind

    decisions = list(StatutoryEvent.objects.filter(type="amendment_notice_sent", review__plan__child__local_authority=la,
                                                   date__lte=today - timedelta(days=16))
                     .select_related("review__plan__child").order_by("review_id")[:8])
    rows = []
    for n, notice in enumerate(decisions):
        child = notice.review.plan.child
        before = PlanVersion.objects.filter(child=child).order_by("-number").first()
        if before is None:
            continue
        sections = dict(before.sections)
        if n % 2 == 0:
            sections["F"] = (sections.get("F", "") + "\nA social skills group weekly for 45 minutes, run by a "
                             "specialist teaching assistant.").strip()
            sections["E"] = (sections.get("E", "") + f"\nBy the next annual review, {child.given_name} will join a "
                             "lunchtime club once a week.").strip()
        rows.append(PlanVersion(child=child, number=before.number + 1, kind=VersionKind.AMENDED, review=notice.review,
                                sections=sections, issued_on=notice.date + timedelta(days=rng.randint(16, 40)),
                                issued_by=before.issued_by, named_setting_id=before.named_setting_id))
    rows = [row for row in rows if row.issued_on <= today]
    PlanVersion.objects.bulk_create(rows)
    StatutoryEvent.objects.bulk_create([StatutoryEvent(review=v.review, type="amended_plan_issued", date=v.issued_on)
                                        for v in rows])
    # their deliveries are made with every other version's (demo.deliveries.add_deliveries, after this)


def _advice_not_used(la, today: date) -> None:
    """Health advice recommending provision that the plan never took up (the advice check fails on these)."""
    from sendhub.accounts.models import Role, User
    from sendhub.assessments.models import AdviceRequest, AssessmentOutcome, EHCNeedsAssessment

    therapist = User.objects.filter(role=Role.HEALTH_PROFESSIONAL, organisation__local_authority=la).order_by("pk").first()
    caseworker = User.objects.filter(role=Role.CASEWORKER, organisation=la).order_by("pk").first()
    if therapist is None or caseworker is None:
        return
    rows = []
    for assessment in (EHCNeedsAssessment.objects.filter(child__local_authority=la, outcome=AssessmentOutcome.PLAN_ISSUED,
                                                         closed_on__isnull=False).order_by("pk")[:3]):
        asked = assessment.request_received_on + timedelta(days=45)
        rows.append(AdviceRequest(
            assessment=assessment, source="health", asked_of=therapist, requested_on=asked, requested_by=caseworker,
            message="Please give your advice on health needs and provision.",
            needs="Low muscle tone and poor stamina affect sitting and writing.",
            outcomes="Sit upright unaided through assembly.",
            provision="Hydrotherapy fortnightly in the hospital pool; postural seating assessment by an occupational "
                      "therapist; stamina exercises.",
            given_on=min(asked + timedelta(days=30), assessment.closed_on), given_by=therapist))
    AdviceRequest.objects.bulk_create(rows)


def _audits(la, rng: random.Random, today: date) -> None:
    """A year of audits by the demo QA officer (only in the area with the demo accounts); some moderated by health."""
    from sendhub.accounts.models import Role, User
    from sendhub.plans.models import SECTION_CODES, PlanVersion
    from sendhub.quality import grading
    from sendhub.quality.models import Audit, AuditStatus, CheckRun, SectionGrade

    qa = User.objects.filter(role=Role.QA_OFFICER, organisation=la).order_by("pk").first()
    if qa is None:
        return
    moderator = User.objects.filter(role=Role.HEALTH_PROFESSIONAL, organisation__local_authority=la,
                                    email__startswith="health-professional@").first()
    weights = {code: w for code, (w, _) in grading.DEFAULT_RUBRIC.items()}
    versions = list(PlanVersion.objects.filter(child__local_authority=la, kind="final").order_by("pk")[:400])
    rng.shuffle(versions)
    failing = dict(CheckRun.objects.filter(version__in=[v.pk for v in versions[:24]])
                   .values_list("version_id", "failed_rules"))
    audits, grades = [], []
    for n, version in enumerate(versions[:24]):
        weak = {section for key in failing.get(version.pk, []) for section in checklist.BY_KEY[key].sections[:1]}
        section_grades = {}
        for code in SECTION_CODES:
            roll = rng.random()
            section_grades[code] = (grading.REQUIRES_IMPROVEMENT if code in weak else
                                    grading.OUTSTANDING if roll < 0.15 else grading.GOOD if roll < 0.8
                                    else grading.REQUIRES_IMPROVEMENT)
        grade, score = grading.overall(section_grades, weights)
        done = timezone.make_aware(datetime.combine(today - timedelta(days=15 + 14 * n), time(11)))
        audit = Audit(version=version, local_authority=la, auditor=qa, status=AuditStatus.COMPLETED, started_at=done,
                      completed_at=done, weights=weights, grade=grade, score=score,
                      to_change="Make the provision in F specific: who, how often and for how long." if weak else
                      "Keep the child's own words in section A as they are: a good example for the team.")
        if moderator is not None and n % 4 == 0:
            audit.status, audit.moderator, audit.moderated_at = AuditStatus.MODERATED, moderator, done
            audit.moderator_agrees, audit.moderator_comment = True, "Agree: the health sections match the advice."
        audits.append(audit)
        grades.append(section_grades)
    Audit.objects.bulk_create(audits)
    SectionGrade.objects.bulk_create([
        SectionGrade(audit=audit, section=code, grade=grade,
                     comment="Needs work: see the automatic checks." if grade == grading.REQUIRES_IMPROVEMENT else "")
        for audit, section_grades in zip(audits, grades) for code, grade in section_grades.items()])


def add_quality_details(la, *, seed: int, today: date) -> None:
    from sendhub.plans.models import PlanVersion
    from sendhub.quality.checks import check_versions

    rng = random.Random(seed)
    _amended_versions(la, rng, today)
    _advice_not_used(la, today)
    versions = PlanVersion.objects.filter(child__local_authority=la).select_related("child__local_authority")
    for start in range(0, versions.count(), 5000):
        check_versions(versions.order_by("pk")[start:start + 5000])
    _audits(la, rng, today)
