"""The attacks of the security review (15.8), each reproduced and shown to fail now.

Small limits keep the tests short: 2 failures for one email from one place, 4 for an account from
anywhere, 6 for one place trying any email.
"""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendhub.accounts import services
from sendhub.accounts.models import Role
from sendhub.audit.models import AuditAction, AuditEvent
from sendhub.messaging.models import Notification
from sendhub.testing import factories
from sendhub.testing.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OWNER = "owner@example.test"


@pytest.fixture(autouse=True)
def small_limits(settings, monkeypatch):
    # speed only: a fast hasher, and the factories' cached hash made with it (restored afterwards)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(factories, "_PASSWORD_HASH", None)
    settings.SIGN_IN_MAX_FAILURES = 2
    settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 4
    settings.SIGN_IN_MAX_FAILURES_PER_IP = 6
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own back-off is tested upstream


def from_ip(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("accounts:sign-in"), {"email": email, "password": password})


def refusal(response) -> str:
    """The error summary's words: what a person (or an attacker) is told."""
    body = response.content.decode()
    words = re.search(r'govuk-error-summary__body">(.*?)</div>', body, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", words)).strip()


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def forget_the_last_15_minutes():
    """What waiting out the cool-off does: every failure recorded is now older than the window."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))


def test_locked_unknown_and_wrong_get_the_same_answer():
    UserFactory(email=OWNER)
    attacker = from_ip("10.0.0.9")
    wrong = sign_in(attacker, OWNER, "wrong")
    unknown = sign_in(attacker, "nobody@example.test", "wrong")
    sign_in(attacker, OWNER, "wrong")  # the second failure pauses OWNER from this place
    locked = sign_in(attacker, OWNER)  # even the right password
    assert not signed_in(attacker)
    assert wrong.status_code == unknown.status_code == locked.status_code == 200
    assert refusal(wrong) == refusal(unknown) == refusal(locked) == services.sign_in_error()
    assert "locked" not in locked.content.decode().lower()


def test_every_answer_takes_at_least_the_floor_and_a_locked_one_still_hashes(settings):
    settings.SIGN_IN_MIN_SECONDS = 0.3
    UserFactory(email=OWNER)
    client = from_ip("10.0.0.9")
    for _ in range(2):
        sign_in(client, OWNER, "wrong")
    for email, password in [(OWNER, "wrong"), ("nobody@example.test", "wrong"), (OWNER, PASSWORD)]:
        with mock.patch("sendhub.accounts.services.make_password", wraps=services.make_password) as hasher:
            started = time.monotonic()
            sign_in(client, email, password)
            assert time.monotonic() - started >= 0.3
        if email == OWNER:  # paused: the hasher ran although no password was checked (Django's
            assert hasher.called  # ModelBackend hashes for an unknown email itself)


def test_five_tries_from_one_place_do_not_lock_the_owner_out_and_decay():
    UserFactory(email=OWNER)
    attacker = from_ip("10.0.0.9")
    for _ in range(5):
        sign_in(attacker, OWNER, "wrong")
    assert not signed_in(attacker)
    sign_in(attacker, OWNER)
    assert not signed_in(attacker)  # paused there

    owner = from_ip("192.0.2.1")
    sign_in(owner, OWNER)
    assert signed_in(owner)  # the owner, elsewhere, is not locked out at all

    forget_the_last_15_minutes()
    sign_in(attacker, OWNER)
    assert signed_in(attacker)  # and the pause decays


def test_tries_while_paused_neither_count_nor_extend_the_pause():
    UserFactory(email=OWNER)
    attacker = from_ip("10.0.0.9")
    for _ in range(20):
        sign_in(attacker, OWNER, "wrong")
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 2


def test_guessing_from_many_places_pauses_the_account_everywhere_and_tells_the_owner_once(area):
    user = UserFactory(email=OWNER, role=Role.FAMILY)
    token = services.issue_api_token(user=user)
    assert Client().get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).status_code == 200
    for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.3"]:
        for _ in range(2):
            sign_in(from_ip(ip), OWNER, "wrong")

    owner = from_ip("192.0.2.1")
    sign_in(owner, OWNER)
    assert not signed_in(owner)  # 4 or more failures for the account: paused everywhere
    assert Client().get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).status_code == 401

    notes = Notification.objects.filter(recipient=user)
    assert notes.count() == 1  # once per pause, however many places tripped it
    assert "Too many attempts" in notes.get().subject
    assert area.child.family_name not in notes.get().email_body
    assert "10.0.0" not in notes.get().email_body
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, object_id=str(user.pk)).count() == 1

    forget_the_last_15_minutes()
    assert Client().get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).status_code == 200
    sign_in(owner, OWNER)
    assert signed_in(owner)


def test_one_place_trying_many_accounts_is_paused():
    real = UserFactory(email="real@example.test")
    sprayer = from_ip("10.0.0.9")
    for n in range(6):
        sign_in(sprayer, f"guess{n}@example.test", "Password1")
    sign_in(sprayer, real.email)
    assert not signed_in(sprayer)  # this place may not try anyone now
    elsewhere = from_ip("192.0.2.1")
    sign_in(elsewhere, real.email)
    assert signed_in(elsewhere)
    assert not Notification.objects.exists()  # no single owner to tell


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_wrong_codes_are_throttled_like_wrong_passwords():
    caseworker = UserFactory(role=Role.CASEWORKER, email=OWNER)
    device = TOTPDevice.objects.create(user=caseworker, name="app", confirmed=True)
    client = from_ip("10.0.0.9")
    sign_in(client, OWNER)
    bad = "123456" if code_for(device) != "123456" else "654321"
    first = client.post(reverse("accounts:two-factor"), {"code": bad})
    assert "not correct" in first.content.decode()
    second = client.post(reverse("accounts:two-factor"), {"code": bad})
    assert second.status_code == 403
    assert refusal(second) == services.sign_in_error()
    assert not signed_in(client)  # signed out, and paused from here, the password step included
    sign_in(client, OWNER)
    assert not signed_in(client)
    # two wrong codes and the refused password: each a failed sign-in in the audit trail
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, object_id=str(caseworker.pk)).count() == 3


def test_a_correct_password_alone_does_not_reset_wrong_codes():
    """Otherwise whoever knows the password could sign in again after each wrong code and guess for ever."""
    caseworker = UserFactory(role=Role.CASEWORKER, email=OWNER)
    device = TOTPDevice.objects.create(user=caseworker, name="app", confirmed=True)
    bad = "123456" if code_for(device) != "123456" else "654321"
    client = from_ip("10.0.0.9")
    sign_in(client, OWNER)
    client.post(reverse("accounts:two-factor"), {"code": bad})
    sign_in(client, OWNER)  # password again: the failure is remembered
    response = client.post(reverse("accounts:two-factor"), {"code": bad})
    assert response.status_code == 403


def test_a_complete_sign_in_forgets_the_owners_failures():
    UserFactory(email=OWNER)
    client = from_ip("10.0.0.9")
    sign_in(client, OWNER, "wrong")
    sign_in(client, OWNER)
    assert signed_in(client)
    assert not AccessAttempt.objects.filter(username=OWNER).exists()


def test_behind_a_proxy_failures_count_against_the_client_not_the_proxy_nor_a_forged_header(settings):
    settings.SENDHUB_TRUSTED_PROXY_COUNT = 1
    UserFactory(email=OWNER)
    proxy = "127.0.0.1"

    def through_proxy(client_says: str, real: str):
        # the proxy appends the address it received from to whatever the client sent
        return Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"{client_says}, {real}" if client_says else real)

    for n in range(2):  # the attacker forges a new address each time: still counted against 10.0.0.9
        sign_in(through_proxy(f"198.51.100.{n}", "10.0.0.9"), OWNER, "wrong")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.9"}
    attacker = through_proxy("198.51.100.77", "10.0.0.9")
    sign_in(attacker, OWNER)
    assert not signed_in(attacker)
    owner = through_proxy("", "192.0.2.1")  # another visitor behind the same proxy is not paused
    sign_in(owner, OWNER)
    assert signed_in(owner)
