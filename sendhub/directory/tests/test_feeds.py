"""Import and export: ORUK JSON and the ORUK tabular CSV files, all or nothing, with a per-row report."""

import csv
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sendhub.core import importing
from sendhub.directory import feeds, services
from sendhub.directory.models import DirectoryOrganisation, PublishedVersion, Service, TaxonomyTerm

from .conftest import ORUK, make_service
from .test_oruk_api import assert_valid, page_validator


def _load(data: bytes, reader=feeds.read_json):
    report = reader(data, default_category="voluntary")
    assert report.ok, report.errors
    return services.import_services(actor=None, rows=report.rows)


def _snapshot():
    return {str(s.pk): services.content_of(s) for s in Service.objects.all()}


def _spoil_everything():
    """Published entries cannot be deleted (their versions are kept), so a round trip overwrites them."""
    Service.objects.update(name="Spoilt", description="Spoilt", minimum_age=None, maximum_age=None, phone="",
                           easy_read="", while_waiting="")
    for service in Service.objects.all():
        service.terms.clear()
        service.locations.all().delete()
        service.schedules.all().delete()


def test_the_profiles_own_example_service_loads(db):
    example = (ORUK / "examples" / "service_full.json").read_bytes()
    [service] = _load(example)
    service = Service.objects.get(pk=service.pk)
    source = json.loads(example)
    assert str(service.pk) == source["id"] and service.name == source["name"]
    assert service.organisation.name == source["organization"]["name"]
    assert service.minimum_age == 12 and service.maximum_age == 100
    assert service.locations.count() == len(source["service_at_locations"])
    assert TaxonomyTerm.objects.filter(services=service).exclude(taxonomy__name__in=[
        "Local offer categories", "SEN2 primary need"]).exists()  # their taxonomy terms are kept
    assert PublishedVersion.objects.get(service=service).source == "import"


