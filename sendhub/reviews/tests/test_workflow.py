"""A review round through the services: schedule, invite, views, meeting, report, decision, amendments."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sendhub.clock.cases import deadline_rows
from sendhub.clock.services import open_review
from sendhub.messaging.models import Notification
from sendhub.messaging.models import Delivery
from sendhub.plans.models import PlanVersion, VersionKind
from sendhub.plans.services import issue_version, save_section, drafts_for
from sendhub.reviews import services
from sendhub.reviews.models import AnnualReview, EarlyReviewRequest, ReviewContribution, ReviewInvitation
from sendhub.testing import factories as f

TODAY = timezone.localdate()


def weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.fixture
def review(area):
    """The area's child (Year 10, so preparing for adulthood applies) with a plan issued 11 months ago."""
    child = area.child
    child.date_of_birth = date(TODAY.year - 15, 3, 1)
    child.save()
    plan = f.EHCPlanFactory(child=child, first_issued_on=TODAY - timedelta(days=330))
    PlanVersion.objects.create(child=child, number=1, kind=VersionKind.FINAL, issued_on=plan.first_issued_on,
                               issued_by=area.users["caseworker"],
                               sections={"E": "- Read a bus timetable on his own\n- Join a club outside school", "F": "TA"})
    f.InvolvementFactory(child=child, professional=area.users["caseworker"], organisation=area.la, role="caseworker")
    return open_review(plan=plan, previous_review_meeting=None, on=plan.first_issued_on)


def test_invitations_need_a_date_at_least_two_weeks_ahead(area, review):
    senco = area.users["senco"]
    with pytest.raises(ValidationError, match="Set the meeting date"):
        services.send_invitations(actor=senco, review=review)
    services.schedule_meeting(actor=senco, review=review, meeting_on=weekday(TODAY + timedelta(days=3)),
                              expected_version=0)
    with pytest.raises(ValidationError, match="at least 2 weeks"):
        services.send_invitations(actor=senco, review=review)
    assert not ReviewInvitation.objects.exists()


def test_meeting_dates_refuse_stale_edits_and_weekends(area, review):
    senco = area.users["senco"]
    saturday = TODAY + timedelta(days=(5 - TODAY.weekday()) % 7 + 14)
    with pytest.raises(ValidationError, match="weekday"):
        services.schedule_meeting(actor=senco, review=review, meeting_on=saturday, expected_version=0)
    services.schedule_meeting(actor=senco, review=review, meeting_on=weekday(TODAY + timedelta(days=20)),
                              expected_version=0)
    with pytest.raises(services.StaleEdit):
        services.schedule_meeting(actor=area.users["caseworker"], review=review,
                                  meeting_on=weekday(TODAY + timedelta(days=30)), expected_version=0)
    review.refresh_from_db()
    assert review.meeting_on == weekday(TODAY + timedelta(days=20)) and review.version == 1


def test_bulk_scheduling_saves_all_or_nothing(area, review):
    other_plan = f.EHCPlanFactory(child=area.other_child, first_issued_on=TODAY - timedelta(days=300))
    other = open_review(plan=other_plan, previous_review_meeting=None, on=other_plan.first_issued_on)
    good = weekday(TODAY + timedelta(days=25))
    with pytest.raises(services.BulkScheduleError) as error:
        services.schedule_meetings(actor=area.users["caseworker"], dates={review.pk: good, other.pk: TODAY - timedelta(days=1)},
                                   reviews=[review, other])
    assert list(error.value.errors) == [other.pk]
    assert AnnualReview.objects.filter(meeting_on__isnull=False).count() == 0
    services.schedule_meetings(actor=area.users["caseworker"], dates={review.pk: good, other.pk: good},
                               reviews=[review, other])
    assert AnnualReview.objects.filter(meeting_on=good).count() == 2


