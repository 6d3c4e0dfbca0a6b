"""The deadlines projection: each open case's open deadlines and the facts the queues sort by (ADR 15).

The statutory clock stays the only source of truth (ADR 6). This module turns its answer into `OpenCase` and
`CaseDeadline` rows so the Deadlines and Review priorities pages filter, sort and page in SQL:

- `refresh(...)` rewrites one case's rows; `clock.signals` calls it in the same transaction as every save of a
  statutory event, a case or a plan, and `people.services.update_child` when a date of birth changes;
- `rebuild()` rewrites every row from the events in bulk (`sendhub rebuild_deadlines`; the demo builder);
- `check_and_repair()` compares the rows with a fresh computation, repairs any difference and says which
  cases differed (the daily job, `sendhub send_reminders`, raises the alert).

Rows are computed as of the day they are written. Every date the clock reads is today or earlier when written
(`record_event` refuses future dates), so until the next event only "due" or "overdue" can change, and that is
worked out in SQL against today's date, never stored.
"""

import logging
from datetime import date

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from sendhub.assessments.models import AssessmentOutcome, EHCNeedsAssessment
from sendhub.reviews.models import AnnualReview

from . import timescales as clock
from .cases import OPEN_STATUSES, clock_case, stage_of
from .models import CaseDeadline, OpenCase

log = logging.getLogger(__name__)

MEETING_KEYS = ("annual_review", "early_years_review")
CHUNK = 2000


def case_id(case) -> str:
    return f"A-{case.pk}" if isinstance(case, EHCNeedsAssessment) else f"R-{case.pk}"


def _is_open(case) -> bool:
    if isinstance(case, EHCNeedsAssessment):
        return case.outcome == AssessmentOutcome.OPEN
    return case.closed_on is None


def project(case, as_of: date) -> tuple[OpenCase, list[CaseDeadline]]:
    """Unsaved rows for one open case (its events prefetched, or fetched here), as of `as_of`."""
    deadlines = clock.compute_deadlines(clock_case(case), as_of, validate=False, explain=False)
    open_rows = [d for d in deadlines if d.status in OPEN_STATUSES]
    cid = case_id(case)
    review = isinstance(case, AnnualReview)
    summary = OpenCase(id=cid, kind="review" if review else "assessment",
                       assessment=None if review else case, review=case if review else None,
                       child_id=case.plan.child_id if review else case.child_id, stage=stage_of(case))
    if open_rows:
        first = min(open_rows, key=lambda d: d.due)
        summary.next_due, summary.next_key = first.due, first.key
        summary.overdue_after = min((d.due for d in open_rows if d.key != "final_not_before"), default=None)
    if review:
        held = [e.date for e in case.events.all() if e.type == "review_meeting"]
        last = max(held) if held else case.previous_review_meeting or case.plan.first_issued_on
        meetings = [d for d in deadlines if d.key in MEETING_KEYS]
        open_meetings = [d for d in meetings if d.status in OPEN_STATUSES]
        transfer = next((d for d in deadlines if d.key == "phase_transfer"), None)
        oldest = [d.due for d in open_rows if d.key != "early_years_review"]
        summary.last_reviewed_day = last.toordinal()
        summary.meeting_due_day = min(d.due for d in open_meetings).toordinal() if open_meetings else None
        sort = min((d.due for d in open_meetings or meetings), default=None)
        summary.meeting_sort_day = sort.toordinal() if sort else None
        summary.phase_transfer_day = (transfer.due.toordinal() if transfer and transfer.status in OPEN_STATUSES
                                      else None)
        summary.oldest_open_day = min(oldest).toordinal() if oldest else None
    rows = [CaseDeadline(case_id=cid, key=d.key, due=d.due, can_be_overdue=d.key != "final_not_before", rule=d.rule)
            for d in open_rows]
    return summary, rows


def _load(model, pks) -> list:
    related = ["child"] if model is EHCNeedsAssessment else ["plan__child"]
    return list(model.objects.filter(pk__in=pks).select_related(*related).prefetch_related("events"))


def refresh(*, assessments=(), reviews=(), as_of: date | None = None) -> None:
    """Rewrite the rows of these cases (ids or instances) from their events: open cases get rows, closed ones none."""
    as_of = as_of or timezone.localdate()
    cases = []
    for model, given in ((EHCNeedsAssessment, assessments), (AnnualReview, reviews)):
        pks = [getattr(item, "pk", item) for item in given]
        if pks:
            cases += _load(model, pks)
    ids = ([f"A-{getattr(a, 'pk', a)}" for a in assessments] + [f"R-{getattr(r, 'pk', r)}" for r in reviews])
    _write(ids, [case for case in cases if _is_open(case)], as_of)


def _project_all(cases, as_of: date) -> tuple[list[OpenCase], list[CaseDeadline]]:
    summaries, rows = [], []
    for case in cases:
        summary, deadlines = project(case, as_of)
        summaries.append(summary)
        rows += deadlines
    return summaries, rows