def test_json_export_validates_and_loads_back_the_same(client, db):
    make_service(name="Talk Together", while_waiting="Drop-ins", easy_read="Easy words.")
    make_service(name="Short Breaks", category="social_care.short_breaks", needs=["ANY"], is_free=False,
                 cost_description="£5 a session", self_referral=False,
                 locations=[{"location_type": "virtual", "name": "Online"}], schedules=[])
    response = client.get("/local-offer/export/oruk.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    exported = json.loads(response.content)
    assert_valid(page_validator("compiled/service.json"), exported)
    before = _snapshot()
    _spoil_everything()
    _load(response.content)
    assert _snapshot() == before


def test_csv_export_loads_back_the_same(client, db):
    make_service(name="Talk Together", while_waiting="Drop-ins", easy_read="Easy words.")
    make_service(name="Teen Space", needs=["SEMH", "ASD"], category="health.camhs", minimum_age=13, maximum_age=18,
                 schedules=[{"byday": "SA", "opens_at": "10:00", "closes_at": "13:00", "description": "Drop in"}])
    data = client.get("/local-offer/export/oruk-csv.zip").content
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {"services.csv", "organizations.csv", "locations.csv", "addresses.csv", "schedules.csv",
            "attributes.csv", "taxonomy_terms.csv"} <= set(archive.namelist())
    before = _snapshot()
    _spoil_everything()
    _load(data, feeds.read_csv_zip)
    assert _snapshot() == before


def _zip(files: dict[str, list[dict]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, rows in files.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=sorted({k for row in rows for k in row}))
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(name, text.getvalue())
    return buffer.getvalue()


ORG = "11111111-1111-4111-8111-111111111111"


def _service_row(n: int, **overrides) -> dict:
    row = {"id": f"22222222-2222-4222-8222-{n:012d}", "organization_id": ORG, "name": f"Club {n}",
           "description": "A club", "email": "club@example.org", "status": "active", "minimum_age": "5",
           "maximum_age": "16"}
    row.update(overrides)
    return row


def test_a_bad_csv_row_loads_nothing_and_is_named(area, client_for):
    make_service(name="Already here")
    data = _zip({
        "organizations.csv": [{"id": ORG, "name": "Calder Clubs", "description": "Clubs"}],
        "services.csv": [_service_row(1), _service_row(2, name="", minimum_age="ten"), _service_row(3, email="")],
        "schedules.csv": [{"id": "33333333-3333-4333-8333-333333333333", "service_id": "nope", "byday": "MO"}],
    })
    team = client_for(area.users["team_manager"])
    response = team.post("/local-offer/import/", {
        "feed": SimpleUploadedFile("feed.zip", data, "application/zip"), "default_category": "voluntary"})
    page = response.content.decode()
    assert "Nothing was loaded: 4 problems found" in page
    for where, message in [("services.csv row 3", "Enter the name of the service"),
                           ("services.csv row 3", "Youngest age must be a number"),
                           ("services.csv row 4 (Club 3)", "Give at least one way to contact the service"),
                           ("schedules.csv row 2", "No service in services.csv has the id nope")]:
        assert where in page and message in page, (where, message)
    assert list(Service.objects.values_list("name", flat=True)) == ["Already here"]
    assert not DirectoryOrganisation.objects.filter(name="Calder Clubs").exists()


def test_a_good_csv_loads_every_row_with_defaults_noted(area, client_for):
    data = _zip({"organizations.csv": [{"id": ORG, "name": "Calder Clubs", "description": "Clubs"}],
                 "services.csv": [_service_row(1), _service_row(2)]})
    team = client_for(area.users["team_manager"])
    response = team.post("/local-offer/import/", {
        "feed": SimpleUploadedFile("feed.zip", data, "application/zip"), "default_category": "voluntary"})
    page = response.content.decode()
    assert "2 entries have been loaded and published" in page
    assert "no SEN2 need: shown for any need" in page
    club = Service.objects.get(name="Club 1")
    assert club.organisation.name == "Calder Clubs" and club.minimum_age == 5
    assert club.how_to_access == feeds.HOW_TO_ACCESS_UNKNOWN
    # loading the same feed again replaces the entries, keeping each version
    _load(data, feeds.read_csv_zip)
    assert Service.objects.count() == 2
    assert PublishedVersion.objects.filter(service=club).count() == 2


@pytest.mark.parametrize("data, message", [
    (b"{not json", "This is not a JSON file we can read"),
    (b'{"hello": 1}', "not an Open Referral service"),
    (b'{"contents": []}', "The feed has no services in it"),
    (b'[{"id": "x", "name": "A"}]', "its id is not a UUID"),
])
def test_unreadable_json_gets_a_clear_report(db, data, message):
    report = feeds.read_json(data, default_category="voluntary")
    assert not report.ok and message in " ".join(m for _, m in report.errors)


def test_a_failure_while_loading_rolls_everything_back(db, monkeypatch):
    example = json.loads((ORUK / "examples" / "service_full.json").read_bytes())
    second = dict(example, id="44444444-4444-4444-8444-444444444444", name="Second")
    report = feeds.read_json(json.dumps([example, second]).encode(), default_category="voluntary")
    assert report.ok
    original = services._publish
    calls = []

    def fail_on_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(services, "_publish", fail_on_second)
    with pytest.raises(RuntimeError):
        services.import_services(actor=None, rows=report.rows)
    assert not Service.objects.exists() and not DirectoryOrganisation.objects.exists()


def test_only_the_local_offer_team_imports(area, client_for):
    assert client_for(area.users["therapist"]).get("/local-offer/import/").status_code == 403
    page = client_for(area.users["team_manager"]).post("/local-offer/import/", {}).content.decode()
    assert "Select a file to upload" in page


def test_a_zip_that_unpacks_too_big_is_refused(db, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UNZIPPED", 100)
    data = _zip({"organizations.csv": [{"id": ORG, "name": "Calder Clubs", "description": "x" * 200}],
                 "services.csv": [_service_row(1)]})
    report = feeds.read_csv_zip(data, default_category="voluntary")
    assert not report.ok and "unpacks to more than" in report.errors[0][1]
