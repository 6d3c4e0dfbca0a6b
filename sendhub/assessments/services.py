"""Requests for an EHC needs assessment: the start of the statutory clock."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sendhub.accounts.models import Role
from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change
from sendhub.core.uploads import check_files
from sendhub.messaging import moments
from sendhub.plans.models import PlanStatus

from .models import AssessmentOutcome, EHCNeedsAssessment, EvidenceDocument, Requester

REQUESTER_FOR_ROLE = {
    Role.FAMILY: Requester.PARENT,
    Role.YOUNG_PERSON: Requester.YOUNG_PERSON,
    Role.SENCO: Requester.SCHOOL,
    Role.HEALTH_PROFESSIONAL: Requester.PROFESSIONAL,
    Role.SOCIAL_CARE: Requester.PROFESSIONAL,
}
# Schools and professionals send the evidence of what has been tried (SEND Code of Practice 9.14).
EVIDENCE_REQUIRED = {Requester.SCHOOL, Requester.PROFESSIONAL}


def request_assessment(*, actor, child, needs: str, support_so_far: str, views: str, files=(),
                       requested_by: str | None = None, family_told: bool = False,
                       request=None) -> EHCNeedsAssessment:
    """Record a request and write the family's acknowledgement; the clock starts on the day it is received,
    which is today."""
    from sendhub.letters.services import acknowledgement

    requested_by = requested_by or REQUESTER_FOR_ROLE.get(actor.role)
    errors: dict[str, list[str]] = {}
    if requested_by not in Requester.values:
        errors["requested_by"] = ["Select who is asking for the assessment"]
    if not (needs or "").strip():
        errors["needs"] = ["Describe the child's needs"]
    if requested_by in EVIDENCE_REQUIRED and not (support_so_far or "").strip():
        errors["support_so_far"] = ["Describe the support already given and what difference it made"]
    if requested_by in EVIDENCE_REQUIRED and not files:
        errors["evidence"] = ["Attach at least one document showing the support given, such as a SEN support plan"]
    if requested_by in EVIDENCE_REQUIRED and not family_told and REQUESTER_FOR_ROLE.get(actor.role) == requested_by:
        errors["told_family"] = ["Confirm that you have told the child's parents or carers"]
    if errors:
        raise ValidationError(errors)
    checked = check_files(files, field="evidence")
    with transaction.atomic():
        if EHCNeedsAssessment.objects.select_for_update().filter(child=child, outcome=AssessmentOutcome.OPEN).exists():
            raise ValidationError("An assessment is already in progress for this child: follow it on the child's page")
        if child.plans.filter(status=PlanStatus.ACTIVE).exists():
            raise ValidationError("This child already has an EHC plan: ask for an early review of the plan instead")
        assessment = EHCNeedsAssessment.objects.create(
            child=child, request_received_on=timezone.localdate(), requested_by=requested_by,
            requested_by_user=actor, needs=needs.strip(), support_so_far=support_so_far.strip(), views=views.strip())
        for upload in checked:
            EvidenceDocument.objects.create(assessment=assessment, file=upload.file, original_name=upload.name[:255],
                                            content_type=upload.content_type, size=upload.size, uploaded_by=actor)
        record_change(actor=actor, action=AuditAction.CREATE, obj=assessment, child=child,
                      after={"requested_by": requested_by, "evidence": [u.name for u in checked]},
                      summary="Requested an EHC needs assessment", request=request)
        acknowledgement(assessment=assessment, actor=actor)  # the family's letter: the decision is due in 6 weeks
        moments.request_received(assessment=assessment, actor=actor)
        return assessment


# The decisions an assessment waits for, and whether the caseworker must give reasons (a refusal's letter
# gives them to the family, with the right to appeal).
DECISIONS = {
    "decision_to_assess": False,
    "decision_not_to_assess": True,
    "decision_to_issue_plan": False,
    "decision_not_to_issue_plan": True,
}


def decisions_open(assessment) -> list[str]:
    """Which decision the assessment is waiting for: whether to assess, then whether to issue a plan."""
    if assessment.outcome != AssessmentOutcome.OPEN:
        return []
    made = {event.type for event in assessment.events.all()}
    if not made & {"decision_to_assess", "decision_not_to_assess"}:
        return ["decision_to_assess", "decision_not_to_assess"]
    if "decision_to_assess" in made and not made & {"decision_to_issue_plan", "decision_not_to_issue_plan"}:
        return ["decision_to_issue_plan", "decision_not_to_issue_plan"]
    return []


def record_decision(*, actor, assessment, decision: str, reasons: str, decided_on, request=None):
    """Record a decision with its reasons and write the family's letter (letters.services.decision_letter):
    every decision has one except the decision to issue a plan, which the draft plan's letter follows."""
    from sendhub.clock.services import record_event
    from sendhub.letters.services import decision_letter

    if decision not in decisions_open(assessment):
        raise ValidationError({"decision": "That decision is not the one this assessment is waiting for"})
    if DECISIONS[decision] and not (reasons or "").strip():
        raise ValidationError({"reasons": "Give the reasons for the decision: the family will read them in the letter"})
    with transaction.atomic():
        record_event(actor=actor, case=assessment, type=decision, date=decided_on, note=(reasons or "").strip(),
                     request=request)
        letter = decision_letter(assessment=assessment, decision=decision, reasons=reasons, decided_on=decided_on,
                                 actor=actor)
        moments.decision_made(assessment=assessment, decision=decision, actor=actor, letter=letter)
        return letter


