"""Issue 14: every statutory step writes its letter through the service that records the step, and each letter
states the family's rights and time limits with the dates every other page gives (docs/communications.md)."""

import html
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sendhub.assessments.services import record_decision, request_assessment
from sendhub.clock.cases import deadline_rows
from sendhub.clock.services import open_review, record_event
from sendhub.clock.timescales import add_months
from sendhub.letters import sandbox
from sendhub.letters.defaults import DEFAULTS
from sendhub.letters.models import Letter
from sendhub.letters.presenters import KINDS
from sendhub.letters.services import template_for
from sendhub.plans.services import drafts_for, issue_version, save_section
from sendhub.portal.family import by_day, comment_last_day
from sendhub.reviews.services import decide, schedule_meeting, send_invitations
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
NEW_KINDS = ["request-acknowledgement", "decision-to-assess", "draft-plan", "final-plan", "amendment-notice",
             "amended-plan", "review-invitation"]


def text(letter: Letter) -> str:
    """The letter as the family reads it: tags gone, entities decoded, lines joined."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", letter.body_html)).split())


def long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def due(case, key: str) -> date:
    """The date the case page shows for a deadline: the statutory clock's own."""
    return next(row.deadline.due for row in deadline_rows(case) if row.deadline.key == key)


def appeal_text(body: str, letter_date: date) -> None:
    last = add_months(letter_date, 2)
    assert last.month != letter_date.month  # two calendar months on, not a count of days
    assert f"You must appeal within 2 months of the date of this letter, by {long(last)}, or within 1 month of " \
           "the date on your mediation certificate, whichever is later." in body
    assert "First-tier Tribunal (Special Educational Needs and Disability)" in body
    assert "mediation adviser" in body and long(last) in body.split("mediation adviser", 1)[1]


@pytest.fixture
def named(area):
    """The family's caseworker and the team's number appear in every letter."""
    area.la.email, area.la.telephone = "send@testshire.example", "0300 555 0100"
    area.la.save()
    f.InvolvementFactory(child=area.child, professional=area.users["caseworker"], organisation=area.la,
                         role="caseworker")
    return area


def contact_in(body: str, area) -> None:
    assert (f"Contact {area.users['caseworker'].full_name}, your caseworker, at {area.la.name} by email at "
            "send@testshire.example or by telephone on 0300 555 0100.") in body
    assert "SEND Information, Advice and Support Service (SENDIASS)" in body


def requested(area, actor_key="parent"):
    return request_assessment(actor=area.users[actor_key], child=area.child, needs="Finds reading very hard.",
                              support_so_far="", views="")


def test_a_request_is_acknowledged_with_the_clocks_decision_date(named):
    assessment = requested(named)
    letter = Letter.objects.get(assessment=assessment)
    body = text(letter)
    assert letter.template_key == "request-acknowledgement"
    decide_by = due(assessment, "decision_whether_to_assess")
    assert decide_by == TODAY + timedelta(weeks=6)
    assert f"We received a request from you on {long(TODAY)}" in body
    assert f"We must tell you our decision within 6 weeks of receiving the request, by {long(decide_by)}." in body
    assert "You have the right to tell us your views, in writing or by talking to us, and to send us any evidence" in body
    assert "tell you how to appeal" in body
    contact_in(body, named)


def test_a_schools_request_says_who_asked(area):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sendhub.testing.files import pdf_bytes

    senco = area.users["senco"]
    assessment = request_assessment(
        actor=senco, child=area.child, needs="Needs", support_so_far="SEN support for a year", views="",
        family_told=True, files=[SimpleUploadedFile("plan.pdf", pdf_bytes(), "application/pdf")])
    assert f"We received a request from {senco.full_name} at {area.school.name} on" in text(assessment.letters.get())


def test_the_decision_to_assess_gives_the_20_weeks_and_the_familys_right_to_give_advice(named):
    assessment = requested(named)
    letter = record_decision(actor=named.users["caseworker"], assessment=assessment, decision="decision_to_assess",
                             reasons="", decided_on=TODAY)
    body = text(letter)
    assert letter.template_key == "decision-to-assess" and letter.assessment == assessment
    final_by = due(assessment, "final_plan")
    assert final_by == TODAY + timedelta(weeks=20)
    assert f"We must send you the final plan within 20 weeks of receiving the request, by {long(final_by)}." in body
    assert "You have the right to give us your own advice and information" in body
    assert "an educational psychologist" in body and "The professionals we ask have 6 weeks" in body
    assert "Why we made this decision" not in body  # no reasons given, no empty heading
    assert "15 days to comment" in body
    contact_in(body, named)


