"""Annual reviews of EHC plans: one row per review round, its events kept by the statutory clock."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class PhaseTo(models.TextChoices):
    SCHOOL = "school", "Early years to school"
    JUNIOR = "junior", "Infant to junior school"
    MIDDLE = "middle", "To middle school"
    SECONDARY = "secondary", "Primary to secondary school"
    POST16 = "post16", "Secondary school to a post-16 institution"
    OTHER = "other", "Other transfer"


class ReviewOutcome(models.TextChoices):
    MAINTAIN = "maintain", "Plan kept as it is"
    AMEND = "amend", "Plan amended"
    CEASE = "cease", "Plan ceased"


class AnnualReview(models.Model):
    """One round of review of a plan: from the last review (or the plan's issue) to the decision."""

    plan = models.ForeignKey("plans.EHCPlan", on_delete=models.PROTECT, related_name="reviews")
    previous_review_meeting = models.DateField(
        null=True, blank=True, help_text="The meeting of the round before; empty for a plan's first review"
    )
    phase_transfer_on = models.DateField(null=True, blank=True, help_text="Date of the move between phases")
    phase_transfer_to = models.CharField(max_length=10, choices=PhaseTo.choices, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=Q(closed_on__isnull=True), name="one_open_review_per_plan",
                                    violation_error_message="This plan already has a review in progress."),
            models.CheckConstraint(
                condition=(Q(phase_transfer_on__isnull=True) & Q(phase_transfer_to=""))
                | (Q(phase_transfer_on__isnull=False) & ~Q(phase_transfer_to="")),
                name="phase_transfer_complete",
                violation_error_message="A phase transfer needs both its date and where the child is moving to.",
            ),
        ]

    def __str__(self) -> str:
        return f"Annual review of {self.plan.child}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
