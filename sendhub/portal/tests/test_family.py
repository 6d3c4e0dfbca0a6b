"""Issue 14, as a parent: one last day for the family's 15 days on every page, a status card per child with
the one thing they can do now, a review meeting shown with its date once set, and a named contact."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendhub.clock import timescales as clock
from sendhub.clock.cases import clock_case
from sendhub.clock.services import open_review, record_event
from sendhub.messaging.services import notify
from sendhub.plans.models import VersionKind
from sendhub.plans.services import issue_version, save_section
from sendhub.portal.family import by_day, contact_for, long_day
from sendhub.reviews import services as reviews
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def text_of(response) -> str:
    """The page's words without tags, so a phrase split by markup still matches."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace("&#x27;", "'")


@pytest.fixture
def draft(area):
    """The council sent the sibling's draft plan three days ago."""
    return send_draft(area, days_ago=3)


def send_draft(area, *, days_ago: int):
    caseworker = area.users["caseworker"]
    assessment = f.AssessmentFactory(child=area.sibling, request_received_on=TODAY - timedelta(days=100))
    record_event(actor=caseworker, case=assessment, type="decision_to_assess", date=TODAY - timedelta(days=80))
    record_event(actor=caseworker, case=assessment, type="decision_to_issue_plan", date=TODAY - timedelta(days=20))
    save_section(actor=caseworker, case=assessment, section="F", text="Weekly speech therapy.", expected_version=0)
    return issue_version(actor=caseworker, case=assessment, kind=VersionKind.DRAFT,
                         issued_on=TODAY - timedelta(days=days_ago))


def clocks_last_day(version):
    """What the statutory clock says, read directly: the day before the final plan may first be sent."""
    row = next(d for d in clock.compute_deadlines(clock_case(version.assessment), TODAY) if d.key == "final_not_before")
    return row.due - timedelta(days=1)


def test_the_familys_last_day_is_one_date_on_every_page(area, client_for, draft):
    """The demo parent saw 15 December on the plan page and 16 December on the tracker."""
    last = clocks_last_day(draft)
    assert last == draft.issued_on + timedelta(days=14)  # reg 13(1)(a): 15 days beginning with the day sent
    parent = client_for(area.users["parent"])
    pages = {
        "home": parent.get(reverse("web:home")),
        "child page": parent.get(reverse("web:child", kwargs={"pk": area.sibling.pk})),
        "tracker": parent.get(reverse("portal:tracker", kwargs={"child_pk": area.sibling.pk})),
        "tracker, easy read": parent.get(reverse("portal:tracker", kwargs={"child_pk": area.sibling.pk}) + "?read=easy"),
        "plan page": parent.get(reverse("plans:version", kwargs={"pk": draft.pk})),
        "the draft's notice in messages": parent.get(reverse("portal:messages")),
    }
    day_after = long_day(last + timedelta(days=1))
    for name, response in pages.items():
        assert response.status_code == 200, name
        words = text_of(response)
        assert by_day(last) in words, name
        assert "last day" in words, name
        assert day_after not in words, f"{name} gives the day after the family's last day"


def test_the_home_card_says_draft_plan_and_its_button_opens_the_draft(area, client_for, draft):
    last = clocks_last_day(draft)
    response = client_for(area.users["parent"]).get(reverse("web:home"))
    words = text_of(response)
    assert f"Draft plan: your comments {by_day(last)} (the last day)" in words
    links = words.index(f"Where things are for {area.sibling.full_name}")
    card = words[words.rindex(area.sibling.full_name, 0, links):links]  # the card (the banner may name them too)
    assert "No EHC plan" not in card
    html = response.content.decode()
    button = re.search(r'<a class="govuk-button[^"]*"[^>]*data-testid="action" href="([^"]+)">([^<]+)<', html)
    assert button, "no action button on the home card"
    assert button.group(1) == reverse("plans:version", kwargs={"pk": draft.pk})
    assert button.group(2) == f"Read and comment on the draft plan {by_day(last)}"


def test_the_trackers_draft_plan_line_links_to_the_draft(area, client_for, draft):
    response = client_for(area.users["parent"]).get(reverse("portal:tracker", kwargs={"child_pk": area.sibling.pk}))
    html = response.content.decode()
    assert "The draft plan has been sent to you for your comments." in html
    assert f'href="{reverse("plans:version", kwargs={"pk": draft.pk})}" data-testid="draft-link"' in html


def test_once_the_last_day_has_passed_no_button_asks_for_comments(area, client_for):
    send_draft(area, days_ago=15)  # the last day was yesterday
    words = text_of(client_for(area.users["parent"]).get(reverse("web:home")))
    assert "Read and comment" not in words and "Draft plan: your comments" not in words
    assert "No EHC plan yet: an EHC needs assessment is under way" in words


