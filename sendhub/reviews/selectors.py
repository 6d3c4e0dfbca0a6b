"""Reads for annual reviews: the school's list, the council's priority queue and timeliness figures.

All dates come from the statutory clock (`clock.cases.deadline_rows`), so these pages, the
caseworker's deadline queue and `sendhub timescales` can never disagree.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from sendhub.clock.cases import DeadlineRow, deadline_rows, next_open, stage_of, STAGES
from sendhub.people.models import Child

from . import priority
from .models import AnnualReview, EarlyReviewRequest, PlacementConcern, RequestStatus, ReviewStep

MEETING_KEYS = ("annual_review", "early_years_review")


def reviews_of(children: QuerySet[Child], *, open_only: bool = True) -> QuerySet[AnnualReview]:
    """Review rounds of the children's active plans, with everything the pages below read, prefetched."""
    rounds = AnnualReview.objects.filter(plan__child__in=children.values("pk"), plan__status="active")
    if open_only:
        rounds = rounds.filter(closed_on__isnull=True)
    return with_everything(rounds)


def with_everything(rounds: QuerySet[AnnualReview]) -> QuerySet[AnnualReview]:
    return (rounds.select_related("plan__child__setting", "report")
            .prefetch_related(
                "events",
                Prefetch("plan__early_review_requests", to_attr="open_requests",
                         queryset=EarlyReviewRequest.objects.filter(status=RequestStatus.OPEN)),
                Prefetch("plan__placement_concerns", to_attr="open_concerns",
                         queryset=PlacementConcern.objects.filter(resolved_at__isnull=True)),
                "invitations"))


def last_reviewed(review: AnnualReview) -> date:
    held = [e.date for e in review.events.all() if e.type == "review_meeting"]
    return max(held) if held else review.previous_review_meeting or review.plan.first_issued_on


def _first(rows: list[DeadlineRow], keys) -> DeadlineRow | None:
    return next((row for row in rows if row.deadline.key in keys), None)


@dataclass(frozen=True)
class ReviewRow:
    """One plan's current review round as a school or the council needs to see it."""

    review: AnnualReview
    deadlines: list[DeadlineRow]
    as_of: date

    @property
    def child(self) -> Child:
        return self.review.plan.child

    @property
    def meeting_due(self) -> DeadlineRow | None:
        """The date the meeting must be held by: the 12-month review, or sooner for an under-five."""
        rows = [row for row in self.deadlines if row.deadline.key in MEETING_KEYS]
        open_rows = [row for row in rows if row.is_open]
        return min(open_rows or rows, key=lambda row: row.deadline.due, default=None)

    @property
    def phase_transfer(self) -> DeadlineRow | None:
        return _first(self.deadlines, ("phase_transfer",))

    @property
    def next(self) -> DeadlineRow | None:
        return next_open(self.deadlines)

    @property
    def held(self) -> bool:
        return any(e.type == "review_meeting" for e in self.review.events.all())

    @property
    def report_sent(self) -> bool:
        return any(e.type == "review_report_sent" for e in self.review.events.all())

    @property
    def invited(self) -> bool:
        meeting_on = self.review.meeting_on
        return any(i.meeting_on == meeting_on for i in self.review.invitations.all())

    @property
    def step(self) -> ReviewStep:
        if self.report_sent:
            return ReviewStep.WITH_COUNCIL
        if self.held:
            return ReviewStep.REPORT
        if self.review.meeting_on is None:
            return ReviewStep.SCHEDULE
        if not self.invited:
            return ReviewStep.INVITE
        return ReviewStep.GATHER

    @property
    def step_due(self) -> date | None:
        """When the school's next step must be done by."""
        from datetime import timedelta

        from .services import INVITE_NOTICE_DAYS

        step = self.step
        if step == ReviewStep.INVITE:
            return self.review.meeting_on - timedelta(days=INVITE_NOTICE_DAYS)
        if step == ReviewStep.GATHER:
            return self.review.meeting_on
        if step == ReviewStep.REPORT:
            report = _first(self.deadlines, ("review_report",))
            return report.deadline.due if report else None
        if step == ReviewStep.SCHEDULE and self.meeting_due:
            return self.meeting_due.deadline.due
        return None

    @property
    def stage_label(self) -> str:
        return STAGES[stage_of(self.review)]

    @property
    def family_request(self) -> EarlyReviewRequest | None:
        return next(iter(getattr(self.review.plan, "open_requests", [])), None)

    @property
    def placement_concern(self) -> PlacementConcern | None:
        return next(iter(getattr(self.review.plan, "open_concerns", [])), None)

    def facts(self) -> priority.ReviewFacts:
        child = self.child
        meeting = self.meeting_due
        transfer = self.phase_transfer
        overdue = [row.deadline.due for row in self.deadlines
                   if row.deadline.status == "overdue" and row.deadline.key != "early_years_review"]
        return priority.ReviewFacts(
            as_of=self.as_of, last_reviewed=last_reviewed(self.review),
            meeting_due=meeting.deadline.due if meeting and meeting.is_open else None,
            phase_transfer_due=transfer.deadline.due if transfer and transfer.is_open else None,
            oldest_overdue=min(overdue, default=None),
            family_request=self.family_request is not None, placement_at_risk=self.placement_concern is not None,
            looked_after=child.looked_after, child_protection=child.child_protection, child_in_need=child.child_in_need,
        )


