"""Issue 14's "done when", in Chromium: a draft plan for a child whose mother has no account and whose father
uses email. The caseworker is warned and sees who gets it and how; the father is emailed; the mother's pack
waits on the post tray until business support marks it posted, and only then does the tracker say it reached
her; the final plan reaches the school named in it (its SENCO) and the therapist. axe on every new page."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from sendhub.accounts.models import Role, User
from sendhub.demo.area import demo_email
from sendhub.web.tests.test_personas import demo_area, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def fits_320(page, name: str) -> None:
    """The page reflows at 320 CSS px (WCAG 1.4.10): nothing scrolls sideways but a table in its own wrapper."""
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1024, "height": 800})
    assert width <= 320, f"{name} is {width} px wide at 320 px"


def fill_date(page, field: str, day) -> None:
    page.locator(f"#id_{field}-day").fill(str(day.day))
    page.locator(f"#id_{field}-month").fill(str(day.month))
    page.locator(f"#id_{field}-year").fill(str(day.year))


def a_child_deciding_on_a_plan():
    """A Calderbrook child with no plan, whose council has decided to issue one; the Archers are the parents."""
    from sendhub.clock.services import record_event
    from sendhub.people.models import Child, FamilyMember, Involvement, InvolvementRole, Relationship
    from sendhub.testing.factories import AssessmentFactory

    caseworker = User.objects.get(email=demo_email(Role.CASEWORKER))
    therapist = User.objects.get(email=demo_email(Role.HEALTH_PROFESSIONAL))
    today = timezone.localdate()
    child = (Child.objects.filter(local_authority=caseworker.organisation, plans__isnull=True, assessments__isnull=True,
                                  looked_after=False, account__isnull=True)
             .exclude(setting=None).order_by("pk").first())
    child.family_members.all().delete()
    FamilyMember.objects.create(child=child, full_name="Jane Archer", relationship=Relationship.MOTHER)
    FamilyMember.objects.create(child=child, full_name="Tom Archer", relationship=Relationship.FATHER, by_portal=False,
                                by_email=True, email="tom.archer@family.example.org")
    Involvement.objects.create(child=child, professional=therapist, organisation=therapist.organisation,
                               role=InvolvementRole.SPEECH_LANGUAGE_THERAPIST)
    assessment = AssessmentFactory(child=child, request_received_on=today - timedelta(days=100))
    record_event(actor=caseworker, case=assessment, type="decision_to_assess", date=today - timedelta(days=80))
    record_event(actor=caseworker, case=assessment, type="decision_to_issue_plan", date=today - timedelta(days=10))
    return child, assessment


def test_a_draft_plan_reaches_each_parent_by_their_route(browser, live_server, check_accessibility, demo_area,
                                                         settings):  # noqa: F811
    from sendhub.messaging.models import Delivery

    settings.TASKS = IMMEDIATE
    child, assessment = a_child_deciding_on_a_plan()
    senco = User.objects.get(email=demo_email(Role.SENCO))
    today = timezone.localdate()
    pages = {}
    for role in (Role.CASEWORKER, Role.BUSINESS_SUPPORT, Role.SENCO, Role.HEALTH_PROFESSIONAL):
        pages[role] = browser.new_context(viewport={"width": 1024, "height": 800}).new_page()
        pages[role].set_default_timeout(20000)
        sign_in(pages[role], live_server, role)

    # The caseworker writes the plan and is warned that the mother cannot be reached.
    council = pages[Role.CASEWORKER]
    council.goto(f"{live_server.url}/assessments/{assessment.pk}/plan/")
    council.get_by_role("link", name="Change section B").click()
    council.get_by_label("Section text").fill("Needs help with speech, language and communication.")
    council.get_by_role("button", name="Save").click()
    expect(council.get_by_test_id("no-route-warning")).to_contain_text(
        "Jane Archer (mother of the child) has no account, email or postal address: they will not receive the "
        "draft plan. Add how to reach them before issuing.")
    expect(council.get_by_test_id("planned-recipients")).to_contain_text("By email to tom.archer@family.example.org")
    check_accessibility(council, "issue page with a warning")
    fits_320(council, "issue page with a warning")

    # Issuing anyway without confirming is refused; she is given a postal address instead.
    council.get_by_label("The draft plan, to the family for their 15 days").check()
    fill_date(council, "issued_on", today)
    council.get_by_role("button", name="Issue").click()
    expect(council.locator(".govuk-error-summary")).to_contain_text("Add how to reach Jane Archer")
    council.get_by_role("link", name="Add how to reach Jane Archer", exact=True).click()
    check_accessibility(council, "how a family member is reached")
    fits_320(council, "how a family member is reached")
    council.get_by_label("In their account on this service").uncheck()
    council.get_by_label("By post").check()
    council.get_by_label("Postal address").fill("12 Mill Lane\nCalderbrook")
    council.get_by_label("Postcode").fill("xx1 2ab")
    council.get_by_label("Large print").check()
    council.get_by_role("button", name="Save").click()
    expect(council.get_by_test_id("family-members")).to_contain_text("Post to XX1 2AB")
    council.goto(f"{live_server.url}/assessments/{assessment.pk}/plan/")
    expect(council.get_by_test_id("no-route-warning")).to_have_count(0)
    expect(council.get_by_test_id("planned-recipients")).to_contain_text("By post to 12 Mill Lane, Calderbrook, XX1 2AB")
    council.get_by_label("The draft plan, to the family for their 15 days").check()
    fill_date(council, "issued_on", today)
    council.get_by_role("button", name="Issue").click()
    expect(council.get_by_role("heading", name="Draft plan, version 1")).to_be_visible()
    deliveries = council.get_by_test_id("deliveries")
    expect(deliveries).to_contain_text(f"Emailed to Tom Archer on {today:%-d %B %Y}")
    expect(deliveries).to_contain_text("Waiting to be posted to Jane Archer")
    assert any(m.to == ["tom.archer@family.example.org"] and m.attachments for m in mail.outbox)
    assert Delivery.objects.get(recipient_name="Tom Archer", child=child).state == "emailed"

    # Not yet reached: the tracker says it is waiting to be posted.
    tracker = f"{live_server.url}/children/{child.pk}/tracker?read=full"
    council.goto(tracker)
    expect(council.get_by_role("main")).to_contain_text(re.compile(r"Draft plan[^:]*: waiting to be posted to Jane Archer"))
    expect(council.get_by_role("main")).not_to_contain_text("posted to Jane Archer on")

    # Business support prints her pack and marks it posted.
    support = pages[Role.BUSINESS_SUPPORT]
    support.get_by_role("link", name="Post tray").first.click()
    row = support.get_by_test_id("post-tray").locator("tr", has_text="Jane Archer")
    expect(row).to_contain_text("XX1 2AB")
    expect(row).to_contain_text("Large print")
    check_accessibility(support, "post tray")
    fits_320(support, "post tray")
    pack = support.request.get(live_server.url + row.get_by_role("link", name="Print the pack").get_attribute("href"))
    assert pack.ok and pack.body()[:4] == b"%PDF"
    row.get_by_role("button", name="Mark posted").click()
    expect(support.get_by_role("main")).to_contain_text(
        f"Posted to Jane Archer on {today:%-d %B %Y}")

    # Only now does the tracker say it reached her.
    council.goto(tracker)
    expect(council.get_by_role("main")).to_contain_text(re.compile(rf"Draft plan[^:]*: posted to Jane Archer on {today:%-d %B %Y}"))

    # The final plan names the school; its SENCO and the therapist find it under "Plans sent to you".
    council.goto(f"{live_server.url}/assessments/{assessment.pk}/plan/")
    council.get_by_label("The final plan").check()
    fill_date(council, "issued_on", today)
    council.get_by_label("School, college or setting named in section I").select_option(label=senco.organisation.name)
    council.get_by_label("The family have agreed to the plan being issued before their 15 days end").check()
    council.get_by_role("button", name="Issue").click()
    expect(council.get_by_role("heading", name="Final plan, version 2")).to_be_visible()
    expect(council.get_by_test_id("deliveries")).to_contain_text(senco.organisation.name)
    for role in (Role.SENCO, Role.HEALTH_PROFESSIONAL):
        page = pages[role]
        page.get_by_role("link", name="Plans sent to you").first.click()
        expect(page.get_by_test_id("plans-sent")).to_contain_text(child.full_name)
        expect(page.get_by_test_id("plans-sent")).to_contain_text("Final plan, version 2")
    for page in pages.values():
        page.context.close()
