"""Each demo role signs in through the real sign-in page in Chromium and uses its pages.

Every page visited is checked with axe at WCAG 2.2 AA: zero violations allowed. Checks of what a page
says use Playwright's `expect`, which waits for the page, never a read of the page straight after a click.
"""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendhub.accounts.models import Role
from sendhub.demo.area import DEMO_PASSWORD, demo_email
from sendhub.people.models import Child
from sendhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_area(transactional_db):
    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=True):  # the test runner turns DEBUG off; demo refuses without both
        call_command("demo", "--scale", "80", "--seed", "7", "--quiet")


def confirm_if_someone_cannot_be_reached(page) -> None:
    """Demo families include a few with no way to reach them: the caseworker is warned and confirms."""
    confirm = page.get_by_label("I know the people listed as having no way to reach them")
    if confirm.count():
        confirm.check()


def sign_in(page, live_server, role: str) -> None:
    email = demo_email(role)
    page.goto(f"{live_server.url}/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
    if device is not None:
        import time

        if device.last_t >= int(time.time() - device.t0) // device.step:  # each code works once: wait for the next
            time.sleep(device.step - (time.time() - device.t0) % device.step + 0.5)
        page.get_by_label("Security code").fill(f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}")
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/$"))


def test_start_and_public_pages_are_accessible(page, live_server, check_accessibility, demo_area):
    for path, heading in [("/", "Support for children and young people"), ("/account/sign-in", "Sign in"),
                          ("/accessibility", "Accessibility statement"), ("/privacy", "Privacy and cookies"),
                          ("/no-such-page", "Page not found")]:
        page.goto(live_server.url + path)
        assert heading in page.locator("h1").inner_text()
        check_accessibility(page, path)


def test_sign_in_errors_are_shown_accessibly(page, live_server, check_accessibility, demo_area):
    page.goto(f"{live_server.url}/account/sign-in")
    page.get_by_role("button", name="Sign in").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    expect(page).to_have_title(re.compile("^Error:"))
    check_accessibility(page, "sign-in errors")
    page.get_by_label("Email address").fill(demo_email(Role.FAMILY))
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("body")).to_contain_text("Enter a correct email address and password")


def test_parent_sees_their_two_children_and_who_looked(page, live_server, check_accessibility, screenshot, demo_area):
    sign_in(page, live_server, Role.FAMILY)
    assert page.locator("h1").inner_text() == "Your children"
    links = page.locator("main h2 a")
    assert links.count() == 2
    check_accessibility(page, "parent home")
    links.first.click()
    assert page.get_by_role("heading", name="Who has looked at and changed this record").is_visible()
    assert "Pat Parent" in page.get_by_test_id("record-history").inner_text()
    check_accessibility(page, "parent child page")
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"page scrolls sideways at 320px ({width}px wide)"
    screenshot(page, "parent-child-320px")


def test_caseworker_searches_records_and_changes_a_child(page, live_server, check_accessibility, demo_area):
    sign_in(page, live_server, Role.CASEWORKER)
    check_accessibility(page, "caseworker home")
    page.get_by_role("link", name="Children and young people").click()
    check_accessibility(page, "children list")
    child = Child.objects.filter(plans__isnull=False).order_by("family_name", "given_name", "pk").first()
    page.get_by_label("Search").fill(child.family_name)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile(child.given_name)).first.click()
    check_accessibility(page, "child page (caseworker)")
    page.get_by_role("link", name=re.compile("Change details")).click()
    check_accessibility(page, "change child form")
    page.get_by_label("NHS number (optional)").fill("943 476 5918")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".govuk-error-summary")
    assert "NHS number is not valid" in summary.inner_text()
    check_accessibility(page, "change child form with errors")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_nhs_number"
    page.get_by_label("NHS number (optional)").fill("")
    page.get_by_label("Preferred name (optional)").fill("Sunny")
    page.get_by_role("button", name="Save changes").click()
    assert "have been updated" in page.locator(".govuk-notification-banner").inner_text()
    child.refresh_from_db()
    assert child.preferred_name == "Sunny"
    assert child.nhs_number is None