def review_rows(children: QuerySet[Child], *, as_of: date | None = None) -> list[ReviewRow]:
    as_of = as_of or timezone.localdate()
    return [ReviewRow(review, deadline_rows(review, as_of), as_of) for review in reviews_of(children)]


def school_reviews(setting, *, as_of: date | None = None) -> list[ReviewRow]:
    """Every pupil at the setting with a plan, by the date the school must next act."""
    rows = review_rows(Child.objects.filter(setting=setting), as_of=as_of)
    far = date.max
    rows.sort(key=lambda row: ((row.step_due or far), row.child.family_name, row.child.pk))
    return rows


@dataclass(frozen=True)
class PriorityRow:
    row: ReviewRow
    priority: priority.Priority

    @property
    def review(self) -> AnnualReview:
        return self.row.review

    @property
    def child(self) -> Child:
        return self.row.child


def priority_queue(children: QuerySet[Child], weights: priority.Weights, *,
                   as_of: date | None = None) -> list[PriorityRow]:
    """Every open review, most urgent first, each with the reasons for its score."""
    scored = [PriorityRow(row, priority.score(row.facts(), weights)) for row in review_rows(children, as_of=as_of)]
    far = date.max
    scored.sort(key=lambda item: (-item.priority.score, item.row.meeting_due.deadline.due
                                  if item.row.meeting_due else far, item.child.family_name, item.child.pk))
    return scored


def _ramp_sql(weight: int, day_field: str, window: int, today: int):
    """`priority._ramp` in SQL on a day-number column: whole-number arithmetic, so the same points exactly."""
    if not weight:
        return Value(0)
    days_left = F(day_field) - Value(today)
    points = (Value(2 * weight) * (Value(window) - Greatest(days_left, Value(0))) + Value(window)) / Value(2 * window)
    return Case(When(**{f"{day_field}__isnull": True}, then=Value(0)),
                When(**{f"{day_field}__gte": today + window}, then=Value(0)),
                default=points, output_field=IntegerField())


def _flag_sql(condition, weight: int):
    return Case(When(condition, then=Value(weight)), default=Value(0), output_field=IntegerField()) if weight \
        else Value(0)


def priority_cases(children: QuerySet[Child], weights: priority.Weights, *, as_of: date | None = None,
                   reason: str = "") -> QuerySet:
    """`priority_queue` in SQL, from the deadlines projection: every open review of an active plan, with each
    reason's points (`<reason>_points`) and the `score` annotated, most urgent first, for the database to page.
    The reasons' words are written by `priority.score` for the rows of one page only (`priority_rows`)."""
    from sendhub.clock.models import OpenCase

    as_of = as_of or timezone.localdate()
    t, w = as_of.toordinal(), weights
    overdue = Q(oldest_open_day__lt=t) if w.overdue else Q(pk__in=[])
    late = Value(w.overdue) + Least((Value(t) - F("oldest_open_day")) / Value(7), Value(w.overdue_cap_weeks)) \
        * Value(w.overdue_per_week)
    points = {
        "stale": _flag_sql(Q(last_reviewed_day__lte=t - w.stale_after_days), w.stale_review),
        "phase": _ramp_sql(w.phase_transfer, "phase_transfer_day", w.phase_transfer_window_days, t),
        "overdue": Case(When(overdue, then=late), default=Value(0), output_field=IntegerField()),
        "meeting": Case(When(overdue, then=Value(0)), default=_ramp_sql(w.due_soon, "meeting_due_day",
                                                                        w.due_soon_window_days, t),
                        output_field=IntegerField()),
        "family": _flag_sql(Exists(EarlyReviewRequest.objects.filter(plan_id=OuterRef("review__plan_id"),
                                                                     status=RequestStatus.OPEN)), w.family_request),
        "placement": _flag_sql(Exists(PlacementConcern.objects.filter(plan_id=OuterRef("review__plan_id"),
                                                                      resolved_at__isnull=True)), w.placement_at_risk),
        "looked_after": _flag_sql(Q(child__looked_after=True), w.looked_after),
        "child_protection": _flag_sql(Q(child__child_protection=True), w.child_protection),
        "child_in_need": _flag_sql(Q(child__child_in_need=True), w.child_in_need),
    }
    assert points.keys() == priority.REASON_STARTS.keys()
    cases = (OpenCase.objects.filter(kind="review", child__in=children.values("pk"), review__plan__status="active")
             .annotate(**{f"{name}_points": expression for name, expression in points.items()}))
    cases = cases.annotate(score=sum((F(f"{name}_points") for name in points), start=Value(0)))
    if reason:
        wanted = Q(pk__in=[])
        for name, start in priority.REASON_STARTS.items():
            if start.startswith(reason):
                wanted |= Q(**{f"{name}_points__gt": 0})
        cases = cases.filter(wanted)
    return cases.order_by("-score", F("meeting_sort_day").asc(nulls_last=True), "child__family_name", "child_id", "id")


