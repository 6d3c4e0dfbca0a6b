"""Waiting lists in Chromium for a family, a clinician and a leader, with axe (WCAG 2.2 AA) on every page."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from sendhub.accounts.models import Role
from sendhub.web.tests.test_personas import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_area(transactional_db):
    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=True):
        call_command("demo", "--scale", "80", "--seed", "7", "--quiet")


def test_family_clinician_and_leader_use_waiting_lists(page, live_server, check_accessibility, demo_area):  # noqa: F811
    sign_in(page, live_server, Role.FAMILY)
    page.get_by_role("link", name="Children and young people").or_(page.locator("a[href^='/children/']")).first.click()
    page.locator("a", has_text="Place on the list and help while waiting").first.click()
    expect(page.get_by_test_id("position")).to_contain_text("on the list")
    expect(page.get_by_test_id("estimate")).to_contain_text("Most children in this position are seen between")
    expect(page.get_by_test_id("if-worse")).to_contain_text("NHS 111")
    check_accessibility(page, "family referral")

    page.context.clear_cookies()
    sign_in(page, live_server, Role.HEALTH_PROFESSIONAL)
    page.get_by_role("link", name="Waiting lists").first.click()
    check_accessibility(page, "waiting lists")
    page.get_by_role("link", name="Speech and language therapy", exact=True).click()
    expect(page.get_by_test_id("waiting-list")).to_contain_text("Urgent")
    check_accessibility(page, "one waiting list")
    list_url = page.url
    page.get_by_role("link", name="Change this list's standard, help while waiting and clinicians").click()
    page.get_by_label("Clinicians seeing people from this list (whole-time equivalent, optional)").fill("many")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a number, like 3.5")
    check_accessibility(page, "list details with an error")
    page.goto(list_url)
    page.get_by_test_id("waiting-list").locator("a").first.click()
    check_accessibility(page, "referral")
    page.get_by_role("link", name="Triage").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the clinical note")
    check_accessibility(page, "triage with an error")
    page.goto(f"{live_server.url}/waiting-lists/import")
    check_accessibility(page, "import")

    page.context.clear_cookies()
    sign_in(page, live_server, Role.PARTNERSHIP_LEADER)
    page.get_by_role("link", name="Waiting list figures").click()
    expect(page.get_by_test_id("figures")).to_contain_text("Neurodevelopmental")
    check_accessibility(page, "figures")
    page.get_by_test_id("figures").get_by_role("link", name="Speech and language therapy").click()
    page.get_by_label("Extra clinicians (whole-time equivalent)").fill("2")
    page.get_by_role("button", name="Show the forecast").click()
    expect(page.get_by_test_id("what-if-summary")).to_contain_text("capacity × 1.14")
    check_accessibility(page, "forecast")
