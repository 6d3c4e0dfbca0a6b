"""Input validation through the command: every invalid input is exit 2, one stderr line, empty stdout."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from sendhub.waits.command import run
from sendhub.waits.history import HistoryError, Referral, history_known_on, parse_history

HEADER = "referral_id,service,priority,referred_on,seen_on,removed_on"


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def _write(tmp_path: Path, text: str, name: str = "history.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


BAD_FILES = {
    "missing column": ("referral_id,service,priority,referred_on,seen_on\na,slt,routine,2024-01-01,\n", "missing column removed_on"),
    "bad date": (f"{HEADER}\na,slt,routine,01/02/2024,,\n", "line 2, column referred_on"),
    "impossible date": (f"{HEADER}\na,slt,routine,2024-02-30,,\n", "not a real date"),
    "loose iso date": (f"{HEADER}\na,slt,routine,20240101,,\n", "not a date"),
    "blank referred_on": (f"{HEADER}\na,slt,routine,,,\n", "column referred_on"),
    "unknown priority": (f"{HEADER}\na,slt,soon,2024-01-01,,\n", "unknown priority 'soon'"),
    "seen before referred": (f"{HEADER}\na,slt,routine,2024-02-01,2024-01-01,\n", "column seen_on"),
    "removed before referred": (f"{HEADER}\na,slt,routine,2024-02-01,,2024-01-01\n", "column removed_on"),
    "referred after as-of": (f"{HEADER}\na,slt,routine,2024-07-01,,\n", "after the as-of date"),
    "seen after as-of": (f"{HEADER}\na,slt,routine,2024-01-01,2024-07-01,\n", "column seen_on"),
    "removed after as-of": (f"{HEADER}\na,slt,routine,2024-01-01,,2024-07-01\n", "column removed_on"),
    "duplicate id": (f"{HEADER}\na,slt,routine,2024-01-01,,\nb,slt,routine,2024-01-02,,\na,ot,routine,2024-01-03,,\n", "line 4, column referral_id: duplicate 'a' (first on line 2)"),
    "seen and removed": (f"{HEADER}\na,slt,routine,2024-01-01,2024-02-01,2024-02-02\n", "set together with seen_on"),
    "blank id": (f"{HEADER}\n,slt,routine,2024-01-01,,\n", "column referral_id: blank"),
    "blank service": (f"{HEADER}\na,,routine,2024-01-01,,\n", "column service: blank"),
    "short row": (f"{HEADER}\na,slt,routine,2024-01-01\n", "expected 6 fields"),
    "empty file": ("", "empty"),
    "duplicate column": (f"{HEADER},service\na,slt,routine,2024-01-01,,,x\n", "appears twice"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_invalid_history_is_exit_2_with_one_line(tmp_path: Path, case: str) -> None:
    text, needle = BAD_FILES[case]
    code, out, err = _run(["estimate", "--history", _write(tmp_path, text), "--as-of", "2024-06-01"])
    assert code == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert needle in err


@pytest.mark.parametrize(
    "argv",
    [
        ["estimate", "--history", "{file}", "--as-of", "2024-13-01"],
        ["estimate", "--history", "{file}", "--as-of", "yesterday"],
        ["estimate", "--history", "{file}"],
        ["estimate", "--as-of", "2024-06-01"],
        ["estimate", "--history", "{file}", "--as-of", "2024-06-01", "--format", "xml"],
        ["estimate", "--history", "{file}", "--as-of", "2024-06-01", "--bogus"],
        ["estimate", "--history", "{file}", "--as-of", "2024-06-01", "extra"],
        ["estimate", "--history", "{missing}", "--as-of", "2024-06-01"],
        ["estimate", "--history", "{dir}", "--as-of", "2024-06-01"],
        ["estimate", "--history", "{latin1}", "--as-of", "2024-06-01"],
        ["guess", "--history", "{file}", "--as-of", "2024-06-01"],
        [],
    ],
)
def test_invalid_invocation_is_exit_2_with_one_line(tmp_path: Path, argv: list[str]) -> None:
    paths = {
        "file": _write(tmp_path, f"{HEADER}\na,slt,routine,2024-01-01,,\n"),
        "missing": str(tmp_path / "nope.csv"),
        "dir": str(tmp_path),
        "latin1": str(tmp_path / "latin1.csv"),
    }
    (tmp_path / "latin1.csv").write_bytes(f"{HEADER}\na,sl\xe9,routine,2024-01-01,,\n".encode("latin-1"))
    code, out, err = _run([a.format(**paths) for a in argv])
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("sendhub waits: "), err


def test_columns_in_any_order_extra_ignored_and_csv_output(tmp_path: Path) -> None:
    text = (
        "note,removed_on,seen_on,referred_on,priority,service,referral_id\n"
        "x,,2024-03-01,2024-01-01,routine,slt,a\n"
        "y,,,2024-01-05,routine,slt,c\n"
        "z,,,2024-02-01,urgent,slt,b\n"
        "w,2024-04-01,,2024-01-02,routine,slt,d\n"
        "v,,,2024-01-05,routine,slt,a2\n"
    )
    code, out, err = _run(["estimate", "--history", _write(tmp_path, text), "--as-of", "2024-06-01"])
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["referral_id", "service", "position", "p10", "p50", "p90"]
    assert [(r["referral_id"], r["position"]) for r in rows] == [("b", "1"), ("a2", "2"), ("c", "3")]
    for r in rows:
        assert "2024-06-01" <= r["p10"] <= r["p50"] <= r["p90"]


def test_json_output_has_the_same_keys(tmp_path: Path) -> None:
    text = f"{HEADER}\na,slt,routine,2024-01-01,2024-03-01,\nb,slt,routine,2024-01-02,,\n"
    code, out, err = _run(["estimate", "--history", _write(tmp_path, text), "--as-of", "2024-06-01", "--format", "json"])
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data == [{**data[0], "referral_id": "b", "service": "slt", "position": 1}]
    assert set(data[0]) == {"referral_id", "service", "position", "p10", "p50", "p90"}


def test_header_only_gives_header_only(tmp_path: Path) -> None:
    code, out, err = _run(["estimate", "--history", _write(tmp_path, HEADER + "\n"), "--as-of", "2024-06-01"])
    assert (code, out, err) == (0, "referral_id,service,position,p10,p50,p90\n", "")
    code, out, err = _run(["estimate", "--history", _write(tmp_path, HEADER + "\n"), "--as-of", "2024-06-01", "--format", "json"])
    assert (code, json.loads(out), err) == (0, [], "")


def test_bom_and_blank_lines_are_tolerated() -> None:
    rows = parse_history(io.StringIO("\ufeff" + HEADER + "\n\na,slt,routine,2024-01-01,,\n"), date(2024, 6, 1))
    assert rows == [Referral("a", "slt", "routine", date(2024, 1, 1))]


def test_history_error_is_a_value_error() -> None:
    with pytest.raises(HistoryError):
        parse_history(io.StringIO("nonsense\n"), date(2024, 6, 1))


def test_history_known_on_blanks_the_future() -> None:
    rows = [
        Referral("a", "s", "routine", date(2024, 1, 1), date(2024, 3, 1)),
        Referral("b", "s", "routine", date(2024, 1, 2), None, date(2024, 2, 20)),
        Referral("c", "s", "routine", date(2024, 2, 15)),
    ]
    cut = history_known_on(rows, date(2024, 2, 10))
    assert cut == [Referral("a", "s", "routine", date(2024, 1, 1)), Referral("b", "s", "routine", date(2024, 1, 2))]
