"""The statutory clock: every deadline a SEND case is subject to, and whether it was met.

Pure standard-library Python on purpose: the web application, the work queues, the family
tracker, the dashboard and the `sendhub timescales` command must all count dates the same
way, and a function with no database and no Django is the only thing they can all share and
that tests can check exhaustively. The rules are fixed by `/work/shared/contracts/timescales.md`
and explained, with their legal sources, in `docs/timescales.md`.

Two decisions the contract leaves open are made here and documented there:

* Nothing dated after `as_of` counts. Events dated after `as_of` are ignored; an exception
  counts only if its first day (`from`) is on or before `as_of`; a case date
  (`request_received`, `plan_first_issued`) after `as_of` means the clock has not started,
  and a `previous_review_meeting` after `as_of` is ignored. So the result for a given
  `as_of` never changes when later history is added.
* Input that the rules cannot place is rejected with `ClockInputError`, never repaired.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Final, NamedTuple, NoReturn

__all__ = [
    "ADVICE_SOURCES",
    "ASSESSMENT_EVENTS",
    "ANNUAL_REVIEW_EVENTS",
    "DEADLINE_ORDER",
    "EXCEPTION_REASONS",
    "KINDS",
    "LA_OUTCOMES",
    "PHASES",
    "RULES",
    "STATUSES",
    "Case",
    "ClockInputError",
    "Deadline",
    "Event",
    "ExceptionPeriod",
    "PhaseTransfer",
    "add_months",
    "compute_deadlines",
    "end_of_twelve_months",
    "order_index",
    "parse_case",
    "parse_date",
    "parse_request",
    "validate_case",
]

# --- vocabulary (contract, "Input") -------------------------------------------------------

ASSESSMENT: Final = "assessment"
ANNUAL_REVIEW: Final = "annual_review"
KINDS: Final = (ASSESSMENT, ANNUAL_REVIEW)

EXCEPTION: Final = "exception"
ASSESSMENT_EVENTS: Final = frozenset(
    {
        "decision_to_assess",
        "decision_not_to_assess",
        "advice_requested",
        "advice_received",
        "decision_to_issue_plan",
        "decision_not_to_issue_plan",
        "draft_plan_sent",
        "final_plan_issued",
        EXCEPTION,
    }
)
ANNUAL_REVIEW_EVENTS: Final = frozenset(
    {
        "review_meeting",
        "review_report_sent",
        "la_decision",
        "amendment_notice_sent",
        "amended_plan_issued",
        EXCEPTION,
    }
)
EVENTS_BY_KIND: Final = {ASSESSMENT: ASSESSMENT_EVENTS, ANNUAL_REVIEW: ANNUAL_REVIEW_EVENTS}

ADVICE_SOURCES: Final = ("education", "health", "social_care", "educational_psychology", "other")
LA_OUTCOMES: Final = ("maintain", "amend", "cease")
EXCEPTION_REASONS: Final = (
    "school_closure",
    "exceptional_personal_circumstances",
    "absent_from_area",
    "missed_appointment",
)
PHASES: Final = ("school", "junior", "middle", "secondary", "post16", "other")

# --- statuses and deadline order (contract, "Output" and the table) -----------------------

MET: Final = "met"
LATE: Final = "late"
OVERDUE: Final = "overdue"
DUE: Final = "due"
NOT_APPLICABLE: Final = "not_applicable"
EARLY: Final = "early"
STATUSES: Final = frozenset({MET, LATE, OVERDUE, DUE, NOT_APPLICABLE, EARLY})

DEADLINE_ORDER: Final = (
    "decision_whether_to_assess",
    "advice",  # keys "advice:<source>", one per request
    "decision_not_to_issue_plan",
    "final_not_before",
    "final_plan",
    "annual_review",
    "early_years_review",
    "phase_transfer",
    "review_report",
    "la_review_decision",
    "amended_plan",
)
_ORDER_INDEX: Final = {name: i for i, name in enumerate(DEADLINE_ORDER)}

# Rule citations, checked against the text of SI 2014/1530, the Children and Families Act
# 2014 and the SEND Code of Practice 2015 as described in docs/timescales.md.
RULES: Final = {
    "decision_whether_to_assess": "SEND Regs 2014 reg 4(1) / 5(1)",
    "advice": "SEND Regs 2014 reg 8(1)",
    "decision_not_to_issue_plan": "SEND Regs 2014 reg 10(1)",
    "final_not_before": "SEND Regs 2014 reg 13(1)(a)",
    "final_plan": "SEND Regs 2014 reg 13(2)",
    "annual_review": "Children and Families Act 2014 s44; SEND CoP 2015 para 9.169",
    "early_years_review": "SEND CoP 2015 para 9.178 (advisory)",
    "phase_transfer": "SEND Regs 2014 reg 18(1)(b)",
    "phase_transfer_post16": "SEND Regs 2014 reg 18(1)(a)",
    "review_report": "SEND Regs 2014 reg 20; reg 21(7)",
    "la_review_decision": "SEND Regs 2014 reg 20; SEND CoP 2015 para 9.169",
    "amended_plan": "SEND Regs 2014 reg 22(3)",
}

# Rows whose regulation lets the clock stop for an exception (contract, last column).
_EXCEPTIONS_ALLOWED: Final = frozenset(
    {"decision_whether_to_assess", "advice", "decision_not_to_issue_plan", "final_plan"}
)

_SIX_WEEKS: Final = timedelta(weeks=6)
_TWO_WEEKS: Final = timedelta(weeks=2)
_FOUR_WEEKS: Final = timedelta(weeks=4)
_EIGHT_WEEKS: Final = timedelta(weeks=8)
_SIXTEEN_WEEKS: Final = timedelta(weeks=16)
_TWENTY_WEEKS: Final = timedelta(weeks=20)
_FIFTEEN_DAYS: Final = timedelta(days=15)
_ONE_DAY: Final = timedelta(days=1)


class ClockInputError(ValueError):
    """Input the clock will not guess about; the message is one line, fit for stderr."""


# --- input ------------------------------------------------------------------------------
# Events and deadlines are immutable `NamedTuple` records, not frozen dataclasses: at ten
# thousand cases a frozen dataclass's __init__ (one object.__setattr__ per field) was the
# largest single cost of the command, and a NamedTuple is three times cheaper to build.


class Event(NamedTuple):
    """Something that happened on a case on one day (every event type except `exception`)."""

    type: str
    date: date
    source: str | None = None  # advice_requested / advice_received
    outcome: str | None = None  # la_decision
    family_agreed_early: bool = False  # final_plan_issued


class ExceptionPeriod(NamedTuple):
    """An `exception` event: the days (inclusive) a regulation's exception covered."""

    reason: str
    first_day: date
    last_day: date