@pytest.fixture
def review(area):
    plan = f.EHCPlanFactory(child=area.child, first_issued_on=TODAY - timedelta(days=300))
    return open_review(plan=plan, previous_review_meeting=None, on=plan.first_issued_on)


def next_weekday(after):
    day = after
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_a_set_review_meeting_is_shown_with_its_date_and_the_parent_is_asked_if_they_can_come(
        area, client_for, review):
    senco = area.users["senco"]
    meeting = next_weekday(TODAY + timedelta(days=20))
    reviews.schedule_meeting(actor=senco, review=review, meeting_on=meeting, expected_version=review.version)
    reviews.send_invitations(actor=senco, review=review)
    parent = client_for(area.users["parent"])
    tracker = text_of(parent.get(reverse("portal:tracker", kwargs={"child_pk": area.child.pk})))
    easy = text_of(parent.get(reverse("portal:tracker", kwargs={"child_pk": area.child.pk}) + "?read=easy"))
    home = parent.get(reverse("web:home"))
    for words in (tracker, text_of(home)):
        assert f"The annual review meeting is on {long_day(meeting)}." in words
        assert "being arranged" not in words
    assert "being arranged" not in easy
    assert f"Tell us if you can come to the review on {long_day(meeting)}" in text_of(home)
    assert f'href="{reverse("reviews:detail", kwargs={"pk": review.pk})}"' in home.content.decode()

    invitation = review.invitations.get(recipient=area.users["parent"])
    reviews.respond_to_invitation(actor=area.users["parent"], invitation=invitation, attending="yes")
    assert "Give your views for the review" in text_of(parent.get(reverse("web:home")))
    reviews.contribute(actor=area.users["parent"], review=review, kind="family_views", text="He is happier.")
    words = text_of(parent.get(reverse("web:home")))
    assert "Give your views" not in words and "Tell us if you can come" not in words


def test_a_review_without_a_meeting_date_is_still_being_arranged(area, client_for, review):
    words = text_of(client_for(area.users["parent"]).get(reverse("portal:tracker", kwargs={"child_pk": area.child.pk})))
    assert "The annual review meeting is being arranged." in words


def test_the_caseworker_and_the_teams_number_on_the_tracker_home_and_messages(area, client_for, review):
    area.la.telephone, area.la.email = "0300 555 0100", "send@testshire.example"
    area.la.save()
    caseworker = area.users["caseworker"]
    f.InvolvementFactory(child=area.child, professional=caseworker, organisation=area.la, role="caseworker")
    notify(recipients=[area.users["parent"]], child=area.child, subject="Hello", body="A message", link="")
    parent = client_for(area.users["parent"])
    pages = {
        "tracker": parent.get(reverse("portal:tracker", kwargs={"child_pk": area.child.pk})),
        "easy read": parent.get(reverse("portal:tracker", kwargs={"child_pk": area.child.pk}) + "?read=easy"),
        "home": parent.get(reverse("web:home")),
        "messages": parent.get(reverse("portal:messages")),
    }
    for name, response in pages.items():
        words = text_of(response)
        assert caseworker.full_name in words, name
        assert "0300 555 0100" in words and "send@testshire.example" in words, name
        assert 'href="tel:03005550100"' in response.content.decode(), name


def test_with_no_caseworker_the_family_is_told_the_send_team_and_its_number(area, client_for):
    area.la.telephone = "0300 555 0100"
    area.la.save()
    contact = contact_for(area.sibling)
    assert (contact.named, contact.name, contact.telephone) == (False, "the SEND team", "0300 555 0100")
    words = text_of(client_for(area.users["parent"]).get(reverse("portal:tracker", kwargs={"child_pk": area.sibling.pk})))
    assert f"Contact the SEND team at {area.la.name}." in words and "0300 555 0100" in words


def test_an_ended_or_inactive_caseworker_is_not_named(area):
    caseworker = area.users["caseworker"]
    f.InvolvementFactory(child=area.child, professional=caseworker, organisation=area.la, role="caseworker",
                         ended_on=TODAY - timedelta(days=1))
    assert contact_for(area.child).named is False
    f.InvolvementFactory(child=area.child, professional=caseworker, organisation=area.la, role="caseworker")
    assert contact_for(area.child).name == caseworker.full_name
    caseworker.is_active = False
    caseworker.save()
    assert contact_for(area.child).named is False


def test_proposed_amendments_get_their_last_day_the_same_way(area):
    """The clock's contract has no row for amendments; reg 22(2)(c) gives the same 15 days."""
    from sendhub.plans.models import PlanVersion
    from sendhub.portal.family import comment_last_day

    version = PlanVersion(child=area.child, number=3, kind=VersionKind.PROPOSED, issued_on=TODAY)
    assert comment_last_day(version) == TODAY + timedelta(days=14)
    assert comment_last_day(PlanVersion(child=area.child, number=4, kind=VersionKind.FINAL, issued_on=TODAY)) is None
