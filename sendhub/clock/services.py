"""Recording what happened on a case. Deadlines are never stored: they are recomputed from events."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sendhub.assessments.models import AssessmentOutcome, EHCNeedsAssessment
from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change
from sendhub.core.schoolyear import next_phase_transfer
from sendhub.plans.models import EHCPlan, PlanStatus
from sendhub.reviews.models import AnnualReview, ReviewOutcome

from . import timescales as clock
from .cases import clock_case
from .models import EventType, StatutoryEvent


def _child_of(case):
    return case.child if isinstance(case, EHCNeedsAssessment) else case.plan.child


def record_event(
    *, actor, case, type: str, date: date, source: str = "", outcome: str = "", family_agreed_early: bool = False,
    exception_reason: str = "", exception_to: date | None = None, note: str = "", request=None,
    today: date | None = None,
) -> StatutoryEvent:
    """Add one event to an assessment or review round, refusing anything the clock cannot place."""
    today = today or timezone.localdate()
    errors = {}
    if date is None:
        errors["date"] = "Enter the date it happened"
    elif date > today:
        errors["date"] = "The date must be today or in the past"
    if type == EventType.EXCEPTION and exception_to is None:
        errors["exception_to"] = "Enter the last day the exception covered"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = type_of(case).objects.select_for_update().select_related(*related_of(case)).get(pk=case.pk)
        if (isinstance(locked, EHCNeedsAssessment) and locked.outcome != AssessmentOutcome.OPEN) or (
                isinstance(locked, AnnualReview) and locked.closed_on is not None):
            raise ValidationError("This case is closed: nothing more can be recorded on it")
        event = StatutoryEvent(
            assessment=locked if isinstance(locked, EHCNeedsAssessment) else None,
            review=locked if isinstance(locked, AnnualReview) else None,
            type=type, date=date, source=source, outcome=outcome, family_agreed_early=family_agreed_early,
            exception_reason=exception_reason, exception_to=exception_to, note=note, recorded_by=actor,
        )
        try:
            clock.validate_case(clock_case(locked, extra=[event.as_clock_event()]))
        except clock.ClockInputError as error:
            raise ValidationError(_plain(str(error))) from error
        event.save()
        child = _child_of(locked)
        record_change(actor=actor, action=AuditAction.CREATE, obj=event, child=child,
                      after={"type": type, "date": date.isoformat(), "source": source, "outcome": outcome},
                      summary=f"Recorded: {event.get_type_display().lower()}", request=request)
        _follow_on(actor=actor, case=locked, event=event, request=request)
        return event


def record_what_happened(*, actor, case, type: str, request=None, **details) -> StatutoryEvent:
    """The case page's generic "Record what happened": any event except a statutory decision or an issued
    plan, which are recorded only through their own service so the family's letter is always written
    (issue 14). Refused with the page to use instead."""
    from .rules import OWN_ROUTE

    if type in OWN_ROUTE:
        label = dict(EventType.choices).get(type, type)
        raise ValidationError({"type": f"“{label}” cannot be recorded here, because the family must get its "
                                       f"letter. Record it on {OWN_ROUTE[type]}."})
    return record_event(actor=actor, case=case, type=type, request=request, **details)


def type_of(case):
    return EHCNeedsAssessment if isinstance(case, EHCNeedsAssessment) else AnnualReview


def related_of(case) -> list[str]:
    return ["child"] if isinstance(case, EHCNeedsAssessment) else ["plan__child"]


def _plain(message: str) -> str:
    """The clock's messages name cases by id and events by code; a caseworker needs the reason in words."""
    if message.startswith("case ") and ": " in message:
        message = message.split(": ", 1)[1]
    for value, label in sorted(EventType.choices, key=lambda choice: -len(choice[0])):
        message = message.replace(value, label.lower())
    message = message.replace("request_received", "the request").replace("_", " ")
    return message[:1].upper() + message[1:]


def _follow_on(*, actor, case, event: StatutoryEvent, request) -> None:
    """Decisions close a case; a final plan starts the plan's first review round."""
    if isinstance(case, EHCNeedsAssessment):
        closing = {
            EventType.DECISION_NOT_TO_ASSESS: AssessmentOutcome.NOT_ASSESSED,
            EventType.DECISION_NOT_TO_ISSUE_PLAN: AssessmentOutcome.NO_PLAN,
            EventType.FINAL_PLAN_ISSUED: AssessmentOutcome.PLAN_ISSUED,
        }.get(event.type)
        if closing:
            case.outcome, case.closed_on = closing, event.date
            case.save(update_fields=["outcome", "closed_on"])
        if event.type == EventType.FINAL_PLAN_ISSUED and not case.child.plans.filter(status=PlanStatus.ACTIVE).exists():
            plan = EHCPlan.objects.create(child=case.child, first_issued_on=event.date)
            open_review(plan=plan, previous_review_meeting=None, on=event.date)
            record_change(actor=actor, action=AuditAction.CREATE, obj=plan, child=case.child,
                          after={"first_issued_on": event.date.isoformat()}, summary="EHC plan issued",
                          request=request)
        return
    if event.type == EventType.LA_DECISION and event.outcome in {ReviewOutcome.MAINTAIN, ReviewOutcome.CEASE}:
        _close_review(case, event, event.outcome)
    elif event.type == EventType.AMENDED_PLAN_ISSUED:
        _close_review(case, event, ReviewOutcome.AMEND)


def _close_review(review: AnnualReview, event: StatutoryEvent, outcome: str) -> None:
    review.outcome, review.closed_on = outcome, event.date
    review.save(update_fields=["outcome", "closed_on"])
    plan = review.plan
    if outcome == ReviewOutcome.CEASE:
        plan.status, plan.ceased_on = PlanStatus.CEASED, event.date
        plan.save(update_fields=["status", "ceased_on"])
        return
    meeting = review.events.filter(type=EventType.REVIEW_MEETING).order_by("date").values_list("date", flat=True).first()
    open_review(plan=plan, previous_review_meeting=meeting, on=event.date)


def open_review(*, plan: EHCPlan, previous_review_meeting: date | None, on: date) -> AnnualReview:
    """The next round starts from the last meeting, with the phase transfer it must prepare for."""
    transfer = next_phase_transfer(plan.child.date_of_birth, on)
    return AnnualReview.objects.create(
        plan=plan, previous_review_meeting=previous_review_meeting,
        phase_transfer_on=transfer[0] if transfer else None, phase_transfer_to=transfer[1] if transfer else "",
    )
