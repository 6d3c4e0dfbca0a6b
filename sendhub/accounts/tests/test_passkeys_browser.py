"""A caseworker adds a passkey and signs in with it, in Chromium with its virtual authenticator.

Chromium's DevTools protocol (WebAuthn.enable, WebAuthn.addVirtualAuthenticator) stands in for a
fingerprint reader, so the whole ceremony runs: the library's scripts from static files, the server's
checks, the audit row, and the two-factor step's "Use a passkey".
"""

import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from sendhub.accounts.models import Role
from sendhub.audit.models import AuditAction, AuditEvent
from sendhub.testing.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def password_step(page, base, email):
    page.goto(f"{base}/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Enter your security code")


def test_add_a_passkey_then_sign_in_with_it(page, live_server, settings, check_accessibility):
    # Passkeys need a domain, not an IP address: use localhost, on the live server's port.
    base = live_server.url.replace("127.0.0.1", "localhost")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]
    caseworker = UserFactory(role=Role.CASEWORKER, email="cw@example.test")
    device = TOTPDevice.objects.create(user=caseworker, name="app", confirmed=True)

    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})

    password_step(page, base, caseworker.email)
    page.get_by_label("Security code").fill(f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/$"))

    page.goto(f"{base}/account/passkeys")
    expect(page.locator("body")).to_contain_text("You have no passkeys yet")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("table")).to_contain_text("Not yet", timeout=20000)  # reloaded with the new passkey
    check_accessibility(page, "passkeys")
    credential = WebAuthnCredential.objects.get(user=caseworker)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(credential.pk),
                                     object_type="django_otp_webauthn.WebAuthnCredential").exists()

    page.get_by_role("button", name="Sign out").click()
    password_step(page, base, caseworker.email)
    check_accessibility(page, "two-factor step with a passkey")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(re.compile(r".*/$"), timeout=20000)
    expect(page.locator("body")).not_to_contain_text("Enter your security code")
    time.sleep(0.2)
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=caseworker).count() == 2
    credential.refresh_from_db()
    assert credential.last_used_at is not None
