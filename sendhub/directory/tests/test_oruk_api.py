"""The Open Referral UK API: real responses validated against the profile's own JSON Schemas."""

import json
import uuid

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from sendhub.directory.models import Service, Taxonomy, TaxonomyTerm
from sendhub.directory.taxonomy import NEED_TAXONOMY, NEEDS, term_id

from .conftest import ORUK, bulk_services, load_schema, make_service

BASE = "/local-offer/api"
PAGE_FIELDS = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"]


def _registry() -> Registry:
    resources = []
    for path in (ORUK / "schema").glob("*.json"):
        if path.name == "openapi.json":
            continue
        resource = Resource.from_contents(json.loads(path.read_text()), default_specification=__import__(
            "referencing.jsonschema", fromlist=["DRAFT202012"]).DRAFT202012)
        resources.append((path.name, resource))
    return Registry().with_resources(resources)


def validator(schema_path: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(schema_path), registry=_registry(), format_checker=FormatChecker())


def page_validator(item_schema_path: str) -> Draft202012Validator:
    openapi = load_schema("openapi.json")
    page = dict(openapi["components"]["schemas"]["Page"], required=PAGE_FIELDS[:-1])
    schema = {"allOf": [page], "type": "object", "required": ["contents"],
              "properties": {"contents": {"type": "array", "items": load_schema(item_schema_path)}}}
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def assert_valid(validator_: Draft202012Validator, data) -> None:
    errors = sorted(validator_.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def get(client, path, status=200):
    response = client.get(BASE + path)
    assert response.status_code == status, response.content[:500]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.fixture
def rich(db):
    """Services with every part filled in, including waiting support, easy read and a cost."""
    make_service(name="Talk Together", while_waiting="Drop-in advice while you wait", easy_read="We help children talk.")
    make_service(name="Short Breaks Club", category="social_care.short_breaks", needs=["ANY"], is_free=False,
                 cost_description="£5 a session", self_referral=False, minimum_age=None, maximum_age=None,
                 locations=[{"location_type": "virtual", "name": "Online"}], schedules=[])
    return Service.objects.order_by("name")


def test_api_info_is_public_and_names_the_profile(client, db):
    data = get(client, "/")
    assert data["version"] == "3.0"
    assert data["openapi_url"].endswith("openapi.json") and data["profile"].startswith("https://")
    schema = load_schema("openapi.json")["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert_valid(Draft202012Validator(schema, format_checker=FormatChecker()), data)


def test_service_list_and_each_service_validate(client, rich):
    data = get(client, "/services")
    assert_valid(page_validator("compiled/service_list.json"), data)
    assert data["total_items"] == 2 and data["size"] == 2 and data["first_page"] and data["last_page"]
    full = validator("compiled/service.json")
    for item in data["contents"]:
        service = get(client, f"/services/{item['id']}")
        assert_valid(full, service)
    talk = get(client, f"/services/{rich[1].pk}")
    assert talk["name"] == "Talk Together"
    assert {a["taxonomy_term"]["term"] for a in talk["attributes"]} >= {"SLCN", "health.therapies", "health"}
    assert talk["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "HD1 2AB"
    assert talk["schedules"][0]["byday"] == "MO,WE" and talk["schedules"][0]["opens_at"] == "09:30:00"
    assert talk["sendhub_while_waiting"] == "Drop-in advice while you wait"
    breaks = get(client, f"/services/{rich[0].pk}")
    assert breaks["cost_options"][0]["amount_description"] == "£5 a session"
    assert "minimum_age" not in breaks  # unknown values are left out, never null


def test_service_at_locations_validate_both_ways(client, rich):
    data = get(client, "/service_at_locations")
    assert_valid(page_validator("compiled/service_at_location_list.json"), data)
    assert data["total_items"] == 2
    detail = get(client, f"/service_at_locations/{data['contents'][0]['id']}")
    assert_valid(validator("compiled/service_at_location.json"), detail)
    # openapi.json names compiled/service.json for this endpoint; the response satisfies that too
    assert_valid(validator("compiled/service.json"), detail)


def test_taxonomies_and_terms_validate(client, db):
    data = get(client, "/taxonomies")
    assert_valid(page_validator("taxonomy.json"), data)
    assert {t["name"] for t in data["contents"]} >= {"Local offer categories", "SEN2 primary need"}
    assert_valid(validator("taxonomy.json"), get(client, f"/taxonomies/{NEED_TAXONOMY['id']}"))
    terms = get(client, "/taxonomy_terms?per_page=100")
    assert_valid(page_validator("taxonomy_term.json"), terms)
    assert terms["total_items"] == TaxonomyTerm.objects.count()
    term = get(client, f"/taxonomy_terms/{term_id('need', 'SLCN')}")
    assert_valid(validator("taxonomy_term.json"), term)
    assert term["term"] == "SLCN" and term["taxonomy_id"] == str(NEED_TAXONOMY["id"])
    only_needs = get(client, f"/taxonomy_terms?taxonomy_id={NEED_TAXONOMY['id']}&per_page=100")
    assert only_needs["total_items"] == len(NEEDS) == 14  # the SEN2 types, Down syndrome (DS) among them, and "any"


def test_the_service_list_pages_through_thousands(client, db, django_assert_max_num_queries):
    bulk_services(2500)
    seen = set()
    validate = page_validator("compiled/service_list.json")
    for page in range(1, 6):
        with django_assert_max_num_queries(3):
            data = get(client, f"/services?per_page=500&page={page}")
        assert_valid(validate, data)
        assert data["page_number"] == page and data["total_pages"] == 5 and data["total_items"] == 2500
        assert data["first_page"] == (page == 1) and data["last_page"] == (page == 5)
        seen |= {item["id"] for item in data["contents"]}
    assert len(seen) == 2500
    beyond = get(client, "/services?per_page=500&page=6")
    assert beyond["empty"] and beyond["size"] == 0 and beyond["contents"] == []
    default = get(client, "/services")
    assert default["size"] == 50 and default["total_pages"] == 50
    with django_assert_max_num_queries(4):
        get(client, "/service_at_locations?per_page=200&page=3")


def test_one_service_takes_a_fixed_number_of_queries(client, rich, django_assert_max_num_queries):
    pk = rich[1].pk
    with django_assert_max_num_queries(4):  # the service and its organisation, terms, locations, schedules
        get(client, f"/services/{pk}")


def test_filters(client, db):
    talk = make_service(name="Talk Together")
    make_service(name="Teen Talk", minimum_age=13, maximum_age=19, needs=["SEMH"], category="health.camhs",
                 schedules=[{"byday": "SA", "opens_at": "10:00", "closes_at": "13:00", "description": ""}],
                 locations=[{"location_type": "physical", "address_1": "2 Market Place", "city": "Holmfirth",
                             "postcode": "HD9 3AA", "accessibility": ""}])
    names = lambda query: [s["name"] for s in get(client, "/services?" + query)["contents"]]  # noqa: E731
    assert names("search=teen") == ["Teen Talk"]
    assert names(f"taxonomy_term_id={term_id('need', 'SLCN')}") == ["Talk Together"]
    assert names(f"taxonomy_id={NEED_TAXONOMY['id']}") == ["Talk Together", "Teen Talk"]
    assert names("minimum_age=10") == ["Teen Talk"]
    assert names("maximum_age=12") == ["Talk Together"]
    assert names("day=SA") == ["Teen Talk"]
    assert names("day=monday") == ["Talk Together"]
    assert names("start_time=09:45") == ["Teen Talk"]
    assert names("end_time=12:30") == ["Talk Together"]
    near = get(client, "/service_at_locations?postcode=HD9%202XY")
    assert [s["service"]["name"] for s in near["contents"]] == ["Teen Talk", "Talk Together"]
    close = get(client, "/service_at_locations?postcode=HD1&proximity=2000")
    assert [s["service"]["name"] for s in close["contents"]] == ["Talk Together"]
    assert close["contents"][0]["service_id"] == str(talk.pk)


@pytest.mark.parametrize("query, message", [
    ("/services?page=0", "page"), ("/services?per_page=lots", "per_page"), ("/services?per_page=100000", "per_page"),
    ("/services?minimum_age=old", "minimum_age"), ("/services?taxonomy_term_id=nope", "taxonomy_term_id"),
    ("/services?day=someday", "day"), ("/services?start_time=noon", "start_time"),
    ("/service_at_locations?postcode=ZZ99", "ZZ99"), ("/service_at_locations?proximity=500", "postcode"),
])
def test_bad_parameters_get_a_clear_400(client, db, query, message):
    data = get(client, query, status=400)
    assert message in data["error"]


def test_unknown_ids_are_404_json(client, db):
    for path in (f"/services/{uuid.uuid4()}", "/services/not-a-uuid", f"/service_at_locations/{uuid.uuid4()}",
                 f"/taxonomies/{uuid.uuid4()}", f"/taxonomy_terms/{uuid.uuid4()}"):
        assert "error" in get(client, path, status=404)


def test_the_api_is_read_only_and_answers_preflight(client, db):
    response = client.post(BASE + "/services", {})
    assert response.status_code == 405 and response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(BASE + "/services")
    assert preflight.status_code == 204 and "GET" in preflight["Access-Control-Allow-Methods"]


def test_every_openapi_path_is_served(client, rich):
    """Each path in the profile's openapi.json answers 200 here, with the same shape."""
    service = rich[1]
    ids = {"/services/{id}": service.pk, "/service_at_locations/{id}": service.locations.first().sal_id,
           "/taxonomies/{id}": Taxonomy.objects.first().pk, "/taxonomy_terms/{id}": TaxonomyTerm.objects.first().pk}
    for path in load_schema("openapi.json")["paths"]:
        get(client, path.replace("{id}", str(ids.get(path, ""))))
