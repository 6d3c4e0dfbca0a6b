"""The SEND team manager's SEN2 page: their council only, checks with links to each child, audited downloads."""

import pytest

from sendhub.accounts.models import Role
from sendhub.audit.models import AuditAction, AuditEvent
from sendhub.people.models import Child
from sendhub.testing.factories import LocalAuthorityFactory, UserFactory

from . import casebook

pytestmark = pytest.mark.django_db
CENSUS = "census-day=15&census-month=1&census-year=2026"


def test_manager_runs_the_checks_and_downloads_the_return(client_for):
    la = casebook.build()
    Child.objects.filter(given_name="Ava").update(postcode="NOPE")
    manager = UserFactory(role=Role.TEAM_MANAGER, organisation=la)
    client = client_for(manager)
    page = client.get(f"/sen2/?{CENSUS}&check=1")
    html = page.content.decode()
    assert page.status_code == 200
    ava = Child.objects.get(given_name="Ava")
    assert f'<a class="govuk-link" href="/children/{ava.pk}/">Ava Ashby (born 14 March 2008)</a>: postcode' in html
    assert "10 people in the return. 1 error to put right before sending" in html
    assert AuditEvent.objects.filter(actor=manager, action=AuditAction.LIST, child=ava).exists()
    xml = client.get(f"/sen2/return.xml?{CENSUS}")
    assert xml["Content-Disposition"] == 'attachment; filename="SEN2_881_2026-01-15.xml"'
    assert b"<Forename>Finn</Forename>" in xml.content
    assert AuditEvent.objects.filter(actor=manager, action=AuditAction.EXPORT).count() == 10
    tables = client.get(f"/sen2/return.csv?{CENSUS}")
    assert tables["Content-Type"] == "application/zip" and tables.content[:2] == b"PK"
    bad = client.get("/sen2/?census-day=31&census-month=2&census-year=2026&check=1")
    assert "The census date must be a real date" in bad.content.decode()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.PARTNERSHIP_LEADER, Role.QA_OFFICER])
def test_nobody_else_may_run_it(role, client_for):
    la = casebook.build()
    assert client_for(UserFactory(role=role, organisation=la)).get("/sen2/").status_code == 403
    other_manager = UserFactory(role=Role.TEAM_MANAGER, organisation=LocalAuthorityFactory())
    response = client_for(other_manager).get(f"/sen2/?{CENSUS}&check=1")
    assert response.status_code == 200 and "Ava" not in response.content.decode()  # their own (empty) council
