"""Small builders shared by the clock's tests: JSON-shaped cases and one-call evaluation."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

from sendhub.clock.command import run
from sendhub.clock.timescales import Case, Deadline, compute_deadlines, parse_request


def ev(event_type: str, day: str, **extra: Any) -> dict[str, Any]:
    """A dated event as the contract spells it."""
    return {"type": event_type, "date": day, **extra}


def exc(first: str, last: str, reason: str = "absent_from_area") -> dict[str, Any]:
    """An exception event covering `first` to `last` inclusive."""
    return {"type": "exception", "reason": reason, "from": first, "to": last}


def assessment(
    request_received: str, *events: dict[str, Any], case_id: str = "A"
) -> dict[str, Any]:
    return {
        "id": case_id,
        "kind": "assessment",
        "request_received": request_received,
        "events": list(events),
    }


def review(
    plan_first_issued: str,
    *events: dict[str, Any],
    date_of_birth: str = "2012-06-01",
    previous_review_meeting: str | None = None,
    phase_transfer: dict[str, str] | None = None,
    case_id: str = "R",
) -> dict[str, Any]:
    case: dict[str, Any] = {
        "id": case_id,
        "kind": "annual_review",
        "date_of_birth": date_of_birth,
        "plan_first_issued": plan_first_issued,
        "events": list(events),
    }
    if previous_review_meeting is not None:
        case["previous_review_meeting"] = previous_review_meeting
    if phase_transfer is not None:
        case["phase_transfer"] = phase_transfer
    return case


def deadlines(case: dict[str, Any], as_of: str) -> dict[str, Deadline]:
    """Deadlines by key through the full parse + compute path (keys must be unique)."""
    rows = deadline_list(case, as_of)
    by_key = {d.key: d for d in rows}
    assert len(by_key) == len(rows), "use deadline_list for repeated keys"
    return by_key


def deadline_list(case: dict[str, Any], as_of: str) -> list[Deadline]:
    parsed_as_of, cases = parse_request({"as_of": as_of, "cases": [case]})
    return compute_deadlines(cases[0], parsed_as_of)


def run_command(request: Any, *, raw: str | None = None) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of the pure command given a request object (or raw text)."""
    stdin = io.StringIO(json.dumps(request) if raw is None else raw)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run(None, stdin, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def case_json(case: Case) -> dict[str, Any]:
    """A Case back in the contract's JSON form, so generated cases can go through the command."""
    obj: dict[str, Any] = {"id": case.id, "kind": case.kind}
    dates = ("request_received", "date_of_birth", "plan_first_issued", "previous_review_meeting")
    for name in dates:
        value: date | None = getattr(case, name)
        if value is not None:
            obj[name] = value.isoformat()
    if case.phase_transfer is not None:
        transfer = case.phase_transfer
        obj["phase_transfer"] = {"on": transfer.on.isoformat(), "to": transfer.to}
    events: list[dict[str, Any]] = []
    for e in case.events:
        item: dict[str, Any] = {"type": e.type, "date": e.date.isoformat()}
        if e.source is not None:
            item["source"] = e.source
        if e.outcome is not None:
            item["outcome"] = e.outcome
        if e.family_agreed_early:
            item["family_agreed_early"] = True
        events.append(item)
    for p in case.exceptions:
        first, last = p.first_day.isoformat(), p.last_day.isoformat()
        events.append({"type": "exception", "reason": p.reason, "from": first, "to": last})
    obj["events"] = events
    return obj
