"""The waiting-list import reads a row at a time, stops at the row limit and shows the first 100 problems."""

import tracemalloc

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sendhub.waits import services
from sendhub.waits.models import ListImport, Referral

from .test_db_waits import csv_of


def _bad_rows(n: int) -> bytes:
    return csv_of(*[[f"B-{i}", "speech_language", "someday", "2026-02-30", "", "", "123", "2015-03-01"] for i in range(n)])


def test_the_page_lists_the_first_hundred_problems_in_line_order(waits_area, area, client_for):
    response = client_for(area.users["therapist"]).post(
        reverse("waits:import"), {"file": SimpleUploadedFile("list.csv", _bad_rows(400), content_type="text/csv")})
    page = response.content.decode()
    assert "Nothing was imported: 1200 problems in the file" in page
    assert "Problems in the file (1200)" in page
    assert page.count('<td class="govuk-table__cell govuk-table__cell--numeric">') == 100  # one line cell per problem
    assert 'data-testid="import-more"' in page and "And 1100 more problems not listed here" in page
    assert ">2</td>" in page and ">35</td>" in page and ">36</td>" not in page  # lines 2 to 35, three problems each
    assert not Referral.objects.filter(reference__startswith="B-").exists() and not ListImport.objects.exists()


def test_rows_beyond_the_limit_refuse_the_file_without_reading_on(waits_area, area, settings):
    settings.SENDHUB_IMPORT_MAX_ROWS = 1_000
    content = _bad_rows(1) + b"\n" * 2_000_000  # two megabytes of empty lines after one row
    tracemalloc.start()
    try:
        services.import_list(actor=area.users["therapist"], provider=area.provider, content=content, filename="x.csv")
    except services.ImportRefused as refused:
        result = refused.result
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert result.refused == "The file has more than 1,000 rows: split it into smaller files"
    assert peak < 4 * 1024 * 1024, peak  # bytes in, one row at a time: nothing near the file's size is decoded


def test_a_file_that_stops_being_utf8_part_way_is_refused(waits_area, area):
    content = csv_of(["A-1", "speech_language", "routine", "2026-01-05", "", "", "123", "2015-03-01"]) * 2000 + b"\xff\xfe\n"
    try:
        services.import_list(actor=area.users["therapist"], provider=area.provider, content=content, filename="x.csv")
    except services.ImportRefused as refused:
        assert "is not UTF-8 text" in refused.result.refused
    else:
        raise AssertionError("a file with bytes that are not UTF-8 was accepted")
