"""Every change in an annual review: scheduling, invitations, views, the report, the council's decision,
early review requests, placement concerns, the priority weights and Care Act transition referrals.

Statutory steps (meeting held, report sent, decision) are recorded through the clock's `record_event`,
so the deadlines everyone sees are recomputed from them and nothing else.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change
from sendhub.messaging import moments
from sendhub.plans.models import EHCPlan

from . import priority
from .models import (
    AnnualReview, ContributionKind, EarlyReviewRequest, PlacementConcern, PriorityWeights, Progress,
    RequestStatus, ReviewContribution, ReviewInvitation, ReviewOutcome, ReviewReport, TransitionReferral,
    TransitionStatus, TransitionUpdate,
)

INVITE_NOTICE_DAYS = 14  # SEND Regs 2014 reg 20(4): at least two weeks' notice of the meeting
PFA_FROM_YEAR = 9  # CoP 9.166: reviews from Year 9 must include preparing for adulthood
CARE_ACT_FROM_AGE = 14  # CoP 8.59: transition assessments for adult care from 14 where likely needed


class StaleEdit(Exception):
    """Someone else changed this after it was opened."""


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _locked_open_review(review: AnnualReview) -> AnnualReview:
    locked = AnnualReview.objects.select_for_update().select_related("plan__child").get(pk=review.pk)
    if locked.closed_on is not None:
        raise ValidationError("This review has finished: start from the plan's current review")
    return locked


# -- Scheduling -------------------------------------------------------------------------------------

def _check_meeting_date(review: AnnualReview, meeting_on: date | None, today: date) -> None:
    if meeting_on is None:
        raise ValidationError({"meeting_on": "Enter the date of the meeting"})
    if meeting_on < today:
        raise ValidationError({"meeting_on": "The meeting date must be today or later"})
    if meeting_on.weekday() >= 5:
        raise ValidationError({"meeting_on": "Choose a weekday for the meeting"})
    if meeting_on > today + timedelta(days=366):
        raise ValidationError({"meeting_on": "The meeting must be within the next year"})
    if review.events.filter(type="review_meeting").exists():
        raise ValidationError("The meeting has already been held")


def schedule_meeting(*, actor, review: AnnualReview, meeting_on: date | None, expected_version: int,
                     request=None, today: date | None = None) -> AnnualReview:
    """Set or move the meeting date. A move after invitations were sent needs new invitations."""
    today = _today(today)
    with transaction.atomic():
        locked = _locked_open_review(review)
        if locked.version != expected_version:
            raise StaleEdit("Someone else changed this review's meeting date after you opened it. "
                            f"It is now {locked.meeting_on:%-d %B %Y}." if locked.meeting_on else
                            "Someone else changed this review's meeting date after you opened it.")
        _check_meeting_date(locked, meeting_on, today)
        before = locked.meeting_on
        AnnualReview.objects.filter(pk=locked.pk).update(meeting_on=meeting_on, version=F("version") + 1)
        locked.refresh_from_db()
        record_change(actor=actor, action=AuditAction.UPDATE, obj=locked, child=locked.plan.child,
                      before={"meeting_on": before.isoformat() if before else None},
                      after={"meeting_on": meeting_on.isoformat()},
                      summary=f"Set the review meeting for {meeting_on:%-d %B %Y}", request=request)
        return locked


def schedule_meetings(*, actor, dates: dict[int, date | None], reviews: list[AnnualReview], request=None,
                      today: date | None = None) -> list[AnnualReview]:
    """A term's meetings in one go: all are saved, or none and every row's problem is returned."""
    today = _today(today)
    by_id = {review.pk: review for review in reviews}
    errors: dict[int, str] = {}
    for review_id, meeting_on in dates.items():
        if review_id not in by_id:
            errors[review_id] = "This review is not one of yours"
            continue
        try:
            _check_meeting_date(by_id[review_id], meeting_on, today)
        except ValidationError as error:
            errors[review_id] = error.messages[0]
    if errors:
        raise BulkScheduleError(errors)
    saved = []
    with transaction.atomic():
        for review_id, meeting_on in dates.items():
            review = by_id[review_id]
            saved.append(schedule_meeting(actor=actor, review=review, meeting_on=meeting_on,
                                          expected_version=review.version, request=request, today=today))
    return saved


class BulkScheduleError(Exception):
    def __init__(self, errors: dict[int, str]):
        super().__init__(f"{len(errors)} meeting dates need changing")
        self.errors = errors


# -- Invitations and contributions -----------------------------------------------------------------

def invitees(child) -> list[tuple[object, str]]:
    """Everyone reg 20(2) says must be invited: the family, the young person, the council's caseworker
    and every involved professional. The same people who receive every plan version."""
    from sendhub.plans.services import recipients_of

    return recipients_of(child)


def send_invitations(*, actor, review: AnnualReview, request=None, today: date | None = None) -> list[ReviewInvitation]:
    """Invite everyone at least two weeks ahead and ask for their advice, information and views; the family's
    invitation letter is written with the first invitations for each meeting date."""
    from sendhub.letters.services import review_invitation

    today = _today(today)
    with transaction.atomic():
        locked = _locked_open_review(review)
        meeting_on = locked.meeting_on
        if meeting_on is None:
            raise ValidationError("Set the meeting date before sending the invitations")
        if (meeting_on - today).days < INVITE_NOTICE_DAYS:
            raise ValidationError(
                f"Invitations must go at least 2 weeks before the meeting. The meeting is on "
                f"{meeting_on:%-d %B %Y}: move it to {today + timedelta(days=INVITE_NOTICE_DAYS):%-d %B %Y} or later.")
        child = locked.plan.child
        already = set(ReviewInvitation.objects.filter(review=locked, meeting_on=meeting_on)
                      .values_list("recipient_id", flat=True))
        people = [(person, why) for person, why in invitees(child) if person.pk not in already and person != actor]
        if not people:
            raise ValidationError("Everyone has already been invited to this meeting")
        invitations = ReviewInvitation.objects.bulk_create([
            ReviewInvitation(review=locked, recipient=person, why=why, meeting_on=meeting_on, sent_by=actor)
            for person, why in people])
        if not already:  # the first invitations for this meeting date: the family's letter, written once
            review_invitation(review=locked, actor=actor)
        moments.review_invited(review=locked, people=[person for person, _ in people], actor=actor)
        record_change(actor=actor, action=AuditAction.CREATE, obj=locked, child=child,
                      after={"invited": len(invitations), "meeting_on": meeting_on.isoformat()},
                      summary=f"Sent {len(invitations)} invitations to the review meeting", request=request)
        return invitations


def respond_to_invitation(*, actor, invitation: ReviewInvitation, attending: str, request=None) -> ReviewInvitation:
    if invitation.recipient_id != actor.pk:
        raise ValidationError("Only the person invited can answer this invitation")
    if attending not in {"yes", "no"}:
        raise ValidationError({"attending": "Select whether you can come"})
    with transaction.atomic():
        ReviewInvitation.objects.filter(pk=invitation.pk).update(attending=attending, responded_at=timezone.now())
        invitation.refresh_from_db()
        record_change(actor=actor, action=AuditAction.UPDATE, obj=invitation, child=invitation.review.plan.child,
                      after={"attending": attending}, summary="Answered the review invitation", request=request)
        moments.invitation_answered(invitation=invitation, actor=actor)
        return invitation


def contribute(*, actor, review: AnnualReview, kind: str, text: str, request=None) -> ReviewContribution:
    if kind not in ContributionKind.values:
        raise ValidationError({"kind": "Select what you are sending"})
    if not (text or "").strip():
        raise ValidationError({"text": "Enter your views or advice"})
    with transaction.atomic():
        locked = _locked_open_review(review)
        if locked.events.filter(type="review_report_sent").exists():
            raise ValidationError("The review report has been sent: contact the caseworker to add anything now")
        contribution = ReviewContribution.objects.create(review=locked, kind=kind, text=text.strip(), author=actor)
        record_change(actor=actor, action=AuditAction.CREATE, obj=contribution, child=locked.plan.child,
                      summary=f"Sent {contribution.get_kind_display().lower()} for the review", request=request)
        return contribution


# -- The meeting and its report ---------------------------------------------------------------------

def record_meeting(*, actor, review: AnnualReview, held_on: date | None, request=None):
    from sendhub.clock.services import record_event

    return record_event(actor=actor, case=review, type="review_meeting", date=held_on, request=request)


def outcomes_in(section_e: str) -> list[str]:
    """The outcomes in a plan's section E: one per paragraph or bullet line."""
    lines = [line.strip().lstrip("-*\u2022 ").strip() for line in (section_e or "").splitlines()]
    return [line for line in lines if line]