class PhaseTransfer(NamedTuple):
    """A planned move between phases of education (reg 2 "transfer between phases")."""

    on: date
    to: str


@dataclass(frozen=True, slots=True)
class Case:
    """One case as the clock sees it; `kind` decides which of the date fields are required."""

    id: str
    kind: str
    events: tuple[Event, ...] = ()
    exceptions: tuple[ExceptionPeriod, ...] = ()
    request_received: date | None = None  # assessment
    date_of_birth: date | None = None  # annual_review (optional on assessment)
    plan_first_issued: date | None = None  # annual_review
    previous_review_meeting: date | None = None  # annual_review, optional
    phase_transfer: PhaseTransfer | None = None  # annual_review, optional


# --- output -----------------------------------------------------------------------------


class Deadline(NamedTuple):
    """One row of the contract's table for one case, as of one day."""

    key: str
    start: date | None  # None only for phase_transfer, which has a fixed calendar date
    due: date
    done: date | None
    status: str
    exception: bool
    rule: str
    explanation: str = ""  # plain English for a family; empty when computed with explain=False


def order_index(key: str) -> int:
    """Position of a deadline key in the contract's table (all `advice:*` share one)."""
    return _ORDER_INDEX[key.split(":", 1)[0]]


# --- date arithmetic (contract, "Deadlines and date arithmetic") ---------------------------

_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_length(year: int, month: int) -> int:
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_months(day: date, months: int) -> date:
    """Calendar months later, clipped to the end of a shorter month (31 Aug + 6 = 28/29 Feb)."""
    index = day.month - 1 + months
    year = day.year + index // 12
    month = index % 12 + 1
    return date(year, month, min(day.day, _month_length(year, month)))


