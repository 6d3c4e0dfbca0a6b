"""Plan quality in Chromium: the caseworker drafts a plan and sees the checks fail on vague provision and missing
health provision, fixes them and issues; the QA officer sets the sample, audits the plan from it, grades and
comments; a health professional moderates; the family give their view; the caseworker sees the result; the
figures move. axe at WCAG 2.2 AA on every page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendhub.accounts.models import Role, User
from sendhub.demo.area import demo_email
from sendhub.reviews.tests.test_browser import fill_date
from sendhub.web.tests.test_personas import demo_area, sign_in  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = {
    "A": "Ava says: “I like drawing and the climbing frame. I want a friend to play with at lunchtime.”",
    "B": "Ava finds it hard to understand spoken language and to follow instructions in class.",
    "C": "Ava has epilepsy, with seizures about once a month at school.",
    "D": "No social care needs.",
    "E": "By the end of Key Stage 2, Ava will follow two-step instructions in class without a prompt.",
    "F": "Access to speech and language therapy as required.",
    "I": "Oakfield Primary School (mainstream primary)",
    "J": "No personal budget has been requested.",
    "K": "Education advice from the class teacher.",
}
FIXED_F = "Speech and language therapy weekly for 30 minutes by a speech and language therapist."
G = "An epilepsy care plan, reviewed termly for 30 minutes by the epilepsy specialist nurse, with staff trained."


def new_case():
    """A Year 5 child of the demo parent, with the decision to issue a plan made 20 days ago."""
    from sendhub.clock.services import record_event
    from sendhub.organisations.models import Organisation
    from sendhub.testing import factories as f

    caseworker = User.objects.get(email=demo_email(Role.CASEWORKER))
    parent = User.objects.get(email=demo_email(Role.FAMILY))
    today = timezone.localdate()
    school = Organisation.objects.filter(local_authority=caseworker.organisation, kind="school").first()
    child = f.ChildFactory(local_authority=caseworker.organisation, setting=school, given_name="Ava",
                           date_of_birth=date(today.year - 10, 3, 1))
    f.FamilyMemberFactory(child=child, user=parent, full_name=parent.full_name)
    assessment = f.AssessmentFactory(child=child, request_received_on=today - timedelta(days=100))
    record_event(actor=caseworker, case=assessment, type="decision_to_assess", date=today - timedelta(days=80))
    record_event(actor=caseworker, case=assessment, type="decision_to_issue_plan", date=today - timedelta(days=20))
    return assessment, child


def write(page, base: str, code: str, text: str) -> None:
    page.goto(f"{base}{code}")
    page.get_by_label("Section text").fill(text)
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_test_id("sections")).to_be_visible()


def test_plan_quality_from_draft_to_moderated_audit(browser, live_server, check_accessibility,
                                                    demo_area):  # noqa: F811
    from sendhub.plans.models import PlanVersion
    from sendhub.quality.models import Audit

    assessment, child = new_case()
    pages = {}
    for role in (Role.CASEWORKER, Role.QA_OFFICER, Role.HEALTH_PROFESSIONAL, Role.FAMILY):
        context = browser.new_context(viewport={"width": 1024, "height": 800})
        pages[role] = context.new_page()
        pages[role].set_default_timeout(15000)
        sign_in(pages[role], live_server, role)
    today = timezone.localdate()
    base = f"{live_server.url}/assessments/{assessment.pk}/plan/"

    # The caseworker drafts: vague provision and a health need with no health provision are flagged.
    council = pages[Role.CASEWORKER]
    for code, text in PLAN.items():
        write(council, base, code, text)
    summary = council.get_by_test_id("check-summary")
    expect(summary).to_contain_text("to look at")
    expect(council.get_by_test_id("sections")).to_contain_text("uses words that do not specify provision")
    expect(council.get_by_test_id("sections")).to_contain_text(
        "Section C describes health needs but section G has no health provision")
    check_accessibility(council, "plan drafting with failed checks")
    council.goto(f"{base}F")
    expect(council.get_by_test_id("section-checks")).to_contain_text("“access to”, “as required”")
    council.get_by_text("Why: CoP 9.69 (section F)").click()
    check_accessibility(council, "section F with its checks")
    write(council, base, "F", FIXED_F)
    write(council, base, "G", G)
    expect(summary).to_contain_text("The plan passes every automatic quality check")
    council.goto(f"{base}F")
    expect(council.get_by_test_id("section-checks-passed")).to_be_visible()
    council.goto(base)
    council.get_by_label("The draft plan, to the family for their 15 days").check()
    fill_date(council, "issued_on", today - timedelta(days=16))
    council.get_by_role("button", name="Issue").click()
    expect(council.get_by_role("heading", name="Draft plan")).to_be_visible()
    council.goto(base)
    council.get_by_label("The final plan").check()
    fill_date(council, "issued_on", today)
    council.get_by_role("button", name="Issue").click()
    expect(council.get_by_role("heading", name="Final plan")).to_be_visible()
    expect(council.get_by_test_id("version-quality")).to_contain_text("passed every automatic quality check")
    final = PlanVersion.objects.get(child=child, kind="final")
    assert final.check_run.passed

    # The QA officer sets the sample size, reads the figures, draws the month's sample and audits the plan.
    qa = pages[Role.QA_OFFICER]
    qa.goto(f"{live_server.url}/quality/settings/")
    check_accessibility(qa, "checks and rubric")
    qa.get_by_label("Plans to audit each month").fill("200")
    qa.get_by_role("button", name="Save the checks and rubric").click()
    expect(qa.get_by_text("Saved.")).to_be_visible()
    qa.goto(f"{live_server.url}/quality/figures/")
    check_accessibility(qa, "quality figures")
    before = qa.get_by_test_id("good-share").inner_text()
    qa.get_by_role("link", name="Plan quality").first.click()
    qa.get_by_role("button", name="Draw this month's sample").click()
    expect(qa.get_by_test_id("sample")).to_be_visible()
    check_accessibility(qa, "monthly sample")
    qa.locator(f'tr[data-version="{final.pk}"]').get_by_role("button").click()
    expect(qa.get_by_test_id("audit-summary")).to_be_visible()
    check_accessibility(qa, "audit form")
    for code in ("A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"):
        qa.get_by_label(f"Grade for section {code}", exact=True).select_option("good")
    qa.get_by_label("Grade for section G", exact=True).select_option("requires_improvement")
    qa.get_by_label("Comments on section G", exact=True).fill("Name who trains the staff, and how often.")
    qa.get_by_label("What the caseworker should change").fill("Section G: say who trains staff in epilepsy care.")
    qa.get_by_role("button", name="Complete the audit").click()
    expect(qa.get_by_test_id("audit-grade")).to_contain_text("Good")
    therapist = User.objects.get(email=demo_email(Role.HEALTH_PROFESSIONAL))
    qa.get_by_label("Who should moderate this audit?").select_option(str(therapist.pk))
    qa.get_by_role("button", name="Ask them to moderate").click()
    expect(qa.get_by_test_id("moderation")).to_contain_text(f"Waiting for {therapist.full_name}")
    qa.get_by_role("button", name="Ask the family for their view").click()
    check_accessibility(qa, "completed audit")
    audit = Audit.objects.get(version=final)

    # A health professional moderates.
    health = pages[Role.HEALTH_PROFESSIONAL]
    health.get_by_role("link", name="Plan audits").click()
    check_accessibility(health, "audits (moderator)")
    health.get_by_role("link", name=child.full_name).click()
    check_accessibility(health, "audit to moderate")
    health.get_by_label("Yes").check()
    health.get_by_label("Your comments").fill("Agree. The epilepsy care plan matches the nurse's advice.")
    health.get_by_role("button", name="Record the moderation").click()
    expect(health.get_by_test_id("moderation")).to_contain_text("agreed with the grade")

    # The family give their view.
    family = pages[Role.FAMILY]
    family.goto(f"{live_server.url}/quality/audits/{audit.pk}/your-view")
    check_accessibility(family, "the family's view")
    family.get_by_label("What do you think of the plan?").fill("It describes Ava well. We want more on friendships.")
    family.get_by_role("button", name="Send your view").click()
    expect(family.get_by_text("your view has been sent")).to_be_visible()

    # The caseworker sees the result and what to change; the figures move.
    council.get_by_role("link", name="Plan audits").click()
    check_accessibility(council, "audits (caseworker)")
    council.get_by_role("link", name=child.full_name).click()
    expect(council.get_by_test_id("to-change")).to_contain_text("say who trains staff in epilepsy care")
    expect(council.get_by_test_id("moderation")).to_contain_text("agreed with the grade")
    expect(council.get_by_test_id("grade-G")).to_contain_text("Requires improvement")
    expect(council.get_by_text("We want more on friendships")).to_be_visible()
    check_accessibility(council, "audit result (caseworker)")
    qa.goto(f"{live_server.url}/quality/figures/")
    expect(qa.get_by_test_id("good-share")).not_to_have_text(before)
    good, count = (int(n) for n in before.split()[::2][:2])
    expect(qa.get_by_test_id("good-share")).to_contain_text(f"{good + 1} of {count + 1}")
    for page in pages.values():
        page.context.close()
