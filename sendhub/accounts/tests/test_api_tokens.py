"""API tokens expire, can be revoked, and are read-only unless issued with the write scope (review 15.12)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sendhub.accounts.models import ApiToken, TokenScope
from sendhub.accounts.services import issue_api_token, revoke_api_token
from sendhub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"authorization": f"Bearer {raw}"}


def child_body(child):
    return {"given_name": "Renamed", "family_name": child.family_name, "date_of_birth": child.date_of_birth.isoformat(),
            "version": child.version}


def test_a_new_token_is_read_only_and_expires_in_90_days(area):
    issue_api_token(user=area.users["caseworker"])
    token = ApiToken.objects.get()
    assert token.scope == TokenScope.READ
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="accounts.ApiToken").exists()


def test_a_read_token_can_read_but_not_change_a_record(area, client):
    raw = issue_api_token(user=area.users["caseworker"])
    url = f"/api/v1/children/{area.child.pk}"
    assert client.get(url, headers=bearer(raw)).status_code == 200
    response = client.put(url, child_body(area.child), content_type="application/json", headers=bearer(raw))
    assert response.status_code == 403
    assert "write scope" in response.json()["detail"]
    created = client.post("/api/v1/children", {**child_body(area.child), "given_name": "New"},
                          content_type="application/json", headers=bearer(raw))
    assert created.status_code == 403
    area.child.refresh_from_db()
    assert area.child.given_name != "Renamed"


def test_a_write_token_can_change_a_record(area, client):
    raw = issue_api_token(user=area.users["caseworker"], scope=TokenScope.WRITE)
    response = client.put(f"/api/v1/children/{area.child.pk}", child_body(area.child), content_type="application/json",
                          headers=bearer(raw))
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("spoil", ["expired", "revoked", "deactivated"])
def test_expired_revoked_and_deactivated_tokens_get_401(area, client, spoil):
    user = area.users["caseworker"]
    raw = issue_api_token(user=user, scope=TokenScope.WRITE)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    token = ApiToken.objects.get()
    if spoil == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif spoil == "revoked":
        revoke_api_token(token=token)
        assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(token.pk)).exists()
    else:
        user.is_active = False
        user.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401
    assert client.put(f"/api/v1/children/{area.child.pk}", child_body(area.child), content_type="application/json",
                      headers=bearer(raw)).status_code == 401


def test_bad_scope_or_lifetime_is_refused_naming_each_field(area):
    with pytest.raises(ValidationError) as refused:
        issue_api_token(user=area.users["caseworker"], scope="admin", days=0)
    assert set(refused.value.message_dict) == {"scope", "days"}
    assert not ApiToken.objects.exists()


def test_token_command_takes_a_scope_and_a_lifetime(area, client):
    out = StringIO()
    call_command("token", "caseworker@example.test", "--scope", "write", "--expires-in-days", "7", stdout=out)
    token = ApiToken.objects.get()
    assert token.scope == TokenScope.WRITE
    assert abs(token.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    assert client.get("/api/v1/me", headers=bearer(out.getvalue().strip())).status_code == 200
    with pytest.raises(CommandError, match="1 to 366 days"):
        call_command("token", "caseworker@example.test", "--expires-in-days", "400")


def test_revoke_token_command(area, client):
    raw = issue_api_token(user=area.users["caseworker"])
    out = StringIO()
    call_command("revoke_token", raw[:8], stdout=out)
    assert "Revoked" in out.getvalue()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401
    with pytest.raises(CommandError, match="No token"):
        call_command("revoke_token", "sh_nothing")


def test_openapi_says_how_tokens_work_and_every_write_can_answer_403(client):
    schema = client.get("/api/v1/openapi.json").json()
    scheme = next(iter(schema["components"]["securitySchemes"].values()))
    assert "write" in scheme["description"] and "expire" in scheme["description"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method.upper() not in {"GET", "HEAD", "OPTIONS"}:
                assert "403" in operation["responses"], (method, path)
