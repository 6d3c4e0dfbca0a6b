"""Passkeys as a second factor: what can be checked without a real authenticator.

The full ceremony with Chromium's virtual authenticator is in test_passkeys_browser.py.
"""

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from sendhub.accounts.models import Role
from sendhub.audit.models import AuditAction, AuditEvent
from sendhub.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

BEGIN = "/account/passkey-ceremony/registration/begin/"
AUTH_BEGIN = "/account/passkey-ceremony/authentication/begin/"


def passkey_for(user, name="Laptop"):
    credential_id = f"{user.pk}-{name}".encode()
    return WebAuthnCredential.objects.create(
        user=user, name=name, confirmed=True, credential_id=credential_id, public_key=b"not-a-real-key",
        credential_id_sha256=hashlib.sha256(credential_id).hexdigest(), sign_count=0, aaguid="0" * 32)


def password_only(user) -> Client:
    """Signed in with the password, second factor not yet passed."""
    client = Client()
    client.force_login(user)
    return client


def test_adding_a_passkey_needs_a_session_verified_by_the_second_factor(area, client_for):
    caseworker = area.users["caseworker"]
    TOTPDevice.objects.create(user=caseworker, name="app", confirmed=True)
    # Before the second factor the middleware sends staff to it; the view itself refuses as well.
    assert password_only(caseworker).post(BEGIN)["Location"].startswith(reverse("accounts:two-factor"))
    no_device_yet = UserFactory(role=Role.CASEWORKER)
    assert password_only(no_device_yet).post(BEGIN).status_code in {302, 403}  # the library would allow this one
    assert password_only(area.users["parent"]).post(BEGIN).status_code == 403  # passkeys are for staff
    assert Client().post(BEGIN).status_code == 403

    options = client_for(caseworker).post(BEGIN)
    assert options.status_code == 200
    assert options.json()["challenge"] and options.json()["user"]["name"] == caseworker.email


def test_the_passkey_page_lists_only_your_own_passkeys(area, client_for):
    caseworker = area.users["caseworker"]
    passkey_for(caseworker, "Work laptop")
    passkey_for(area.users["team_manager"], "Someone else's key")
    page = client_for(caseworker).get(reverse("accounts:passkeys")).content.decode()
    assert "Work laptop" in page and "Someone else" not in page
    assert 'id="passkey-registration-placeholder"' in page


def test_pages_load_the_passkey_scripts_from_static_files_with_no_inline_script(area, client_for):
    caseworker = area.users["caseworker"]
    page = client_for(caseworker).get(reverse("accounts:passkeys")).content.decode()
    snippet = page[page.index("Add a passkey</h2>"):page.index("</main>")]  # base.html's own scripts are helper A's
    scripts = re.findall(r"<script[^>]*>", snippet)
    # the source name in development, a hashed name (otp_webauthn_register.<hash>.js) with production storage
    assert any(re.search(r"/static/django_otp_webauthn/otp_webauthn_register(\.[0-9a-f]+)?\.js", s) for s in scripts)
    for tag in scripts:
        assert 'src="/' in tag or 'type="application/json"' in tag, tag  # same origin, or data only
    assert "cdn" not in snippet.lower() and "https://" not in "".join(scripts)


def test_removing_a_passkey_is_audited_and_someone_elses_is_not_found(area, client_for):
    caseworker = area.users["caseworker"]
    own, other = passkey_for(caseworker), passkey_for(area.users["team_manager"])
    client = client_for(caseworker)
    assert client.post(reverse("accounts:remove-passkey", args=[other.pk])).status_code == 404
    assert client.post(reverse("accounts:remove-passkey", args=[own.pk])).status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=own.pk).exists()
    assert WebAuthnCredential.objects.filter(pk=other.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="django_otp_webauthn.WebAuthnCredential")
    assert event.actor == caseworker and event.changes["name"] == ["Laptop", None]
    assert caseworker.notifications.filter(subject="A passkey was removed from your account").exists()  # told
    assert not area.users["team_manager"].notifications.exists()


def test_the_two_factor_step_offers_a_passkey_only_to_someone_who_has_one(area):
    caseworker = area.users["caseworker"]
    TOTPDevice.objects.create(user=caseworker, name="app", confirmed=True)
    client = password_only(caseworker)
    assert "Use a passkey" not in client.get(reverse("accounts:two-factor")).content.decode()
    passkey_for(caseworker)
    page = client.get(reverse("accounts:two-factor")).content.decode()
    assert "Use a passkey" in page
    assert re.search(r"/static/django_otp_webauthn/otp_webauthn_auth(\.[0-9a-f]+)?\.js", page)


def test_passkey_sign_in_needs_the_password_first_and_is_throttled(area, settings):
    caseworker = area.users["caseworker"]
    passkey_for(caseworker)
    assert Client().post(AUTH_BEGIN).status_code == 403  # no passwordless sign-in
    client = password_only(caseworker)
    assert client.post(AUTH_BEGIN).status_code == 200
    settings.SIGN_IN_MAX_FAILURES = 1
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(username=caseworker.email, ip_address="127.0.0.1", user_agent="<unknown>",
                                 failures_since_start=1, get_data="", post_data="", http_accept="", path_info="")
    assert client.post(AUTH_BEGIN).status_code == 403  # paused like the code and the password