def test_caseworker_records_a_new_child(page, live_server, check_accessibility, demo_area):
    sign_in(page, live_server, Role.CASEWORKER)
    page.goto(f"{live_server.url}/children/new")
    check_accessibility(page, "new child form")
    page.get_by_label("First name").fill("Morgan")
    page.get_by_label("Last name").fill("Fictional")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2017")
    page.get_by_label("Primary need").select_option("SLCN")
    page.get_by_role("button", name="Record child").click()
    assert page.locator("h1").inner_text() == "Morgan Fictional"
    assert Child.objects.filter(given_name="Morgan", family_name="Fictional").exists()


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.QA_OFFICER, Role.SENCO, Role.HEALTH_PROFESSIONAL,
                                  Role.SOCIAL_CARE])
def test_professionals_see_their_own_children(page, live_server, check_accessibility, demo_area, role):
    sign_in(page, live_server, role)
    check_accessibility(page, f"{role} home")
    page.get_by_role("link", name="Children and young people").click()
    rows = page.locator("tbody tr")
    assert rows.count() >= 1
    check_accessibility(page, f"{role} children list")
    rows.first.get_by_role("link").click()
    check_accessibility(page, f"{role} child page")


def test_young_person_sees_own_record_and_sets_sharing(page, live_server, check_accessibility, demo_area):
    sign_in(page, live_server, Role.YOUNG_PERSON)
    check_accessibility(page, "young person home")
    page.locator("main h2 a").first.click()
    page.get_by_role("link", name="Choose what your parents or carers can see").click()
    check_accessibility(page, "sharing choice")
    page.get_by_label("No, keep my record private from them").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.locator("body")).to_contain_text("Sharing with parents: not allowed")


def test_leader_sees_figures_but_never_a_record(page, live_server, check_accessibility, demo_area):
    sign_in(page, live_server, Role.PARTNERSHIP_LEADER)
    check_accessibility(page, "leader home")
    page.get_by_role("link", name="Area figures").first.click()
    assert page.get_by_test_id("plans-total").inner_text() == "80"
    check_accessibility(page, "area figures")
    child = Child.objects.first()
    response = page.goto(f"{live_server.url}/children/{child.pk}/")
    assert response.status == 404
    check_accessibility(page, "404 page")


def test_administrator_reaches_the_support_site(page, live_server, demo_area):
    sign_in(page, live_server, Role.ADMINISTRATOR)
    page.get_by_role("link", name="Go to the support admin site").click()
    expect(page).to_have_title(re.compile("sendhub support"))  # waits for the page, unlike page.title()


def test_caseworker_works_the_deadline_queue(page, live_server, check_accessibility, demo_area):
    sign_in(page, live_server, Role.CASEWORKER)
    page.get_by_role("link", name="Deadlines").click()
    page.get_by_label("Show").select_option("all")
    page.get_by_role("button", name="Show cases").click()
    check_accessibility(page, "deadline queue")
    first = page.get_by_test_id("queue").locator("tbody tr").first
    first.get_by_role("link").click()
    assert page.get_by_test_id("deadlines").is_visible()
    check_accessibility(page, "case page")
    page.get_by_role("button", name="Record").click()
    assert "Select what happened" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page, "case page with errors")


def test_parent_follows_their_childs_review_deadlines(page, live_server, check_accessibility, demo_area):
    sign_in(page, live_server, Role.FAMILY)
    page.locator("main h2 a").first.click()
    page.get_by_test_id("cases").get_by_role("link").first.click()
    if "/annual-review/" in page.url:  # a review opens on the review itself; its dates are one link away
        expect(page.get_by_test_id("review-summary")).to_be_visible()
        check_accessibility(page, "review page (parent)")
        page.get_by_role("link", name="Every statutory date for this review").click()
    expect(page.get_by_test_id("deadlines")).to_be_visible()
    assert page.get_by_role("button", name="Record").count() == 0  # families read, the council records
    check_accessibility(page, "case page (parent)")


