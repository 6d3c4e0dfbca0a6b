"""The support admin site never shows a two-factor secret, and its password and device changes are audited (15.5)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendhub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(area):
    return TOTPDevice.objects.create(user=area.users["caseworker"], name="Phone", confirmed=True)


@pytest.fixture
def support(area, client_for):
    return client_for(area.users["administrator"])


def test_the_admin_never_shows_a_totp_key_or_its_qr_code(support, device):
    for url in [reverse("admin:otp_totp_totpdevice_changelist"),
                reverse("admin:otp_totp_totpdevice_change", args=[device.pk])]:
        page = support.get(url).content.decode()
        assert device.key not in page and device.key.upper() not in page
        assert "qrcode" not in page.lower() and "otpauth://" not in page
    for tail in ["config/", "qrcode/"]:
        response = support.get(f"/support/otp_totp/totpdevice/{device.pk}/{tail}")
        assert device.key not in response.content.decode()
        assert response.status_code in {302, 404}  # django-otp's key and QR code views are not there
    assert support.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403


def test_changing_and_removing_a_device_in_the_admin_is_audited_without_its_key(area, support, device):
    url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    response = support.post(url, {"name": "Old phone", "confirmed": "on", "throttling_failure_count": 0})
    assert response.status_code == 302, response.content.decode()[:2000]
    change = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="otp_totp.TOTPDevice")
    assert change.changes == {"name": ["Phone", "Old phone"]}
    assert change.actor == area.users["administrator"]
    assert device.key not in str(change.changes)

    support.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    removal = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="otp_totp.TOTPDevice")
    assert removal.changes["name"] == ["Old phone", None]
    assert device.key not in str(removal.changes)


def test_setting_a_password_in_the_admin_is_audited_without_the_password(area, support):
    person = area.users["parent"]
    new = "a-brand-new-password-2026"
    response = support.post(reverse("admin:auth_user_password_change", args=[person.pk]),
                            {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(person.pk))
    assert event.actor == area.users["administrator"]
    assert event.changes == {"password": ["not shown", "changed"]}
    assert new not in str(event.changes) and "pbkdf2" not in str(event.changes)


def test_a_failed_password_change_writes_no_audit_row(area, support):
    person = area.users["parent"]
    support.post(reverse("admin:auth_user_password_change", args=[person.pk]),
                 {"password1": "one-password-2026", "password2": "another-password-2026", "usable_password": "true"})
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(person.pk)).exists()


def test_support_can_revoke_a_token_in_the_admin_and_it_is_audited(area, support, client):
    from sendhub.accounts.models import ApiToken
    from sendhub.accounts.services import issue_api_token

    raw = issue_api_token(user=area.users["caseworker"])
    token = ApiToken.objects.get()
    response = support.post(reverse("admin:accounts_apitoken_changelist"),
                            {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(token.pk),
                                     actor=area.users["administrator"]).exists()
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {raw}"}).status_code == 401
    assert support.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_clearing_failed_sign_ins_in_the_admin_is_audited(area, support):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(username="parent@example.test", ip_address="10.0.0.9", user_agent="x",
                                           failures_since_start=5, get_data="", post_data="", http_accept="",
                                           path_info="/account/sign-in")
    response = support.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="axes.AccessAttempt")
    assert event.actor == area.users["administrator"]
    assert event.changes == {"email": ["parent@example.test", None], "failures": [5, None]}


def _change_user_form(person, **overrides):
    data = {"email": person.email, "full_name": person.full_name, "role": person.role, "job_title": person.job_title,
            "organisation": person.organisation_id or "", "teams": [t.pk for t in person.teams.all()],
            "is_active": "on" if person.is_active else ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v not in ("", None) or k in {"organisation", "job_title"}}


def test_changing_who_someone_is_in_the_admin_is_audited_as_access(area, support):
    """Role, employer and teams decide which children someone sees (ADR 2): a change there is a grant."""
    from sendhub.accounts.models import Role
    from sendhub.organisations.models import Team

    person = area.users["therapist"]
    team = Team.objects.create(organisation=person.organisation, name="Speech and language therapy")
    response = support.post(reverse("admin:accounts_user_change", args=[person.pk]),
                            _change_user_form(person, role=Role.SOCIAL_CARE, teams=[team.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.filter(object_id=str(person.pk), summary__startswith="Changed the access").get()
    assert event.actor == area.users["administrator"]
    assert event.changes["role"] == [Role.HEALTH_PROFESSIONAL, Role.SOCIAL_CARE]
    teams = AuditEvent.objects.get(object_id=str(person.pk), summary__startswith="Changed the teams")
    assert teams.changes == {"teams": [[], [team.pk]]}


def test_unticking_active_in_the_admin_ends_sessions_and_tokens_at_once(area, support, client_for):
    from sendhub.accounts.models import ApiToken
    from sendhub.accounts.services import issue_api_token

    person = area.users["caseworker"]
    signed_in = client_for(person)
    assert signed_in.get(reverse("web:children")).status_code == 200
    issue_api_token(user=person)
    response = support.post(reverse("admin:accounts_user_change", args=[person.pk]),
                            _change_user_form(person, is_active=""))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not ApiToken.objects.filter(user=person, revoked_at__isnull=True).exists()
    assert signed_in.get(reverse("web:children")).status_code == 302  # back to sign in
    event = AuditEvent.objects.get(object_id=str(person.pk), summary__startswith="Changed the access")
    assert event.changes["is_active"] == [True, False] and "session(s)" in event.summary
