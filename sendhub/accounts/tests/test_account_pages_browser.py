"""The account pages in Chromium: each checked with axe at WCAG 2.2 AA, with its errors shown."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from sendhub.accounts.models import Invitation, Role
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db(transaction=True)
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def sign_in_with_code(page, live_server, user) -> None:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    page.goto(f"{live_server.url}/account/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Security code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text(f"Hello, {user.full_name}")


@override_settings(TASKS=IMMEDIATE)
def test_staff_and_family_account_pages_are_accessible(page, live_server, check_accessibility):
    la = f.LocalAuthorityFactory()
    school = f.SchoolFactory(local_authority=la)
    manager = f.UserFactory(role=Role.TEAM_MANAGER, organisation=la, full_name="Tara Manager")
    colleague = f.UserFactory(role=Role.CASEWORKER, organisation=la, full_name="Cal Caseworker")
    child = f.ChildFactory(local_authority=la, setting=school)
    sign_in_with_code(page, live_server, manager)

    page.get_by_role("link", name="Staff accounts").click()
    expect(page.locator("h1")).to_have_text("Staff accounts")
    check_accessibility(page, "staff accounts")
    page.get_by_role("link", name="Invite a member of staff").click()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their full name")
    check_accessibility(page, "staff invitation errors")
    page.get_by_label("Full name").fill("Nia Newstarter")
    page.get_by_label("Email address").fill(colleague.email)
    page.get_by_label("Role").select_option(Role.CASEWORKER)
    page.get_by_label("Organisation").select_option(str(la.pk))
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-error-message")).to_contain_text("There is already an account")
    page.get_by_label("Email address").fill("nia@example.test")
    page.get_by_label("Role").select_option(Role.CASEWORKER)
    page.get_by_label("Organisation").select_option(str(la.pk))
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("An invitation has been sent to nia@example.test")
    expect(page.get_by_test_id("waiting-invitations")).to_contain_text("Nia Newstarter")
    check_accessibility(page, "staff accounts with an invitation")

    page.get_by_role("link", name=colleague.full_name).click()
    check_accessibility(page, "a member of staff")
    page.get_by_role("link", name="Deactivate this account").click()
    check_accessibility(page, "deactivate confirmation")
    page.get_by_role("button", name="Deactivate this account").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The account has been deactivated")

    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_test_id("family-accounts-link").click()
    check_accessibility(page, "family accounts")
    page.get_by_role("link", name="Invite a parent, carer or the young person", exact=True).click()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who you are inviting")
    check_accessibility(page, "family invitation errors")

    # The new member of staff's page, from the emailed link.
    link = re.search(r"http://\S+/account/invitation/\S+", mail.outbox[0].body).group(0)
    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Set up your account")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a password")
    check_accessibility(page, "accept an invitation, with errors")
    key = Invitation.objects.get(email="nia@example.test").totp_key
    page.get_by_label("Choose a password").fill("slow-river-stone-3921")
    page.get_by_label("Enter the password again").fill("slow-river-stone-3921")
    page.get_by_label("Security code").fill(f"{totp(bytes.fromhex(key)):06d}")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator("h1")).to_have_text("Hello, Nia Newstarter")
    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    expect(page.get_by_test_id("refusal")).to_contain_text("already been used")
    check_accessibility(page, "a used link")


def test_password_reset_and_no_authenticator_pages_are_accessible(page, live_server, check_accessibility):
    la = f.LocalAuthorityFactory()
    newcomer = f.UserFactory(role=Role.CASEWORKER, organisation=la, email="new@example.test")
    page.goto(f"{live_server.url}/account/sign-in")
    page.get_by_role("link", name="Reset your password").click()
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    check_accessibility(page, "password reset errors")
    page.get_by_label("Email address").fill(newcomer.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    check_accessibility(page, "password reset sent")
    link = re.search(r"http://\S+/account/password-reset/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Enter the new password again").fill("short")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("too short")
    check_accessibility(page, "choose a new password, with errors")
    page.get_by_label("New password", exact=True).fill("granite-meadow-owl-5521")
    page.get_by_label("Enter the new password again").fill("granite-meadow-owl-5521")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.locator("h1")).to_have_text("Your password has been changed")
    check_accessibility(page, "password changed")

    # With the new password but no authenticator: told how to get one, never offered a key.
    page.get_by_role("link", name="Sign in with your new password").click()
    page.get_by_label("Email address").fill(newcomer.email)
    page.get_by_label("Password").fill("granite-meadow-owl-5521")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Set up your authenticator app from your invitation")
    assert page.locator("svg").count() == 0
    check_accessibility(page, "no authenticator")
