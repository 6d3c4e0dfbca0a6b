"""Children's referrals on health waiting lists. The estimator (estimator.py) reads these."""

from django.db import models
from django.db.models import F, Q


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    ROUTINE = "routine", "Routine"


class ReferralQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(seen_on__isnull=True, removed_on__isnull=True)


class Referral(models.Model):
    """One referral to one service: the clock starts at `referred_on` and stops at the first appointment."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey("organisations.HealthService", on_delete=models.PROTECT, related_name="referrals")
    reference = models.CharField(max_length=40, help_text="The provider's own referral identifier")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.ROUTINE)
    referred_on = models.DateField(help_text="Clock start")
    seen_on = models.DateField(null=True, blank=True, help_text="First appointment (clock stop)")
    removed_on = models.DateField(null=True, blank=True, help_text="Left the list without being seen")
    removal_reason = models.CharField(max_length=200, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["referred_on", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["service", "reference"], name="unique_referral_reference",
                                    violation_error_message="This service already has a referral with this reference."),
            models.CheckConstraint(condition=Q(seen_on__isnull=True) | Q(removed_on__isnull=True),
                                   name="referral_seen_or_removed_not_both",
                                   violation_error_message="A referral is either seen or removed, not both."),
            models.CheckConstraint(condition=Q(seen_on__isnull=True) | Q(seen_on__gte=F("referred_on")),
                                   name="referral_seen_after_referral",
                                   violation_error_message="The first appointment cannot be before the referral."),
            models.CheckConstraint(condition=Q(removed_on__isnull=True) | Q(removed_on__gte=F("referred_on")),
                                   name="referral_removed_after_referral",
                                   violation_error_message="Removal cannot be before the referral."),
        ]
        indexes = [models.Index(fields=["service", "seen_on", "removed_on", "referred_on"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.child} to {self.service.name}"

    @property
    def status_label(self) -> str:
        if self.seen_on:
            return f"First seen {self.seen_on:%-d %B %Y}"
        if self.removed_on:
            return f"Left the list {self.removed_on:%-d %B %Y}"
        return "Waiting"