def plan_outcomes(review: AnnualReview) -> list[str]:
    """The outcomes of the plan as last issued."""
    from sendhub.plans.services import latest_version

    version = latest_version(review.plan.child)
    return outcomes_in(version.sections.get("E", "") if version else "")


def needs_pfa(review: AnnualReview, on: date | None = None) -> bool:
    return review.plan.child.year_group(on) >= PFA_FROM_YEAR


def asks_about_adult_care(review: AnnualReview, on: date | None = None) -> bool:
    return review.plan.child.age(on) >= CARE_ACT_FROM_AGE


def report_for(review: AnnualReview) -> ReviewReport:
    report, _ = ReviewReport.objects.get_or_create(
        review=review, defaults={"outcomes": [{"outcome": o, "progress": "", "notes": ""} for o in plan_outcomes(review)]})
    return report


REPORT_TEXT_FIELDS = ["attendees", "child_views", "family_views", "recommended_changes", *ReviewReport.PFA_FIELDS]


def save_report(*, actor, review: AnnualReview, data: dict, expected_version: int, request=None) -> ReviewReport:
    """Save the report as a draft. Two people editing it at once cannot overwrite each other."""
    report_for(review)
    changes = {name: (data.get(name) or "").strip() for name in REPORT_TEXT_FIELDS}
    changes["recommendation"] = data.get("recommendation") or ""
    if changes["recommendation"] and changes["recommendation"] not in ReviewOutcome.values:
        raise ValidationError({"recommendation": "Select what the meeting recommends"})
    changes["adult_care_likely"] = data.get("adult_care_likely")
    outcomes = data.get("outcomes") or []
    for row in outcomes:
        if row.get("progress") and row["progress"] not in Progress.values:
            raise ValidationError({"outcomes": "Select the progress made for each outcome"})
    changes["outcomes"] = [{"outcome": r["outcome"], "progress": r.get("progress", ""),
                            "notes": (r.get("notes") or "").strip()} for r in outcomes]
    with transaction.atomic():
        _locked_open_review(review)
        updated = ReviewReport.objects.filter(review=review, version=expected_version, sent_on__isnull=True).update(
            **changes, version=F("version") + 1, updated_by=actor, updated_at=timezone.now())
        report = ReviewReport.objects.get(review=review)
        if not updated:
            if report.sent_on:
                raise ValidationError("The report has already been sent and cannot be changed")
            raise StaleEdit("Someone else saved this report after you opened it. Your changes have not been saved: "
                            "they are shown below so you can copy them into the report as it is now.")
        record_change(actor=actor, action=AuditAction.UPDATE, obj=report, child=review.plan.child,
                      summary="Saved the annual review report", request=request)
        return report


