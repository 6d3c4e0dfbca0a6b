"""Issue 14: one route records each statutory decision, and it always writes the family's letter. The case page's
generic "Record what happened" cannot close a review, decide on an assessment or issue a plan."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sendhub.clock.models import StatutoryEvent
from sendhub.clock.rules import OWN_ROUTE, recordable_types
from sendhub.clock.services import open_review, record_event, record_what_happened
from sendhub.letters.models import Letter
from sendhub.reviews.services import decide
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = TODAY - timedelta(days=1)
DATED = {"date-day": DAY.day, "date-month": DAY.month, "date-year": DAY.year}


@pytest.fixture
def review(area):
    plan = f.EHCPlanFactory(child=area.child, first_issued_on=TODAY - timedelta(days=330))
    review = open_review(plan=plan, previous_review_meeting=None, on=plan.first_issued_on)
    record_event(actor=area.users["senco"], case=review, type="review_meeting", date=TODAY - timedelta(days=10))
    return review


def test_the_generic_form_offers_no_decision_and_no_plan(area, review):
    assessment = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=30))
    caseworker = area.users["caseworker"]
    assert recordable_types(caseworker, assessment) == ["advice_received", "advice_requested", "exception"]
    assert recordable_types(caseworker, review) == ["exception", "review_meeting", "review_report_sent"]
    assert set(OWN_ROUTE) == {"decision_to_assess", "decision_not_to_assess", "decision_to_issue_plan",
                              "decision_not_to_issue_plan", "draft_plan_sent", "final_plan_issued", "la_decision",
                              "amendment_notice_sent", "amended_plan_issued"}


def test_a_forged_post_cannot_close_a_review_without_its_letter(area, client_for, review):
    url = reverse("clock:review", kwargs={"pk": review.pk})
    client = client_for(area.users["caseworker"])
    page = client.get(url).content.decode()
    assert 'value="la_decision"' not in page
    own = page.split('data-testid="own-routes"', 1)[1].split("</p>", 1)[0]
    assert reverse("reviews:detail", kwargs={"pk": review.pk}) in own
    response = client.post(url, {"action": "record", "type": "la_decision", "outcome": "maintain", **DATED})
    assert response.status_code == 200
    assert "type" in response.context["form"].errors
    review.refresh_from_db()
    assert review.closed_on is None and not review.events.filter(type="la_decision").exists()
    assert not Letter.objects.exists()


def test_a_forged_post_cannot_issue_a_final_plan_without_its_plan_and_letter(area, client_for):
    assessment = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=30))
    response = client_for(area.users["caseworker"]).post(
        reverse("clock:assessment", kwargs={"pk": assessment.pk}),
        {"action": "record", "type": "final_plan_issued", "family_agreed_early": "on", **DATED})
    assert response.status_code == 200 and "type" in response.context["form"].errors
    assert not StatutoryEvent.objects.exists() and not area.child.plans.exists()


@pytest.mark.parametrize(("kind", "page"), [("la_decision", "the annual review's page"),
                                            ("decision_not_to_assess", "Make the decision"),
                                            ("amended_plan_issued", "Draft the amendments")])
def test_the_service_refuses_and_names_the_page_to_use(area, review, kind, page):
    case = review if kind != "decision_not_to_assess" else f.AssessmentFactory(
        child=area.child, request_received_on=TODAY - timedelta(days=30))
    with pytest.raises(ValidationError) as refused:
        record_what_happened(actor=area.users["caseworker"], case=case, type=kind, date=DAY, outcome="maintain")
    message = refused.value.message_dict["type"][0]
    assert page in message and "letter" in message
    assert not case.events.filter(type=kind).exists()
    event = record_what_happened(actor=area.users["caseworker"], case=case, type="exception", date=DAY,
                                 exception_reason="exceptional_personal_circumstances", exception_to=TODAY)
    assert event.pk


def test_the_decision_route_writes_the_letter_and_the_history_says_it_in_words(area, client_for, review):
    decide(actor=area.users["caseworker"], review=review, outcome="maintain", reasons="Going well.", decided_on=DAY)
    assert Letter.objects.get(review=review).template_key == "review-maintain"
    for url in (reverse("clock:review", kwargs={"pk": review.pk}), reverse("reviews:detail", kwargs={"pk": review.pk})):
        page = client_for(area.users["caseworker"]).get(url).content.decode()
        assert "Council&#x27;s decision after the review: keep the plan as it is" in page, url
        assert ": maintain" not in page