def end_of_twelve_months(start: date) -> date:
    """Last day of the 12 months starting with `start`: the day before the same date a year
    later, and 28 February for a start on 29 February."""
    if start.month == 2 and start.day == 29:
        return date(start.year + 1, 2, 28)
    return date(start.year + 1, start.month, start.day) - _ONE_DAY


# --- validation -------------------------------------------------------------------------


def _label(case: Case) -> str:
    return f"case {_quote(case.id)}"


def _quote(value: object) -> str:
    """A user-supplied value quoted on one line (newlines and quotes escaped)."""
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    return repr(value)


def validate_case(case: Case) -> None:
    """Raise ClockInputError unless the clock can place every fact on this case.

    Called by `parse_request` and by `compute_deadlines`, so a Case built directly (from the
    database, say) gets the same checks as one read from JSON.
    """

    def fail(problem: str) -> NoReturn:
        raise ClockInputError(f"{_label(case)}: {problem}")

    if not isinstance(case.id, str) or not case.id:
        raise ClockInputError(f"case id must be a non-empty string, got {_quote(case.id)}")
    if case.kind not in EVENTS_BY_KIND:
        fail(f"unknown kind {_quote(case.kind)}")
    allowed = EVENTS_BY_KIND[case.kind]
    if case.kind == ASSESSMENT:
        if case.request_received is None:
            fail("missing required field 'request_received'")
        clock_start, start_name = case.request_received, "request_received"
        for name in ("plan_first_issued", "previous_review_meeting", "phase_transfer"):
            if getattr(case, name) is not None:
                fail(f"field {name!r} does not apply to an assessment")
    else:
        if case.date_of_birth is None:
            fail("missing required field 'date_of_birth'")
        if case.plan_first_issued is None:
            fail("missing required field 'plan_first_issued'")
        if case.request_received is not None:
            fail("field 'request_received' does not apply to an annual_review")
        if case.plan_first_issued < case.date_of_birth:
            fail("plan_first_issued is before date_of_birth")
        clock_start, start_name = case.plan_first_issued, "plan_first_issued"
        previous = case.previous_review_meeting
        if previous is not None:
            if previous < case.plan_first_issued:
                fail(
                    f"previous_review_meeting {previous.isoformat()} is before"
                    f" plan_first_issued {case.plan_first_issued.isoformat()}"
                )
            clock_start, start_name = previous, "previous_review_meeting"
        if case.phase_transfer is not None and case.phase_transfer.to not in PHASES:
            fail(f"unknown phase_transfer.to {_quote(case.phase_transfer.to)}")

    same_day: dict[tuple[str, date], Event] = {}
    for event in case.events:
        if event.type == EXCEPTION or event.type not in allowed:
            fail(f"unknown event type {_quote(event.type)} for {case.kind}")
        if event.date < clock_start:
            fail(
                f"{event.type} dated {event.date.isoformat()} is before"
                f" {start_name} {clock_start.isoformat()}"
            )
        is_advice = event.type in ("advice_requested", "advice_received")
        if is_advice and event.source not in ADVICE_SOURCES:
            fail(f"{event.type} has unknown source {_quote(event.source)}")
        if not is_advice and event.source is not None:
            fail(f"{event.type} cannot have a source")
        if event.type == "la_decision":
            if event.outcome not in LA_OUTCOMES:
                fail(f"la_decision has unknown outcome {_quote(event.outcome)}")
        elif event.outcome is not None:
            fail(f"{event.type} cannot have an outcome")
        if event.family_agreed_early and event.type != "final_plan_issued":
            fail(f"{event.type} cannot have family_agreed_early")
        if event.type in ("la_decision", "final_plan_issued"):
            # Two decisions (or final plans) on one day that disagree cannot be ordered.
            if same_day.setdefault((event.type, event.date), event) != event:
                fail(
                    f"two {event.type} events on {event.date.isoformat()} disagree"
                    " (outcome or family_agreed_early)"
                )

    for period in case.exceptions:
        if period.reason not in EXCEPTION_REASONS:
            fail(f"unknown exception reason {_quote(period.reason)}")
        if period.last_day < period.first_day:
            fail(
                f"exception 'to' {period.last_day.isoformat()} is before"
                f" 'from' {period.first_day.isoformat()}"
            )
        if period.last_day < clock_start:
            fail(
                f"exception ending {period.last_day.isoformat()} is before"
                f" {start_name} {clock_start.isoformat()}"
            )
    _match_advice(case)


