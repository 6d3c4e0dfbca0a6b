"""Gathering a plan's facts from the database and running the pure rules on them: for a draft as it is written,
for an issued version when it is issued, and for every version at once (the backfill and the demo)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from sendhub.assessments.models import AdviceRequest, EHCNeedsAssessment
from sendhub.clock.cases import SOURCE_LABELS
from sendhub.clock.models import StatutoryEvent
from sendhub.core.schoolyear import national_curriculum_year
from sendhub.plans.models import PlanVersion, VersionKind
from sendhub.reviews.models import ReviewReport

from . import checklist as r
from .models import CheckRun, QualitySettings

logger = logging.getLogger(__name__)
CHECKED_KINDS = (VersionKind.DRAFT, VersionKind.FINAL, VersionKind.PROPOSED, VersionKind.AMENDED)


def settings_for(local_authority) -> QualitySettings:
    """The council's settings, or the defaults (unsaved) when it has none yet."""
    found = QualitySettings.objects.filter(local_authority=local_authority).first() if local_authority else None
    return found or QualitySettings(local_authority=local_authority)


def rule_settings(saved: QualitySettings) -> r.Settings:
    return r.Settings(disabled=frozenset(saved.disabled_rules or ()), watch_words=tuple(saved.watch_words or ()))


class _Context:
    """What the rules need beyond the sections, read for many children in a few queries."""

    def __init__(self, child_ids: Iterable[int]):
        ids = list(set(child_ids))
        self.advice: dict[int, list[tuple]] = defaultdict(list)
        for row in (AdviceRequest.objects.filter(assessment__child_id__in=ids, given_on__isnull=False)
                    .select_related("asked_of", "asked_of_team", "assessment").order_by("given_on", "id")):
            self.advice[row.assessment.child_id].append(row)
        self.meetings: dict[int, list] = defaultdict(list)
        self.amend: dict[int, object] = {}
        for event in (StatutoryEvent.objects.filter(review__plan__child_id__in=ids,
                                                    type__in=("review_meeting", "la_decision"))
                      .select_related("review__plan").order_by("date")):
            if event.type == "review_meeting":
                self.meetings[event.review.plan.child_id].append(event.date)
            elif event.outcome == "amend":
                self.amend[event.review_id] = event.date
        self.changes = dict(ReviewReport.objects.filter(review_id__in=list(self.amend))
                            .values_list("review_id", "recommended_changes"))

    def facts(self, *, child, sections, on, review_id, previous) -> r.PlanFacts:
        advice = [r.Advice(SOURCE_LABELS.get(a.source, "Other"), a.who, a.given_on,
                           f"{a.provision}\n{a.outcomes}") for a in self.advice.get(child.pk, []) if a.given_on <= on]
        meetings = [d for d in self.meetings.get(child.pk, []) if d <= on]
        amend = review_id is not None and review_id in self.amend
        return r.PlanFacts(sections=sections, given_name=child.given_name,
                           year_group=national_curriculum_year(child.date_of_birth, on), advice=advice,
                           last_review_on=max(meetings) if meetings else None, amend_decided=amend,
                           amend_sections=r.review_sections(self.changes.get(review_id) or "") if amend else frozenset(),
                           previous_sections=previous)


def check_draft(case) -> list[r.Result]:
    """The checks on a plan or amendment while it is drafted (never stored: the drafts change with every save)."""
    from sendhub.clock.rules import child_of
    from sendhub.plans.services import drafts_for, latest_version

    child = child_of(case)
    sections = {code: draft.text for code, draft in drafts_for(case).items()}
    review_id = None if isinstance(case, EHCNeedsAssessment) else case.pk
    previous = latest_version(child)
    facts = _Context([child.pk]).facts(child=child, sections=sections, on=timezone.localdate(), review_id=review_id,
                                       previous=previous.sections if previous and review_id else None)
    return r.run(facts, rule_settings(settings_for(child.local_authority)))


def _row(version, results: list[r.Result]) -> CheckRun:
    return CheckRun(version=version, ran_at=timezone.now(), passed=all(res.passed for res in results),
                    failed_rules=[res.rule.key for res in results if not res.passed],
                    results=[{"rule": res.rule.key, "passed": res.passed,
                              "problems": [{"section": p.section, "message": p.message} for p in res.problems]}
                             for res in results])


def check_versions(versions: Iterable[PlanVersion]) -> int:
    """Run the checks on many issued versions in bulk, replacing earlier results. Returns how many."""
    versions = list(versions)
    if not versions:
        return 0
    context = _Context(v.child_id for v in versions)
    previous: dict[tuple[int, int], dict] = {}
    review_versions = [v for v in versions if v.review_id]
    if review_versions:
        for child_id, number, sections in (PlanVersion.objects.filter(child_id__in={v.child_id for v in review_versions})
                                           .values_list("child_id", "number", "sections")):
            previous[(child_id, number)] = sections
    settings: dict[int, r.Settings] = {}
    rows = []
    for version in versions:
        child = version.child
        la = child.local_authority_id
        if la not in settings:
            settings[la] = rule_settings(settings_for(child.local_authority))
        before = None
        if version.review_id and version.kind == VersionKind.AMENDED:
            earlier = [n for (c, n) in previous if c == version.child_id and n < version.number]
            before = previous[(version.child_id, max(earlier))] if earlier else None
        facts = context.facts(child=child, sections=version.sections or {}, on=version.issued_on,
                              review_id=version.review_id, previous=before)
        rows.append(_row(version, r.run(facts, settings[la])))
    with transaction.atomic():
        CheckRun.objects.filter(version__in=[v.pk for v in versions]).delete()
        CheckRun.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def check_version(version: PlanVersion) -> CheckRun | None:
    """The one call `plans.services.issue_version` makes: check the version just issued and keep the result.
    The checks never block issuing: if they fail for any reason the plan is issued unchecked, the error is
    logged, and `sendhub quality_checks` checks it later."""
    try:
        with transaction.atomic():
            check_versions([version])
    except Exception:  # noqa: BLE001 (a fault in a check must never stop a plan being issued)
        logger.exception("Plan quality checks failed for plan version %s; the plan was issued unchecked", version.pk)
        return None
    return CheckRun.objects.filter(version=version).first()


def backfill(*, local_authority=None, batch: int = 2000) -> int:
    """Check every issued version again (after a change to the rules or a council's settings)."""
    versions = PlanVersion.objects.filter(kind__in=CHECKED_KINDS).select_related("child__local_authority").order_by("pk")
    if local_authority is not None:
        versions = versions.filter(child__local_authority=local_authority)
    done, last = 0, 0
    while True:
        chunk = list(versions.filter(pk__gt=last)[:batch])
        if not chunk:
            return done
        done += check_versions(chunk)
        last = chunk[-1].pk
