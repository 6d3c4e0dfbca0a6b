"""Bad input is refused with a clear message, and nothing is half-saved."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from sendhub.accounts.services import issue_api_token
from sendhub.audit.models import AuditEvent
from sendhub.people.models import Child

pytestmark = pytest.mark.django_db


def form_data(area, **overrides):
    data = {
        "given_name": "Jamie", "family_name": "Example", "date_of_birth-day": "14", "date_of_birth-month": "2",
        "date_of_birth-year": "2016", "nhs_number": "943 476 5919", "upn": "B801200005001",
        "primary_need": "SLCN", "secondary_need": "", "setting": str(area.school.pk),
    }
    data.update(overrides)
    return data


def post(client, data):
    return client.post(reverse("web:child-add"), data)


def test_caseworker_records_a_child(area, client_for):
    response = post(client_for(area.users["caseworker"]), form_data(area))
    child = Child.objects.get(family_name="Example")
    assert response.status_code == 302
    assert (child.nhs_number, child.upn, child.local_authority) == ("9434765919", "B801200005001", area.la)
    assert AuditEvent.objects.filter(child=child, action="create").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", "NHS number is not valid"),
        ({"nhs_number": "12345"}, "nhs_number", "NHS number must be 10 digits"),
        ({"upn": "A801200005001"}, "upn", "check letter"),
        ({"upn": "B80120000500"}, "upn", "UPN must be 13 characters"),
        ({"date_of_birth-year": str(date.today().year + 1)}, "date_of_birth", "must be today or in the past"),
        ({"date_of_birth-day": "31", "date_of_birth-month": "2"}, "date_of_birth", "must be a real date"),
        ({"date_of_birth-month": ""}, "date_of_birth", "must include a month"),
        ({"given_name": "  "}, "given_name", "Enter the child's first name"),
        ({"secondary_need": "SLCN"}, "secondary_need", "must be different"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(area, client_for, overrides, field, message):
    response = post(client_for(area.users["caseworker"]), form_data(area, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert "There is a problem" in response.content.decode()
    assert not Child.objects.filter(given_name="Jamie").exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_duplicate_nhs_number_upn_or_name_and_birth_date_are_refused(area, client_for):
    client = client_for(area.users["caseworker"])
    existing = area.child
    for overrides, field in [
        ({"nhs_number": existing.nhs_number}, "nhs_number"),
        ({"upn": existing.upn}, "upn"),
        ({"given_name": existing.given_name.upper(), "family_name": existing.family_name,
          "date_of_birth-day": str(existing.date_of_birth.day), "date_of_birth-month": str(existing.date_of_birth.month),
          "date_of_birth-year": str(existing.date_of_birth.year), "nhs_number": "", "upn": ""}, "__all__"),
    ]:
        response = post(client, form_data(area, **overrides))
        assert "already recorded" in " ".join(response.context["form"].errors[field])
    assert Child.objects.count() == 4


def test_only_caseworkers_can_record_children(area, client_for):
    for role in ("parent", "senco", "therapist", "leader"):
        assert post(client_for(area.users[role]), form_data(area)).status_code == 403
    assert not Child.objects.filter(family_name="Example").exists()


def test_concurrent_edits_never_silently_overwrite(area, client_for):
    child = area.child
    first, second = client_for(area.users["caseworker"]), client_for(area.users["team_manager"])
    url = reverse("web:child-edit", kwargs={"pk": child.pk})
    base = {"given_name": child.given_name, "family_name": child.family_name,
            "date_of_birth-day": str(child.date_of_birth.day), "date_of_birth-month": str(child.date_of_birth.month),
            "date_of_birth-year": str(child.date_of_birth.year), "nhs_number": child.nhs_number, "upn": child.upn,
            "primary_need": "ASD", "setting": str(child.setting_id), "version": str(child.version)}
    assert first.post(url, {**base, "preferred_name": "Al"}).status_code == 302
    response = second.post(url, {**base, "preferred_name": "Lex"})
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    child.refresh_from_db()
    assert (child.preferred_name, child.version) == ("Al", 2)


def test_api_refuses_bad_input_with_field_errors(area, client):
    token = issue_api_token(user=area.users["caseworker"], scope="write")
    headers = {"authorization": f"Bearer {token}"}
    payload = {"given_name": "Jamie", "family_name": "Example", "date_of_birth": str(date.today() + timedelta(days=3)),
               "nhs_number": "943 476 5918"}
    response = client.post("/api/v1/children", payload, content_type="application/json", headers=headers)
    assert response.status_code == 422
    body = response.json()
    assert "NHS number is not valid" in body["errors"]["nhs_number"][0]
    assert "past" in body["errors"]["date_of_birth"][0]
    bad_date = client.post("/api/v1/children", {**payload, "date_of_birth": "14/02/2016"},
                           content_type="application/json", headers=headers)
    assert bad_date.status_code == 422 and "date_of_birth" in bad_date.json()["errors"]
    assert not Child.objects.filter(family_name="Example").exists()


def test_api_update_with_a_stale_version_is_a_conflict(area, client):
    token = issue_api_token(user=area.users["caseworker"], scope="write")
    headers = {"authorization": f"Bearer {token}"}
    child = area.child
    body = {"given_name": "Robin", "family_name": child.family_name, "date_of_birth": str(child.date_of_birth),
            "nhs_number": child.nhs_number, "upn": child.upn, "primary_need": "ASD", "version": child.version}
    url = f"/api/v1/children/{child.pk}"
    assert client.put(url, body, content_type="application/json", headers=headers).status_code == 200
    stale = client.put(url, {**body, "given_name": "Sky"}, content_type="application/json", headers=headers)
    assert stale.status_code == 409
    child.refresh_from_db()
    assert child.given_name == "Robin"