def priority_rows(cases, weights: priority.Weights, *, as_of: date | None = None) -> list[PriorityRow]:
    """One page of `priority_cases`, in its order, each scored with its reasons in words (a constant number of
    queries). The score is the one the database sorted by: both come from the same facts and whole numbers."""
    as_of = as_of or timezone.localdate()
    cases = list(cases)
    reviews = {review.pk: review for review in with_everything(AnnualReview.objects.filter(
        pk__in=[case.review_id for case in cases]))}
    rows = []
    for case in cases:
        review = reviews.get(case.review_id)
        if review is not None:
            row = ReviewRow(review, deadline_rows(review, as_of), as_of)
            rows.append(PriorityRow(row, priority.score(row.facts(), weights)))
    return rows


# -- Timeliness ---------------------------------------------------------------------------------------

FIGURE_ROWS = [
    ("annual_review:transfer", "annual_review", True, "Review meetings held within 12 months: children moving phase"),
    ("annual_review:other", "annual_review", False, "Review meetings held within 12 months: other children"),
    ("phase_transfer", "phase_transfer", None, "Phase-transfer reviews finished by 15 February (31 March for post-16)"),
    ("review_report", "review_report", None, "Review reports sent within 2 weeks of the meeting"),
    ("la_review_decision", "la_review_decision", None, "Council decisions within 4 weeks of the meeting"),
    ("amended_plan", "amended_plan", None, "Amended plans issued within 8 weeks of the proposed amendments"),
]
STATUS_COLUMNS = [("met", "On time"), ("late", "Late"), ("overdue", "Overdue, not done"), ("due", "Not yet due")]


@dataclass(frozen=True)
class TimelinessRow:
    key: str
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(key, self.counts.get(key, 0)) for key, _ in STATUS_COLUMNS]

    @property
    def decided(self) -> int:
        return self.counts.get("met", 0) + self.counts.get("late", 0) + self.counts.get("overdue", 0)

    @property
    def on_time_share(self) -> float | None:
        """On time as a share of those whose deadline has passed or that are done."""
        return self.counts.get("met", 0) / self.decided if self.decided else None


def timeliness(children: QuerySet[Child], *, since: date, until: date, as_of: date | None = None) -> list[TimelinessRow]:
    """Counts of every review deadline falling due from `since` to `until`, by its clock status."""
    as_of = as_of or timezone.localdate()
    rounds = (AnnualReview.objects.filter(plan__child__in=children.values("pk"))
              .select_related("plan__child").prefetch_related("events"))
    counts = {key: Counter() for key, *_ in FIGURE_ROWS}
    from sendhub.sen2.selectors import rounds_without_start

    unknown_start = rounds_without_start(children)  # imported without the meeting the deadline ran from
    for review in rounds:
        is_transfer = review.phase_transfer_on is not None
        for row in deadline_rows(review, as_of):
            deadline = row.deadline
            if not since <= deadline.due <= until or deadline.status == "not_applicable":
                continue
            if deadline.key == "annual_review" and review.pk in unknown_start:
                continue
            for key, clock_key, transfer, _ in FIGURE_ROWS:
                if clock_key == deadline.key and (transfer is None or transfer == is_transfer):
                    counts[key][deadline.status] += 1
    return [TimelinessRow(key, label, dict(counts[key])) for key, _, _, label in FIGURE_ROWS]