def test_a_review_from_invitation_to_an_amended_plan_that_reaches_every_professional(area, review):
    senco, caseworker, parent, therapist = (area.users[k] for k in ("senco", "caseworker", "parent", "therapist"))
    meeting = weekday(TODAY + timedelta(days=15))
    services.schedule_meeting(actor=senco, review=review, meeting_on=meeting, expected_version=0)
    invitations = services.send_invitations(actor=senco, review=review)
    invited = {i.recipient for i in invitations}
    assert {parent, therapist, caseworker} <= invited
    assert Notification.objects.filter(recipient=therapist, subject__contains="annual review").exists()
    services.respond_to_invitation(actor=parent, invitation=next(i for i in invitations if i.recipient == parent),
                                   attending="yes")
    services.contribute(actor=parent, review=review, kind="family_views", text="He is happier this year.")
    services.contribute(actor=therapist, review=review, kind="advice", text="Keep weekly speech therapy.")
    assert ReviewContribution.objects.filter(review=review).count() == 2

    # The meeting is held (recorded as held today, as schools often hold it early when everyone can come).
    services.record_meeting(actor=senco, review=review, held_on=TODAY)
    report = services.report_for(review)
    assert [row["outcome"] for row in report.outcomes] == ["Read a bus timetable on his own",
                                                           "Join a club outside school"]
    data = {"child_views": "I want to go to college.", "family_views": "Happier.",
            "outcomes": [{"outcome": o["outcome"], "progress": "on_track", "notes": ""} for o in report.outcomes],
            "recommendation": "amend", "recommended_changes": "Section F: add travel training."}
    services.save_report(actor=senco, review=review, data=data, expected_version=0)
    with pytest.raises(ValidationError) as missing:
        services.send_report(actor=senco, review=review)
    assert set(missing.value.message_dict) == {"pfa_employment", "pfa_independent_living", "pfa_community",
                                               "pfa_health", "adult_care_likely"}
    with pytest.raises(services.StaleEdit):
        services.save_report(actor=caseworker, review=review, data=data, expected_version=0)
    data |= {"pfa_employment": "College course in catering", "pfa_independent_living": "Travel training",
             "pfa_community": "Youth club", "pfa_health": "Annual health check from 14", "adult_care_likely": True}
    services.save_report(actor=senco, review=review, data=data, expected_version=1)
    services.send_report(actor=senco, review=review)
    with pytest.raises(ValidationError, match="already been sent"):
        services.save_report(actor=senco, review=review, data=data, expected_version=2)

    letter = services.decide(actor=caseworker, review=review, outcome="amend", reasons="Travel training needed.",
                             decided_on=TODAY)
    assert letter.review == review and "amend the plan" in letter.body_html
    drafts = drafts_for(review)
    save_section(actor=caseworker, case=review, section="F", text="TA and weekly travel training.",
                 expected_version=drafts["F"].version)
    review = AnnualReview.objects.get(pk=review.pk)
    issue_version(actor=caseworker, case=review, kind=VersionKind.PROPOSED, issued_on=TODAY)
    review = AnnualReview.objects.get(pk=review.pk)
    with pytest.raises(ValidationError, match="to comment on the proposed amendments"):
        issue_version(actor=caseworker, case=review, kind=VersionKind.AMENDED, issued_on=TODAY)
    amended = issue_version(actor=caseworker, case=review, kind=VersionKind.AMENDED, issued_on=TODAY,
                            family_agreed_early=True)
    assert set(Delivery.objects.filter(version=amended).values_list("recipient", flat=True)) >= {
        parent.pk, therapist.pk, caseworker.pk}
    review.refresh_from_db()
    assert review.closed_on == TODAY and review.outcome == "amend"
    following = AnnualReview.objects.get(plan=review.plan, closed_on__isnull=True)
    assert following.previous_review_meeting == TODAY
    statuses = {row.deadline.key: row.deadline.status for row in deadline_rows(review)}
    assert statuses["review_report"] == "met" and statuses["la_review_decision"] == "met"


def test_a_cease_decision_writes_a_letter_with_appeal_rights_and_ends_the_plan(area, review):
    services.record_meeting(actor=area.users["senco"], review=review, held_on=TODAY)
    with pytest.raises(ValidationError, match="why the plan is ceasing"):
        services.decide(actor=area.users["caseworker"], review=review, outcome="cease",
                        reasons="Needs are now met by SEN support.", decided_on=TODAY)
    letter = services.decide(actor=area.users["caseworker"], review=review, outcome="cease",
                             reasons="Needs are now met by SEN support.", decided_on=TODAY, cease_reason="2")
    assert "Tribunal" in letter.body_html and "mediation" in letter.body_html
    review.plan.refresh_from_db()
    assert review.plan.status == "ceased" and review.plan.cease_reason == "2"
    with pytest.raises(ValidationError):
        services.decide(actor=area.users["caseworker"], review=review, outcome="maintain", reasons="x",
                        decided_on=TODAY)


