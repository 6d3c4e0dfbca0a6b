"""The checks find each planted mistake, once, and nothing in a clean return."""

import copy
from datetime import date

import pytest

from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.clock.models import StatutoryEvent
from sendhub.people.models import Child
from sendhub.sen2 import checks
from sendhub.sen2.build import build_return
from sendhub.sen2.spec import Node

from . import casebook

pytestmark = pytest.mark.django_db


def find(header, forename) -> Node:
    return next(p for p in header.kids("person") if p.get("forename") == forename)


def plant_in_tree(header):
    """Mistakes another system's file could carry; the record itself cannot hold them."""
    h = copy.deepcopy(header)
    find(h, "Ben").kids("requests")[0].values.pop("requestoutcomedate")  # outcome without a date
    find(h, "Cara").kids("requests")[0].values["requestoutcome"] = "Q"  # not a code
    find(h, "Dan").kids("requests")[0].values["requestoutcome"] = "Y"  # decided to assess, no assessment, no date
    find(h, "Ava").kids("requests")[0].values["requestoutcomedate"] = "2025-01-01"  # decided before received
    find(h, "Eve").kids("requests")[0].kids("assessment")[0].kids("namedplan")[0].values.pop("ceasereason")
    active = find(h, "Ivy").kids("requests")[0].kids("activeplans")[0]
    active.children = [c for c in active.children if c.module != "senneed"]  # active plan with no need
    h.children.append(copy.deepcopy(find(h, "Jay")))  # the same person twice
    return h


def test_clean_return_has_no_problems_and_each_planted_mistake_is_found():
    la = casebook.build()
    header = build_return(local_authority=la, census=casebook.CENSUS)
    assert checks.check(header) == []
    found = {(p.who.split()[0], p.rule) for p in checks.check(plant_in_tree(header))}
    assert found == {("Ben", "outcome_dates"), ("Cara", "codes"), ("Dan", "assessment_missing"),
                     ("Dan", "outcome_dates"), ("Ava", "order"), ("Eve", "outcome_dates"), ("Ivy", "active_plan"),
                     ("Jay", "duplicates")}


def test_mistakes_in_the_record_are_found_with_a_link_to_the_child():
    la = casebook.build()
    Child.objects.filter(given_name="Ava").update(postcode="NOPE 123")
    Child.objects.filter(given_name="Ben").update(upn="A12345678901")  # 12 characters
    Child.objects.filter(given_name="Ivy").update(setting=None)  # active plan, no placement
    cara = Child.objects.get(given_name="Cara")
    twin = Child.objects.create(given_name="Cara", family_name="Cole", date_of_birth=cara.date_of_birth,
                                local_authority=la)  # the same person entered twice, with a request of her own
    EHCNeedsAssessment.objects.create(child=twin, request_received_on=date(2025, 9, 1), requested_by="parent")
    kit = Child.objects.create(given_name="Kit", family_name="Kay", date_of_birth=date(2014, 4, 4), local_authority=la,
                               sen_setting="OLA", primary_need="MLD")
    late = EHCNeedsAssessment.objects.create(child=kit, request_received_on=date(2025, 1, 6), requested_by="parent",
                                             outcome="plan_issued", closed_on=date(2025, 9, 1))
    StatutoryEvent.objects.create(assessment=late, type="decision_to_assess", date=date(2025, 2, 1))
    StatutoryEvent.objects.create(assessment=late, type="final_plan_issued", date=date(2025, 9, 1))
    kit.plans.create(first_issued_on=date(2025, 9, 1))
    header = build_return(local_authority=la, census=casebook.CENSUS)
    problems = checks.check(header)
    by_rule = {(p.who.split()[0], p.rule): p for p in problems}
    assert set(by_rule) == {("Ava", "postcode"), ("Ben", "upn"), ("Ivy", "active_plan"), ("Cara", "duplicates"),
                            ("Kit", "week20")}
    assert by_rule[("Kit", "week20")].severity == checks.QUERY
    assert by_rule[("Ben", "upn")].ref == str(Child.objects.get(given_name="Ben").pk)
    assert by_rule[("Ivy", "active_plan")].line() == (
        "Ivy Irwin (born 7 July 2007): active plan with no placement recorded")


def test_every_rule_states_its_reason():
    assert {"codes", "required", "upn", "postcode", "order", "outcome_dates", "assessment_missing", "active_plan",
            "placement", "week20", "duplicates"} <= set(checks.RULES)
    assert all(rule.reason and rule.title for rule in checks.RULES.values())


def test_the_header_and_numbers_are_checked_too():
    header = Node("sen2", {"referencedate": "15/01/2026", "lea": "881"})
    header.children.append(Node("person", {"surname": "Ode", "forename": "Oli", "personbirthdate": "2010-02-02"},
                                [Node("requests", {"requestoutcome": "H"}, [Node("activeplans", {}, [
                                    Node("placementdetail", {"urn": "12a", "placementrank": "1"}),
                                    Node("senneed", {"sentype": "ASD", "sentyperank": "1"})])])], where="Person[1]"))
    assert [p.line() for p in checks.check(header)] == [
        "The return: Header: census date is '15/01/2026', which is not a date like 2026-01-15 (Header)",
        "Oli Ode (born 2 February 2010): Current placement: URN is '12a', which is not a whole number (Person[1])"]
