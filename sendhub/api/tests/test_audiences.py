"""Issue 15, finding 4: the API gives each role no more than that role's own web page shows.

For every role that may see a child, the child's page is rendered as that role and every value of the
API's answer (the child and who is involved) must be on that page. The council alone gets what it keeps
and changes but the page does not print (COUNCIL_ONLY). Each answer is also checked against the OpenAPI
document, so the three audiences' schemas are the ones the API really sends.
"""

import html
from datetime import timedelta

import jsonschema
import pytest
from django.urls import reverse
from django.utils import timezone

from sendhub.accounts.services import issue_api_token
from sendhub.core.identifiers import format_nhs_number
from sendhub.core.schoolyear import describe_year
from sendhub.people.models import InvolvementRole, Need
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

FAMILY_ROLES = ("parent", "young_person")
PROFESSIONAL_ROLES = ("senco", "therapist", "social_worker")
COUNCIL_ROLES = ("caseworker", "team_manager", "qa_officer")
# What the council keeps and changes (PUT takes all of it back) but the page does not print.
COUNCIL_ONLY = {"preferred_name", "setting_urn", "version"}
FLAG_LABELS = {"looked_after": "Child looked after", "child_in_need": "Child in need",
               "child_protection": "Child protection plan"}


@pytest.fixture
def record(area):
    """A child with everything a page might hide: UPN, every social care flag, an ended involvement."""
    from sendhub.accounts.models import Role

    child = area.child
    child.account = area.users["young_person"]
    child.preferred_name, child.secondary_need = "Lexi", "SLCN"
    child.looked_after = child.child_in_need = child.child_protection = True
    child.save()
    f.InvolvementFactory(child=child, professional=area.users["social_worker"],
                         organisation=area.users["social_worker"].organisation, role=InvolvementRole.SOCIAL_WORKER)
    former = f.UserFactory(role=Role.HEALTH_PROFESSIONAL, full_name="Morwenna Pastworker", organisation=area.provider)
    f.InvolvementFactory(child=child, professional=former, organisation=area.provider,
                         role=InvolvementRole.PHYSIOTHERAPIST, started_on=TODAY - timedelta(days=400),
                         ended_on=TODAY - timedelta(days=30))
    return child


def api_get(client, user, path):
    response = client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=user)}")
    assert response.status_code == 200, (path, response.status_code)
    return response.json()


def page_text(client_for, user, child) -> str:
    response = client_for(user).get(reverse("web:child", args=[child.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def child_values_missing_from(page: str, answer: dict) -> set[str]:
    """The child fields whose value the page does not show, each written as the page writes it."""
    shown = {
        "audience": lambda v: True,  # which shape this is: not data about the child
        "id": lambda v: f"/children/{v}" in page,
        "date_of_birth": lambda v: f"{v:%-d %B %Y}" in page,
        "nhs_number": lambda v: not v or format_nhs_number(v) in page,
        "year_group": lambda v: describe_year(v) in page,
        "primary_need": lambda v: not v or Need(v).label in page,
        "secondary_need": lambda v: not v or Need(v).label in page,
        **{flag: (lambda label: lambda v: (label in page) if v else "Social care" in page)(label)
           for flag, label in FLAG_LABELS.items()},
    }
    from datetime import date

    missing = set()
    for name, value in answer.items():
        if name == "date_of_birth":
            value = date.fromisoformat(value)
        check = shown.get(name, lambda v: v is None or str(v) in page)
        if not check(value):
            missing.add(name)
    return missing


def involvements_missing_from(page: str, involvements: list[dict]) -> list[dict]:
    from datetime import date

    def on_page(i):
        who = i["professional"] or i["team"]
        return (who in page and InvolvementRole(i["role"]).label in page and i["organisation"] in page
                and f"{date.fromisoformat(i['started_on']):%-d %b %Y}" in page)
    return [i for i in involvements if not on_page(i)]


def check_against_openapi(client, answer, component):
    document = client.get("/api/v1/openapi.json").json()
    jsonschema.validate(answer, {"$ref": f"#/components/schemas/{component}", "components": document["components"]})


@pytest.mark.parametrize("role", FAMILY_ROLES + PROFESSIONAL_ROLES + COUNCIL_ROLES)
def test_the_api_gives_each_role_no_more_than_its_page(area, client, client_for, record, role):
    user = area.users[role]
    page = page_text(client_for, user, record)
    answer = api_get(client, user, f"/children/{record.pk}")
    involvements = api_get(client, user, f"/children/{record.pk}/involvements")
    expected = "family" if role in FAMILY_ROLES else "professional" if role in PROFESSIONAL_ROLES else "council"
    assert answer["audience"] == expected
    check_against_openapi(client, answer, {"family": "FamilyChildOut", "professional": "ProfessionalChildOut",
                                           "council": "CouncilChildOut"}[expected])
    missing = child_values_missing_from(page, answer)
    not_shown = involvements_missing_from(page, involvements)
    if expected == "council":
        assert missing <= COUNCIL_ONLY and COUNCIL_ONLY <= set(answer)  # a number like `version` may happen to be on it
        assert [i["professional"] for i in not_shown] == ["Morwenna Pastworker"]  # the ended one: the council's history
        assert not_shown[0]["ended_on"] == (TODAY - timedelta(days=30)).isoformat()
    else:
        assert missing == set(), f"{role} gets from the API what their page hides: {missing}"
        assert not_shown == [], f"{role} gets involvements their page hides: {not_shown}"
    assert {i["professional"] for i in involvements} >= {area.users["therapist"].full_name,
                                                          area.users["social_worker"].full_name}


@pytest.mark.parametrize("role", FAMILY_ROLES)
def test_a_family_token_gets_no_upn_safeguarding_flags_or_ended_involvements(area, client, record, role):
    user = area.users[role]
    answer = api_get(client, user, f"/children/{record.pk}")
    involvements = api_get(client, user, f"/children/{record.pk}/involvements")
    text = str(answer) + str(involvements)
    assert record.upn not in text and "Morwenna Pastworker" not in text
    assert not {"upn", "child_protection", "looked_after", "child_in_need", "local_authority", "version"} & set(answer)
    assert answer["nhs_number"] == record.nhs_number and answer["given_name"] == record.given_name  # their own page shows these


def test_professionals_see_what_the_staff_page_shows_and_nothing_ended(area, client, client_for, record):
    therapist = area.users["therapist"]
    answer = api_get(client, therapist, f"/children/{record.pk}")
    assert answer["upn"] == record.upn and answer["child_protection"] is True  # the staff page shows them
    assert "version" not in answer and "preferred_name" not in answer
    listing = api_get(client, therapist, "/children")
    assert [item["audience"] for item in listing["items"]] == ["professional"]
    check_against_openapi(client, listing, "ChildPage")
    involvements = api_get(client, therapist, f"/children/{record.pk}/involvements")
    assert "Morwenna Pastworker" not in str(involvements)


def test_every_role_that_sees_a_child_has_an_audience():
    """A new role must be given an audience on purpose; until then it gets "not found" (deny by default)."""
    from django.http import Http404

    from sendhub.accounts.models import Role
    from sendhub.api.audiences import AUDIENCE_OF_ROLE, presenter_for
    from sendhub.people.rules import works_with_children

    class Caller:
        is_authenticated = True

    for role in Role:
        caller = Caller()
        caller.role = role
        if role in {Role.FAMILY, Role.YOUNG_PERSON} or works_with_children(caller):
            assert role in AUDIENCE_OF_ROLE, role
        else:
            assert role not in AUDIENCE_OF_ROLE
            with pytest.raises(Http404):
                presenter_for(caller)