def report_problems(review: AnnualReview, report: ReviewReport) -> dict[str, str]:
    """What must be in the report before it is sent, as field: message."""
    problems = {}
    if not review.events.filter(type="review_meeting").exists():
        problems["__all__"] = "Record the date the meeting was held before sending the report"
    if not report.child_views:
        problems["child_views"] = "Record the child's or young person's views (CoP 9.168)"
    if not report.family_views:
        problems["family_views"] = "Record the family's views"
    if any(not row.get("progress") for row in report.outcomes):
        problems["outcomes"] = "Record the progress made against every outcome"
    if not report.recommendation:
        problems["recommendation"] = "Select what the meeting recommends"
    if report.recommendation == ReviewOutcome.AMEND and not report.recommended_changes:
        problems["recommended_changes"] = "Describe the changes the meeting recommends"
    if needs_pfa(review):
        for name in ReviewReport.PFA_FIELDS:
            if not getattr(report, name):
                label = ReviewReport._meta.get_field(name).verbose_name
                problems[name] = f"From Year 9 the review must cover preparing for adulthood: {label.lower()}"
    if asks_about_adult_care(review) and report.adult_care_likely is None:
        problems["adult_care_likely"] = "Say whether the young person is likely to need adult care and support"
    return problems


def send_report(*, actor, review: AnnualReview, sent_on: date | None = None, request=None) -> ReviewReport:
    """Send the report to the council and everyone invited (reg 20(8)); it cannot change afterwards."""
    from sendhub.clock.services import record_event

    sent_on = sent_on or timezone.localdate()
    with transaction.atomic():
        locked = _locked_open_review(review)
        report = ReviewReport.objects.select_for_update().get(review=locked)
        if report.sent_on:
            raise ValidationError("The report has already been sent")
        problems = report_problems(locked, report)
        if problems:
            raise ValidationError(problems)
        record_event(actor=actor, case=locked, type="review_report_sent", date=sent_on, request=request)
        ReviewReport.objects.filter(pk=report.pk).update(sent_on=sent_on)
        report.refresh_from_db()
        moments.review_report_sent(review=locked, actor=actor)
        return report


