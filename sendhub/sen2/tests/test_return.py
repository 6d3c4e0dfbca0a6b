"""The return built from a hand-made council, checked element by element, and written as XML and CSV tables."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sendhub.sen2 import checks, spec
from sendhub.sen2.build import build_return

from . import casebook

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(db):
    return casebook.build()


def person(header, forename):
    return next(p for p in header.kids("person") if p.get("forename") == forename)


def flat(n):
    """A node as nested (module, values, children) for exact comparison."""
    return (n.module, n.values, [flat(c) for c in n.children])


def test_every_module_and_code_from_the_record(council):
    with CaptureQueriesContext(connection) as queries:
        header = build_return(local_authority=council, census=casebook.CENSUS)
    assert len(queries) <= 8  # the same few queries whatever the number of children
    assert header.values == {"collection": "SEN2", "year": "2026", "referencedate": "2026-01-15", "sourcelevel": "L",
                             "lea": "881", "softwarecode": "sendhub", "release": "2026.1", "serialno": "1",
                             "datetime": "2026-01-15T00:00:00"}
    assert [p.get("forename") for p in header.kids("person")] == ["Ava", "Ben", "Cara", "Dan", "Eve", "Finn", "Gus",
                                                                  "Hana", "Ivy", "Jay"]
    ava = person(header, "Ava")
    assert flat(ava) == ("person", {"surname": "Ashby", "forename": "Ava", "personbirthdate": "2008-03-14", "sex": "F",
                                    "ethnicity": "WBRI", "postcode": "HD1 2AB", "upn": ava.get("upn")}, [
        ("requests", {"receiveddate": "2025-02-03", "requestoutcomedate": "2025-03-10", "requestoutcome": "Y",
                      "requestmediation": "N", "requesttribunal": "N"}, [
            ("assessment", {"assessmentoutcome": "Y", "assessmentoutcomedate": "2025-06-16", "assessmentmediation": "N",
                            "assessmenttribunal": "N", "week20": "N"}, [
                ("namedplan", {"startdate": "2025-06-16"}, [
                    ("plandetail", {"urn": "130001", "ukprn": "10001234", "placementrank": "1"}, [])])]),
            ("activeplans", {}, [
                ("placementdetail", {"urn": "130001", "ukprn": "10001234", "placementrank": "1"}, []),
                ("senneed", {"sentype": "ASD", "sentyperank": "1"}, []),
                ("senneed", {"sentype": "DS", "sentyperank": "2"}, [])])])])
    ben = person(header, "Ben").kids("requests")[0]
    assert ben.values == {"receiveddate": "2025-04-01", "requestoutcomedate": "2025-05-09", "requestoutcome": "N",
                          "requestmediation": "Y", "requesttribunal": "Y"} and not ben.children
    cara = person(header, "Cara").kids("requests")[0]
    assert (cara.get("requestoutcome"), cara.get("requestoutcomedate")) == ("W", "2025-05-20")
    dan = person(header, "Dan").kids("requests")[0]
    assert dan.get("requestoutcome") == "A" and not dan.get("requestoutcomedate")
    eve = person(header, "Eve").kids("requests")[0]
    assert flat(eve) == ("requests", {"requestoutcome": "H"}, [("assessment", {"assessmentoutcome": "H"}, [
        ("namedplan", {"startdate": "2015-03-01", "ceasedate": "2025-07-31", "ceasereason": "1"}, [])])])
    finn = person(header, "Finn").kids("requests")[0].kids("activeplans")[0]
    assert flat(finn) == ("activeplans", {"reviewmeeting": "2025-05-10", "reviewoutcome": "2025-05-30",
                                          "reviewdraft": "2025-06-05", "phasetransferduedate": "2026-02-15",
                                          "lastreview": "2025-05-10"}, [
        ("placementdetail", {"sensetting": "EHE", "placementrank": "1"}, []),
        ("senneed", {"sentype": "SLCN", "sentyperank": "1"}, [])])
    gus = person(header, "Gus").kids("requests")[0].kids("assessment")[0]
    assert gus.get("week20") == "Y" and gus.get("assessmentoutcomedate") == "2025-07-21"
    hana = person(header, "Hana").kids("requests")[0]
    assert hana.get("requestmediation") == "N" and hana.kids("assessment")[0].values == {
        "assessmentoutcome": "N", "assessmentoutcomedate": "2025-08-01", "assessmentmediation": "Y",
        "assessmenttribunal": "N", "week20": "N"}
    ivy = person(header, "Ivy").kids("requests")[0].kids("activeplans")[0].kids("placementdetail")[0]
    assert ivy.values == {"ukprn": "10009999", "placementrank": "1"}
    assert person(header, "Ivy").kids("requests")[0].kids("activeplans")[0].kids("senneed")[0].get("sentype") == "SPLD"
    jay = person(header, "Jay").kids("requests")[0]
    assert (jay.get("requestoutcome"), jay.get("requestoutcomedate"), jay.get("receiveddate")) == (
        "H", "2023-02-17", "2023-01-09")
    assert jay.kids("assessment")[0].get("assessmentoutcome") == "H"
    assert checks.check(header) == []


def test_xml_elements_in_order_and_read_back(council):
    header = build_return(local_authority=council, census=casebook.CENSUS)
    xml = spec.to_xml(header).decode()
    assert xml.startswith("<?xml version='1.0' encoding='utf-8'?>\n<Message>\n  <Header>\n    <Collection>SEN2")
    finn = xml[xml.index("<Forename>Finn</Forename>"):]
    finn = finn[:finn.index("</Person>")]
    assert [line.strip() for line in finn.splitlines()][:16] == [
        "<Forename>Finn</Forename>", "<PersonBirthDate>2015-02-02</PersonBirthDate>", "<Sex>M</Sex>", "<Requests>",
        "<RequestOutcome>H</RequestOutcome>", "<Assessment>", "<AssessmentOutcome>H</AssessmentOutcome>",
        "<NamedPlan>", "<StartDate>2019-05-01</StartDate>", "</NamedPlan>", "</Assessment>", "<ActivePlans>",
        "<ReviewMeeting>2025-05-10</ReviewMeeting>", "<ReviewOutcome>2025-05-30</ReviewOutcome>",
        "<ReviewDraft>2025-06-05</ReviewDraft>", "<PhaseTransferDueDate>2026-02-15</PhaseTransferDueDate>"]
    back = spec.from_xml(xml.encode())
    assert flat(back) == flat(header)
    tables = spec.to_tables(header)
    assert tables["senneed"][0] == ["senneed_table_id", "activeplans_table_id", "sentype", "sentyperank"]
    assert flat(spec.from_tables(tables)) == flat(header)


def test_the_reader_refuses_what_it_does_not_understand():
    with pytest.raises(spec.ReadError, match="unknown element <Shoe>"):
        spec.from_xml(b"<Message><Header><LEA>1</LEA></Header><Person><Shoe>9</Shoe></Person></Message>")
    with pytest.raises(spec.ReadError, match="DOCTYPE"):
        spec.from_xml(b'<!DOCTYPE x [<!ENTITY a "b">]><Message><Header/></Message>')
    with pytest.raises(spec.ReadError, match="unknown column"):
        spec.from_tables({"sen2": [["sen2_table_id", "lea", "colour"], ["1", "881", "red"]]})
    with pytest.raises(spec.ReadError, match="not in person.csv"):
        spec.from_tables({"sen2": [["sen2_table_id", "lea"], ["1", "881"]],
                          "person": [["person_table_id", "sen2_table_id"], ["1", "1"]],
                          "requests": [["requests_table_id", "person_table_id"], ["1", "7"]]})


def test_every_code_in_the_code_sets_goes_through_the_xml_and_back(council):
    """Each cease reason, SEN type and setting code, written from the record into the return's XML and read back:
    the casebook shows one of each kind, this shows that none of the others is lost or changed on the way."""
    from sendhub.people.models import Child
    from sendhub.plans.models import EHCPlan

    def round_trip(name):
        back = spec.from_xml(spec.to_xml(build_return(local_authority=council, census=casebook.CENSUS)))
        return person(back, name)

    eve_plan = EHCPlan.objects.get(child__given_name="Eve", child__local_authority=council)
    for code in spec.CEASE_REASONS:
        EHCPlan.objects.filter(pk=eve_plan.pk).update(cease_reason=code)
        plan = round_trip("Eve").kids("requests")[0].kids("assessment")[0].kids("namedplan")[0]
        assert plan.get("ceasereason") == code
    ava = Child.objects.filter(given_name="Ava", local_authority=council)
    for code in spec.SEN_TYPES:
        ava.update(primary_need=code, secondary_need="")
        needs = round_trip("Ava").kids("requests")[0].kids("activeplans")[0].kids("senneed")
        assert [(n.get("sentype"), n.get("sentyperank")) for n in needs] == [(code, "1")]
    finn = Child.objects.filter(given_name="Finn", local_authority=council)
    for code in spec.SEN_SETTINGS:
        finn.update(sen_setting=code)
        place = round_trip("Finn").kids("requests")[0].kids("activeplans")[0].kids("placementdetail")[0]
        assert place.values == {"sensetting": code, "placementrank": "1"}
    assert len(spec.CEASE_REASONS) == 9 and "DS" in spec.SEN_TYPES
