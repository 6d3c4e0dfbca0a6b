"""What a family is told, in one place: the last day for their comments, who to contact, and each child's
status card (now, next, who, by when, and the one thing they can do now).

Why one module: the demo parent saw the draft plan's 15 days end on 15 December on the plan page and on
16 December on the tracker (issue 14). The clock's `final_not_before` is the first day the council may
send the final plan (draft day + 15, SEND Regs 2014 reg 13(1)(a)); the family's last day to comment is
the day before. Every family-facing page asks this module, so they cannot disagree again. The clock's
own computation is never repeated here.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import rules
from django.urls import reverse
from django.utils import timezone

ONE_DAY = timedelta(days=1)
COMMENT_KEY = "final_not_before"


def last_day_from_not_before(not_before_due: date) -> date:
    """The family's last day to comment, from the clock's first day the final plan may be sent."""
    return not_before_due - ONE_DAY


def step_due(key: str, due: date) -> date:
    """The date a family is told for a clock deadline: the last day to comment for their 15 days,
    otherwise the clock's own date."""
    return last_day_from_not_before(due) if key == COMMENT_KEY else due


def by_day(day: date) -> str:
    """How every family-facing page states a last day: 'by Tuesday 15 December 2026'."""
    return f"by {day:%A} {day.day} {day:%B %Y}"


def long_day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def comment_last_day(version) -> date | None:
    """The last day the family may comment on a draft plan or on proposed amendments.

    A draft's comes from the statutory clock (the assessment's `final_not_before`). The clock's contract
    has no row for proposed amendments (docs/timescales.md, note 6), though reg 22(2)(c) gives the same
    15 days beginning with the day they are sent; their last day is counted the same way from the day
    they were issued, through the same `last_day_from_not_before`.
    """
    from sendhub.clock import timescales as clock
    from sendhub.clock.cases import clock_case
    from sendhub.plans.models import VersionKind

    if version.kind == VersionKind.DRAFT and version.assessment_id:
        for deadline in clock.compute_deadlines(clock_case(version.assessment), version.issued_on):
            if deadline.key == COMMENT_KEY:
                return last_day_from_not_before(deadline.due)
        return None
    if version.kind == VersionKind.PROPOSED:
        return last_day_from_not_before(version.issued_on + clock._FIFTEEN_DAYS)
    return None


@dataclass(frozen=True)
class Contact:
    """Who a family contacts about a child: their caseworker by name, or the SEND team, and the team's
    telephone number and email."""

    name: str
    team: str
    telephone: str
    email: str
    named: bool  # False when no caseworker is allocated

    @property
    def who(self) -> str:
        return f"{self.name}, your caseworker at {self.team}" if self.named else f"the SEND team at {self.team}"


def contact_for(child, *, on: date | None = None) -> Contact:
    """The child's caseworker (the newest active caseworker involvement naming a person) and the council's
    SEND team's telephone and email; 'the SEND team' when nobody is allocated."""
    from sendhub.people.models import Involvement, InvolvementRole

    involvement = (Involvement.objects.active(on).filter(child=child, role=InvolvementRole.CASEWORKER,
                                                          professional__isnull=False, professional__is_active=True)
                   .select_related("professional", "organisation").order_by("-started_on", "-pk").first())
    council = child.local_authority
    if involvement is not None and not (council.telephone or council.email):
        council = involvement.organisation
    team = council.name if council else "your council"
    if involvement is None:
        return Contact("the SEND team", team, council.telephone, council.email, named=False)
    return Contact(involvement.professional.full_name, team, council.telephone, council.email, named=True)


@dataclass(frozen=True)
class Action:
    label: str
    url: str


@dataclass(frozen=True)
class StatusLine:
    """One case on a child's card."""

    title: str
    now: str
    next: str = ""
    who: str = ""
    by: date | None = None
    action: Action | None = None

    @property
    def by_text(self) -> str:
        return by_day(self.by) if self.by else ""


@dataclass(frozen=True)
class ChildCard:
    child: object
    plan_status: str
    lines: list
    contact: Contact


def _versions(case, field: str, kind: str):
    from sendhub.plans.models import PlanVersion

    return PlanVersion.objects.filter(**{field: case}, kind=kind).order_by("-number").first()


def draft_link(item):
    """The draft plan or proposed amendments a tracker case is waiting on the family for, if any."""
    from sendhub.plans.models import VersionKind

    if item.stage == "draft_with_family":
        return _versions(item.case, "assessment", VersionKind.DRAFT)
    if item.stage == "amendments_with_family":
        return _versions(item.case, "review", VersionKind.PROPOSED)
    return None


def _review_action(review, user, as_of: date) -> Action | None:
    url = reverse("reviews:detail", kwargs={"pk": review.pk})
    held = any(e.type == "review_meeting" for e in review.events.all())
    if held or review.closed_on:
        return None
    if review.meeting_on and user is not None and review.invitations.filter(
            recipient=user, meeting_on=review.meeting_on, attending="").exists():
        return Action(f"Tell us if you can come to the review on {long_day(review.meeting_on)}", url)
    if (user is not None and rules.has_perm("reviews.contribute", user, review)
            and not review.contributions.filter(author=user).exists()):
        return Action("Give your views for the review", url)
    return None


def status_line(item, user, as_of: date) -> StatusLine:
    """Now, next, who and by when for one open tracker case, and the family's action if they have one."""
    version = draft_link(item)
    if version is not None:
        last = comment_last_day(version)
        what = "Draft plan" if item.kind == "assessment" else "Proposed changes to the plan"
        if last and as_of <= last:
            return StatusLine(item.title, f"{what}: your comments {by_day(last)} (the last day)",
                              next="Read it and tell the council what you think, section by section",
                              who="You", by=last,
                              action=Action(f"Read and comment on the {what.lower()} {by_day(last)}",
                                            reverse("plans:version", kwargs={"pk": version.pk})))
    now = item.now_text
    step = item.next
    action = _review_action(item.case, user, as_of) if item.kind == "review" else None
    if step is None:
        return StatusLine(item.title, now, action=action)
    return StatusLine(item.title, now, next=step.row.label, who=step.responsible, by=step.due, action=action)


def plan_status(child, cases, as_of: date) -> str:
    """The plan line of a child's card: never 'No EHC plan' while a draft is with the family."""
    for item in cases:
        if item.is_open and item.kind == "assessment":
            version = draft_link(item)
            last = comment_last_day(version) if version is not None else None
            if last and as_of <= last:
                return f"Draft plan: your comments {by_day(last)} (the last day)"
    plan = next((p for p in child.plans.all() if p.status == "active"), None)
    if plan is not None:
        return f"Has an EHC plan, first issued {plan.first_issued_on.day} {plan.first_issued_on:%B %Y}"
    if any(item.is_open and item.kind == "assessment" for item in cases):
        return "No EHC plan yet: an EHC needs assessment is under way"
    return "No EHC plan"


def child_card(child, user, *, as_of: date | None = None) -> ChildCard:
    from .selectors import child_cases

    as_of = as_of or timezone.localdate()
    cases = [item for item in child_cases(child, as_of=as_of) if item.is_open]
    return ChildCard(child, plan_status(child, cases, as_of), [status_line(item, user, as_of) for item in cases],
                     contact_for(child, on=as_of))
