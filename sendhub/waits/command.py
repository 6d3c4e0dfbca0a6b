"""`sendhub waits estimate --history FILE.csv --as-of YYYY-MM-DD [--format csv|json]`.

Pure (no Django) so that it can be run and tested without a database; the management command
only forwards to `run`. Contract: shared/contracts/waits.md. Invalid input of any kind (a bad
file, a bad option) gives exit status 2, one line on stderr and nothing on stdout.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from datetime import date
from typing import NoReturn, TextIO

from sendhub.core.exports import csv_text

from .estimator import Estimate, estimate
from .history import HistoryError, read_history

COLUMNS = ("referral_id", "service", "position", "p10", "p50", "p90")
USAGE = "usage: sendhub waits estimate --history FILE.csv --as-of YYYY-MM-DD [--format csv|json]"


class UsageError(Exception):
    """A command-line mistake, reported as one line like bad input."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so stderr stays one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(prog="sendhub waits", add_help=False, allow_abbrev=False)
    sub = parser.add_subparsers(dest="action", parser_class=_Parser)
    est = sub.add_parser("estimate", add_help=False, allow_abbrev=False)
    est.add_argument("--history")
    est.add_argument("--as-of", dest="as_of")
    est.add_argument("--format", dest="fmt", default="csv")
    return parser


def _as_of(text: str | None) -> date:
    if text is None:
        raise UsageError("--as-of YYYY-MM-DD is required")
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise UsageError(f"--as-of {text!r} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of {text!r} is not a real date") from None


def render(estimates: Sequence[Estimate], fmt: str) -> str:
    """Estimates in the contract's CSV or JSON layout."""
    rows = [
        {
            "referral_id": e.referral_id,
            "service": e.service,
            "position": e.position,
            "p10": e.p10.isoformat(),
            "p50": e.p50.isoformat(),
            "p90": e.p90.isoformat(),
        }
        for e in estimates
    ]
    if fmt == "json":
        return json.dumps(rows, indent=1) + "\n"
    return csv_text([COLUMNS, *([row[column] for column in COLUMNS] for row in rows)], lineterminator="\n")


def run(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run `waits <action> ...`; returns the exit status (0, or 2 for any invalid input)."""
    try:
        args, extra = _parser().parse_known_args(list(argv))
        if extra:
            raise UsageError(f"unrecognised argument {extra[0]!r}")
        if args.action != "estimate":
            raise UsageError("expected the subcommand 'estimate'")
        if args.history is None:
            raise UsageError("--history FILE.csv is required")
        as_of = _as_of(args.as_of)
        if args.fmt not in ("csv", "json"):
            raise UsageError(f"--format {args.fmt!r} is not csv or json")
        referrals = read_history(args.history, as_of)
    except (UsageError, HistoryError) as exc:
        message = " ".join(str(exc).split())
        if isinstance(exc, UsageError):
            message = f"{message} ({USAGE.removeprefix('usage: ')})"
        stderr.write(f"sendhub waits: {message}\n")
        return 2
    stdout.write(render(estimate(referrals, as_of), args.fmt))
    return 0
