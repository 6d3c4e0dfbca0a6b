import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendhub.accounts.models import ApiToken, Role
from sendhub.audit.models import AuditAction, AuditEvent
from sendhub.testing.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("accounts:sign-in"), {"email": email, "password": password})


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_family_signs_in_with_email_and_password(client):
    parent = UserFactory(role=Role.FAMILY, email="pat@example.test")
    response = sign_in(client, "PAT@example.test")
    assert response.status_code == 302
    assert client.get(reverse("web:home")).context["user"] == parent
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=parent).exists()


def test_wrong_password_gives_one_message_for_every_cause(client):
    UserFactory(email="pat@example.test")
    for email, password in [("pat@example.test", "wrong"), ("nobody@example.test", PASSWORD)]:
        response = sign_in(client, email, password)
        assert "Enter a correct email address and password" in response.content.decode()
    # locked accounts, timing and throttling: test_throttling.py


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # django-otp's own back-off is tested upstream
def test_staff_sign_in_with_a_code_from_their_authenticator(client):
    caseworker = UserFactory(role=Role.CASEWORKER, email="cw@example.test")
    device = TOTPDevice.objects.create(user=caseworker, name="app", confirmed=True)  # set up from an invitation
    sign_in(client, "cw@example.test")
    assert client.get(reverse("web:children")).status_code == 302  # not yet past two-factor
    page = client.get(reverse("accounts:two-factor")).content.decode()
    assert "Enter your security code" in page and "<svg" not in page  # never a new key here
    wrong = client.post(reverse("accounts:two-factor"), {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "not correct" in wrong.content.decode()
    response = client.post(reverse("accounts:two-factor"), {"code": code_for(device)})
    assert response.status_code == 302
    assert client.get(reverse("web:children")).status_code == 200
    assert TOTPDevice.objects.filter(user=caseworker).count() == 1


def test_token_command_prints_a_token_that_authenticates(client):
    user = UserFactory(role=Role.CASEWORKER, email="cw@example.test")
    out = StringIO()
    call_command("token", "cw@example.test", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("sh_")
    assert ApiToken.objects.get(user=user).key_hash != raw  # only the hash is kept
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {raw}"}).json()["email"] == "cw@example.test"


def test_token_command_refuses_an_unknown_user():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No active user"):
        call_command("token", "nobody@example.test")


@pytest.mark.parametrize("secret", ["", "dev-only-insecure-secret-key-do-not-use-in-production", "short"])
def test_production_settings_refuse_a_development_secret(secret):
    env = {"DEBUG": "false", "DJANGO_SETTINGS_MODULE": "sendhub.settings", "PATH": "/usr/bin:/bin"}
    if secret:
        env["SECRET_KEY"] = secret
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_start_with_a_real_secret():
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "send.example.org",
           "DJANGO_SETTINGS_MODULE": "sendhub.settings", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
                             " print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"