def test_request_decision_and_letter(page, live_server, check_accessibility, demo_area, tmp_path, browser):
    """A SENCO asks for an assessment with evidence; the caseworker refuses with reasons; the parent reads why."""
    from sendhub.accounts.models import User
    from sendhub.people.selectors import children_visible_to

    senco = User.objects.get(email=demo_email(Role.SENCO))
    parent = User.objects.get(email=demo_email(Role.FAMILY))
    from sendhub.people.models import FamilyMember

    child = children_visible_to(senco).filter(plans__isnull=True, assessments__isnull=True).first()
    FamilyMember.objects.create(child=child, user=parent, full_name=parent.full_name, relationship="mother")
    evidence = tmp_path / "sen-support-plan.pdf"
    evidence.write_bytes(pdf_bytes())

    sign_in(page, live_server, Role.SENCO)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name=re.compile("Ask for an EHC needs assessment")).click()
    check_accessibility(page, "request form")
    page.get_by_role("button", name="Send request").click()
    assert "Describe the child's needs" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page, "request form with errors")
    page.get_by_label("What are the child's needs?").fill("Struggles with reading and writing despite support.")
    page.get_by_label("What support has been given so far").fill("Daily phonics group for two terms.")
    page.get_by_label("Upload documents").set_input_files(str(evidence))
    page.get_by_label("I have told the child's parents or carers about this request").check()
    page.get_by_role("button", name="Send request").click()
    assert "Your request has been sent" in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_role("link", name="sen-support-plan.pdf").is_visible()
    case_url = page.url

    caseworker_page = browser.new_context().new_page()
    sign_in(caseworker_page, live_server, Role.CASEWORKER)
    caseworker_page.goto(case_url)
    caseworker_page.get_by_label(re.compile("^Do not assess")).check()
    caseworker_page.get_by_role("textbox", name="Reasons").fill("The school's support is helping: reading age rose a year in two terms.")
    caseworker_page.get_by_label("Day").first.fill(str(timezone.localdate().day))
    caseworker_page.get_by_label("Month").first.fill(str(timezone.localdate().month))
    caseworker_page.get_by_label("Year").first.fill(str(timezone.localdate().year))
    caseworker_page.get_by_role("button", name="Record the decision").click()
    banner = caseworker_page.locator(".govuk-notification-banner").inner_text()
    assert "Our decision not to carry out an EHC needs assessment" in banner and "has been written" in banner
    check_accessibility(caseworker_page, "case page after the decision")

    parent_page = browser.new_context().new_page()
    sign_in(parent_page, live_server, Role.FAMILY)
    parent_page.goto(case_url)
    parent_page.get_by_role("link", name="Our decision not to carry out an EHC needs assessment").click()
    expect(parent_page.locator("body")).to_contain_text("reading age rose a year")
    expect(parent_page.locator("body")).to_contain_text("First-tier Tribunal")
    check_accessibility(parent_page, "decision letter")


