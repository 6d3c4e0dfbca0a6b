"""Every kind of input the clock refuses: exit 2, one line on stderr, nothing on stdout."""

from __future__ import annotations

import copy
import io
from datetime import date

import pytest

from sendhub.clock.command import run
from sendhub.clock.tests.builders import assessment, ev, exc, review, run_command
from sendhub.clock.timescales import Case, ClockInputError, Event, compute_deadlines, parse_request

GOOD_ASSESSMENT = assessment(
    "2025-09-01",
    ev("decision_to_assess", "2025-10-06"),
    ev("advice_requested", "2025-10-07", source="health"),
    ev("advice_received", "2025-11-20", source="health"),
    ev("final_plan_issued", "2026-01-16"),
    exc("2025-10-20", "2025-11-30"),
    case_id="A-1",
)
GOOD_REVIEW = review(
    "2023-03-10",
    ev("review_meeting", "2026-01-12"),
    ev("review_report_sent", "2026-01-20"),
    ev("la_decision", "2026-02-05", outcome="amend"),
    ev("amendment_notice_sent", "2026-02-05"),
    ev("amended_plan_issued", "2026-02-13"),
    previous_review_meeting="2025-02-20",
    phase_transfer={"on": "2026-09-01", "to": "secondary"},
    case_id="R-1",
)
GOOD = {"as_of": "2026-03-02", "cases": [GOOD_ASSESSMENT, GOOD_REVIEW]}


def _with(change):
    request = copy.deepcopy(GOOD)
    change(request)
    return request


def _set(path, value):
    def change(request):
        target = request
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _drop(path):
    def change(request):
        target = request
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return change


def _add_event(case_index, event):
    def change(request):
        request["cases"][case_index]["events"].append(event)

    return change


A, R = 0, 1
INVALID = {
    "missing as_of": (_drop(["as_of"]), "missing required field 'as_of'"),
    "missing cases": (_drop(["cases"]), "missing required field 'cases'"),
    "unknown top-level field": (_set(["today"], "2026-03-02"), 'unknown field "today"'),
    "cases not a list": (_set(["cases"], {}), "cases must be a list"),
    "as_of not zero-padded": (_set(["as_of"], "2026-3-2"), "ISO 8601"),
    "as_of basic format": (_set(["as_of"], "20260302"), "ISO 8601"),
    "as_of with a time": (_set(["as_of"], "2026-03-02T00:00:00"), "ISO 8601"),
    "as_of week date": (_set(["as_of"], "2026-W10-1"), "ISO 8601"),
    "as_of not a real day": (_set(["as_of"], "2026-02-30"), "not a real date"),
    "as_of a number": (_set(["as_of"], 20260302), "ISO 8601"),
    "as_of with non-ASCII digits": (_set(["as_of"], "２０２６-03-02"), "ISO 8601"),
    "case not an object": (_set(["cases", A], "A-1"), "must be a JSON object"),
    "missing id": (_drop(["cases", A, "id"]), "missing required field 'id'"),
    "id not a string": (_set(["cases", A, "id"], 7), "id must be a non-empty string"),
    "empty id": (_set(["cases", A, "id"], ""), "id must be a non-empty string"),
    "duplicate id": (_set(["cases", R, "id"], "A-1"), 'duplicate case id "A-1"'),
    "missing kind": (_drop(["cases", A, "kind"]), "missing required field 'kind'"),
    "unknown kind": (_set(["cases", A, "kind"], "reassessment"), 'unknown kind "reassessment"'),
    "missing request_received": (_drop(["cases", A, "request_received"]), "'request_received'"),
    "null request_received": (_set(["cases", A, "request_received"], None), "'request_received'"),
    "missing events": (_drop(["cases", A, "events"]), "missing required field 'events'"),
    "events not a list": (_set(["cases", A, "events"], {}), "events must be a list"),
    "unknown case field": (_set(["cases", A, "school"], "X"), 'unknown field "school"'),
    "review field on an assessment": (_set(["cases", A, "plan_first_issued"], "2025-01-01"), "unknown field"),
    "missing date_of_birth": (_drop(["cases", R, "date_of_birth"]), "'date_of_birth'"),
    "missing plan_first_issued": (_drop(["cases", R, "plan_first_issued"]), "'plan_first_issued'"),
    "bad plan_first_issued": (_set(["cases", R, "plan_first_issued"], "10/03/2023"), "ISO 8601"),
    "unknown event type": (_add_event(A, ev("decision_to_asses", "2025-10-06")), 'unknown event type "decision_to_asses"'),
    "event of the other kind": (_add_event(A, ev("review_meeting", "2025-10-06")), 'unknown event type "review_meeting"'),
    "event without type": (_add_event(A, {"date": "2025-10-06"}), "missing required field 'type'"),
    "event not an object": (_add_event(A, "decision_to_assess"), "must be a JSON object"),
    "event without date": (_add_event(A, {"type": "draft_plan_sent"}), "missing required field 'date'"),
    "event date not ISO": (_add_event(A, ev("draft_plan_sent", "10 Dec 2025")), "ISO 8601"),
    "event before the request": (_add_event(A, ev("decision_to_assess", "2025-08-31")), "before request_received"),
    "review event before the cycle start": (
        _add_event(R, ev("review_meeting", "2025-02-19")),
        "before previous_review_meeting",
    ),
    "previous review before plan": (_set(["cases", R, "previous_review_meeting"], "2023-03-09"), "is before plan_first_issued"),
    "unknown source": (_add_event(A, ev("advice_requested", "2025-10-07", source="dentist")), 'unknown source "dentist"'),
    "advice without source": (_add_event(A, ev("advice_requested", "2025-10-07")), "missing required field 'source'"),
    "source on another event": (_add_event(A, ev("draft_plan_sent", "2025-12-10", source="health")), 'unknown field "source"'),
    "receipt with no request": (
        _add_event(A, ev("advice_received", "2025-11-01", source="education")),
        "has no earlier unanswered advice_requested",
    ),
    "receipt before its request": (
        _set(["cases", A, "events", 2, "date"], "2025-10-06"),
        "has no earlier unanswered advice_requested",
    ),
    "second receipt for one request": (
        _add_event(A, ev("advice_received", "2025-11-21", source="health")),
        "has no earlier unanswered advice_requested",
    ),
    "unknown outcome": (_set(["cases", R, "events", 2, "outcome"], "review"), 'unknown outcome "review"'),
    "missing outcome": (_drop(["cases", R, "events", 2, "outcome"]), "missing required field 'outcome'"),
    "disagreeing decisions on one day": (
        _add_event(R, ev("la_decision", "2026-02-05", outcome="cease")),
        "disagree",
    ),
    "family_agreed_early not a boolean": (
        _set(["cases", A, "events", 3, "family_agreed_early"], "yes"),
        "family_agreed_early must be true or false",
    ),
    "family_agreed_early on another event": (
        _add_event(A, ev("draft_plan_sent", "2025-12-10", family_agreed_early=True)),
        'unknown field "family_agreed_early"',
    ),
    "unknown exception reason": (_set(["cases", A, "events", 4, "reason"], "holiday"), 'unknown exception reason "holiday"'),
    "exception without to": (_drop(["cases", A, "events", 4, "to"]), "missing required field 'to'"),
    "exception to before from": (_set(["cases", A, "events", 4, "to"], "2025-10-19"), "is before 'from'"),
    "exception entirely before the request": (
        _add_event(A, exc("2025-07-01", "2025-08-31")),
        "is before request_received",
    ),
    "exception with a date": (_set(["cases", A, "events", 4, "date"], "2025-10-20"), 'unknown field "date"'),
    "unknown phase_transfer.to": (_set(["cases", R, "phase_transfer", "to"], "university"), 'unknown phase_transfer.to "university"'),
    "phase_transfer without on": (_drop(["cases", R, "phase_transfer", "on"]), "missing required field 'on'"),
    "phase_transfer not an object": (_set(["cases", R, "phase_transfer"], "secondary"), "must be a JSON object"),
    "newline in a value": (_set(["cases", A, "kind"], "assess\nment"), 'unknown kind "assess\\nment"'),
}


