"""The family wait page (range, or "we cannot give a reliable date", at 18, choices) and the privacy and
accessibility pages in Chromium: axe (WCAG 2.2 AA) and no sideways scrolling at 320 px."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from sendhub.accounts.models import Role
from sendhub.web.tests.test_personas import sign_in

from .test_browser import demo_area  # noqa: F401 - the shared demo fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_320(page, label: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{label} scrolls sideways at 320px ({width}px wide)"
    page.set_viewport_size({"width": 1280, "height": 800})


def referral_pages(page, live_server) -> list[str]:
    page.goto(f"{live_server.url}/")
    children = [a.get_attribute("href") for a in page.locator("main h2 a").all()]
    urls = []
    for child in children:
        page.goto(f"{live_server.url}{child}")
        urls += [a.get_attribute("href") for a in page.locator("a", has_text="Place on the list and help while waiting").all()]
    return urls


def test_family_wait_pages_and_public_pages(page, live_server, check_accessibility, demo_area):  # noqa: F811
    for path in ("/privacy", "/accessibility"):
        page.goto(f"{live_server.url}{path}")
        check_accessibility(page, path)
        fits_320(page, path)
    sign_in(page, live_server, Role.FAMILY)
    urls = referral_pages(page, live_server)
    assert urls, "the demo parent's children have no waiting-list referral"
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        expect(page.get_by_test_id("choices")).to_contain_text("Free, independent advice")
        check_accessibility(page, f"family wait {url}")
        fits_320(page, url)
    with override_settings(WAITS_RELIABLE_RANGE_MONTHS=0):  # every range is too wide: the other version of the page
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            expect(page.get_by_test_id("estimate")).to_contain_text("We cannot give a reliable date")
            expect(page.get_by_test_id("position")).to_contain_text("on the list")
            check_accessibility(page, f"family wait, no reliable date {url}")
            fits_320(page, url)
    rtc = [u for u in urls if "NHS Right to Choose" in (page.goto(f"{live_server.url}{u}") and page.content())]
    assert rtc, "the demo's neurodevelopmental referral should offer Right to Choose"

    page.context.clear_cookies()
    sign_in(page, live_server, Role.PARTNERSHIP_LEADER)
    page.get_by_role("link", name="Waiting list figures").click()
    expect(page.get_by_test_id("figures")).to_contain_text("before → after calibration")
    check_accessibility(page, "figures with coverage")
    page.get_by_test_id("figures").get_by_role("link", name="Neurodevelopmental").first.click()
    expect(page.get_by_test_id("coverage")).to_be_visible()
    check_accessibility(page, "service figures with coverage")
