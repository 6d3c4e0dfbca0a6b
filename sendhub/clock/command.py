"""`sendhub timescales [FILE]` without Django: JSON in, the contract's JSON out.

Kept free of Django so that other programs and tests can run the clock end to end cheaply
(`python -m sendhub.clock.command FILE`); the management command is a thin wrapper.
Exit 0 with the result on stdout; exit 2 with exactly one line on stderr and nothing on
stdout for any input the clock will not guess about, including JSON that does not parse.
"""

from __future__ import annotations

import gc
import json
import sys
from functools import lru_cache
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from sendhub.clock.timescales import ClockInputError, Deadline, compute_deadlines, parse_request

__all__ = ["EXIT_INVALID", "EXIT_OK", "deadline_json", "main", "render", "run"]

EXIT_OK = 0
EXIT_INVALID = 2


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON objects with a repeated key are ambiguous, so they are refused rather than
    silently resolved to the last value."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ClockInputError(f"invalid JSON: duplicate key {json.dumps(key)}")
        obj[key] = value
    return obj


def deadline_json(deadline: Deadline) -> dict[str, Any]:
    """The contract's per-deadline object: exactly key, due, done, status, exception, rule."""
    return {
        "key": deadline.key,
        "due": deadline.due.isoformat(),
        "done": deadline.done.isoformat() if deadline.done is not None else None,
        "status": deadline.status,
        "exception": deadline.exception,
        "rule": deadline.rule,
    }


def render(as_of: date, results: Sequence[tuple[str, Sequence[Deadline]]]) -> str:
    """The contract's output document for (case id, deadlines) pairs, as one JSON line.

    Written out by hand rather than through `json.dumps` on dicts because it is most of the
    command's time on large requests; `test_render_matches_json_dumps` holds the two equal.
    """
    parts = ['{"as_of": "', as_of.isoformat(), '", "cases": [']
    dumps = json.dumps
    for n, (case_id, deadlines) in enumerate(results):
        parts.append('{"id": ' if n == 0 else ', {"id": ')
        parts.append(dumps(case_id, ensure_ascii=False))
        parts.append(', "deadlines": [')
        for i, d in enumerate(deadlines):
            done = d.done
            parts.append(
                f'{", " if i else ""}{{"key": {_json_text(d.key)}, "due": "{d.due.isoformat()}",'
                f' "done": {"null" if done is None else chr(34) + done.isoformat() + chr(34)},'
                f' "status": "{d.status}", "exception": {"true" if d.exception else "false"},'
                f' "rule": {_json_text(d.rule)}}}'
            )
        parts.append("]}")
    parts.append("]}")
    return "".join(parts)


@lru_cache(maxsize=256)
def _json_text(text: str) -> str:
    """Keys and rules come from a small fixed set, so their JSON form is cached."""
    return json.dumps(text, ensure_ascii=False)


def _one_line(message: str) -> str:
    return " ".join(message.split()) or "invalid input"


def run(argv_file: str | None, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Read the request from `argv_file` (or `stdin` when None or "-"), write the result.

    Nothing is written to stdout unless the whole request is valid, so a caller never sees
    half an answer.
    """
    # The batch creates no reference cycles, so the cyclic garbage collector only costs time
    # here (a third of the parse on ten thousand cases); it is switched back on at the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(argv_file, stdin, stdout, stderr)
    finally:
        if collecting:
            gc.enable()


def _run(argv_file: str | None, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        if argv_file is None or argv_file == "-":
            text = stdin.read()
        else:
            try:
                with open(argv_file, encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError) as error:
                raise ClockInputError(f"cannot read {argv_file}: {error}") from None
        try:
            obj = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        except json.JSONDecodeError as error:
            raise ClockInputError(f"invalid JSON: {error}") from None
        except RecursionError:
            raise ClockInputError("invalid JSON: nested too deeply") from None
        as_of, cases = parse_request(obj)
        results = [
            (case.id, compute_deadlines(case, as_of, validate=False, explain=False))
            for case in cases
        ]
    except ClockInputError as error:
        stderr.write(_one_line(str(error)) + "\n")
        return EXIT_INVALID
    stdout.write(render(as_of, results) + "\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m sendhub.clock.command [FILE]`: the same command with no Django start-up."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1:
        sys.stderr.write("usage: timescales [FILE]\n")
        return EXIT_INVALID
    return run(args[0] if args else None, sys.stdin, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