@pytest.mark.parametrize("decision", ["decision_not_to_assess", "decision_not_to_issue_plan"])
def test_refusals_give_the_right_to_appeal_and_its_time_limits(named, decision):
    assessment = requested(named)
    caseworker = named.users["caseworker"]
    if decision == "decision_not_to_issue_plan":
        record_decision(actor=caseworker, assessment=assessment, decision="decision_to_assess", reasons="",
                        decided_on=TODAY)
    with pytest.raises(ValidationError, match="reasons"):
        record_decision(actor=caseworker, assessment=assessment, decision=decision, reasons=" ", decided_on=TODAY)
    letter = record_decision(actor=caseworker, assessment=assessment, decision=decision,
                             reasons="The school can meet the needs.", decided_on=TODAY)
    body = text(letter)
    assert letter.template_key == decision.replace("_", "-")
    assert "The school can meet the needs." in body
    appeal_text(body, TODAY)
    contact_in(body, named)


def issue(area, case, kind, on, **extra):
    caseworker = area.users["caseworker"]
    drafts = drafts_for(case)
    if not drafts["F"].text:
        save_section(actor=caseworker, case=case, section="F", text="Weekly speech and language therapy.",
                     expected_version=drafts["F"].version)
    return issue_version(actor=caseworker, case=case, kind=kind, issued_on=on, **extra)


@pytest.fixture
def decided(named):
    assessment = f.AssessmentFactory(child=named.child, request_received_on=TODAY - timedelta(days=110))
    for kind, days_ago in [("decision_to_assess", 90), ("decision_to_issue_plan", 30)]:
        record_event(actor=named.users["caseworker"], case=assessment, type=kind, date=TODAY - timedelta(days=days_ago))
    return assessment


def test_the_draft_plans_letter_gives_the_same_last_day_as_every_page(named, decided):
    version = issue(named, decided, "draft", TODAY - timedelta(days=3))
    letter = version.letters.get()
    body = text(letter)
    assert (letter.template_key, letter.assessment, letter.child) == ("draft-plan", decided, named.child)
    last = comment_last_day(version)
    assert last == TODAY - timedelta(days=3) + timedelta(days=14)  # 15 days beginning with the day it was sent
    assert f"The last day is {by_day(last)[3:]}." in body  # "Tuesday 15 December 2026", as every page says it
    assert f"to be named in section I of the plan, by {long(last)}" in body
    for school in ["maintained school or maintained nursery school", "academy or free school",
                   "further education or sixth form college", "non-maintained special school",
                   "approved under section 41 of the Children and Families Act 2014"]:
        assert school in body
    assert "arrange a meeting with an officer of the council to talk about the draft plan" in body
    assert f"by {long(due(decided, 'final_plan'))}" in body
    contact_in(body, named)
    assert "<ul class=\"govuk-list govuk-list--bullet\"><li>a maintained school" in letter.body_html


def test_the_final_plans_letter_gives_appeal_rights_mediation_and_the_first_review(named, decided):
    issue(named, decided, "draft", TODAY - timedelta(days=20))
    version = issue(named, decided, "final", TODAY)
    letter = version.letters.get()
    body = text(letter)
    assert letter.template_key == "final-plan"
    appeal_text(body, TODAY)
    for part in ["(section B)", "(section F)", "(section I)", "sections C, D, G, H1 and H2", "national trial",
                 "You do not need to do this if you only want to appeal about the school or institution named in "
                 "section I", "SEND Information, Advice and Support Service"]:
        assert part in body
    review = named.child.plans.get().reviews.get()
    assert f"The first review must be held by {long(due(review, 'annual_review'))}." in body
    contact_in(body, named)


@pytest.fixture
def reviewed(named):
    plan = f.EHCPlanFactory(child=named.child, first_issued_on=TODAY - timedelta(days=330))
    review = open_review(plan=plan, previous_review_meeting=None, on=plan.first_issued_on)
    record_event(actor=named.users["senco"], case=review, type="review_meeting", date=TODAY - timedelta(days=30))
    return review


def test_review_decisions_write_their_letters_with_appeal_rights_where_they_apply(named, reviewed):
    letter = decide(actor=named.users["caseworker"], review=reviewed, outcome="maintain", reasons="Going well.",
                    decided_on=TODAY - timedelta(days=2))
    body = text(letter)
    assert letter.template_key == "review-maintain"
    appeal_text(body, TODAY)
    contact_in(body, named)


def test_a_cease_decision_writes_its_letter_and_ends_the_plan(named, reviewed):
    letter = decide(actor=named.users["caseworker"], review=reviewed, outcome="cease", reasons="Left education.", cease_reason="2",
                    decided_on=TODAY - timedelta(days=2))
    body = text(letter)
    assert letter.template_key == "review-cease"
    assert "The plan stays in place while you can still appeal" in body
    appeal_text(body, TODAY)
    assert reviewed.plan.__class__.objects.get(pk=reviewed.plan_id).status == "ceased"


