"""How urgent one plan's review is, with the reasons in words. Pure Python: no Django.

A team with 5,000 plans cannot review them in due-date order alone: a child moving to secondary
school in September needs the review finished by 15 February, and a plan no one has looked at for
two years has probably stopped describing the child. Each reason adds points; the weights are the
council's to set (`Weights`), and every reason is shown beside the score so it can be argued with.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date


@dataclass(frozen=True)
class Weights:
    """Points for each reason. Defaults reflect the inspection: phase transfers and plans untouched
    for two years first, then lateness, then the child's circumstances."""

    stale_review: int = 60  # no review meeting for `stale_after_days`
    stale_after_days: int = 730
    phase_transfer: int = 50  # full points when the phase-transfer deadline is reached
    phase_transfer_window_days: int = 183  # points start this many days before that deadline
    overdue: int = 30  # any statutory review deadline passed and not done
    overdue_per_week: int = 1  # and one more per week overdue…
    overdue_cap_weeks: int = 26  # …up to this many weeks
    due_soon: int = 15  # full points when the review meeting is due today
    due_soon_window_days: int = 91  # points start this many days before
    family_request: int = 25  # an early review request not yet answered
    placement_at_risk: int = 35
    looked_after: int = 20
    child_protection: int = 20
    child_in_need: int = 10

    def __post_init__(self):
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"{item.name} must be a whole number, 0 or more")
        for name in ("stale_after_days", "phase_transfer_window_days", "due_soon_window_days"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")


# What each weight means, in the words shown on the weights screen.
EXPLANATIONS = {
    "stale_review": "Points when the plan has not had a review meeting for the number of days below "
                    "(the inspection found plans untouched for two years).",
    "stale_after_days": "How long without a review meeting counts as \u201cnot reviewed\u201d. 730 days is two years.",
    "phase_transfer": "Points when the child is moving phase (for example to secondary school) and the "
                      "phase-transfer deadline (15 February, or 31 March for post-16) has been reached. "
                      "Fewer points further away.",
    "phase_transfer_window_days": "How many days before the phase-transfer deadline the points start to build up.",
    "overdue": "Points when any statutory review deadline has passed without being done.",
    "overdue_per_week": "Extra points for each week the oldest overdue deadline is late.",
    "overdue_cap_weeks": "The most weeks that add extra points.",
    "due_soon": "Points when the review meeting is due today. Fewer points when it is further away.",
    "due_soon_window_days": "How many days before the review meeting is due the points start to build up.",
    "family_request": "Points while a family's or young person's request for an early review waits for an answer.",
    "placement_at_risk": "Points while a school or caseworker has said the child's placement is at risk.",
    "looked_after": "Points when the child is looked after by the council.",
    "child_protection": "Points when the child has a child protection plan.",
    "child_in_need": "Points when the child is a child in need.",
}
WEIGHT_NAMES = [item.name for item in fields(Weights)]


@dataclass(frozen=True)
class ReviewFacts:
    """What is known about one plan's current review round on `as_of`."""

    as_of: date
    last_reviewed: date  # the last review meeting, or the plan's first issue if there has been none
    meeting_due: date | None = None  # the review meeting's deadline, while not held
    phase_transfer_due: date | None = None  # while the phase-transfer review is not finished
    oldest_overdue: date | None = None  # the earliest due date of any deadline now overdue
    family_request: bool = False
    placement_at_risk: bool = False
    looked_after: bool = False
    child_protection: bool = False
    child_in_need: bool = False


@dataclass(frozen=True)
class Reason:
    points: int
    text: str


@dataclass(frozen=True)
class Priority:
    score: int
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def _ramp(weight: int, days_left: int, window: int) -> int:
    """Full weight at or past the date, nothing `window` days or more before it; in between in proportion,
    rounded half up in whole numbers so the database computes exactly the same score (`reviews.selectors`)."""
    if days_left >= window:
        return 0
    return (2 * weight * (window - max(days_left, 0)) + window) // (2 * window)


# How each reason's text begins: the list's "reason" filter picks the plans with that reason in SQL.
REASON_STARTS = {
    "stale": "No review meeting since",
    "phase": "Moving phase: the phase-transfer review",
    "overdue": "Overdue by",
    "meeting": "Review meeting due by",
    "family": "The family or young person asked for an early review",
    "placement": "Placement at risk",
    "looked_after": "Looked after by the council",
    "child_protection": "Child protection plan",
    "child_in_need": "Child in need",
}


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _weeks(days: int) -> str:
    weeks = days // 7
    if weeks == 0:
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{weeks} week{'s' if weeks != 1 else ''}"


def score(facts: ReviewFacts, weights: Weights = Weights()) -> Priority:
    reasons: list[Reason] = []
    today = facts.as_of
    unreviewed = (today - facts.last_reviewed).days
    if unreviewed >= weights.stale_after_days and weights.stale_review:
        years = unreviewed / 365.25
        reasons.append(Reason(weights.stale_review,
                              f"No review meeting since {_long(facts.last_reviewed)} ({years:.1f} years)"))
    if facts.phase_transfer_due is not None:
        days_left = (facts.phase_transfer_due - today).days
        points = _ramp(weights.phase_transfer, days_left, weights.phase_transfer_window_days)
        if points:
            when = ("was due" if days_left < 0 else "is due") + f" by {_long(facts.phase_transfer_due)}"
            reasons.append(Reason(points, f"Moving phase: the phase-transfer review {when}"))
    if facts.oldest_overdue is not None and facts.oldest_overdue < today and weights.overdue:
        late = (today - facts.oldest_overdue).days
        extra = min(late // 7, weights.overdue_cap_weeks) * weights.overdue_per_week
        reasons.append(Reason(weights.overdue + extra,
                              f"Overdue by {_weeks(late)} (due {_long(facts.oldest_overdue)})"))
    elif facts.meeting_due is not None:
        points = _ramp(weights.due_soon, (facts.meeting_due - today).days, weights.due_soon_window_days)
        if points:
            reasons.append(Reason(points, f"Review meeting due by {_long(facts.meeting_due)}"))
    for flag, weight, text in (
        (facts.family_request, weights.family_request, "The family or young person asked for an early review"),
        (facts.placement_at_risk, weights.placement_at_risk, "Placement at risk"),
        (facts.looked_after, weights.looked_after, "Looked after by the council"),
        (facts.child_protection, weights.child_protection, "Child protection plan"),
        (facts.child_in_need, weights.child_in_need, "Child in need"),
    ):
        if flag and weight:
            reasons.append(Reason(weight, text))
    reasons.sort(key=lambda reason: -reason.points)
    return Priority(sum(reason.points for reason in reasons), tuple(reasons))
