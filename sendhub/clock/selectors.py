"""Open cases and their deadlines, for the caseworker's queue, a child's page and the reminder job."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from sendhub.assessments.models import AssessmentOutcome, EHCNeedsAssessment
from sendhub.people.models import Child
from sendhub.reviews.models import AnnualReview

from .cases import STAGES, DeadlineRow, deadline_rows, next_open, stage_of


def open_assessments(children: QuerySet[Child]) -> QuerySet[EHCNeedsAssessment]:
    return (EHCNeedsAssessment.objects.filter(outcome=AssessmentOutcome.OPEN, child__in=children.values("pk"))
            .select_related("child").prefetch_related("events"))


def open_reviews(children: QuerySet[Child]) -> QuerySet[AnnualReview]:
    return (AnnualReview.objects.filter(closed_on__isnull=True, plan__child__in=children.values("pk"))
            .select_related("plan__child").prefetch_related("events"))


@dataclass(frozen=True)
class QueueRow:
    case: object
    child: Child
    kind: str  # "assessment" or "review"
    deadlines: list[DeadlineRow]

    @property
    def open_deadlines(self) -> list[DeadlineRow]:
        return [d for d in self.deadlines if d.is_open]

    @property
    def next(self) -> DeadlineRow | None:
        return next_open(self.deadlines)

    @property
    def stage(self) -> str:
        return stage_of(self.case)

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.deadlines if d.deadline.status == "overdue")


def deadline_queue(children: QuerySet[Child], *, as_of: date | None = None, within_days: int | None = None,
                   overdue_only: bool = False, stage: str = "") -> list[QueueRow]:
    """Every open case with an open deadline, most urgent first: overdue, then by the next due date."""
    as_of = as_of or timezone.localdate()
    rows = [QueueRow(a, a.child, "assessment", deadline_rows(a, as_of)) for a in open_assessments(children)]
    rows += [QueueRow(r, r.plan.child, "review", deadline_rows(r, as_of)) for r in open_reviews(children)]
    rows = [row for row in rows if row.next is not None]
    if overdue_only:
        rows = [row for row in rows if row.overdue]
    if stage:
        rows = [row for row in rows if row.stage == stage]
    if within_days is not None:
        rows = [row for row in rows if (row.next.deadline.due - as_of).days <= within_days]
    rows.sort(key=lambda row: (row.overdue == 0, row.next.deadline.due, row.child.family_name, row.child.pk))
    return rows


def cases_of_child(child: Child) -> tuple[list[EHCNeedsAssessment], list[AnnualReview]]:
    assessments = list(child.assessments.prefetch_related("events").select_related("child"))
    reviews = list(AnnualReview.objects.filter(plan__child=child).select_related("plan__child")
                   .prefetch_related("events"))
    return assessments, reviews