def _write(ids: list[str], cases: list, as_of: date) -> None:
    summaries, rows = _project_all(cases, as_of)
    with transaction.atomic():
        CaseDeadline.objects.filter(case_id__in=ids).delete()
        OpenCase.objects.filter(id__in=ids).delete()
        OpenCase.objects.bulk_create(summaries, batch_size=CHUNK)
        CaseDeadline.objects.bulk_create(rows, batch_size=CHUNK)


def _open_case_chunks():
    """Every open case, its events prefetched, a chunk at a time (one query for ids, three per chunk)."""
    for model, open_filter in ((EHCNeedsAssessment, {"outcome": AssessmentOutcome.OPEN}),
                               (AnnualReview, {"closed_on__isnull": True})):
        pks = list(model.objects.filter(**open_filter).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), CHUNK):
            yield _load(model, pks[start:start + CHUNK])


def rebuild(*, as_of: date | None = None) -> int:
    """Rewrite the whole projection from the events, in bulk. Returns the number of open cases."""
    as_of = as_of or timezone.localdate()
    count = 0
    with transaction.atomic():
        CaseDeadline.objects.all().delete()
        OpenCase.objects.all().delete()
        for cases in _open_case_chunks():
            summaries, rows = _project_all(cases, as_of)
            OpenCase.objects.bulk_create(summaries, batch_size=CHUNK)
            CaseDeadline.objects.bulk_create(rows, batch_size=CHUNK)
            count += len(summaries)
    if connection.vendor == "postgresql":  # fresh statistics, or the planner guesses a bulk-loaded table is tiny
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {OpenCase._meta.db_table}, {CaseDeadline._meta.db_table}")
    return count


SUMMARY_FIELDS = ("kind", "assessment_id", "review_id", "child_id", "stage", "next_due", "next_key", "overdue_after",
                  "last_reviewed_day", "meeting_due_day", "meeting_sort_day", "phase_transfer_day", "oldest_open_day")


def _fingerprint(summary: OpenCase, rows) -> tuple:
    return (tuple(getattr(summary, name) for name in SUMMARY_FIELDS),
            tuple(sorted((r.key, r.due, r.can_be_overdue, r.rule) for r in rows)))


def stored() -> dict[str, tuple]:
    """The projection as it is in the database, case id -> fingerprint (two queries)."""
    rows: dict[str, list] = {}
    for row in CaseDeadline.objects.all().order_by():
        rows.setdefault(row.case_id, []).append(row)
    return {summary.id: _fingerprint(summary, rows.get(summary.id, [])) for summary in OpenCase.objects.all()}


def check_and_repair(*, as_of: date | None = None) -> list[str]:
    """Compare the projection with a fresh computation from the events; rewrite every case that differs (or is
    missing, or should not be there). Returns the ids of the cases repaired, empty when all was well."""
    as_of = as_of or timezone.localdate()
    have = stored()
    wrong, fresh_ids = [], set()
    cases: dict[str, object] = {}
    for chunk in _open_case_chunks():
        for case in chunk:
            cid = case_id(case)
            fresh_ids.add(cid)
            summary, rows = project(case, as_of)
            if have.get(cid) != _fingerprint(summary, rows):
                wrong.append(cid)
                cases[cid] = case
    wrong += sorted(set(have) - fresh_ids)  # rows for a case that is closed or gone
    if wrong:
        log.error("Deadlines projection differed from the statutory clock for %d case(s): %s; repaired",
                  len(wrong), ", ".join(wrong[:20]))
        children = {have[cid][0][3] for cid in wrong if cid in have}
        children |= {case.plan.child_id if isinstance(case, AnnualReview) else case.child_id for case in cases.values()}
        _write(wrong, [cases[cid] for cid in wrong if cid in cases], as_of)
        _alert(wrong, children)
    return wrong


def _alert(wrong: list[str], child_ids: set[int]) -> None:
    """Tell the administrators, and the team managers of the councils whose cases differed, what was repaired."""
    from sendhub.accounts.models import Role, User
    from sendhub.messaging.services import notify
    from sendhub.people.models import Child

    councils = Child.objects.filter(pk__in=child_ids).values("local_authority_id")
    people = User.objects.filter(is_active=True).filter(
        Q(role=Role.ADMINISTRATOR) | Q(role=Role.TEAM_MANAGER, organisation_id__in=councils))
    shown = ", ".join(wrong[:10]) + (f" and {len(wrong) - 10} more" if len(wrong) > 10 else "")
    notify(recipients=list(people), subject="Deadlines lists repaired",
           body=f"The daily check found the Deadlines and Review priorities lists out of step with the statutory "
                f"clock for {len(wrong)} case{'s' if len(wrong) != 1 else ''} ({shown}). They have been worked out "
                "again from what was recorded, so the lists are right now. The dates themselves were never wrong: "
                "each case page always works them out afresh. If this happens again, tell your system supplier.",
           email_body="The daily check repaired the deadlines lists. Sign in for details.")


def refresh_child(child) -> None:
    """Rewrite the rows of the child's open cases (after a change the clock reads, such as the date of birth)."""
    refresh(assessments=list(EHCNeedsAssessment.objects.filter(child=child, outcome=AssessmentOutcome.OPEN)
                             .values_list("pk", flat=True)),
            reviews=list(AnnualReview.objects.filter(plan__child=child, closed_on__isnull=True)
                         .values_list("pk", flat=True)))