# Asking for advice makes the professional part of the child's support (their Involvement).
ROLE_FOR_SOURCE = {
    "health": "designated_clinical_officer",
    "social_care": "social_worker",
    "educational_psychology": "educational_psychologist",
    "education": "senco",
    "other": "other",
}


def request_advice(*, actor, assessment, source: str, asked_of=None, asked_of_team=None, message: str,
                   requested_on, request=None):
    """Ask one professional or team for advice; the 6-week clock for it starts on `requested_on`."""
    from sendhub.clock.services import record_event
    from sendhub.people.models import Involvement
    from sendhub.people.services import add_involvement

    from .models import AdviceRequest

    errors = {}
    if source not in ROLE_FOR_SOURCE:
        errors["source"] = "Select the kind of advice"
    if asked_of is None and asked_of_team is None:
        errors["asked_of"] = "Select who to ask"
    if not (message or "").strip():
        errors["message"] = "Say what you are asking for"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record_event(actor=actor, case=assessment, type="advice_requested", date=requested_on, source=source,
                     note=message.strip(), request=request)
        advice = AdviceRequest.objects.create(
            assessment=assessment, source=source, asked_of=asked_of, asked_of_team=asked_of_team,
            requested_on=requested_on, message=message.strip(), requested_by=actor)
        organisation = asked_of.organisation if asked_of else asked_of_team.organisation
        involved = Involvement.objects.active().filter(child=assessment.child)
        already = involved.filter(professional=asked_of) if asked_of else involved.filter(team=asked_of_team)
        if organisation is not None and not already.exists():
            add_involvement(actor=actor, child=assessment.child, role=ROLE_FOR_SOURCE[source], organisation=organisation,
                            professional=asked_of, team=asked_of_team, request=request)  # a grant: audited
        moments.advice_asked(advice=advice, actor=actor)
        return advice


def give_advice(*, actor, advice, needs: str, outcomes: str, provision: str, files=(), request=None):
    """The professional's advice, as structured text and documents; it answers the request's clock."""
    from sendhub.clock.services import record_event

    from .models import AdviceAttachment, AdviceRequest

    errors = {}
    for name, value, message in [("needs", needs, "Describe the child's needs"),
                                 ("provision", provision, "Describe the provision the child needs")]:
        if not (value or "").strip():
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    checked = check_files(files, field="attachments")
    with transaction.atomic():
        locked = AdviceRequest.objects.select_for_update().get(pk=advice.pk)
        if locked.given_on is not None:
            raise ValidationError("This advice has already been given: it cannot be changed")
        today = timezone.localdate()
        record_event(actor=actor, case=locked.assessment, type="advice_received", date=today, source=locked.source,
                     request=request)
        locked.needs, locked.outcomes, locked.provision = needs.strip(), outcomes.strip(), provision.strip()
        locked.given_on, locked.given_by = today, actor
        locked.save(update_fields=["needs", "outcomes", "provision", "given_on", "given_by"])
        for upload in checked:
            AdviceAttachment.objects.create(advice=locked, file=upload.file, original_name=upload.name[:255],
                                            content_type=upload.content_type, size=upload.size)
        moments.advice_given(advice=locked, actor=actor)
        return locked
