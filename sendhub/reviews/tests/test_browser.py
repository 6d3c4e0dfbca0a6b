"""An annual review in Chromium, from the SENCO's invitation to an amended plan that reaches every
involved professional; axe at WCAG 2.2 AA on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendhub.accounts.models import Role, User
from sendhub.demo.area import demo_email
from sendhub.web.tests.test_personas import confirm_if_someone_cannot_be_reached, demo_area, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, field: str, day) -> None:
    page.locator(f"#id_{field}-day").fill(str(day.day))
    page.locator(f"#id_{field}-month").fill(str(day.month))
    page.locator(f"#id_{field}-year").fill(str(day.year))


def pick_review():
    """An open review at the demo SENCO's school, meeting not held, for a child under Year 9."""
    from sendhub.people.models import Involvement, InvolvementRole
    from sendhub.reviews.models import AnnualReview

    senco = User.objects.get(email=demo_email(Role.SENCO))
    therapist = User.objects.get(email=demo_email(Role.HEALTH_PROFESSIONAL))
    caseworker = User.objects.get(email=demo_email(Role.CASEWORKER))
    today = timezone.localdate()
    review = next(r for r in AnnualReview.objects.filter(
        closed_on__isnull=True, plan__child__setting=senco.organisation).exclude(events__type="review_meeting")
        .select_related("plan__child") if r.plan.child.year_group(today) < 9)
    child = review.plan.child
    for who, role in ((therapist, InvolvementRole.SPEECH_LANGUAGE_THERAPIST), (caseworker, InvolvementRole.CASEWORKER)):
        if not Involvement.objects.active().filter(child=child, professional=who).exists():
            Involvement.objects.create(child=child, professional=who, organisation=who.organisation, role=role)
    return review, child, therapist


def test_review_from_invitation_to_an_amended_plan_for_every_professional(browser, live_server, check_accessibility,
                                                                          demo_area):  # noqa: F811
    from sendhub.messaging.models import Delivery
    from sendhub.plans.services import recipients_of

    review, child, therapist = pick_review()
    url = f"{live_server.url}/reviews/{review.pk}/annual-review/"
    pages = {}
    for role in (Role.SENCO, Role.HEALTH_PROFESSIONAL, Role.CASEWORKER):
        context = browser.new_context(viewport={"width": 1024, "height": 800})
        pages[role] = context.new_page()
        pages[role].set_default_timeout(15000)
        sign_in(pages[role], live_server, role)
    today = timezone.localdate()
    meeting = today + timedelta(days=16)
    while meeting.weekday() >= 5:
        meeting += timedelta(days=1)

    # The SENCO finds the pupil in the school's list, sets the meeting and sends the invitations.
    senco = pages[Role.SENCO]
    senco.get_by_role("link", name="Annual reviews").first.click()
    expect(senco.get_by_test_id("school-reviews")).to_be_visible()
    check_accessibility(senco, "school review list")
    senco.locator(f'tr[data-review="{review.pk}"] a').click()
    expect(senco.get_by_test_id("review-summary")).to_be_visible()
    check_accessibility(senco, "review page (SENCO)")
    fill_date(senco, "meeting_on", meeting)
    senco.get_by_role("button", name="Save the meeting date").click()
    expect(senco.get_by_test_id("meeting-on")).to_contain_text(f"{meeting.day} {meeting:%B %Y}")
    senco.get_by_role("button", name="Send the invitations").click()
    expect(senco.get_by_test_id("invitations")).to_contain_text(therapist.full_name)

    # The therapist answers and sends advice.
    therapy = pages[Role.HEALTH_PROFESSIONAL]
    therapy.goto(url)
    check_accessibility(therapy, "review page (therapist)")
    therapy.get_by_label("Yes, I can come").check()
    therapy.get_by_role("button", name="Send your answer").click()
    therapy.get_by_label("Your views or advice").fill("Speech has improved; keep weekly therapy and add a social group.")
    therapy.get_by_role("button", name="Send", exact=True).click()
    expect(therapy.get_by_text("Speech has improved")).to_be_visible()

    # After the meeting the SENCO records it and writes and sends the report.
    senco.reload()
    expect(senco.get_by_test_id("invitations")).to_contain_text("Coming")
    fill_date(senco, "held_on", today)
    senco.get_by_role("button", name="Record the meeting").click()
    senco.get_by_role("link", name="Write the report").click()
    check_accessibility(senco, "review report form")
    senco.get_by_label("The child's or young person's views").fill("I like my group. Reading is hard.")
    senco.get_by_label("The family's views").fill("More help with reading, please.")
    for outcome in senco.get_by_test_id("outcome").all():
        outcome.get_by_label("On track", exact=True).check()
    senco.get_by_label("Changes professionals recommend to the plan").fill("Section F: add a weekly social group.")
    senco.get_by_label("Amend the plan").check()
    senco.get_by_role("button", name="Save and send the report").click()
    expect(senco.get_by_test_id("step")).to_contain_text("Council's decision after the review")

    # The caseworker decides to amend, drafts and issues the proposed amendments, then the amended plan.
    council = pages[Role.CASEWORKER]
    council.get_by_role("link", name="Review priorities").click()
    expect(council.get_by_test_id("priority")).to_be_visible()
    check_accessibility(council, "review priorities")
    council.goto(url)
    check_accessibility(council, "review page (caseworker)")
    council.get_by_label("Amend the plan").check()
    council.get_by_label("Reasons, as the family will read them in the letter").fill(
        "The meeting agreed that a weekly social group is needed.")
    fill_date(council, "decided_on", today)
    council.get_by_role("button", name="Record the decision").click()
    expect(council.get_by_role("heading", name="Draft the amendments")).to_be_visible()
    council.get_by_role("link", name="Change section F").click()
    text = council.get_by_label("Section text")
    text.fill(text.input_value() + "\nA weekly social communication group, 45 minutes, run by the therapist.")
    council.get_by_role("button", name="Save").click()
    council.get_by_label("The proposed amendments, to the family for their 15 days").check()
    fill_date(council, "issued_on", today)
    confirm_if_someone_cannot_be_reached(council)
    council.get_by_role("button", name="Issue").click()
    expect(council.get_by_role("heading", name="Proposed amendments")).to_be_visible()
    council.goto(f"{live_server.url}/reviews/{review.pk}/plan/")
    council.get_by_label("The amended plan").check()
    fill_date(council, "issued_on", today)
    council.get_by_label("The family have agreed to the plan being issued before their 15 days end").check()
    confirm_if_someone_cannot_be_reached(council)
    council.get_by_role("button", name="Issue").click()
    expect(council.get_by_role("heading", name="Amended plan")).to_be_visible()

    # Every involved professional has it; the therapist finds it in their list.
    expected = {person.pk for person, _ in recipients_of(child)}
    delivered = set(Delivery.objects.filter(version__review=review, version__kind="amended")
                    .exclude(recipient=None).values_list("recipient", flat=True))
    assert delivered == expected and therapist.pk in delivered
    therapy.get_by_role("link", name="Plans sent to you").click()
    expect(therapy.get_by_role("main")).to_contain_text(child.full_name)
    check_accessibility(therapy, "plans sent to the therapist")
    for page in pages.values():
        page.context.close()
