"""Issue 14 in Chromium, as a parent: the home card's action button opens the draft plan, and the home,
tracker and plan page give the same last day; axe on each page and no sideways scroll at 320 px."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendhub.plans.models import VersionKind
from sendhub.plans.services import issue_version, save_section
from sendhub.clock.services import record_event
from sendhub.portal.family import by_day, comment_last_day
from sendhub.testing import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-2026"


def fits(page, width: int = 320) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def at_320(page, name: str, screenshot) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    assert fits(page), f"{name} scrolls sideways at 320 px"
    screenshot(page, f"family-{name.replace(' ', '-')}-320")
    page.set_viewport_size({"width": 1024, "height": 800})


def test_parent_goes_from_the_home_card_to_the_draft_plan(page, live_server, check_accessibility, screenshot, area):
    today = timezone.localdate()
    parent, caseworker = area.users["parent"], area.users["caseworker"]
    parent.set_password(PASSWORD)
    parent.save()
    area.la.telephone, area.la.email = "01632 960000", "send@calderbrook.demo.sendhub.test"  # as long as the demo's
    area.la.save()
    f.InvolvementFactory(child=area.sibling, professional=caseworker, organisation=area.la, role="caseworker")
    assessment = f.AssessmentFactory(child=area.sibling, request_received_on=today - timedelta(days=100))
    record_event(actor=caseworker, case=assessment, type="decision_to_assess", date=today - timedelta(days=80))
    record_event(actor=caseworker, case=assessment, type="decision_to_issue_plan", date=today - timedelta(days=20))
    save_section(actor=caseworker, case=assessment, section="F", text="Weekly speech therapy.", expected_version=0)
    draft = issue_version(actor=caseworker, case=assessment, kind=VersionKind.DRAFT, issued_on=today - timedelta(days=2),
                          confirmed_unreachable=True)  # a demo parent may have no way recorded
    last = by_day(comment_last_day(draft))

    page.goto(f"{live_server.url}/account/sign-in")
    page.get_by_label("Email address").fill(parent.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/$"))

    card = page.get_by_test_id("child-card").filter(has_text=area.sibling.full_name)
    expect(card).to_contain_text(f"Draft plan: your comments {last} (the last day)")
    expect(card).to_contain_text(caseworker.full_name)
    expect(card).to_contain_text("01632 960000")
    check_accessibility(page, "parent home")
    at_320(page, "home", screenshot)

    page.get_by_role("link", name=f"Where things are for {area.sibling.full_name}").click()
    expect(page.get_by_test_id("tracker-case").first).to_contain_text(last)
    expect(page.get_by_test_id("contact")).to_contain_text(caseworker.full_name)
    check_accessibility(page, "tracker")
    at_320(page, "tracker", screenshot)
    page.get_by_test_id("draft-link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft plan")
    page.goto(f"{live_server.url}/")

    page.get_by_test_id("child-card").filter(has_text=area.sibling.full_name).get_by_role(
        "link", name=f"Read and comment on the draft plan {last}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft plan, version")
    expect(page.get_by_test_id("comment-window")).to_contain_text(f"{last} (the last day)")
    check_accessibility(page, "draft plan")
    at_320(page, "draft plan", screenshot)
    page.get_by_role("textbox", name="Your comment").fill("Please say who gives the speech therapy.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Please say who gives the speech therapy.")).to_be_visible()