def _by_date(event: Event) -> date:
    return event.date


_SOURCE_RANK: Final = {source: n for n, source in enumerate(ADVICE_SOURCES)}


def _by_date_and_source(event: Event) -> tuple[date, int]:
    """Advice rows run in request-date order, same-day requests in the contract's source
    order, so the output does not depend on the order the events were listed in."""
    return event.date, _SOURCE_RANK.get(event.source or "", len(ADVICE_SOURCES))


def _unanswerable(case: Case, receipt: Event) -> NoReturn:
    raise ClockInputError(
        f"{_label(case)}: advice_received from {receipt.source} dated"
        f" {receipt.date.isoformat()} has no earlier unanswered advice_requested"
        f" from {receipt.source}"
    )


def _match_advice(case: Case) -> list[tuple[Event, date | None]]:
    """Pair each advice request with the receipt that answers it.

    Receipts are taken in date order; each answers the earliest unanswered request of the
    same source. A receipt with no such request on or before its date cannot be placed.
    Returns requests in (date, source) order with their receipt date or None.
    """
    requests: list[Event] = []
    receipts: list[Event] = []
    for event in case.events:
        if event.type == "advice_requested":
            requests.append(event)
        elif event.type == "advice_received":
            receipts.append(event)
    if not requests and not receipts:
        return []
    requests.sort(key=_by_date_and_source)
    if not receipts:
        return [(request, None) for request in requests]
    receipts.sort(key=_by_date)
    answered: list[date | None] = [None] * len(requests)
    for receipt in receipts:
        for i, request in enumerate(requests):
            if answered[i] is None and request.source == receipt.source:
                if request.date <= receipt.date:
                    answered[i] = receipt.date
                    break
                _unanswerable(case, receipt)
        else:
            _unanswerable(case, receipt)
    return list(zip(requests, answered, strict=True))


# --- computing deadlines ------------------------------------------------------------------


def _first_from(case: Case, event_type: str, start: date, as_of: date) -> date | None:
    """Earliest `event_type` dated from `start` to `as_of`: a report, decision or amended plan
    dated before the step it follows belongs to an earlier round and does not count."""
    found: date | None = None
    for event in case.events:
        if event.type == event_type and start <= event.date <= as_of:
            if found is None or event.date < found:
                found = event.date
    return found


def _status(due: date, done: date | None, as_of: date) -> str:
    if done is not None:
        return MET if done <= due else LATE
    return OVERDUE if as_of > due else DUE


def _overlaps(periods: Sequence[tuple[date, date]], start: date, due: date) -> bool:
    for first, last in periods:
        if first <= due and last >= start:
            return True
    return False


def compute_deadlines(
    case: Case, as_of: date, *, validate: bool = True, explain: bool = True
) -> list[Deadline]:
    """Every deadline on `case` that is known on `as_of`, in the contract's order.

    Anything dated after `as_of` is ignored (see the module docstring), so the answer for a
    given day is fixed once that day has passed. `validate=False` skips the checks already
    made by `parse_case`/`parse_request`/`validate_case`; `explain=False` leaves
    `explanation` empty, for callers (the command) that never show it.
    """
    if validate:
        validate_case(case)
    first: dict[str, Event] = {}
    for event in case.events:
        if event.date <= as_of:
            seen = first.get(event.type)
            if seen is None or event.date < seen.date:
                first[event.type] = event
    rows = _Rows(as_of, explain)
    if case.kind == ASSESSMENT:
        # Every row shown starts on or before as_of, so an exception that began by as_of
        # overlaps a row exactly when its whole period does: no need to cut it at as_of.
        rows.periods = [(p.first_day, p.last_day) for p in case.exceptions if p.first_day <= as_of]
        _assessment(case, as_of, first, rows)
    else:
        _annual_review(case, as_of, first, rows)
    return rows.out


def _day_of(first: Mapping[str, Event], event_type: str) -> date | None:
    event = first.get(event_type)
    return None if event is None else event.date