# -- The council's decision ---------------------------------------------------------------------------

LETTER_FOR_OUTCOME = {ReviewOutcome.MAINTAIN: "review-maintain", ReviewOutcome.AMEND: "review-amend",
                      ReviewOutcome.CEASE: "review-cease"}


def decide(*, actor, review: AnnualReview, outcome: str, reasons: str, decided_on: date | None, request=None,
           cease_reason: str = ""):
    """Record the decision (reg 20(10)) and write the family's letter, with appeal rights where they apply.

    Ceasing a plan needs its reason from the SEN2 code set (1 to 9), which the statutory return reports."""
    from sendhub.clock.services import record_event
    from sendhub.letters.services import appeal_dates, family_addressee, write_letter
    from sendhub.sen2.spec import CEASE_REASONS

    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": "Select the decision"})
    if not (reasons or "").strip():
        raise ValidationError({"reasons": "Give the reasons: the family will read them in the letter"})
    if outcome == ReviewOutcome.CEASE and cease_reason not in CEASE_REASONS:
        raise ValidationError({"cease_reason": "Select why the plan is ceasing"})
    with transaction.atomic():
        locked = _locked_open_review(review)
        if locked.events.filter(type="la_decision").exists():
            raise ValidationError("The council's decision on this review has already been recorded")
        record_event(actor=actor, case=locked, type="la_decision", date=decided_on, outcome=outcome,
                     note=reasons.strip(), request=request)
        if outcome == ReviewOutcome.CEASE:
            EHCPlan.objects.filter(pk=locked.plan_id).update(cease_reason=cease_reason)
        child = locked.plan.child
        today = timezone.localdate()
        meeting = locked.events.filter(type="review_meeting").order_by("date").first()
        letter = write_letter(key=LETTER_FOR_OUTCOME[outcome], child=child, actor=actor, review=locked, context={
            "requester_name": family_addressee(child),
            "decision_date": decided_on, "letter_date": today, "reasons": reasons.strip(),
            "local_authority": child.local_authority, "meeting_date": meeting.date if meeting else None,
            **appeal_dates(today),
        })
        moments.review_decided(review=locked, outcome=outcome, actor=actor, letter=letter)
        return letter


# -- Early review requests -------------------------------------------------------------------------------

