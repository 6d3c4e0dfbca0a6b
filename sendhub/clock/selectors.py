"""Open cases and their deadlines, for the caseworker's queue, a child's page and the reminder job."""

from dataclasses import dataclass
from datetime import date

from datetime import timedelta

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from sendhub.assessments.models import AssessmentOutcome, EHCNeedsAssessment
from sendhub.people.models import Child
from sendhub.reviews.models import AnnualReview

from .cases import STAGES, DeadlineRow, deadline_rows, next_open, stage_of
from .models import OpenCase


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


def queue_cases(children: QuerySet[Child], *, as_of: date | None = None, within_days: int | None = None,
                overdue_only: bool = False, stage: str = "") -> QuerySet[OpenCase]:
    """`deadline_queue` in SQL, from the deadlines projection (`clock.projection`): the same cases in the same
    order, to be paged by the database; `queue_rows` then works out the page's rows with the clock."""
    as_of = as_of or timezone.localdate()
    cases = OpenCase.objects.filter(child__in=children.values("pk"), next_due__isnull=False)
    if overdue_only:
        cases = cases.filter(overdue_after__lt=as_of)
    if stage:
        cases = cases.filter(stage=stage)
    if within_days is not None:
        cases = cases.filter(next_due__lte=as_of + timedelta(days=within_days))
    overdue_last = Case(When(overdue_after__lt=as_of, then=Value(0)), default=Value(1), output_field=IntegerField())
    return cases.order_by(overdue_last, "next_due", "child__family_name", "child_id", "kind", "id")


def queue_rows(cases, *, as_of: date | None = None) -> list[QueueRow]:
    """The queue rows of a page of `OpenCase`s, in their order, deadlines computed by the clock (four queries)."""
    as_of = as_of or timezone.localdate()
    cases = list(cases)
    found = {f"A-{a.pk}": QueueRow(a, a.child, "assessment", deadline_rows(a, as_of)) for a in
             EHCNeedsAssessment.objects.filter(pk__in=[c.assessment_id for c in cases if c.assessment_id])
             .select_related("child").prefetch_related("events")}
    found |= {f"R-{r.pk}": QueueRow(r, r.plan.child, "review", deadline_rows(r, as_of)) for r in
              AnnualReview.objects.filter(pk__in=[c.review_id for c in cases if c.review_id])
              .select_related("plan__child").prefetch_related("events")}
    return [found[c.id] for c in cases if c.id in found]


def cases_of_child(child: Child) -> tuple[list[EHCNeedsAssessment], list[AnnualReview]]:
    assessments = list(child.assessments.prefetch_related("events").select_related("child"))
    reviews = list(AnnualReview.objects.filter(plan__child=child).select_related("plan__child")
                   .prefetch_related("events"))
    return assessments, reviews
