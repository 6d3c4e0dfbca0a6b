"""The production smoke journey for accounts: from an empty installation to a parent seeing their child.

It runs against a real `sendhub serve` with production settings on PostgreSQL (started by the smoke
harness, with `sendhub db_worker`): one local authority, one school, one child and no users. Emails are
read from the files Django's file-based email backend writes. Nothing here touches the database except
to find the local authority's name and the child's id; everything else is done as people do it, in
Chromium:

1. `sendhub invite_staff` invites a team manager (the first account of a fresh installation);
2. they open the emailed link, choose a password and set up an authenticator (the key read from the
   page, the code computed from it), sign out, and sign in again with a code;
3. they record a second child, and invite a parent to the first child from its page;
4. the parent opens their emailed link, chooses a password and sees that child, and nothing else.
"""

import base64
import email
import email.policy
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

URL = os.environ.get("SENDHUB_SMOKE_URL", "").rstrip("/")
MAIL_DIR = os.environ.get("SENDHUB_SMOKE_MAIL_DIR", "")
DATABASE_URL = os.environ.get("SENDHUB_SMOKE_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(not (URL and MAIL_DIR and DATABASE_URL),
                                reason="run by script/smoke against a running production-settings server")

MANAGER = {"email": "morgan.manager@smoke.example", "name": "Morgan Manager", "password": "quiet-harbour-lamp-4821"}
PARENT = {"email": "pat.parent@smoke.example", "name": "Pat Parent", "password": "amber-fox-window-7394"}
LINK = re.compile(r"https?://\S+/account/invitation/\S+")


def first_row(sql: str) -> tuple:
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        row = connection.execute(sql).fetchone()
    assert row is not None, f"the smoke data has no row for: {sql}"
    return row


def emails_to(address: str) -> list[email.message.EmailMessage]:
    """Every message the file backend wrote to this address (each file holds messages split by 79 dashes)."""
    found = []
    for path in sorted(Path(MAIL_DIR).glob("*")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk.strip() + b"\n", policy=email.policy.default)
                if address in str(message.get("To", "")):
                    found.append(message)
    return found


def wait_for_link(address: str, timeout: float = 60) -> tuple[str, str]:
    """The invitation link in the newest email to this address, and that email's whole text."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in reversed(emails_to(address)):
            text = f"{message['Subject']}\n{message.get_body(preferencelist=('plain',)).get_content()}"
            match = LINK.search(text)
            if match:
                return match.group(0), text
        time.sleep(0.5)
    raise AssertionError(f"no invitation email reached {address} in {MAIL_DIR} within {timeout}s")


def current_code(key_on_page: str, after_step: int = -1) -> tuple[str, int]:
    """The authenticator's code for the key shown on the page, waiting for a step not used before."""
    key = key_on_page.replace(" ", "")
    key_bytes = base64.b32decode(key + "=" * (-len(key) % 8))
    while int(time.time()) // 30 <= after_step:  # each code works once: wait for the next one
        time.sleep(0.5)
    step = int(time.time()) // 30
    return f"{totp(key_bytes, step=30, t0=0, digits=6):06d}", step


def test_invitation_journey(browser, check_accessibility):
    la_name, = first_row("SELECT name FROM organisations_organisation WHERE kind = 'local_authority' ORDER BY id")
    child_id, given, family = first_row("SELECT id, given_name, family_name FROM people_child ORDER BY id")
    child_name = f"{given} {family}"

    # 1. The first account, from the command line: the link goes by email and is not printed.
    env = {**os.environ}
    env.setdefault("DATABASE_URL", DATABASE_URL)
    env.setdefault("SENDHUB_SITE_URL", URL)
    result = subprocess.run(
        [sys.executable, "-m", "sendhub.cli", "invite_staff", "--email", MANAGER["email"], "--name", MANAGER["name"],
         "--role", "team_manager", "--organisation", la_name],
        env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "/account/invitation/" not in result.stdout
    link, _ = wait_for_link(MANAGER["email"])

    # 2. The team manager accepts, chooses a password and sets up their authenticator.
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Set up your account")
    check_accessibility(page, "accept a staff invitation")
    key = page.get_by_test_id("totp-key").inner_text()
    page.get_by_label("Choose a password").fill(MANAGER["password"])
    page.get_by_label("Enter the password again").fill(MANAGER["password"])
    code, used_step = current_code(key)
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator("h1")).to_have_text(f"Hello, {MANAGER['name']}")
    expect(page.get_by_role("link", name="Staff accounts")).to_be_visible()

    # The link worked once.
    page.goto(link)
    expect(page.get_by_test_id("refusal")).to_contain_text("already been used")

    # Sign out, and in again with a password and a new code.
    page.goto(URL + "/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("You have signed out")
    page.goto(URL + "/account/sign-in")
    page.get_by_label("Email address").fill(MANAGER["email"])
    page.get_by_label("Password").fill(MANAGER["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Enter your security code")
    code, used_step = current_code(key, after_step=used_step)
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text(f"Hello, {MANAGER['name']}")

    # 3. A second child, recorded in the app, so the parent has someone else's record to be refused.
    page.goto(URL + "/children/new")
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Othersmoke")
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Record child").click()
    expect(page.locator("h1")).to_have_text("Robin Othersmoke")
    other_child_url = page.url

    # The manager invites a parent from the first child's page.
    page.goto(f"{URL}/children/{child_id}/")
    page.get_by_test_id("family-accounts-link").click()
    page.get_by_role("link", name="Invite a parent, carer or the young person", exact=True).click()
    check_accessibility(page, "invite a family member")
    page.get_by_label("A parent or carer").check()
    page.get_by_label("Full name").fill(PARENT["name"])
    page.get_by_label("Email address").fill(PARENT["email"])
    page.get_by_label("Relationship to the child").select_option("mother")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"An invitation has been sent to {PARENT['email']}")
    page.get_by_role("button", name="Sign out").click()
    context.close()

    # 4. The parent's email says nothing about the child; the link makes their account.
    link, text = wait_for_link(PARENT["email"])
    for detail in (given, family):
        assert detail not in text, "an email must never carry the child's details"
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Set up your account")
    assert page.get_by_test_id("totp-key").count() == 0  # families sign in with a password only
    check_accessibility(page, "accept a family invitation")
    page.get_by_label("Choose a password").fill(PARENT["password"])
    page.get_by_label("Enter the password again").fill(PARENT["password"])
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator("h1")).to_have_text(child_name)

    # They see that child, and nothing else.
    page.goto(URL + "/")
    expect(page.locator("h1")).to_have_text("Your children")
    children = page.locator("main h2 a")
    expect(children).to_have_count(1)
    expect(children.first).to_have_text(child_name)
    response = page.goto(other_child_url)
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    context.close()