def request_early_review(*, actor, plan, reason: str, request=None) -> EarlyReviewRequest:
    if not (reason or "").strip():
        raise ValidationError({"reason": "Tell us why you would like an early review"})
    if plan.status != "active":
        raise ValidationError("This plan has ended: it cannot be reviewed")
    with transaction.atomic():
        try:
            with transaction.atomic():
                asked = EarlyReviewRequest.objects.create(plan=plan, requested_by=actor, reason=reason.strip())
        except IntegrityError as error:
            raise ValidationError("You have already asked for an early review and it is waiting for an answer") from error
        record_change(actor=actor, action=AuditAction.CREATE, obj=asked, child=plan.child,
                      summary="Asked for an early review of the plan", request=request)
        moments.early_review_requested(asked=asked, actor=actor)
        return asked


def answer_early_review(*, actor, early_request: EarlyReviewRequest, agree: bool | None, review_by: date | None,
                        answer: str, request=None, today: date | None = None) -> EarlyReviewRequest:
    """Agree with a date by which the meeting will be held, or refuse with the reasons."""
    today = _today(today)
    errors = {}
    if agree is None:
        errors["agree"] = "Select whether the council agrees to an early review"
    if agree and (review_by is None or review_by < today):
        errors["review_by"] = "Enter a date from today by which the review meeting will be held"
    if not (answer or "").strip():
        errors["answer"] = "Write the answer the family will read"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = EarlyReviewRequest.objects.select_for_update().select_related("plan__child").get(pk=early_request.pk)
        if locked.status != RequestStatus.OPEN:
            raise ValidationError(f"This request was already answered on {locked.decided_at:%-d %B %Y}")
        locked.status = RequestStatus.AGREED if agree else RequestStatus.REFUSED
        locked.review_by = review_by if agree else None
        locked.answer, locked.decided_by, locked.decided_at = answer.strip(), actor, timezone.now()
        locked.save(update_fields=["status", "review_by", "answer", "decided_by", "decided_at"])
        child = locked.plan.child
        record_change(actor=actor, action=AuditAction.UPDATE, obj=locked, child=child,
                      after={"status": locked.status, "review_by": review_by.isoformat() if review_by and agree else None},
                      summary=f"Answered the request for an early review: {locked.get_status_display().lower()}",
                      request=request)
        review = AnnualReview.objects.filter(plan=locked.plan, closed_on__isnull=True).first()
        moments.early_review_answered(asked=locked, actor=actor, review=review)
        return locked


# -- Placement concerns ------------------------------------------------------------------------------------

def raise_placement_concern(*, actor, plan, note: str, request=None) -> PlacementConcern:
    if not (note or "").strip():
        raise ValidationError({"note": "Say why the placement is at risk"})
    with transaction.atomic():
        concern = PlacementConcern.objects.create(plan=plan, note=note.strip(), raised_by=actor)
        record_change(actor=actor, action=AuditAction.CREATE, obj=concern, child=plan.child,
                      summary="Said the placement is at risk", request=request)
        return concern


def resolve_placement_concern(*, actor, concern: PlacementConcern, resolution: str, request=None) -> PlacementConcern:
    if not (resolution or "").strip():
        raise ValidationError({"resolution": "Say how the risk was resolved"})
    with transaction.atomic():
        updated = PlacementConcern.objects.filter(pk=concern.pk, resolved_at__isnull=True).update(
            resolution=resolution.strip(), resolved_by=actor, resolved_at=timezone.now())
        if not updated:
            raise ValidationError("This concern has already been resolved")
        concern.refresh_from_db()
        record_change(actor=actor, action=AuditAction.UPDATE, obj=concern, child=concern.plan.child,
                      summary="Resolved the placement concern", request=request)
        return concern


# -- Priority weights ---------------------------------------------------------------------------------------

def weights_for(local_authority) -> tuple[priority.Weights, int]:
    """The council's weights (and their version), or the defaults."""
    saved = PriorityWeights.objects.filter(local_authority=local_authority).first() if local_authority else None
    if saved is None:
        return priority.Weights(), 0
    known = {name: value for name, value in saved.values.items() if name in priority.WEIGHT_NAMES}
    return priority.Weights(**known), saved.version


