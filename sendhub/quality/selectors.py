"""Reads for plan quality: the sample's candidates and risks, the audits a person may see, and the figures."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db.models import QuerySet

from sendhub.clock.models import StatutoryEvent
from sendhub.plans.models import SECTION_CODES, EHCPlan, PlanStatus, PlanVersion, VersionKind
from sendhub.reviews.models import AnnualReview

from . import checklist, grading
from .models import Audit, AuditStatus, CheckRun, SectionGrade

ISSUED = (VersionKind.FINAL, VersionKind.AMENDED)
AMEND_WEEKS = 8  # the amended plan follows the decision within 8 weeks of the amendment notice (reg 22(4))
RISKS = ("Automatic checks failed", "Not changed after an amend decision", "Moving phase", "Over two years old")


def latest_issued(local_authority) -> dict[int, PlanVersion]:
    """The latest final or amended version of every active plan of the council, by child."""
    active = EHCPlan.objects.filter(child__local_authority=local_authority, status=PlanStatus.ACTIVE).values("child_id")
    latest: dict[int, PlanVersion] = {}
    for version in (PlanVersion.objects.filter(child__in=active, kind__in=ISSUED)
                    .select_related("child__setting", "issued_by").order_by("child_id", "number")):
        latest[version.child_id] = version
    return latest


def sample_candidates(local_authority, *, today: date) -> list[dict]:
    """Every active plan's latest version not audited in the last year, with its team, phase and risks."""
    from sendhub.accounts.models import User

    latest = latest_issued(local_authority)
    audited = set(Audit.objects.filter(version__child_id__in=list(latest), status__in=[AuditStatus.COMPLETED,
                                                                                       AuditStatus.MODERATED],
                                       completed_at__date__gte=today - timedelta(days=365))
                  .values_list("version__child_id", flat=True))
    runs = dict(CheckRun.objects.filter(version__in=[v.pk for v in latest.values()])
                .values_list("version_id", "failed_rules"))
    decided = {}
    for child_id, review_id, day in (StatutoryEvent.objects.filter(type="la_decision", outcome="amend",
                                                                   review__plan__child_id__in=list(latest))
                                     .order_by("date", "pk").values_list("review__plan__child_id", "review_id", "date")):
        decided[child_id] = (review_id, day)
    moving = set(AnnualReview.objects.filter(plan__child_id__in=list(latest), closed_on__isnull=True,
                                             phase_transfer_on__gte=today,
                                             phase_transfer_on__lte=today + timedelta(days=365))
                 .values_list("plan__child_id", flat=True))
    teams = {}
    for user_id, name in (User.teams.through.objects
                          .filter(user_id__in={v.issued_by_id for v in latest.values()})
                          .values_list("user_id", "team__name").order_by("team__name")):
        teams.setdefault(user_id, name)
    out = []
    for child_id, version in latest.items():
        if child_id in audited:
            continue
        risks = []
        failed = runs.get(version.pk)
        if failed:
            risks.append("Automatic checks failed: " + ", ".join(checklist.BY_KEY[k].title.lower() for k in failed
                                                                 if k in checklist.BY_KEY))
        if child_id in decided:
            review_id, day = decided[child_id]
            answered = version.review_id == review_id and "amended_as_decided" not in (failed or [])
            if not answered and today - day > timedelta(weeks=AMEND_WEEKS):
                risks.append(RISKS[1])
        if child_id in moving:
            risks.append(RISKS[2])
        if today - version.issued_on > timedelta(days=730):
            risks.append(RISKS[3])
        setting = version.child.setting
        out.append({"id": version.pk, "issued_on": version.issued_on, "risks": risks,
                    "team": teams.get(version.issued_by_id, "No team"),
                    "phase": getattr(setting, "phase", "") or ""})
    return out


def audits_visible_to(user) -> QuerySet[Audit]:
    """Audits of the person's council (QA officer, team manager), those they moderate, and, for a caseworker,
    completed audits of their council's plans."""
    from sendhub.accounts.models import Role

    base = Audit.objects.select_related("version__child", "auditor", "moderator")
    if not (user.is_authenticated and user.is_active):
        return base.none()
    mine = base.filter(moderator=user)
    if user.role in {Role.QA_OFFICER, Role.TEAM_MANAGER} and user.organisation_id:
        return base.filter(local_authority_id=user.organisation_id) | mine
    if user.role == Role.CASEWORKER and user.organisation_id:
        return base.filter(local_authority_id=user.organisation_id).exclude(status=AuditStatus.IN_PROGRESS) | mine
    return mine


# --- figures ---------------------------------------------------------------------------------------

def finished_audits(local_authority) -> QuerySet[Audit]:
    qs = Audit.objects.exclude(status=AuditStatus.IN_PROGRESS)
    return qs if local_authority is None else qs.filter(local_authority=local_authority)


def figures(local_authority) -> dict:
    """The quality figures page: audited plans good or better overall, by section, by team and by month; the
    checks' pass rates for new and amended plans; and the sections most often weak."""
    audits = list(finished_audits(local_authority).select_related("version__issued_by")
                  .prefetch_related("version__issued_by__teams"))
    good = sum(a.final_grade in grading.GOOD_OR_BETTER for a in audits)
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_team: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for audit in audits:
        month = f"{audit.completed_at:%Y-%m}"
        team = next((t.name for t in audit.version.issued_by.teams.all()), "No team")
        for slot in (by_month[month], by_team[team]):
            slot[0] += audit.final_grade in grading.GOOD_OR_BETTER
            slot[1] += 1
    sections: dict[str, list[int]] = {code: [0, 0] for code in SECTION_CODES}
    for code, grade in SectionGrade.objects.filter(audit__in=[a.pk for a in audits]).values_list("section", "grade"):
        sections[code][0] += grade in grading.GOOD_OR_BETTER
        sections[code][1] += 1
    weak = sorted(((code, n - g, n) for code, (g, n) in sections.items() if n and n > g), key=lambda t: -t[1] / t[2])
    runs = CheckRun.objects.filter(version__kind__in=ISSUED)
    if local_authority is not None:
        runs = runs.filter(version__child__local_authority=local_authority)
    checks = {}
    for kind, label in ((VersionKind.FINAL, "New plans"), (VersionKind.AMENDED, "Amended plans")):
        rows = list(runs.filter(version__kind=kind).values_list("passed", "failed_rules"))
        failing = Counter(key for _, keys in rows for key in keys)
        checks[label] = {"count": len(rows), "passed": sum(p for p, _ in rows),
                         "rules": [(checklist.BY_KEY[k].title, n) for k, n in failing.most_common() if k in checklist.BY_KEY]}
    return {"count": len(audits), "good": good, "good_percent": round(100 * good / len(audits)) if audits else None, "by_month": sorted(by_month.items()), "by_team": sorted(by_team.items()),
            "sections": [(code, *sections[code]) for code in SECTION_CODES], "weak": weak[:5], "checks": checks}


QUALITY_METRICS = ("quality_checks_new", "quality_checks_amended", "quality_audits_good")


def big_plan_actions(local_authority) -> list:
    """The Big Plan's actions (of this council, or the partnership's own) measured by the plan quality figures."""
    from sendhub.dashboard.selectors import actions_for

    return [action for action in actions_for(local_authority) if set(action.metrics or ()) & set(QUALITY_METRICS)]
