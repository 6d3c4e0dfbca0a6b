"""Keep the deadlines projection (`clock.projection`) in step with every write that can change it, in the
same transaction: a statutory event, a case opened or closed, a plan's first issue date or status.

Saves that name only fields the clock does not read (`update_fields`) are skipped, so scheduling a meeting
costs nothing. `bulk_create` sends no signal: the demo builder calls `projection.rebuild()` at the end, and the
daily check (`projection.check_and_repair`) catches any other writer.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.plans.models import EHCPlan
from sendhub.reviews.models import AnnualReview

from . import projection
from .models import StatutoryEvent

CLOCK_FIELDS = {
    EHCNeedsAssessment: {"outcome", "closed_on", "request_received_on", "child", "child_id"},
    AnnualReview: {"closed_on", "outcome", "previous_review_meeting", "phase_transfer_on", "phase_transfer_to",
                   "plan", "plan_id"},
    EHCPlan: {"first_issued_on", "child", "child_id"},
}


def _matters(sender, update_fields) -> bool:
    return update_fields is None or bool(set(update_fields) & CLOCK_FIELDS[sender])


@receiver(post_save, sender=StatutoryEvent, dispatch_uid="clock_projection_event")
def event_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.assessment_id:
        projection.refresh(assessments=[instance.assessment_id])
    else:
        projection.refresh(reviews=[instance.review_id])


@receiver(post_save, sender=EHCNeedsAssessment, dispatch_uid="clock_projection_assessment")
def assessment_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and _matters(sender, update_fields):
        projection.refresh(assessments=[instance.pk])


@receiver(post_save, sender=AnnualReview, dispatch_uid="clock_projection_review")
def review_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and _matters(sender, update_fields):
        projection.refresh(reviews=[instance.pk])


@receiver(post_save, sender=EHCPlan, dispatch_uid="clock_projection_plan")
def plan_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or created or not _matters(sender, update_fields):
        return  # a new plan has no review round yet
    projection.refresh(reviews=list(instance.reviews.filter(closed_on__isnull=True).values_list("pk", flat=True)))
