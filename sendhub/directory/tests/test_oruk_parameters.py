"""Issue 15, finding 14: every ORUK query parameter is bounded (400 with a clear JSON error, never a 500),
and a website that is not http(s) is refused on the way in and never published on the way out."""

import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendhub.directory import feeds, services
from sendhub.directory.models import DirectoryOrganisation, Service, Taxonomy, TaxonomyTerm

from .conftest import make_service
from .test_oruk_api import BASE, get

LISTS = ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"]
PARAMETERS = ["page", "per_page", "search", "taxonomy_term_id", "taxonomy_id", "minimum_age", "maximum_age",
              "day", "start_time", "end_time", "postcode", "proximity"]
EVIL = "javascript:alert(document.cookie)"


@pytest.mark.parametrize("query, message", [
    ("/services?page=99999999999999999999", "page must be a whole number from 1 to 100000"),
    ("/services?page=100001", "page must be a whole number from 1 to 100000"),
    ("/taxonomies?page=-1", "page must be a whole number from 1"),
    ("/services?per_page=%EF%BC%95", "per_page"),  # a full-width digit is not a number here
    ("/services?minimum_age=1e309", "minimum_age must be a whole number from 0 to 120"),
    ("/services?maximum_age=121", "maximum_age must be a whole number from 0 to 120"),
    ("/services?minimum_age=2.5", "minimum_age must be a whole number"),
    ("/service_at_locations?postcode=HD1&proximity=inf", "proximity must be a number from 0 to 1e+06"),
    ("/service_at_locations?postcode=HD1&proximity=nan", "proximity"),
    ("/service_at_locations?postcode=HD1&proximity=-5", "proximity"),
    ("/services?search=" + "a" * 201, "search must be 200 characters or fewer"),
    ("/services?search=talk%00", "search must not contain control characters"),
    ("/service_at_locations?postcode=HD1%201AA%20HD1%201AA", "postcode must be 10 characters or fewer"),
    ("/services?start_time=09:30%2B01:00", "start_time must be a time like 09:30"),
    ("/services?end_time=24:00", "end_time"),
    ("/services?taxonomy_id=" + "1" * 5000, "taxonomy_id must be an id"),
])
def test_out_of_range_parameters_get_a_clear_400(client, db, query, message):
    assert message in get(client, query, status=400)["error"]


def test_values_in_range_still_work(client, db):
    make_service(name="Teen Talk", minimum_age=13, maximum_age=19)
    assert [s["name"] for s in get(client, "/services?minimum_age=13&maximum_age=120&page=1&per_page=500")
            ["contents"]] == ["Teen Talk"]
    assert get(client, "/services?page=100000")["contents"] == []
    assert get(client, "/service_at_locations?postcode=HD1&proximity=1000000")["page_number"] == 1
    assert get(client, "/services?start_time=09:00&end_time=12:00:00")["total_items"] == 1


awkward = st.one_of(
    st.text(max_size=40),
    st.integers().map(str),
    st.integers(min_value=10**15, max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e309", "-1e309", "nan", "inf", "0x10", "1_000", " 5", "٣", "\x00", "", "09:30+01:00",
                     "25:99", "{12345678-1234-5678-1234-567812345678}", "HD1", "monday", "x" * 5000]),
    st.builds(str, st.uuids()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(LISTS), query=st.dictionaries(st.sampled_from(PARAMETERS), awkward, max_size=5))
@pytest.mark.django_db
def test_no_query_gives_a_server_error(client, path, query):
    response = client.get(BASE + path, query)
    assert response.status_code in {200, 400}, (path, query, response.status_code)
    body = response.json()
    assert ("contents" in body) if response.status_code == 200 else body["error"]


# --- website addresses ---------------------------------------------------------------------------------

def _feed(**organisation) -> bytes:
    org = {"id": str(uuid.uuid4()), "name": "Calder Clubs", "description": "Clubs", **organisation}
    return json.dumps([{"id": str(uuid.uuid4()), "name": "Club", "description": "A club", "email": "c@example.org",
                        "status": "active", "organization": org}]).encode()


@pytest.mark.parametrize("website", [EVIL, "JavaScript://%0Aalert(1)", "data:text/html,<script>alert(1)</script>",
                                     "ftp://example.org/", "vbscript:msgbox(1)"])
def test_an_imported_organisation_website_must_be_http(db, website):
    report = feeds.read_json(_feed(website=website), default_category="voluntary")
    assert not report.ok
    assert any("website is not a web address starting https://" in message for _, message in report.errors)
    assert feeds.read_json(_feed(website="https://clubs.example.org/"), default_category="voluntary").ok


def test_an_imported_taxonomy_term_uri_must_be_http(db):
    item = json.loads(_feed())
    item[0]["attributes"] = [{"taxonomy_term": {"id": str(uuid.uuid4()), "name": "Odd", "term_uri": EVIL}}]
    report = feeds.read_json(json.dumps(item).encode(), default_category="voluntary")
    assert any("term_uri is not a web address" in message for _, message in report.errors)


def test_a_service_website_must_be_http_on_the_form_and_in_the_model(db):
    from .conftest import content

    with pytest.raises(ValidationError) as refused:
        services.clean_content(content(url=EVIL))
    assert "url" in refused.value.message_dict
    service = make_service(name="Talk")
    for bad in (EVIL, "ftp://example.org/file"):
        service.url = bad
        with pytest.raises(ValidationError):
            service.full_clean()
    organisation = DirectoryOrganisation(name="X", website=EVIL)
    with pytest.raises(ValidationError):
        organisation.full_clean()


def test_rows_stored_before_the_check_are_not_republished(client, db):
    """Rows written before this check (or by raw SQL) are blanked on the way out: API, export and page."""
    service = make_service(name="Talk Together")
    Service.objects.filter(pk=service.pk).update(url=EVIL)
    DirectoryOrganisation.objects.filter(pk=service.organisation_id).update(website=EVIL)
    term = TaxonomyTerm.objects.create(name="Odd", term_uri=EVIL, taxonomy=Taxonomy.objects.create(name="T", uri=EVIL))
    service.terms.add(term)
    outputs = [client.get(BASE + "/services").content, client.get(f"{BASE}/services/{service.pk}").content,
               client.get(BASE + "/taxonomies").content, client.get(BASE + "/taxonomy_terms?per_page=500").content,
               client.get("/local-offer/export/oruk.json").content,
               client.get(f"/local-offer/services/{service.pk}").content]
    for body in outputs:
        assert b"javascript:" not in body
    detail = client.get(f"{BASE}/services/{service.pk}").json()
    assert "url" not in detail and "website" not in detail["organization"]


def test_the_migration_blanks_stored_addresses_that_are_not_http(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("sendhub.directory.migrations.0005_web_addresses_http_only")
    good = make_service(name="Good")
    bad = make_service(name="Bad", organisation=DirectoryOrganisation.objects.create(name="Bad org"))
    Service.objects.filter(pk=good.pk).update(url="https://example.org/good")
    Service.objects.filter(pk=bad.pk).update(url=EVIL)
    DirectoryOrganisation.objects.filter(pk=bad.organisation_id).update(website="data:text/html,x")
    migration.blank_addresses_that_are_not_http(apps, None)
    assert Service.objects.get(pk=good.pk).url == "https://example.org/good"
    assert Service.objects.get(pk=bad.pk).url == ""
    assert DirectoryOrganisation.objects.get(pk=bad.organisation_id).website == ""
