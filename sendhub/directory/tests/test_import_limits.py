"""A small upload cannot make the feed import do a lot of work: zips judged first, rows capped, problems capped."""

import io
import json
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sendhub.directory import feeds
from sendhub.directory.models import Service

from .test_feeds import ORG, _service_row, _zip

URL = "/local-offer/import/"


def _post(client, name: str, data: bytes):
    return client.post(URL, {"feed": SimpleUploadedFile(name, data), "default_category": "voluntary"})


def _peak(action):
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def amplification_zip() -> bytes:
    """The reviewer's file: 512 KiB of CSV rows packed into well under a kilobyte."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("services.csv", "id,name\n" + "x,y\n" * (512 * 1024 // 4))
    return out.getvalue()


def test_the_amplification_zip_is_refused_from_its_directory_in_bounded_memory(area, client_for):
    data = amplification_zip()
    assert len(data) < 1200
    client = client_for(area.users["team_manager"])
    _post(client, "warm-up.json", b"{}")  # templates and code loaded once, outside the measurement
    response, peak = _peak(lambda: _post(client, "feed.zip", data))
    page = response.content.decode()
    assert response.status_code == 200 and "unpacks to far more than its size" in page
    assert peak < 8 * 1024 * 1024, peak  # the CSV was never unpacked (512 KiB of rows took 433 MiB before)
    assert len(page) < 100_000 and not Service.objects.exists()


def test_a_feed_with_thousands_of_bad_rows_lists_the_first_hundred(area, client_for):
    rows = [_service_row(n, name="", minimum_age=f"age {n}") for n in range(1, 1501)]  # varied: packs like real CSV
    data = _zip({"organizations.csv": [{"id": ORG, "name": "Calder Clubs"}], "services.csv": rows})
    response = _post(client_for(area.users["team_manager"]), "feed.zip", data)
    page = response.content.decode()
    assert "Nothing was loaded: 3000 problems found" in page
    assert page.count('<tr class="govuk-table__row"><td class="govuk-table__cell">services.csv row') == 100
    assert "And 2900 more problems not listed here" in page
    assert not Service.objects.exists()


def test_rows_beyond_the_limit_stop_the_import(db, settings):
    settings.SENDHUB_IMPORT_MAX_ROWS = 50
    data = _zip({"organizations.csv": [{"id": ORG, "name": "Calder Clubs"}],
                 "services.csv": [_service_row(n) for n in range(1, 51)]})
    report = feeds.read_csv_zip(data, default_category="voluntary")
    assert [m for _, m in report.errors] == ["The feed has more than 50 rows: split it into smaller feeds and load each one"]
    assert not report.rows
    page = [json.loads(json.dumps({"id": f"22222222-2222-4222-8222-{n:012d}"})) for n in range(60)]
    report = feeds.read_json(json.dumps({"contents": page}).encode(), default_category="voluntary")
    assert list(report.errors) == [("Feed", "The feed has more than 50 rows: split it into smaller feeds and load each one")]


def test_a_big_json_feed_is_read_as_a_stream(db, settings):
    settings.SENDHUB_IMPORT_MAX_ROWS = 2_000
    data = b"[" + b",".join([b"{}"] * 3_000_000) + b"]"  # 9 MB: json.loads would build three million dicts first
    report, peak = _peak(lambda: feeds.read_json(data, default_category="voluntary"))
    assert [m for _, m in report.errors] == ["The feed has more than 2,000 rows: split it into smaller feeds and load "
                                             "each one"]
    assert peak < 10 * 1024 * 1024, peak  # json.loads of the same bytes peaks above 200MB


def test_problems_are_counted_but_only_the_first_hundred_kept(db):
    data = json.dumps([{"name": f"Club {n}"} for n in range(500)]).encode()
    report = feeds.read_json(data, default_category="voluntary")
    assert len(report.errors) == 500 and len(list(report.errors)) == 100 and report.errors.more == 400
    assert list(report.errors)[0] == ("Service 1 (Club 0)", "The service has no id, or its id is not a UUID")


@pytest.mark.parametrize("in_a_list", [True, False])
def test_one_enormous_service_is_refused(db, in_a_list):
    huge = {"id": "22222222-2222-4222-8222-000000000001"} | {f"key{n}": [{}] * 5_000 for n in range(5)}
    report = feeds.read_json(json.dumps([huge] if in_a_list else huge).encode(), default_category="voluntary")
    assert [m for _, m in report.errors] == [
        "A service in the feed has more than 20,000 values: it is not an Open Referral service we can load"]


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf" + json.dumps({"contents": []}).encode()])
def test_a_byte_order_mark_is_skipped(db, data):
    assert [m for _, m in feeds.read_json(data, default_category="voluntary").errors] == ["The feed has no services in it"]