class _Rows:
    """Collects the deadlines for one case, adding the exception flag and explanation."""

    __slots__ = ("as_of", "explain", "periods", "out")

    def __init__(self, as_of: date, explain: bool) -> None:
        self.as_of = as_of
        self.explain = explain
        self.periods: list[tuple[date, date]] = []
        self.out: list[Deadline] = []

    def add(
        self,
        name: str,
        start: date | None,
        due: date,
        done: date | None,
        what: str | Callable[[], str],
        *,
        key: str | None = None,
        status: str | None = None,
        rule: str | None = None,
        why_not_applicable: str = "",
    ) -> None:
        if status is None:
            status = _status(due, done, self.as_of)
        exception = (
            bool(self.periods)
            and start is not None
            and name in _EXCEPTIONS_ALLOWED
            and _overlaps(self.periods, start, due)
        )
        if self.explain:
            text = what if isinstance(what, str) else what()
            explanation = _explain(
                text, status, due, done, self.as_of, exception, why_not_applicable
            )
        else:
            explanation = ""
        self.out.append(
            Deadline(
                key or name, start, due, done, status, exception, rule or RULES[name], explanation
            )
        )


def _assessment(case: Case, as_of: date, first: Mapping[str, Event], rows: _Rows) -> None:
    request = case.request_received
    assert request is not None
    if request > as_of:
        return

    decided = [
        e.date for t in ("decision_to_assess", "decision_not_to_assess") if (e := first.get(t))
    ]
    rows.add(
        "decision_whether_to_assess",
        request,
        request + _SIX_WEEKS,
        min(decided) if decided else None,
        "The council must decide whether to assess within 6 weeks of receiving the request.",
    )

    if "advice_requested" in first:
        for asked, answered in _match_advice(case):
            if asked.date > as_of:
                continue
            source = asked.source or "other"
            rows.add(
                "advice",
                asked.date,
                asked.date + _SIX_WEEKS,
                answered if answered is not None and answered <= as_of else None,
                lambda source=source, day=asked.date: (
                    f"{_ADVICE_WHO[source]} must send advice for the assessment within 6 weeks"
                    f" of being asked (asked on {_long(day)})."
                ),
                key=f"advice:{source}",
            )

    refused_plan = _day_of(first, "decision_not_to_issue_plan")
    if refused_plan is not None:
        rows.add(
            "decision_not_to_issue_plan",
            request,
            request + _SIXTEEN_WEEKS,
            refused_plan,
            "When the council decides after an assessment not to issue a plan, it must tell"
            " the family within 16 weeks of receiving the request.",
        )

    final = first.get("final_plan_issued")
    draft = _day_of(first, "draft_plan_sent")
    if draft is not None:
        due = draft + _FIFTEEN_DAYS
        if final is None:
            status = DUE
        elif final.date >= due or final.family_agreed_early:
            status = MET
        else:
            status = EARLY
        rows.out.append(
            Deadline(
                "final_not_before",
                draft,
                due,
                final.date if final else None,
                status,
                False,
                RULES["final_not_before"],
                _explain_not_before(draft, due, final, status) if rows.explain else "",
            )
        )

    refused = "decision_not_to_assess" in first or refused_plan is not None
    rows.add(
        "final_plan",
        request,
        request + _TWENTY_WEEKS,
        final.date if final else None,
        "The council must send the final plan within 20 weeks of receiving the request.",
        status=NOT_APPLICABLE if refused else None,
        why_not_applicable=(
            ""
            if not refused
            else "the council decided not to assess"
            if "decision_not_to_assess" in first
            else "the council decided not to issue a plan"
        ),
    )