def test_the_good_request_is_valid():
    code, out, err = run_command(GOOD)
    assert (code, err) == (0, "")
    assert out


@pytest.mark.parametrize("name", list(INVALID))
def test_invalid_request(name):
    change, expected = INVALID[name]
    code, out, err = run_command(_with(change))
    assert code == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert expected in err, err
    with pytest.raises(ClockInputError, match=r"^[^\n]+$"):
        parse_request(_with(change))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "invalid JSON"),
        ("{", "invalid JSON"),
        ("[]", "request must be a JSON object"),
        ('{"as_of": "2026-03-02", "cases": [], "as_of": "2026-03-03"}', 'duplicate key "as_of"'),
        ("null", "request must be a JSON object"),
        ("[" * 100_000, "invalid JSON"),
    ],
)
def test_invalid_json(raw, expected):
    code, out, err = run_command(None, raw=raw)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and expected in err, err


def test_unreadable_file(tmp_path):
    stdout, stderr = io.StringIO(), io.StringIO()
    assert run(str(tmp_path / "missing.json"), io.StringIO(), stdout, stderr) == 2
    assert stdout.getvalue() == ""
    assert stderr.getvalue().startswith("cannot read ") and stderr.getvalue().count("\n") == 1
    (tmp_path / "latin1.json").write_bytes(b'{"as_of": "\xe9"}')
    stderr = io.StringIO()
    assert run(str(tmp_path / "latin1.json"), io.StringIO(), io.StringIO(), stderr) == 2
    assert stderr.getvalue().count("\n") == 1


def test_one_bad_case_means_no_output_at_all():
    request = _with(_set(["cases", R, "kind"], "nope"))
    code, out, _ = run_command(request)
    assert (code, out) == (2, "")


def test_compute_deadlines_validates_cases_built_directly():
    """Django callers build Case objects without JSON; the same rules apply."""
    bad = Case(
        id="X",
        kind="assessment",
        request_received=date(2025, 9, 1),
        events=(Event("decision_to_assess", date(2025, 8, 1)),),
    )
    with pytest.raises(ClockInputError, match="before request_received"):
        compute_deadlines(bad, date(2026, 1, 1))
    with pytest.raises(ClockInputError, match="unknown source"):
        compute_deadlines(
            Case(
                id="X",
                kind="assessment",
                request_received=date(2025, 9, 1),
                events=(Event("advice_requested", date(2025, 9, 2), source="dentist"),),
            ),
            date(2026, 1, 1),
        )
    with pytest.raises(ClockInputError, match="date_of_birth"):
        compute_deadlines(Case(id="R", kind="annual_review", plan_first_issued=date(2025, 1, 1)), date(2026, 1, 1))