def test_advice_from_a_therapist(page, live_server, check_accessibility, demo_area, browser):
    """The caseworker asks the therapist for health advice; the therapist finds it in their list and gives it."""
    from sendhub.assessments.models import EHCNeedsAssessment

    assessment = EHCNeedsAssessment.objects.filter(outcome="open").order_by("pk").first()
    sign_in(page, live_server, Role.CASEWORKER)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.get_by_role("link", name="Ask for advice").click()
    check_accessibility(page, "ask for advice")
    page.get_by_label("Kind of advice").select_option("health")
    from sendhub.accounts.models import User

    therapist_user = User.objects.get(email=demo_email(Role.HEALTH_PROFESSIONAL))
    page.get_by_label("Person to ask").select_option(value=str(therapist_user.pk))
    page.get_by_label("What are you asking for?").fill("Speech and language advice, with outcomes and provision.")
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Ask for advice").click()
    assert "Advice requested" in page.locator(".govuk-notification-banner").inner_text()

    therapist = browser.new_context().new_page()
    sign_in(therapist, live_server, Role.HEALTH_PROFESSIONAL)
    therapist.get_by_role("link", name="Advice asked of you", exact=True).click()
    check_accessibility(therapist, "advice workspace")
    therapist.get_by_test_id("advice-waiting").get_by_role("link", name=assessment.child.full_name).click()
    check_accessibility(therapist, "give advice")
    therapist.get_by_label("The child's needs").fill("Expressive language two years behind.")
    therapist.get_by_label("Provision the child needs").fill("Weekly therapy for a term, then a programme in class.")
    therapist.get_by_role("button", name="Send advice").click()
    assert "your advice has been sent" in therapist.locator(".govuk-notification-banner").inner_text()

    page.reload()
    expect(page.locator("body")).to_contain_text("Weekly therapy for a term")
    check_accessibility(page, "case page with advice")


def fill_today(page, nth: int = 0) -> None:
    today = timezone.localdate()
    page.get_by_label("Day", exact=True).nth(nth).fill(str(today.day))
    page.get_by_label("Month", exact=True).nth(nth).fill(str(today.month))
    page.get_by_label("Year", exact=True).nth(nth).fill(str(today.year))