def _annual_review(case: Case, as_of: date, first: Mapping[str, Event], rows: _Rows) -> None:
    first_issued = case.plan_first_issued
    birth = case.date_of_birth
    assert first_issued is not None and birth is not None
    meeting = _day_of(first, "review_meeting")

    if first_issued <= as_of:
        previous = case.previous_review_meeting
        if previous is not None and previous <= as_of:
            start, since = previous, "the last review meeting on "
        else:
            start, since = first_issued, "the plan was first issued on "
        rows.add(
            "annual_review",
            start,
            end_of_twelve_months(start),
            meeting,
            lambda: f"The plan must be reviewed at a meeting within 12 months of {since}"
            f"{_long(start)}.",
        )
        if start < add_months(birth, 60):
            rows.add(
                "early_years_review",
                start,
                add_months(start, 6) - _ONE_DAY,
                meeting,
                "For a child under 5 the Code of Practice advises reviewing the plan at least"
                " every 3 to 6 months; this is guidance, not a legal deadline.",
            )

    transfer = case.phase_transfer
    if transfer is not None:
        post16 = transfer.to == "post16"
        due = date(transfer.on.year, 3, 31) if post16 else date(transfer.on.year, 2, 15)
        decision = first.get("la_decision")
        if decision is None:
            done = None
        elif decision.outcome == "amend":
            done = _first_from(case, "amended_plan_issued", decision.date, as_of)
        else:
            done = decision.date
        rows.add(
            "phase_transfer",
            None,
            due,
            done,
            lambda: f"Before the move to {_PHASE_NAMES[transfer.to]} on {_long(transfer.on)},"
            f" the council must finish the review, and any change to the plan, by {_long(due)}.",
            rule=RULES["phase_transfer_post16" if post16 else "phase_transfer"],
        )

    if meeting is not None:
        rows.add(
            "review_report",
            meeting,
            meeting + _TWO_WEEKS,
            _first_from(case, "review_report_sent", meeting, as_of),
            "A report of the review meeting must be sent out within 2 weeks of the meeting.",
        )
        rows.add(
            "la_review_decision",
            meeting,
            meeting + _FOUR_WEEKS,
            _first_from(case, "la_decision", meeting, as_of),
            "Within 4 weeks of the review meeting the council must tell the family whether it"
            " will keep the plan as it is, change it, or stop it.",
        )

    notice = _day_of(first, "amendment_notice_sent")
    if notice is not None:
        rows.add(
            "amended_plan",
            notice,
            notice + _EIGHT_WEEKS,
            _first_from(case, "amended_plan_issued", notice, as_of),
            "The council must send the changed (amended) plan within 8 weeks of sending the"
            " family the proposed changes.",
        )


# --- plain-English explanations -----------------------------------------------------------

_MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_ADVICE_WHO: Final = {
    "education": "The school, college or nursery",
    "health": "The health service",
    "social_care": "Social care",
    "educational_psychology": "The educational psychologist",
    "other": "The professional asked",
}

_PHASE_NAMES: Final = {
    "school": "school",
    "junior": "junior school",
    "middle": "middle school",
    "secondary": "secondary school",
    "post16": "a post-16 college or sixth form",
    "other": "the next phase of education",
}