def save_weights(*, actor, local_authority, values: dict[str, int], expected_version: int,
                 request=None) -> priority.Weights:
    try:
        weights = priority.Weights(**{name: values[name] for name in priority.WEIGHT_NAMES})
    except KeyError as missing:
        raise ValidationError({str(missing.args[0]): "Enter a whole number"}) from None
    except ValueError as error:
        name = str(error).split(" ", 1)[0]
        raise ValidationError({name if name in priority.WEIGHT_NAMES else "__all__": str(error)}) from None
    with transaction.atomic():
        saved, _ = PriorityWeights.objects.select_for_update().get_or_create(
            local_authority=local_authority, defaults={"values": {}})
        if saved.version != expected_version:
            raise StaleEdit("Someone else changed the weights after you opened this page. Nothing has been saved.")
        before = dict(saved.values)
        saved.values = {name: getattr(weights, name) for name in priority.WEIGHT_NAMES}
        saved.version += 1
        saved.updated_by, saved.updated_at = actor, timezone.now()
        saved.save()
        record_change(actor=actor, action=AuditAction.UPDATE, obj=saved, before=before, after=saved.values,
                      summary="Changed the review priority weights", request=request)
        return weights


# -- Care Act transition referrals -------------------------------------------------------------------------

def refer_for_transition(*, actor, child, team, referred_on: date | None, note: str = "", review=None,
                         request=None) -> TransitionReferral:
    """Refer to the adult specialist pathway team; the team becomes involved and receives the plan."""
    from sendhub.people.models import Involvement, InvolvementRole
    from sendhub.people.services import add_involvement

    if team is None:
        raise ValidationError({"team": "Select the adult team"})
    if referred_on is None or referred_on > timezone.localdate():
        raise ValidationError({"referred_on": "Enter the date of the referral: today or earlier"})
    with transaction.atomic():
        try:
            with transaction.atomic():
                referral = TransitionReferral.objects.create(child=child, review=review, team=team,
                                                             referred_on=referred_on, referred_by=actor,
                                                             note=(note or "").strip())
        except IntegrityError as error:
            raise ValidationError("This young person already has a transition referral in progress") from error
        TransitionUpdate.objects.create(referral=referral, status=TransitionStatus.REFERRED, on=referred_on,
                                        note=referral.note, recorded_by=actor)
        if not Involvement.objects.active().filter(child=child, team=team).exists():
            add_involvement(actor=actor, child=child, team=team, organisation=team.organisation,
                            role=InvolvementRole.ADULT_SERVICES, started_on=referred_on, request=request)  # audited
        record_change(actor=actor, action=AuditAction.CREATE, obj=referral, child=child,
                      summary=f"Referred to {team.name} for a Care Act transition assessment", request=request)
        return referral


def update_transition(*, actor, referral: TransitionReferral, status: str, on: date | None, note: str = "",
                      request=None) -> TransitionReferral:
    if status not in TransitionStatus.values or status == TransitionStatus.REFERRED:
        raise ValidationError({"status": "Select what has happened"})
    if on is None or on > timezone.localdate():
        raise ValidationError({"on": "Enter the date it happened: today or earlier"})
    with transaction.atomic():
        locked = TransitionReferral.objects.select_for_update().get(pk=referral.pk)
        if locked.status == TransitionStatus.CLOSED:
            raise ValidationError("This referral is closed")
        if on < locked.referred_on:
            raise ValidationError({"on": "The date cannot be before the referral"})
        TransitionUpdate.objects.create(referral=locked, status=status, on=on, note=(note or "").strip(),
                                        recorded_by=actor)
        locked.status = status
        locked.save(update_fields=["status"])
        record_change(actor=actor, action=AuditAction.UPDATE, obj=locked, child=locked.child,
                      after={"status": status}, summary=f"Transition referral: {locked.get_status_display().lower()}",
                      request=request)
        return locked
