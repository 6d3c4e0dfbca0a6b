"""What a family sees about their child: where each process is, what happens next, who does it, by when.

Every date comes from the statutory clock (`clock.cases.deadline_rows`), so the family's tracker and
the caseworker's queue cannot disagree.
"""

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from django.urls import reverse
from django.utils import timezone

from sendhub.clock.cases import DeadlineRow, STAGES, deadline_rows, next_open, stage_of
from sendhub.clock.selectors import cases_of_child
from sendhub.people.models import Child

from .tracker import STAGE_EXPLAINED, easy_read_for, responsible_for


@dataclass(frozen=True)
class Step:
    row: DeadlineRow

    @property
    def responsible(self) -> str:
        return responsible_for(self.row.deadline.key)

    @property
    def easy_read(self) -> str:
        return easy_read_for(self.row.deadline.key)

    @property
    def due(self) -> date:
        """The date the family is told: for their 15 days, the last day to comment (portal.family)."""
        from .family import step_due

        return step_due(self.row.deadline.key, self.row.deadline.due)

    @property
    def is_comment_period(self) -> bool:
        return self.row.deadline.key.startswith("final_not_before")


@dataclass
class TrackerCase:
    kind: str  # "assessment" or "review"
    case: object
    title: str
    is_open: bool
    stage: str
    rows: list[DeadlineRow]
    link: str

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def stage_explained(self) -> str:
        return STAGE_EXPLAINED[self.stage]

    @property
    def meeting_on(self) -> date | None:
        """The review meeting's date once the school has set it."""
        return getattr(self.case, "meeting_on", None) if self.kind == "review" else None

    @property
    def now_text(self) -> str:
        """What is happening now, in the family's words: a set meeting is given with its date, never
        'being arranged'."""
        if self.stage == "awaiting_meeting" and self.meeting_on:
            from .family import long_day

            return f"The annual review meeting is on {long_day(self.meeting_on)}."
        return self.stage_explained

    @cached_property
    def draft(self):
        """The draft plan or proposed amendments waiting for the family's comments, to link to."""
        from .family import draft_link

        return draft_link(self)

    @property
    def comment_last_day(self) -> date | None:
        from .family import comment_last_day

        draft = self.draft
        return comment_last_day(draft) if draft is not None else None

    @property
    def next(self) -> Step | None:
        row = next_open(self.rows)
        return Step(row) if row else None

    @property
    def steps(self) -> list[Step]:
        return [Step(row) for row in self.rows]


@dataclass(frozen=True)
class HistoryItem:
    on: date
    text: str
    link: str = ""


@dataclass
class Tracker:
    child: Child
    cases: list[TrackerCase]
    history: list[HistoryItem]
    waits: list = field(default_factory=list)  # (referral, placement or None)
    local_offer: str = ""


def local_offer_link(child: Child, *, while_waiting: bool = False) -> str:
    """The local offer search for services that fit the child's needs and age (the directory's contract)."""
    from sendhub.directory.templatetags.local_offer import local_offer_url

    return local_offer_url(child, while_waiting)


def child_cases(child: Child, *, as_of: date | None = None) -> list[TrackerCase]:
    """The child's assessments and review rounds with their deadlines: open ones first, newest first."""
    as_of = as_of or timezone.localdate()
    assessments, reviews = cases_of_child(child)
    cases = [TrackerCase("assessment", a, f"EHC needs assessment, asked for on {a.request_received_on:%-d %B %Y}",
                         a.outcome == "open", stage_of(a), deadline_rows(a, as_of),
                         reverse("clock:assessment", kwargs={"pk": a.pk})) for a in assessments]
    cases += [TrackerCase("review", r, "Annual review of the EHC plan" + (
        f" (after the meeting of {r.previous_review_meeting:%-d %B %Y})" if r.previous_review_meeting else ""),
        r.closed_on is None, stage_of(r), deadline_rows(r, as_of),
        reverse("reviews:detail", kwargs={"pk": r.pk})) for r in reviews]
    cases.sort(key=lambda c: (not c.is_open, -c.case.pk))
    return cases


def delivery_history(child: Child) -> list[HistoryItem]:
    """What reached each parent, carer and the young person, and how: "Draft plan: posted to Jane Archer on
    3 December 2026". Nothing is called sent until it was (in their account, emailed, posted)."""
    from sendhub.messaging.selectors import delivered_to

    items = []
    from django.db.models import Q

    for delivery in delivered_to(child).filter(Q(young_person=True) | Q(family_member__isnull=False)):
        on = delivery.posted_on or timezone.localdate(delivery.emailed_at or delivery.created_at)
        link = (reverse("plans:version", kwargs={"pk": delivery.version_id}) if delivery.version_id
                else reverse("letters:letter", kwargs={"pk": delivery.letter_id}))
        status = delivery.status_text()
        items.append(HistoryItem(on, f"{delivery.what}: {status[0].lower()}{status[1:]}", link))
    return items


def tracker(child: Child, *, as_of: date | None = None) -> Tracker:
    from sendhub.plans.models import PlanVersion
    from sendhub.waits.selectors import placements

    as_of = as_of or timezone.localdate()
    cases = child_cases(child, as_of=as_of)
    history: list[HistoryItem] = []
    for item in cases:
        for event in item.case.events.all():
            if event.type == "exception":
                continue
            history.append(HistoryItem(event.date, event.get_type_display() + (
                f": {event.get_outcome_display().lower()}" if event.outcome else ""), item.link))
    for version in PlanVersion.objects.filter(child=child).only("pk", "kind", "number", "issued_on"):
        history.append(HistoryItem(version.issued_on, f"{version.get_kind_display()} issued (version {version.number})",
                                   reverse("plans:version", kwargs={"pk": version.pk})))
    for letter in child.letters.all().only("pk", "title", "created_at"):
        history.append(HistoryItem(timezone.localdate(letter.created_at), f"Letter: {letter.title}",
                                   reverse("letters:letter", kwargs={"pk": letter.pk})))
    history += delivery_history(child)
    history.sort(key=lambda h: h.on, reverse=True)
    referrals = list(child.referrals.filter(seen_on__isnull=True, removed_on__isnull=True).select_related("service"))
    places = placements(referrals, today=as_of) if referrals else {}
    return Tracker(child, cases, history, [(r, places.get(r.pk)) for r in referrals], local_offer_link(child))