def _long(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _explain(
    what: str,
    status: str,
    due: date,
    done: date | None,
    as_of: date,
    exception: bool,
    why_not_applicable: str,
) -> str:
    if status == MET:
        assert done is not None
        now = f"This was done on {_long(done)}, in time (the deadline was {_long(due)})."
    elif status == LATE:
        assert done is not None
        now = (
            f"This was done on {_long(done)}, {_days((done - due).days)} after the deadline"
            f" of {_long(due)}."
        )
    elif status == OVERDUE:
        now = (
            f"This has not been done yet and is {_days((as_of - due).days)} overdue: the"
            f" deadline was {_long(due)}."
        )
    elif status == DUE:
        when = "today" if due == as_of else _long(due)
        now = f"This has not been done yet; the deadline is {when}."
    else:
        now = f"This deadline no longer applies because {why_not_applicable}."
    if not exception:
        return f"{what} {now}"
    if status in (LATE, OVERDUE):
        note = (
            " An exception (such as a school closure or the family being away) was recorded"
            " during this time; if it made the deadline impossible to meet, the law does not"
            " count the delay as a breach."
        )
    else:
        note = " An exception (such as a school closure or the family being away) was recorded"
        note += " during this time."
    return f"{what} {now}{note}"


def _explain_not_before(draft: date, due: date, final: Event | None, status: str) -> str:
    what = (
        "The family has at least 15 days, starting on the day the draft plan is sent"
        f" ({_long(draft)}), to comment on it and ask for a school or college; the final plan"
        f" should not be sent before {_long(due)} unless the family agrees."
    )
    if final is None:
        return f"{what} No final plan has been sent yet."
    if final.date >= due:
        return f"{what} The final plan was sent on {_long(final.date)}, after the 15 days."
    if status == MET:
        return (
            f"{what} The final plan was sent early, on {_long(final.date)}, with the family's"
            " agreement."
        )
    return (
        f"{what} The final plan was sent on {_long(final.date)}, before the family's 15 days"
        " were over, without the family agreeing to that."
    )


# --- parsing JSON-shaped input (contract, "Input") ----------------------------------------

_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@lru_cache(maxsize=16384)
def _iso_day(value: str) -> date | str:
    """The date, or why it is not one; cached because real requests repeat the same days."""
    if not _ISO_DATE.fullmatch(value):
        return f"date must be ISO 8601 YYYY-MM-DD, got {_quote(value)}"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return f"{_quote(value)} is not a real date"
    if day.year > 9998:
        return f"{_quote(value)} is outside the supported years"
    return day


class _Bad(Exception):
    """A problem found while parsing one object; the caller adds where it was."""


def _day(value: object, name: str) -> date:
    if isinstance(value, str):
        day = _iso_day(value)
        if isinstance(day, date):
            return day
        raise _Bad(f"{name!r}: {day}")
    raise _Bad(f"{name!r}: date must be ISO 8601 YYYY-MM-DD, got {_quote(value)}")


def parse_date(value: object, where: str) -> date:
    """A YYYY-MM-DD string as a date; anything else is a ClockInputError naming `where`."""
    if isinstance(value, str):
        day = _iso_day(value)
        if isinstance(day, date):
            return day
        raise ClockInputError(f"{where}: {day}")
    raise ClockInputError(f"{where}: date must be ISO 8601 YYYY-MM-DD, got {_quote(value)}")


class _Shape:
    """Required and optional fields of one JSON object type."""

    __slots__ = ("required", "allowed")

    def __init__(self, required: Iterable[str], optional: Iterable[str] = ()) -> None:
        self.required = tuple(sorted(required))
        self.allowed = frozenset(self.required) | frozenset(optional)

    def check(self, obj: Mapping[str, Any]) -> None:
        for name in self.required:
            if obj.get(name) is None:
                raise _Bad(f"missing required field {name!r}")
        if len(obj) > len(self.required):
            for name in obj:
                if name not in self.allowed:
                    raise _Bad(f"unknown field {_quote(name)}")


_CASE_SHAPES: Final = {
    ASSESSMENT: _Shape({"id", "kind", "events", "request_received"}, {"date_of_birth"}),
    ANNUAL_REVIEW: _Shape(
        {"id", "kind", "events", "date_of_birth", "plan_first_issued"},
        {"previous_review_meeting", "phase_transfer"},
    ),
}
_EVENT_SHAPES: Final = {
    name: _Shape({"type", "date"}) for name in ASSESSMENT_EVENTS | ANNUAL_REVIEW_EVENTS
} | {
    "advice_requested": _Shape({"type", "date", "source"}),
    "advice_received": _Shape({"type", "date", "source"}),
    "la_decision": _Shape({"type", "date", "outcome"}),
    "final_plan_issued": _Shape({"type", "date"}, {"family_agreed_early"}),
    EXCEPTION: _Shape({"type", "reason", "from", "to"}),
}
_TRANSFER_SHAPE: Final = _Shape({"on", "to"})
_REQUEST_SHAPE: Final = _Shape({"as_of", "cases"})

_ADVICE_SOURCE_SET: Final = frozenset(ADVICE_SOURCES)
_OUTCOME_SET: Final = frozenset(LA_OUTCOMES)
_REASON_SET: Final = frozenset(EXCEPTION_REASONS)
_PHASE_SET: Final = frozenset(PHASES)
_KIND_SET: Final = frozenset(KINDS)


def _choice(value: object, choices: frozenset[str], what: str) -> str:
    if isinstance(value, str) and value in choices:
        return value
    raise _Bad(f"unknown {what} {_quote(value)}")


def _parse_event(raw: object, allowed: frozenset[str], kind: str) -> Event | ExceptionPeriod:
    if not isinstance(raw, dict):
        raise _Bad("must be a JSON object")
    event_type = raw.get("type")
    if event_type is None:
        raise _Bad("missing required field 'type'")
    if not isinstance(event_type, str) or event_type not in allowed:
        raise _Bad(f"unknown event type {_quote(event_type)} for {kind}")
    _EVENT_SHAPES[event_type].check(raw)
    if event_type == EXCEPTION:
        return ExceptionPeriod(
            reason=_choice(raw["reason"], _REASON_SET, "exception reason"),
            first_day=_day(raw["from"], "from"),
            last_day=_day(raw["to"], "to"),
        )
    source = outcome = None
    agreed = False
    if len(raw) > 2:
        if "source" in raw:
            source = _choice(raw["source"], _ADVICE_SOURCE_SET, "source")
        elif "outcome" in raw:
            outcome = _choice(raw["outcome"], _OUTCOME_SET, "outcome")
        else:
            agreed = raw.get("family_agreed_early")
            if agreed is None:
                agreed = False
            elif not isinstance(agreed, bool):
                raise _Bad("family_agreed_early must be true or false")
    return Event(event_type, _day(raw["date"], "date"), source, outcome, agreed)


def parse_case(obj: object, where: str = "case") -> Case:
    """One case from its JSON object; validated, or ClockInputError with a one-line reason."""
    if not isinstance(obj, dict):
        raise ClockInputError(f"{where}: must be a JSON object")
    case_id = obj.get("id")
    if case_id is None:
        raise ClockInputError(f"{where}: missing required field 'id'")
    if not isinstance(case_id, str) or not case_id:
        raise ClockInputError(f"{where}: id must be a non-empty string, got {_quote(case_id)}")
    kind = obj.get("kind")
    try:
        if kind is None:
            raise _Bad("missing required field 'kind'")
        kind = _choice(kind, _KIND_SET, "kind")
        _CASE_SHAPES[kind].check(obj)
        raw_events = obj["events"]
        if not isinstance(raw_events, list):
            raise _Bad("events must be a list")
    except _Bad as bad:
        raise ClockInputError(f"case {_quote(case_id)}: {bad}") from None

    allowed = EVENTS_BY_KIND[kind]
    events: list[Event] = []
    exceptions: list[ExceptionPeriod] = []
    for i, raw in enumerate(raw_events):
        try:
            parsed = _parse_event(raw, allowed, kind)
        except _Bad as bad:
            kind_of = raw.get("type") if isinstance(raw, dict) else None
            label = f" ({kind_of})" if isinstance(kind_of, str) and kind_of in allowed else ""
            raise ClockInputError(f"case {_quote(case_id)} events[{i}]{label}: {bad}") from None
        if type(parsed) is Event:
            events.append(parsed)
        else:
            exceptions.append(parsed)  # type: ignore[arg-type]

    try:
        transfer = None
        raw_transfer = obj.get("phase_transfer")
        if raw_transfer is not None:
            if not isinstance(raw_transfer, dict):
                raise _Bad("phase_transfer must be a JSON object")
            try:
                _TRANSFER_SHAPE.check(raw_transfer)
                transfer = PhaseTransfer(
                    on=_day(raw_transfer["on"], "on"),
                    to=_choice(raw_transfer["to"], _PHASE_SET, "phase_transfer.to"),
                )
            except _Bad as bad:
                raise _Bad(f"phase_transfer: {bad}") from None
        dates: dict[str, date | None] = {}
        for name in _CASE_DATES:
            value = obj.get(name)
            dates[name] = None if value is None else _day(value, name)
    except _Bad as bad:
        raise ClockInputError(f"case {_quote(case_id)}: {bad}") from None

    case = Case(
        id=case_id,
        kind=kind,
        events=tuple(events),
        exceptions=tuple(exceptions),
        phase_transfer=transfer,
        **dates,
    )
    validate_case(case)
    return case


_CASE_DATES: Final = (
    "request_received",
    "date_of_birth",
    "plan_first_issued",
    "previous_review_meeting",
)


def parse_request(obj: object) -> tuple[date, list[Case]]:
    """The contract's request object as (as_of, cases); the first problem found is raised."""
    if not isinstance(obj, dict):
        raise ClockInputError("request must be a JSON object with 'as_of' and 'cases'")
    try:
        _REQUEST_SHAPE.check(obj)
    except _Bad as bad:
        raise ClockInputError(f"request: {bad}") from None
    as_of = parse_date(obj["as_of"], "as_of")
    raw_cases = obj["cases"]
    if not isinstance(raw_cases, list):
        raise ClockInputError("request: cases must be a list")
    cases: list[Case] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_cases):
        case = parse_case(raw, f"cases[{i}]")
        if case.id in seen:
            raise ClockInputError(f"cases[{i}]: duplicate case id {_quote(case.id)}")
        seen.add(case.id)
        cases.append(case)
    return as_of, cases