def test_one_case_end_to_end_through_the_roles(page, live_server, check_accessibility, demo_area, tmp_path, browser):
    """SENCO's request, the decision, advice from a therapist and a social worker, the draft, the family's
    comments, the final plan, and the therapist finding it in their list; axe on every page."""
    from sendhub.accounts.models import User
    from sendhub.people.models import FamilyMember
    from sendhub.people.selectors import children_visible_to

    users = {role: User.objects.get(email=demo_email(role)) for role in
             (Role.SENCO, Role.FAMILY, Role.HEALTH_PROFESSIONAL, Role.SOCIAL_CARE)}
    child = children_visible_to(users[Role.SENCO]).filter(plans__isnull=True, assessments__isnull=True).first()
    FamilyMember.objects.create(child=child, user=users[Role.FAMILY], full_name="Pat Parent", relationship="mother")
    evidence = tmp_path / "support-plan.pdf"
    evidence.write_bytes(pdf_bytes())

    senco = page
    sign_in(senco, live_server, Role.SENCO)
    senco.goto(f"{live_server.url}/children/{child.pk}/request-assessment")
    senco.get_by_label("What are the child's needs?").fill("Speech is hard to understand; struggles at break times.")
    senco.get_by_label("What support has been given so far").fill("Small-group language work for two terms.")
    senco.get_by_label("Upload documents").set_input_files(str(evidence))
    senco.get_by_label("I have told the child's parents or carers about this request").check()
    senco.get_by_role("button", name="Send request").click()
    case_url = senco.url

    caseworker = browser.new_context().new_page()
    sign_in(caseworker, live_server, Role.CASEWORKER)
    caseworker.goto(case_url)
    caseworker.get_by_label(re.compile("^Assess: carry out")).check()
    fill_today(caseworker)
    caseworker.get_by_role("button", name="Record the decision").click()
    for source, person in (("health", Role.HEALTH_PROFESSIONAL), ("social_care", Role.SOCIAL_CARE)):
        caseworker.get_by_role("link", name="Ask for advice").click()
        caseworker.get_by_label("Kind of advice").select_option(source)
        caseworker.get_by_label("Person to ask").select_option(value=str(users[person].pk))
        caseworker.get_by_label("What are you asking for?").fill("Advice with needs, outcomes and provision.")
        fill_today(caseworker)
        caseworker.get_by_role("button", name="Ask for advice").click()
    check_accessibility(caseworker, "case with advice requested")

    for role, provision in ((Role.HEALTH_PROFESSIONAL, "Speech therapy: a block of 8 weekly sessions"),
                            (Role.SOCIAL_CARE, "Short breaks: one weekend a month")):
        professional = browser.new_context().new_page()
        sign_in(professional, live_server, role)
        professional.get_by_role("link", name="Advice asked of you", exact=True).click()
        professional.get_by_test_id("advice-waiting").get_by_role("link", name=child.full_name).click()
        professional.get_by_label("The child's needs").fill("Needs described by the professional.")
        professional.get_by_label("Provision the child needs").fill(provision)
        professional.get_by_role("button", name="Send advice").click()
        professional.context.close()

    caseworker.goto(case_url)
    caseworker.get_by_label(re.compile("^Issue an EHC plan")).check()
    fill_today(caseworker)
    caseworker.get_by_role("button", name="Record the decision").click()
    caseworker.get_by_role("link", name="Draft the plan").click()
    check_accessibility(caseworker, "plan workspace")
    for code, text in (("G", "Speech and language therapy: 8 weekly sessions, then a programme in class."),
                       ("H2", "Short breaks: one weekend a month.")):
        caseworker.get_by_role("link", name=f"Change section {code}").click()
        if code == "G":
            expect(caseworker.locator("body")).to_contain_text("8 weekly sessions")  # the therapist's advice beside the section
            check_accessibility(caseworker, "section with advice")
        caseworker.get_by_label("Section text").fill(text)
        caseworker.get_by_role("button", name="Save section").click()
    caseworker.get_by_label(re.compile("^The draft plan")).check()
    fill_today(caseworker)
    confirm_if_someone_cannot_be_reached(caseworker)
    caseworker.get_by_role("button", name="Issue").click()
    check_accessibility(caseworker, "draft plan")

    family = browser.new_context().new_page()
    sign_in(family, live_server, Role.FAMILY)
    assert family.get_by_test_id("notifications").is_visible()
    family.get_by_test_id("notifications").get_by_role("link").first.click()
    check_accessibility(family, "draft plan (family)")
    family.get_by_label("Which part of the plan is your comment about?").select_option("G")
    family.get_by_role("textbox", name="Your comment").fill("Could the sessions be at school, not the clinic?")
    family.get_by_role("button", name="Send comment").click()
    assert "your comment has been sent" in family.locator(".govuk-notification-banner").inner_text()

    caseworker.goto(case_url + "plan/")
    expect(caseworker.locator("body")).to_contain_text("Could the sessions be at school")
    caseworker.get_by_role("link", name="Change section G").click()
    caseworker.get_by_label("Section text").fill("Speech and language therapy at school: 8 weekly sessions.")
    caseworker.get_by_role("button", name="Save section").click()
    caseworker.get_by_role("radio", name="The final plan").check()
    fill_today(caseworker)
    confirm_if_someone_cannot_be_reached(caseworker)
    caseworker.get_by_role("button", name="Issue").click()
    assert "The final plan can be issued from" in caseworker.locator(".govuk-error-summary").inner_text()
    caseworker.get_by_role("radio", name="The final plan").check()
    fill_today(caseworker)
    caseworker.get_by_label(re.compile("The family have agreed")).check()
    confirm_if_someone_cannot_be_reached(caseworker)
    caseworker.get_by_role("button", name="Issue").click()
    assert "Final plan issued as version 2" in caseworker.locator(".govuk-notification-banner").inner_text()
    assert "Not opened" in caseworker.get_by_test_id("deliveries").inner_text()

    therapist = browser.new_context().new_page()
    sign_in(therapist, live_server, Role.HEALTH_PROFESSIONAL)
    therapist.get_by_role("link", name="Plans sent to you").click()
    check_accessibility(therapist, "plans sent to you")
    sent = therapist.get_by_test_id("plans-sent")
    assert "Final plan, version 2" in sent.inner_text()
    sent.get_by_role("link", name="Changes since version 1").first.click()
    expect(therapist.locator("body")).to_contain_text("at school")
    check_accessibility(therapist, "what changed")