def test_early_review_request_is_answered_with_a_date(area, review):
    parent, caseworker = area.users["parent"], area.users["caseworker"]
    with pytest.raises(ValidationError):
        services.request_early_review(actor=parent, plan=review.plan, reason="  ")
    asked = services.request_early_review(actor=parent, plan=review.plan, reason="Not reviewed properly in two years")
    with pytest.raises(ValidationError, match="already asked"):
        services.request_early_review(actor=parent, plan=review.plan, reason="Again")
    assert Notification.objects.filter(recipient=caseworker, subject__contains="early").exists()
    with pytest.raises(ValidationError) as error:
        services.answer_early_review(actor=caseworker, early_request=asked, agree=True, review_by=None, answer="")
    assert set(error.value.message_dict) == {"review_by", "answer"}
    services.answer_early_review(actor=caseworker, early_request=asked, agree=True,
                                 review_by=TODAY + timedelta(days=28), answer="We will review it early.")
    asked.refresh_from_db()
    assert asked.status == "agreed" and asked.review_by == TODAY + timedelta(days=28)
    assert Notification.objects.filter(recipient=parent, subject="Your request for an early review").exists()
    with pytest.raises(ValidationError, match="already answered"):
        services.answer_early_review(actor=caseworker, early_request=asked, agree=False, review_by=None, answer="No")
    assert EarlyReviewRequest.objects.count() == 1


def test_transition_referral_involves_the_adult_team(area, review):
    from sendhub.organisations.models import Team
    from sendhub.people.selectors import children_visible_to
    from sendhub.plans.services import recipients_of

    adult_team = Team.objects.create(organisation=area.users["social_worker"].organisation,
                                     name="Adult specialist pathway team")
    worker = f.UserFactory(role="social_care", organisation=adult_team.organisation)
    worker.teams.add(adult_team)
    assert not children_visible_to(worker).filter(pk=area.child.pk).exists()
    referral = services.refer_for_transition(actor=area.users["caseworker"], child=area.child, team=adult_team,
                                             referred_on=TODAY, note="Likely to need support to live independently")
    assert children_visible_to(worker).filter(pk=area.child.pk).exists()
    assert worker in [person for person, _ in recipients_of(area.child)]
    services.update_transition(actor=worker, referral=referral, status="acknowledged", on=TODAY)
    with pytest.raises(ValidationError, match="in progress"):
        services.refer_for_transition(actor=area.users["caseworker"], child=area.child, team=adult_team,
                                      referred_on=TODAY)
    assert [u.status for u in referral.updates.all()] == ["referred", "acknowledged"]


def test_weights_are_saved_whole_and_refuse_stale_edits(area):
    from sendhub.reviews import priority

    manager = area.users["team_manager"]
    values = {name: getattr(priority.Weights(), name) for name in priority.WEIGHT_NAMES} | {"family_request": 80}
    services.save_weights(actor=manager, local_authority=area.la, values=values, expected_version=0)
    assert services.weights_for(area.la) == (priority.Weights(family_request=80), 1)
    with pytest.raises(services.StaleEdit):
        services.save_weights(actor=manager, local_authority=area.la, values=values, expected_version=0)
    with pytest.raises(ValidationError):
        services.save_weights(actor=manager, local_authority=area.la, values=values | {"stale_after_days": 0},
                              expected_version=1)
    assert services.weights_for(area.la)[0].family_request == 80


def test_the_daily_job_reminds_the_senco_to_set_the_date_then_to_invite(area, review):
    from sendhub.clock.models import Reminder
    from sendhub.clock.reminders import raise_reminders

    senco = area.users["senco"]
    raise_reminders(as_of=TODAY, within_days=10)  # the review is due in about 5 weeks and has no date
    assert Reminder.objects.filter(recipient=senco, review=review, deadline_key="school:schedule").count() == 1
    meeting = weekday(TODAY + timedelta(days=20))
    services.schedule_meeting(actor=senco, review=review, meeting_on=meeting, expected_version=0)
    raise_reminders(as_of=TODAY, within_days=10)
    invite = Reminder.objects.get(recipient=senco, review=review, deadline_key="school:invite")
    assert invite.due == meeting - timedelta(days=14) and "Send the invitations" in invite.message
    assert Notification.objects.filter(recipient=senco, link=f"/reviews/{review.pk}/annual-review/").exists()
    services.send_invitations(actor=senco, review=review)
    raise_reminders(as_of=TODAY + timedelta(days=1), within_days=10)
    assert Reminder.objects.filter(recipient=senco, review=review, deadline_key="school:invite").count() == 1
