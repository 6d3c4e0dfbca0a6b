"""Turn an assessment or a review round into the statutory clock's `Case`, and its deadlines into rows.

Every screen, the reminder job and the API use these, so they all show what `sendhub timescales`
would print for the same events.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.reviews.models import AnnualReview

from . import timescales as clock

KEY_LABELS = {
    "decision_whether_to_assess": "Decide whether to assess",
    "decision_not_to_issue_plan": "Decide not to issue a plan",
    "final_not_before": "The family's 15 days on the draft plan",
    "final_plan": "Issue the final EHC plan",
    "annual_review": "Hold the annual review meeting",
    "early_years_review": "Review for a child under 5 (every 6 months, advised)",
    "phase_transfer": "Review and amend before the move to the next phase",
    "review_report": "Send the review report to the council",
    "la_review_decision": "Council decides after the review meeting",
    "amended_plan": "Issue the amended plan",
}
SOURCE_LABELS = {"education": "Education", "health": "Health", "social_care": "Social care",
                 "educational_psychology": "Educational psychology", "other": "Other"}
STATUS_TAGS = {  # label and GOV.UK tag colour
    "met": ("Met", "govuk-tag--green"),
    "late": ("Done late", "govuk-tag--orange"),
    "overdue": ("Overdue", "govuk-tag--red"),
    "due": ("Due", "govuk-tag--blue"),
    "not_applicable": ("Not needed", "govuk-tag--grey"),
    "early": ("Issued too early", "govuk-tag--red"),
}
OPEN_STATUSES = {"due", "overdue"}


def label_for(key: str) -> str:
    if key.startswith("advice:"):
        return f"{SOURCE_LABELS.get(key.split(':', 1)[1], 'Other')} advice"
    return KEY_LABELS[key]


@dataclass(frozen=True)
class DeadlineRow:
    deadline: clock.Deadline
    label: str
    status_label: str
    tag: str

    @property
    def is_open(self) -> bool:
        return self.deadline.status in OPEN_STATUSES


def _events(case) -> tuple[tuple[clock.Event, ...], tuple[clock.ExceptionPeriod, ...]]:
    events, exceptions = [], []
    for row in case.events.all():
        item = row.as_clock_event()
        (exceptions if isinstance(item, clock.ExceptionPeriod) else events).append(item)
    return tuple(events), tuple(exceptions)


def next_open(rows: list[DeadlineRow]) -> DeadlineRow | None:
    """The deadline to act on next: the earliest that is due or overdue."""
    return min((row for row in rows if row.is_open), key=lambda row: row.deadline.due, default=None)


def clock_case(case, extra=()) -> clock.Case:
    """The clock's view of an EHCNeedsAssessment or an AnnualReview (its events prefetched or not)."""
    events, exceptions = _events(case)
    for item in extra:
        if isinstance(item, clock.ExceptionPeriod):
            exceptions += (item,)
        else:
            events += (item,)
    if isinstance(case, EHCNeedsAssessment):
        return clock.Case(id=f"A-{case.pk}", kind=clock.ASSESSMENT, events=events, exceptions=exceptions,
                          request_received=case.request_received_on, date_of_birth=case.child.date_of_birth)
    if isinstance(case, AnnualReview):
        plan = case.plan
        transfer = (clock.PhaseTransfer(case.phase_transfer_on, case.phase_transfer_to)
                    if case.phase_transfer_on else None)
        return clock.Case(id=f"R-{case.pk}", kind=clock.ANNUAL_REVIEW, events=events, exceptions=exceptions,
                          date_of_birth=plan.child.date_of_birth, plan_first_issued=plan.first_issued_on,
                          previous_review_meeting=case.previous_review_meeting, phase_transfer=transfer)
    raise TypeError(f"Not a statutory case: {case!r}")


def deadline_rows(case, as_of: date | None = None) -> list[DeadlineRow]:
    as_of = as_of or timezone.localdate()
    rows = []
    for deadline in clock.compute_deadlines(clock_case(case), as_of):
        status_label, tag = STATUS_TAGS[deadline.status]
        rows.append(DeadlineRow(deadline, label_for(deadline.key), status_label, tag))
    return rows


def contract_json(case) -> dict:
    """The case in the input format of `sendhub timescales` (shared/contracts/timescales.md)."""
    c = clock_case(case)
    out: dict = {"id": c.id, "kind": c.kind, "events": []}
    if c.kind == clock.ASSESSMENT:
        out["request_received"] = c.request_received.isoformat()
    else:
        out["date_of_birth"] = c.date_of_birth.isoformat()
        out["plan_first_issued"] = c.plan_first_issued.isoformat()
        if c.previous_review_meeting:
            out["previous_review_meeting"] = c.previous_review_meeting.isoformat()
        if c.phase_transfer:
            out["phase_transfer"] = {"on": c.phase_transfer.on.isoformat(), "to": c.phase_transfer.to}
    for e in c.events:
        item = {"type": e.type, "date": e.date.isoformat()}
        if e.source:
            item["source"] = e.source
        if e.outcome:
            item["outcome"] = e.outcome
        if e.family_agreed_early:
            item["family_agreed_early"] = True
        out["events"].append(item)
    for x in c.exceptions:
        out["events"].append({"type": "exception", "reason": x.reason, "from": x.first_day.isoformat(),
                              "to": x.last_day.isoformat()})
    return out


STAGES = {
    "deciding_to_assess": "Deciding whether to assess",
    "gathering_advice": "Gathering advice",
    "deciding_plan": "Deciding whether to issue a plan",
    "drafting": "Drafting the plan",
    "draft_with_family": "Draft plan with the family",
    "awaiting_meeting": "Review meeting to hold",
    "awaiting_report": "Review report to send",
    "awaiting_decision": "Council's decision after the review",
    "drafting_amendments": "Drafting the amendments",
    "amendments_with_family": "Proposed amendments with the family",
}


def stage_of(case) -> str:
    """Where a case is, from what has happened on it: the reason it sits where it does in the queue."""
    events = list(case.events.all())
    happened = {e.type for e in events}
    if isinstance(case, EHCNeedsAssessment):
        if not happened & {"decision_to_assess", "decision_not_to_assess"}:
            return "deciding_to_assess"
        if "draft_plan_sent" in happened:
            return "draft_with_family"
        if "decision_to_issue_plan" in happened:
            return "drafting"
        asked = sum(1 for e in events if e.type == "advice_requested")
        received = sum(1 for e in events if e.type == "advice_received")
        return "gathering_advice" if asked == 0 or received < asked else "deciding_plan"
    if "amendment_notice_sent" in happened:
        return "amendments_with_family"
    if any(e.type == "la_decision" and e.outcome == "amend" for e in events):
        return "drafting_amendments"
    if "review_report_sent" in happened:
        return "awaiting_decision"
    if "review_meeting" in happened:
        return "awaiting_report"
    return "awaiting_meeting"
