"""Read and validate a waiting-list history CSV (contract: shared/contracts/waits.md).

Pure Python, no Django: the estimator, the command and the backtest all share this reader so
that one bad row is reported the same way everywhere, as one `HistoryError` naming the line and
the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import IO

from sendhub.core.exports import restore, write_csv

PRIORITIES: tuple[str, ...] = ("urgent", "routine")
REQUIRED_COLUMNS: tuple[str, ...] = (
    "referral_id",
    "service",
    "priority",
    "referred_on",
    "seen_on",
    "removed_on",
)
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class HistoryError(ValueError):
    """The history is not valid input; the message is one line meant for the person who sent it."""


@dataclass(frozen=True, slots=True)
class Referral:
    """One referral on a waiting list: the clock starts at `referred_on` and stops at `seen_on`."""

    referral_id: str
    service: str
    priority: str
    referred_on: date
    seen_on: date | None = None
    removed_on: date | None = None

    @property
    def urgent(self) -> bool:
        return self.priority == "urgent"

    @property
    def waiting(self) -> bool:
        """Still on the list in the history as given (neither seen nor removed)."""
        return self.seen_on is None and self.removed_on is None

    def known_on(self, day: date) -> Referral | None:
        """This referral as the history recorded it on `day`: None if not yet referred, later events blanked."""
        if self.referred_on > day:
            return None
        seen = self.seen_on if self.seen_on is not None and self.seen_on <= day else None
        removed = self.removed_on if self.removed_on is not None and self.removed_on <= day else None
        if seen is self.seen_on and removed is self.removed_on:
            return self
        return replace(self, seen_on=seen, removed_on=removed)


def history_known_on(referrals: Iterable[Referral], day: date) -> list[Referral]:
    """The history as it stood on `day`, so a backtest never peeks at the future."""
    out: list[Referral] = []
    for referral in referrals:
        known = referral.known_on(day)
        if known is not None:
            out.append(known)
    return out


def _parse_date(text: str, where: str, column: str, *, required: bool) -> date | None:
    text = text.strip()
    if not text:
        if required:
            raise HistoryError(f"{where}, column {column}: a date is required (YYYY-MM-DD)")
        return None
    if not _ISO_DATE.match(text):
        raise HistoryError(f"{where}, column {column}: {text!r} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HistoryError(f"{where}, column {column}: {text!r} is not a real date") from None


def parse_history(
    stream: Iterable[str], as_of: date, *, source: str = "history"
) -> list[Referral]:
    """Parse CSV text lines into referrals, raising one `HistoryError` for the first problem found.

    Rules beyond the contract's list, chosen so that ambiguous data is refused rather than guessed:
    a referral with both `seen_on` and `removed_on` is refused (the contract defines removal as
    leaving *without* being seen), as is `removed_on` before `referred_on`, a blank
    `referral_id` or `service`, a row with a different number of fields from the header, and a
    header naming a required column twice.
    """
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise HistoryError(f"{source}: the file is empty (a header row is required)") from None
    except csv.Error as exc:
        raise HistoryError(f"{source} line 1: not readable as CSV ({exc})") from None
    names = [name.strip().lstrip("\ufeff") for name in header]
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in REQUIRED_COLUMNS and name in index:
            raise HistoryError(f"{source} line 1: column {name} appears twice in the header")
        index.setdefault(name, i)
    missing = [name for name in REQUIRED_COLUMNS if name not in index]
    if missing:
        raise HistoryError(f"{source} line 1: missing column {', '.join(missing)}")

    referrals: list[Referral] = []
    first_line: dict[str, int] = {}
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            line = reader.line_num
            where = f"{source} line {line}"
            if len(row) != len(names):
                raise HistoryError(f"{where}: expected {len(names)} fields like the header, found {len(row)}")
            referral_id = restore(row[index["referral_id"]].strip())  # undo write_history's formula quoting
            if not referral_id:
                raise HistoryError(f"{where}, column referral_id: blank")
            if referral_id in first_line:
                raise HistoryError(
                    f"{where}, column referral_id: duplicate {referral_id!r} (first on line {first_line[referral_id]})"
                )
            first_line[referral_id] = line
            service = restore(row[index["service"]].strip())
            if not service:
                raise HistoryError(f"{where}, column service: blank")
            priority = row[index["priority"]].strip()
            if priority not in PRIORITIES:
                raise HistoryError(f"{where}, column priority: unknown priority {priority!r} (urgent or routine)")
            referred_on = _parse_date(row[index["referred_on"]], where, "referred_on", required=True)
            seen_on = _parse_date(row[index["seen_on"]], where, "seen_on", required=False)
            removed_on = _parse_date(row[index["removed_on"]], where, "removed_on", required=False)
            assert referred_on is not None
            for column, value in (("referred_on", referred_on), ("seen_on", seen_on), ("removed_on", removed_on)):
                if value is not None and value > as_of:
                    raise HistoryError(f"{where}, column {column}: {value.isoformat()} is after the as-of date {as_of.isoformat()}")
            if seen_on is not None and seen_on < referred_on:
                raise HistoryError(f"{where}, column seen_on: {seen_on.isoformat()} is before referred_on {referred_on.isoformat()}")
            if removed_on is not None and removed_on < referred_on:
                raise HistoryError(f"{where}, column removed_on: {removed_on.isoformat()} is before referred_on {referred_on.isoformat()}")
            if seen_on is not None and removed_on is not None:
                raise HistoryError(f"{where}, column removed_on: set together with seen_on (a referral is either seen or removed)")
            referrals.append(Referral(referral_id, service, priority, referred_on, seen_on, removed_on))
    except csv.Error as exc:
        raise HistoryError(f"{source} line {reader.line_num}: not readable as CSV ({exc})") from None
    return referrals


def read_history(path: str | Path, as_of: date) -> list[Referral]:
    """Read a history file; unreadable files become a `HistoryError` like any other bad input."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return parse_history(handle, as_of, source=path.name)
    except FileNotFoundError:
        raise HistoryError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise HistoryError(f"{path}: is a directory, not a CSV file") from None
    except PermissionError:
        raise HistoryError(f"{path}: permission denied") from None
    except UnicodeDecodeError:
        raise HistoryError(f"{path.name}: not UTF-8 text") from None


def _rows(referrals: Iterable[Referral]) -> Iterator[list[str]]:
    yield list(REQUIRED_COLUMNS)
    for r in referrals:
        yield [
            r.referral_id,
            r.service,
            r.priority,
            r.referred_on.isoformat(),
            r.seen_on.isoformat() if r.seen_on else "",
            r.removed_on.isoformat() if r.removed_on else "",
        ]


def write_history(referrals: Iterable[Referral], handle: IO[str]) -> None:
    """Write referrals in the contract's CSV layout (used for demo data and tests)."""
    write_csv(handle, _rows(referrals), lineterminator="\n")


def history_csv(referrals: Iterable[Referral]) -> str:
    """The contract CSV as one string."""
    buffer = io.StringIO()
    write_history(referrals, buffer)
    return buffer.getvalue()
