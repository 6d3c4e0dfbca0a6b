"""Education, health and care plans. Sections, versions and distribution build on this."""

from django.db import models
from django.db.models import Q


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CEASED = "ceased", "Ceased"


class EHCPlan(models.Model):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    first_issued_on = models.DateField()
    ceased_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "EHC plan"
        ordering = ["-first_issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="active"), name="one_active_plan_per_child",
                violation_error_message="This child already has an active EHC plan.",
            ),
            models.CheckConstraint(
                condition=Q(status="active", ceased_on__isnull=True) | Q(status="ceased", ceased_on__isnull=False),
                name="ceased_plan_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "first_issued_on"])]

    def __str__(self) -> str:
        return f"EHC plan for {self.child} (first issued {self.first_issued_on:%-d %B %Y})"