def test_amendments_notice_then_amended_plan(named, reviewed):
    caseworker = named.users["caseworker"]
    decision = decide(actor=caseworker, review=reviewed, outcome="amend", reasons="Needs have changed.",
                      decided_on=TODAY - timedelta(days=25))
    assert "You will have at least 15 days" in text(decision)
    proposed = issue(named, reviewed, "proposed", TODAY - timedelta(days=20))
    notice = proposed.letters.get()
    body = text(notice)
    assert (notice.template_key, notice.review) == ("amendment-notice", reviewed)
    last = comment_last_day(proposed)
    assert last == TODAY - timedelta(days=6)
    assert f"The last day is {by_day(last)[3:]}." in body
    assert f"to be named in the plan, by {long(last)}" in body
    amended_by = due(reviewed, "amended_plan")
    assert amended_by == TODAY - timedelta(days=20) + timedelta(weeks=8)
    assert f"within 8 weeks of sending you this notice, by {long(amended_by)}" in body
    contact_in(body, named)

    amended = issue(named, reviewed, "amended", TODAY)
    letter = amended.letters.get()
    body = text(letter)
    assert letter.template_key == "amended-plan"
    appeal_text(body, TODAY)
    assert "(section I)" in body
    next_round = reviewed.plan.reviews.get(closed_on__isnull=True)
    assert f"The next review must be held by {long(due(next_round, 'annual_review'))}." in body


def test_the_familys_review_invitation_is_written_once_per_meeting_date(named):
    plan = f.EHCPlanFactory(child=named.child, first_issued_on=TODAY - timedelta(days=300))
    review = open_review(plan=plan, previous_review_meeting=None, on=plan.first_issued_on)
    meeting = TODAY + timedelta(days=21)
    while meeting.weekday() >= 5:
        meeting += timedelta(days=1)
    senco = named.users["senco"]
    review = schedule_meeting(actor=senco, review=review, meeting_on=meeting, expected_version=review.version)
    send_invitations(actor=senco, review=review)
    letter = review.letters.get()
    body = text(letter)
    assert letter.template_key == "review-invitation"
    assert f"on {meeting:%A} {long(meeting)}, held by {named.school.name}" in body
    assert "at least 2 weeks' notice" in body
    assert "Within 4 weeks of the meeting, we must tell you" in body
    contact_in(body, named)
    f.InvolvementFactory(child=named.child)  # someone new: invited to the same meeting, no second family letter
    send_invitations(actor=senco, review=review)
    assert review.letters.count() == 1


@pytest.mark.parametrize("key", NEW_KINDS)
def test_every_new_letter_is_checked_by_the_sandbox_and_lists_its_values(key, area):
    body = DEFAULTS[key][1]
    sandbox.check_template(key, body)
    assert "{{ contact }}" in body and "SENDIASS" in body
    assert "What happens next" in body
    with pytest.raises(ValidationError):
        sandbox.check_template(key, body + "{{ child.involvements.all.0.professional.password }}")
    with pytest.raises(ValidationError):
        sandbox.check_template(key, body + "{{ reasons }}" if key != "decision-to-assess" else body + "{{ appeal_by }}")
    names = set(KINDS[key].variables)
    assert set(KINDS[key].present(area.child, {"local_authority": area.la})) <= {n.split(".")[0] for n in names}
    template = template_for(key)
    assert template.title == DEFAULTS[key][0]


def test_a_young_person_over_compulsory_school_age_is_written_to_themselves(area):
    from sendhub.letters.services import family_addressee

    parent = area.users["parent"]
    assert family_addressee(area.child) == parent.full_name  # a child: the parents with parental responsibility
    area.child.date_of_birth = date(TODAY.year - 17, 1, 1)
    area.child.save()
    assert family_addressee(area.child) == area.child.full_name


def test_one_case_from_request_to_final_plan_has_a_letter_at_every_step(area):
    """The order of docs/communications.md's table: each step's service wrote its letter, and only those."""
    caseworker = area.users["caseworker"]
    assessment = requested(area)
    assessment.request_received_on = TODAY - timedelta(days=60)  # as if received earlier, so the draft's
    assessment.save(update_fields=["request_received_on"])        # 15 days have ended by today
    record_decision(actor=caseworker, assessment=assessment, decision="decision_to_assess", reasons="",
                    decided_on=TODAY - timedelta(days=50))
    record_decision(actor=caseworker, assessment=assessment, decision="decision_to_issue_plan", reasons="",
                    decided_on=TODAY - timedelta(days=20))
    issue(area, assessment, "draft", TODAY - timedelta(days=16))
    issue(area, assessment, "final", TODAY)
    letters = list(Letter.objects.filter(child=area.child).order_by("pk"))
    assert [letter.template_key for letter in letters] == [
        "request-acknowledgement", "decision-to-assess", "draft-plan", "final-plan"]
    assert all(letter.assessment_id == assessment.pk for letter in letters)
    assert [letter.version.kind for letter in letters[2:]] == ["draft", "final"]
