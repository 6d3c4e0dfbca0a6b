"""The demo commands never run against a real installation: they need DEBUG, SENDHUB_DEMO=1 and a
database whose accounts are all demo accounts, and say every reason they refuse."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from sendhub.demo.guard import real_accounts
from sendhub.organisations.models import Organisation
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("command", [["demo", "--scale", "20"], ["totp_code", "caseworker@demo.sendhub.test"]])
def test_refused_without_sendhub_demo(command):
    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=False), pytest.raises(CommandError) as refused:
        call_command(*command)
    assert "SENDHUB_DEMO=1 is not set" in str(refused.value)
    assert "DEBUG is off" not in str(refused.value)
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("command", [["demo", "--scale", "20"], ["totp_code", "caseworker@demo.sendhub.test"]])
def test_refused_when_the_database_has_a_real_account(command):
    f.UserFactory(email="real.person@council.example.org")
    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=True), pytest.raises(CommandError) as refused:
        call_command(*command)
    assert "the database has 1 real account (not @demo.sendhub.test)" in str(refused.value)
    assert not Organisation.objects.exists()


def test_every_reason_is_named():
    f.UserFactory(email="one@example.org")
    f.UserFactory(email="two@example.org")
    with override_settings(DEBUG=False, DEMO_COMMANDS_ENABLED=False), pytest.raises(CommandError) as refused:
        call_command("demo", "--scale", "20")
    message = str(refused.value)
    assert "DEBUG is off; SENDHUB_DEMO=1 is not set; the database has 2 real accounts (not @demo.sendhub.test)" in message


def test_demo_accounts_and_its_subdomains_do_not_count_as_real():
    f.UserFactory(email="caseworker@demo.sendhub.test")
    f.UserFactory(email="ann.lee.3.x@staff.demo.sendhub.test")
    real = f.UserFactory(email="someone@notdemo.sendhub.test.example.org")
    assert list(real_accounts()) == [real]


def test_totp_code_runs_for_a_demo_database(capsys):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = f.UserFactory(email="caseworker@demo.sendhub.test")
    TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=True):
        call_command("totp_code", "caseworker@demo.sendhub.test")
    assert capsys.readouterr().out.strip().isdigit()
