"""Worked examples: every expected date below was counted by hand from the contract's rules
(N weeks = 7N days; 12 months starting with D ends the day before D a year on; months clip
to the month's end), not produced by the code under test."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sendhub.clock.tests.builders import (
    assessment,
    deadline_list,
    deadlines,
    ev,
    exc,
    review,
    run_command,
)
from sendhub.clock.timescales import add_months, end_of_twelve_months

CONTRACT_EXAMPLE = {
    "as_of": "2026-03-02",
    "cases": [
        {
            "id": "A-1",
            "kind": "assessment",
            "request_received": "2025-09-01",
            "events": [
                {"type": "decision_to_assess", "date": "2025-10-06"},
                {"type": "advice_requested", "date": "2025-10-07", "source": "health"},
                {"type": "advice_received", "date": "2025-11-20", "source": "health"},
                {"type": "decision_to_issue_plan", "date": "2025-12-08"},
                {"type": "draft_plan_sent", "date": "2025-12-10"},
                {"type": "final_plan_issued", "date": "2026-01-16"},
                {"type": "exception", "reason": "absent_from_area", "from": "2025-10-20", "to": "2025-11-30"},
            ],
        },
        {
            "id": "R-1",
            "kind": "annual_review",
            "date_of_birth": "2014-05-03",
            "plan_first_issued": "2023-03-10",
            "previous_review_meeting": "2025-02-20",
            "phase_transfer": {"on": "2026-09-01", "to": "secondary"},
            "events": [
                {"type": "review_meeting", "date": "2026-01-12"},
                {"type": "review_report_sent", "date": "2026-01-20"},
                {"type": "la_decision", "date": "2026-02-05", "outcome": "amend"},
                {"type": "amendment_notice_sent", "date": "2026-02-05"},
                {"type": "amended_plan_issued", "date": "2026-02-13"},
            ],
        },
    ],
}


def row(key, due, done, status, exception, rule):
    return {"key": key, "due": due, "done": done, "status": status, "exception": exception, "rule": rule}


# request 1 Sep 2025.  +6 weeks = 13 Oct; decided 6 Oct -> met; 6 Oct..13 Oct misses
# the 20 Oct-30 Nov exception.  Health advice asked 7 Oct, +6 weeks = 18 Nov, received
# 20 Nov -> late, and 7 Oct..18 Nov overlaps the exception.  No decision not to issue a
# plan, so no 16-week row.  Draft 10 Dec: the 15 days are 10-24 Dec, so the final plan may
# be sent from 25 Dec; sent 16 Jan -> met, never an exception.  Final plan: +20 weeks =
# 19 Jan 2026, sent 16 Jan -> met; 1 Sep..19 Jan overlaps the exception.
# last review 20 Feb 2025, so the 12 months end 19 Feb 2026; met on 12 Jan.  Born 2014,
# so no early-years row.  Secondary transfer in 2026 -> 15 Feb 2026; the LA decided to
# amend, so done when the amended plan was issued, 13 Feb -> met.  Report: 12 Jan + 2 weeks
# = 26 Jan, sent 20 Jan.  Decision: + 4 weeks = 9 Feb, made 5 Feb.  Amended plan: notice
# 5 Feb + 8 weeks = 2 Apr, issued 13 Feb.
CONTRACT_EXAMPLE_OUTPUT = {
    "as_of": "2026-03-02",
    "cases": [
        {
            "id": "A-1",
            "deadlines": [
                row("decision_whether_to_assess", "2025-10-13", "2025-10-06", "met", False, "SEND Regs 2014 reg 4(1) / 5(1)"),
                row("advice:health", "2025-11-18", "2025-11-20", "late", True, "SEND Regs 2014 reg 8(1)"),
                row("final_not_before", "2025-12-25", "2026-01-16", "met", False, "SEND Regs 2014 reg 13(1)(a)"),
                row("final_plan", "2026-01-19", "2026-01-16", "met", True, "SEND Regs 2014 reg 13(2)"),
            ],
        },
        {
            "id": "R-1",
            "deadlines": [
                row(
                    "annual_review", "2026-02-19", "2026-01-12", "met", False,
                    "Children and Families Act 2014 s44; SEND CoP 2015 para 9.169",
                ),
                row("phase_transfer", "2026-02-15", "2026-02-13", "met", False, "SEND Regs 2014 reg 18(1)(b)"),
                row("review_report", "2026-01-26", "2026-01-20", "met", False, "SEND Regs 2014 reg 20; reg 21(7)"),
                row(
                    "la_review_decision", "2026-02-09", "2026-02-05", "met", False,
                    "SEND Regs 2014 reg 20; SEND CoP 2015 para 9.169",
                ),
                row("amended_plan", "2026-04-02", "2026-02-13", "met", False, "SEND Regs 2014 reg 22(3)"),
            ],
        },
    ],
}  # fmt: skip


def test_contract_example_end_to_end():
    code, out, err = run_command(CONTRACT_EXAMPLE)
    assert (code, err) == (0, "")
    assert out.endswith("\n") and out.count("\n") == 1
    assert json.loads(out) == CONTRACT_EXAMPLE_OUTPUT


def test_contract_example_first_row_matches_the_contract_text_exactly():
    """The contract prints the first deadline of A-1; its keys and order are the format."""
    _, out, _ = run_command(CONTRACT_EXAMPLE)
    first = json.loads(out)["cases"][0]["deadlines"][0]
    assert list(first) == ["key", "due", "done", "status", "exception", "rule"]
    assert list(json.loads(out)) == ["as_of", "cases"]
    assert list(json.loads(out)["cases"][0]) == ["id", "deadlines"]


def test_explanations_are_plain_english_for_a_parent():
    rows = deadlines(CONTRACT_EXAMPLE["cases"][0], "2026-03-02")
    assert rows["decision_whether_to_assess"].explanation.startswith(
        "The council must decide whether to assess within 6 weeks of receiving the request."
    )
    assert "6 October 2025" in rows["decision_whether_to_assess"].explanation
    assert "2 days after the deadline of 18 November 2025" in rows["advice:health"].explanation
    assert "does not count the delay as a breach" in rows["advice:health"].explanation
    assert "25 December 2025" in rows["final_not_before"].explanation


# --- date arithmetic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2024, 2, 29), date(2025, 2, 28)),  # 29 Feb: the 12 months end on 28 Feb
        (date(2023, 2, 28), date(2024, 2, 27)),  # the day before 28 Feb 2024 (a leap year)
        (date(2023, 3, 1), date(2024, 2, 29)),  # the day before 1 Mar 2024 is 29 Feb
        (date(2024, 3, 1), date(2025, 2, 28)),
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2025, 12, 31), date(2026, 12, 30)),
    ],
)
def test_end_of_twelve_months(start, end):
    assert end_of_twelve_months(start) == end


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2020, 2, 29), 60, date(2025, 2, 28)),
        (date(2024, 5, 31), 6, date(2024, 11, 30)),
    ],
)
def test_add_months_clips_to_month_end(start, months, end):
    assert add_months(start, months) == end


# --- assessment ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_day", "final_due"),
    [("2024-01-15", "2024-06-03"), ("2025-01-15", "2025-06-04")],  # 29 Feb 2024 is one of the 140 days
)
def test_twenty_weeks_across_a_leap_day(request_day, final_due):
    rows = deadlines(assessment(request_day), "2024-02-01" if request_day < "2025" else "2025-02-01")
    assert rows["final_plan"].due.isoformat() == final_due
    assert rows["final_plan"].status == "due"


def test_decision_on_the_last_day_is_met_and_the_day_after_is_late():
    on_time = deadlines(assessment("2025-09-01", ev("decision_to_assess", "2025-10-13")), "2026-01-01")
    late = deadlines(assessment("2025-09-01", ev("decision_not_to_assess", "2025-10-14")), "2026-01-01")
    assert on_time["decision_whether_to_assess"].status == "met"
    assert late["decision_whether_to_assess"].status == "late"


def test_overdue_the_day_after_due_and_due_on_the_day():
    assert deadlines(assessment("2025-09-01"), "2025-10-13")["decision_whether_to_assess"].status == "due"
    assert deadlines(assessment("2025-09-01"), "2025-10-14")["decision_whether_to_assess"].status == "overdue"
    assert "today" in deadlines(assessment("2025-09-01"), "2025-10-13")["decision_whether_to_assess"].explanation


def test_repeated_event_type_earliest_wins():
    rows = deadlines(
        assessment(
            "2025-09-01",
            ev("decision_to_assess", "2025-11-01"),
            ev("decision_to_assess", "2025-10-01"),
            ev("final_plan_issued", "2026-02-01"),
            ev("final_plan_issued", "2026-01-10"),
        ),
        "2026-03-01",
    )
    assert rows["decision_whether_to_assess"].done == date(2025, 10, 1)
    assert rows["decision_whether_to_assess"].status == "met"
    assert rows["final_plan"].done == date(2026, 1, 10)


def test_not_applicable_after_decision_not_to_assess():
    rows = deadline_list(assessment("2025-09-01", ev("decision_not_to_assess", "2025-10-01")), "2026-06-01")
    assert [d.key for d in rows] == ["decision_whether_to_assess", "final_plan"]
    assert rows[0].status == "met"
    assert rows[1].status == "not_applicable"
    assert rows[1].done is None
    assert "decided not to assess" in rows[1].explanation


@pytest.mark.parametrize(("refused", "status"), [("2025-12-22", "met"), ("2025-12-23", "late")])
def test_decision_not_to_issue_plan_row_and_final_plan_not_applicable(refused, status):
    rows = deadlines(
        assessment(
            "2025-09-01",
            ev("decision_to_assess", "2025-10-01"),
            ev("decision_not_to_issue_plan", refused),
        ),
        "2026-06-01",
    )
    assert list(rows) == ["decision_whether_to_assess", "decision_not_to_issue_plan", "final_plan"]
    assert rows["decision_not_to_issue_plan"].due == date(2025, 12, 22)  # 1 Sep + 16 weeks
    assert rows["decision_not_to_issue_plan"].status == status
    assert rows["final_plan"].status == "not_applicable"
    assert "decided not to issue a plan" in rows["final_plan"].explanation


def test_no_decision_not_to_issue_plan_row_until_that_decision_is_made():
    rows = deadlines(assessment("2025-09-01", ev("decision_to_assess", "2025-10-01")), "2026-06-01")
    assert "decision_not_to_issue_plan" not in rows
    assert rows["final_plan"].status == "overdue"


def test_not_applicable_final_plan_still_reports_an_overlapping_exception():
    rows = deadlines(
        assessment(
            "2025-09-01",
            ev("decision_not_to_assess", "2025-10-01"),
            exc("2025-12-01", "2025-12-31", "school_closure"),
        ),
        "2026-06-01",
    )
    assert rows["final_plan"].status == "not_applicable"
    assert rows["final_plan"].exception is True
    assert rows["decision_whether_to_assess"].exception is False  # 1 Sep-13 Oct


# draft sent 10 Dec 2025: the family's 15 days are 10-24 Dec; the final plan may go from 25 Dec.
@pytest.mark.parametrize(
    ("final", "agreed", "status"),
    [
        (ev("final_plan_issued", "2025-12-24"), False, "early"),
        (ev("final_plan_issued", "2025-12-24", family_agreed_early=True), True, "met"),
        (ev("final_plan_issued", "2025-12-25"), False, "met"),
        (ev("final_plan_issued", "2025-12-11", family_agreed_early=False), False, "early"),
    ],
)
def test_final_not_before(final, agreed, status):
    rows = deadlines(
        assessment("2025-09-01", ev("decision_to_assess", "2025-10-01"), ev("draft_plan_sent", "2025-12-10"), final),
        "2026-06-01",
    )
    row_ = rows["final_not_before"]
    assert (row_.start, row_.due) == (date(2025, 12, 10), date(2025, 12, 25))
    assert row_.status == status
    assert row_.exception is False
    assert ("agreement" in row_.explanation) == agreed


def test_final_not_before_is_due_while_no_final_plan_and_never_overdue():
    rows = deadlines(
        assessment("2025-09-01", ev("decision_to_assess", "2025-10-01"), ev("draft_plan_sent", "2025-12-10")),
        "2027-01-01",
    )
    assert rows["final_not_before"].status == "due"
    assert rows["final_not_before"].done is None
    assert rows["final_plan"].status == "overdue"


def test_final_not_before_even_with_an_exception_in_its_window():
    rows = deadlines(
        assessment("2025-09-01", ev("draft_plan_sent", "2025-12-10"), exc("2025-12-01", "2025-12-31")),
        "2026-01-05",
    )
    assert rows["final_not_before"].exception is False
    assert rows["final_plan"].exception is True


# --- exceptions: the overlap is inclusive at both ends --------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "decision_flag", "final_flag"),
    [
        ("2025-10-13", "2025-10-20", True, True),  # starts on the decision's due day
        ("2025-10-14", "2025-10-20", False, True),  # starts the day after
        ("2025-08-01", "2025-09-01", True, True),  # ends on the request day
        ("2026-01-19", "2026-02-10", False, True),  # starts on the final plan's due day
        ("2026-01-20", "2026-02-10", False, False),  # starts the day after
    ],
)
def test_exception_overlap_boundaries(first, last, decision_flag, final_flag):
    rows = deadlines(assessment("2025-09-01", exc(first, last, "school_closure")), "2026-03-01")
    assert rows["decision_whether_to_assess"].exception is decision_flag
    assert rows["final_plan"].exception is final_flag


def test_exception_does_not_change_status_or_dates():
    plain = deadlines(assessment("2025-09-01", ev("decision_to_assess", "2025-11-01")), "2026-03-01")
    excused = deadlines(
        assessment("2025-09-01", ev("decision_to_assess", "2025-11-01"), exc("2025-10-01", "2025-10-31")),
        "2026-03-01",
    )
    for key in plain:
        assert (plain[key].due, plain[key].status) == (excused[key].due, excused[key].status)
    assert excused["decision_whether_to_assess"].status == "late"
    assert excused["decision_whether_to_assess"].exception is True


def test_exception_beginning_after_as_of_is_ignored():
    case = assessment("2025-09-01", exc("2025-10-05", "2025-10-20"))
    assert deadlines(case, "2025-10-04")["decision_whether_to_assess"].exception is False
    assert deadlines(case, "2025-10-05")["decision_whether_to_assess"].exception is True


def test_annual_review_rows_never_carry_an_exception():
    rows = deadline_list(
        review("2025-01-10", ev("review_meeting", "2025-12-01"), exc("2025-01-01", "2026-12-31", "school_closure")),
        "2026-03-01",
    )
    assert rows and all(d.exception is False for d in rows)


# --- advice matching -------------------------------------------------------------------------


def test_two_requests_of_one_source_are_matched_earliest_first():
    case = assessment(
        "2025-09-01",
        ev("decision_to_assess", "2025-10-01"),
        ev("advice_requested", "2025-10-20", source="health"),
        ev("advice_requested", "2025-10-07", source="health"),
        ev("advice_received", "2025-11-28", source="health"),
        ev("advice_received", "2025-11-25", source="health"),
        ev("advice_requested", "2025-10-07", source="education"),
    )
    advice = [d for d in deadline_list(case, "2026-01-10") if d.key.startswith("advice:")]
    assert [(d.key, d.start, d.due, d.done, d.status) for d in advice] == [
        ("advice:education", date(2025, 10, 7), date(2025, 11, 18), None, "overdue"),
        ("advice:health", date(2025, 10, 7), date(2025, 11, 18), date(2025, 11, 25), "late"),
        ("advice:health", date(2025, 10, 20), date(2025, 12, 1), date(2025, 11, 28), "met"),
    ]


def test_a_receipt_answers_the_earliest_request_not_the_nearest():
    case = assessment(
        "2025-09-01",
        ev("advice_requested", "2025-10-07", source="social_care"),
        ev("advice_requested", "2025-10-20", source="social_care"),
        ev("advice_received", "2025-10-25", source="social_care"),
    )
    advice = deadline_list(case, "2025-11-20")[1:3]
    assert [(d.start, d.done, d.status) for d in advice] == [
        (date(2025, 10, 7), date(2025, 10, 25), "met"),
        (date(2025, 10, 20), None, "due"),  # due 1 Dec
    ]


def test_advice_requested_after_as_of_is_left_out_and_late_receipt_ignored():
    case = assessment(
        "2025-09-01",
        ev("advice_requested", "2025-10-07", source="educational_psychology"),
        ev("advice_received", "2025-11-30", source="educational_psychology"),
        ev("advice_requested", "2025-11-10", source="other"),
    )
    rows = deadline_list(case, "2025-11-05")
    assert [d.key for d in rows] == ["decision_whether_to_assess", "advice:educational_psychology", "final_plan"]
    assert rows[1].done is None and rows[1].status == "due"


# --- as_of: later events do not count ------------------------------------------------------


def test_contract_case_seen_from_an_earlier_day():
    rows = deadlines(CONTRACT_EXAMPLE["cases"][0], "2025-10-10")
    assert list(rows) == ["decision_whether_to_assess", "advice:health", "final_plan"]
    assert rows["decision_whether_to_assess"].status == "met"
    assert (rows["advice:health"].done, rows["advice:health"].status) == (None, "due")
    assert (rows["final_plan"].done, rows["final_plan"].status) == (None, "due")
    assert rows["advice:health"].exception is False  # the exception begins 20 Oct
    assert rows["final_plan"].exception is False


def test_request_after_as_of_has_no_deadlines_yet():
    assert deadline_list(assessment("2025-09-01"), "2025-08-31") == []
    assert [d.key for d in deadline_list(assessment("2025-09-01"), "2025-09-01")] == [
        "decision_whether_to_assess",
        "final_plan",
    ]


# --- annual review -----------------------------------------------------------------------


def test_first_review_counts_from_plan_first_issued_on_29_february():
    met = deadlines(review("2024-02-29", ev("review_meeting", "2025-02-28")), "2025-06-01")
    late = deadlines(review("2024-02-29", ev("review_meeting", "2025-03-01")), "2025-06-01")
    assert met["annual_review"].due == date(2025, 2, 28)
    assert met["annual_review"].status == "met"
    assert late["annual_review"].status == "late"
    assert "first issued on 29 February 2024" in met["annual_review"].explanation


def test_review_overdue_without_a_meeting():
    rows = deadline_list(review("2024-05-01"), "2025-05-01")
    assert [(d.key, d.due, d.status) for d in rows] == [("annual_review", date(2025, 4, 30), "overdue")]


def test_previous_review_meeting_after_as_of_is_ignored():
    case = review("2023-03-10", previous_review_meeting="2024-03-01")
    assert deadlines(case, "2024-02-01")["annual_review"].start == date(2023, 3, 10)
    assert deadlines(case, "2024-03-01")["annual_review"].start == date(2024, 3, 1)


@pytest.mark.parametrize(
    ("birth", "start", "has_row"),
    [
        ("2021-03-10", "2026-03-09", True),  # the day before the fifth birthday
        ("2021-03-10", "2026-03-10", False),  # on it: no longer under 5
        ("2020-02-29", "2025-02-27", True),  # fifth birthday of a 29 Feb child: 28 Feb 2025
        ("2020-02-29", "2025-02-28", False),
    ],
)
def test_early_years_review_only_under_five_on_the_start_date(birth, start, has_row):
    rows = deadlines(review(start, date_of_birth=birth), start)
    assert ("early_years_review" in rows) is has_row


@pytest.mark.parametrize(
    ("start", "due"),
    [("2025-08-31", "2026-02-27"), ("2023-08-31", "2024-02-28"), ("2024-03-15", "2024-09-14")],
)
def test_early_years_review_six_months_less_a_day_from_month_ends(start, due):
    rows = deadlines(review(start, date_of_birth="2022-01-01"), start)
    assert rows["early_years_review"].due.isoformat() == due
    assert rows["early_years_review"].rule == "SEND CoP 2015 para 9.178 (advisory)"


def test_early_years_review_met_by_the_same_meeting():
    rows = deadlines(
        review("2024-01-10", ev("review_meeting", "2024-07-09"), date_of_birth="2021-06-01"),
        "2024-12-01",
    )
    assert rows["early_years_review"].due == date(2024, 7, 9)
    assert rows["early_years_review"].status == "met"
    assert rows["annual_review"].status == "met"


@pytest.mark.parametrize(
    ("to", "due", "rule"),
    [
        ("secondary", date(2027, 2, 15), "SEND Regs 2014 reg 18(1)(b)"),
        ("school", date(2027, 2, 15), "SEND Regs 2014 reg 18(1)(b)"),
        ("junior", date(2027, 2, 15), "SEND Regs 2014 reg 18(1)(b)"),
        ("middle", date(2027, 2, 15), "SEND Regs 2014 reg 18(1)(b)"),
        ("other", date(2027, 2, 15), "SEND Regs 2014 reg 18(1)(b)"),
        ("post16", date(2027, 3, 31), "SEND Regs 2014 reg 18(1)(a)"),
    ],
)
def test_phase_transfer_dates(to, due, rule):
    rows = deadlines(review("2025-03-01", phase_transfer={"on": "2027-09-01", "to": to}), "2026-01-01")
    assert (rows["phase_transfer"].start, rows["phase_transfer"].due, rows["phase_transfer"].rule) == (None, due, rule)
    assert rows["phase_transfer"].status == "due"


@pytest.mark.parametrize(("decided", "status"), [("2027-02-15", "met"), ("2027-02-16", "late")])
def test_phase_transfer_done_by_a_maintain_decision(decided, status):
    case = review(
        "2026-02-01",
        ev("review_meeting", "2027-01-20"),
        ev("la_decision", decided, outcome="maintain"),
        phase_transfer={"on": "2027-09-01", "to": "secondary"},
    )
    assert deadlines(case, "2027-05-01")["phase_transfer"].status == status


def test_phase_transfer_to_post16_done_only_when_the_amended_plan_is_issued():
    events = [
        ev("review_meeting", "2027-01-10"),
        ev("la_decision", "2027-01-20", outcome="amend"),
        ev("amendment_notice_sent", "2027-01-20"),
    ]
    transfer = {"on": "2027-09-01", "to": "post16"}
    waiting = deadlines(review("2026-02-01", *events, phase_transfer=transfer), "2027-03-20")
    overdue = deadlines(review("2026-02-01", *events, phase_transfer=transfer), "2027-04-01")
    late = deadlines(
        review("2026-02-01", *events, ev("amended_plan_issued", "2027-04-01"), phase_transfer=transfer), "2027-05-01"
    )
    assert (waiting["phase_transfer"].done, waiting["phase_transfer"].status) == (None, "due")
    assert overdue["phase_transfer"].status == "overdue"
    assert (late["phase_transfer"].done, late["phase_transfer"].status) == (date(2027, 4, 1), "late")
    assert late["amended_plan"].due == date(2027, 3, 17)  # 20 Jan + 8 weeks
    assert late["amended_plan"].status == "late"


def test_review_cycle_rows_and_their_order():
    case = review(
        "2024-06-01",
        ev("review_meeting", "2025-05-20"),
        ev("review_report_sent", "2025-06-04"),
        ev("la_decision", "2025-06-18", outcome="amend"),
        ev("amendment_notice_sent", "2025-06-18"),
        phase_transfer={"on": "2026-09-01", "to": "junior"},
    )
    rows = deadline_list(case, "2025-09-01")
    assert [(d.key, d.due.isoformat(), d.status) for d in rows] == [
        ("annual_review", "2025-05-31", "met"),
        ("phase_transfer", "2026-02-15", "due"),
        ("review_report", "2025-06-03", "late"),
        ("la_review_decision", "2025-06-17", "late"),
        ("amended_plan", "2025-08-13", "overdue"),
    ]


def test_steps_dated_before_the_step_they_follow_do_not_count():
    """A report or decision before this meeting, or an amended plan before this notice,
    belongs to an earlier round; the earliest one on or after the start is what counts."""
    case = review(
        "2024-06-01",
        ev("review_report_sent", "2025-05-01"),
        ev("la_decision", "2025-05-02", outcome="amend"),
        ev("amended_plan_issued", "2025-05-03"),
        ev("review_meeting", "2025-05-20"),
        ev("review_report_sent", "2025-06-10"),
        ev("la_decision", "2025-06-10", outcome="amend"),
        ev("amendment_notice_sent", "2025-06-10"),
        ev("amended_plan_issued", "2025-08-05"),  # 10 Jun + 8 weeks
    )
    rows = deadlines(case, "2025-09-01")
    assert (rows["review_report"].done, rows["review_report"].status) == (date(2025, 6, 10), "late")
    assert (rows["la_review_decision"].done, rows["la_review_decision"].status) == (date(2025, 6, 10), "met")
    assert (rows["amended_plan"].done, rows["amended_plan"].status) == (date(2025, 8, 5), "met")
