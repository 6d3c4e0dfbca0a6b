"""The portal in Chromium as the demo parent of two children, then the caseworker; axe on every page,
and every portal page usable at 320 px wide."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendhub.accounts.models import Role, User
from sendhub.demo.area import demo_email
from sendhub.web.tests.test_personas import demo_area, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def proposed_amendments_for(child):
    """The council has decided to amend the child's plan and sent the proposed amendments today."""
    from sendhub.plans.models import VersionKind
    from sendhub.plans.services import drafts_for, issue_version, save_section
    from sendhub.reviews import services
    from sendhub.reviews.models import AnnualReview

    caseworker = User.objects.get(email=demo_email(Role.CASEWORKER))
    today = timezone.localdate()
    review = AnnualReview.objects.get(plan__child=child, closed_on__isnull=True)
    if not review.events.filter(type="review_meeting").exists():
        services.record_meeting(actor=caseworker, review=review, held_on=today)
    services.decide(actor=caseworker, review=review, outcome="amend", reasons="Needs have changed.", decided_on=today)
    draft = drafts_for(review)["F"]
    save_section(actor=caseworker, case=review, section="F", text=draft.text + "\nWeekly speech therapy.",
                 expected_version=draft.version)
    return issue_version(actor=caseworker, case=AnnualReview.objects.get(pk=review.pk), kind=VersionKind.PROPOSED,
                         issued_on=today, confirmed_unreachable=True)  # a demo parent may have no way recorded


def fits(page, width: int = 320) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_parent_follows_a_draft_comments_and_asks_for_an_early_review(page, live_server, check_accessibility,  # noqa: F811
                                                                      screenshot, demo_area, browser):  # noqa: F811
    from sendhub.people.models import Child
    from sendhub.people.selectors import children_visible_to
    from sendhub.reviews.models import EarlyReviewRequest

    parent = User.objects.get(email=demo_email(Role.FAMILY))
    mine = list(children_visible_to(parent).order_by("date_of_birth"))
    assert len(mine) == 2
    older, younger = mine
    version = proposed_amendments_for(younger)
    stranger = Child.objects.exclude(pk__in=[c.pk for c in mine]).first()

    sign_in(page, live_server, Role.FAMILY)
    names = page.locator("main h2 a").all_inner_texts()
    assert sorted(names) == sorted(c.full_name for c in mine)  # only their own two children
    check_accessibility(page, "parent home")
    page.goto(f"{live_server.url}/children/{stranger.pk}/tracker")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()

    # The younger child's tracker says the proposed amendments are with the family, and by when.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=f"Where things are for {younger.full_name}").click()
    expect(page.get_by_test_id("tracker-case").first).to_contain_text("The proposed changes have been sent to you")
    check_accessibility(page, "tracker")
    page.set_viewport_size({"width": 320, "height": 800})
    assert fits(page), "the tracker scrolls sideways at 320 px"
    screenshot(page, "portal-tracker-320")
    page.get_by_role("link", name="Easy read version").click()
    expect(page.get_by_test_id("easy-step").first).to_be_visible()
    check_accessibility(page, "tracker, easy read")
    assert fits(page)
    page.set_viewport_size({"width": 1024, "height": 800})

    # The parent reads the proposed amendments and comments on section F.
    page.goto(f"{live_server.url}/plans/{version.pk}/")
    check_accessibility(page, "proposed amendments")
    page.get_by_label("Which part of the plan is your comment about?").select_option("F")
    page.get_by_role("textbox", name="Your comment").fill("Please say who will give the speech therapy and for how long.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Please say who will give the speech therapy")).to_be_visible()

    # All about me, messages and message settings.
    page.goto(f"{live_server.url}/children/{younger.pk}/all-about-me")
    page.get_by_label("What is important to me").fill("My dog and my big brother.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("all-about-me").first).to_contain_text("My dog and my big brother.")
    check_accessibility(page, "all about me")
    page.get_by_role("link", name="Messages").first.click()
    expect(page.get_by_test_id("messages")).to_contain_text("Proposed amendments issued")
    check_accessibility(page, "messages")
    page.get_by_role("link", name="Choose whether you also get emails").click()
    check_accessibility(page, "message settings")

    # An early review for the older child.
    page.goto(f"{live_server.url}/children/{older.pk}/")
    page.get_by_role("link", name="Ask for an early review of the plan").click()
    check_accessibility(page, "early review request")
    page.set_viewport_size({"width": 320, "height": 800})
    assert fits(page)
    screenshot(page, "portal-early-review-320")
    page.set_viewport_size({"width": 1024, "height": 800})
    page.get_by_label("Why would you like an early review?").fill("Anxiety has got much worse since September.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("Your request has been sent")
    assert EarlyReviewRequest.objects.filter(plan__child=older, status="open").exists()

    # The caseworker sees the comment beside section F and the request at the top of the priorities.
    page.context.clear_cookies()
    sign_in(page, live_server, Role.CASEWORKER)
    page.goto(f"{live_server.url}/reviews/{version.review_id}/plan/")
    expect(page.get_by_test_id("sections")).to_contain_text("Please say who will give the speech therapy")
    page.goto(f"{live_server.url}/reviews/priority/?caseworker=&reason=The+family")
    expect(page.get_by_test_id("priority")).to_contain_text(older.given_name)
    expect(page.get_by_test_id("priority")).to_contain_text("The family or young person asked for an early review")
    check_accessibility(page, "review priorities with the family's request")
