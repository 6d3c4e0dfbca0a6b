"""Children's referrals on health waiting lists. The estimator (estimator.py) reads these.

A referral's life: received, triaged (urgent or routine, with a clinical note), clock start
(`referred_on`), first appointment (`seen_on`, the clock stop), treatment, discharge, or removal
with a reason. Every step is also an append-only `ReferralEvent`; the columns on `Referral` are
the current state that lists and the estimator read, changed only by `services.py`, which checks
`version` so that two clinicians never silently overwrite each other.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from sendhub.core.append_only import AppendOnlyModel


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
    received_on = models.DateField(null=True, blank=True, help_text="The day the service received the referral")
    triaged_on = models.DateField(null=True, blank=True)
    triage_note = models.TextField(blank=True, help_text="The clinician's note on the triage decision")
    treatment_started_on = models.DateField(null=True, blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every change, to refuse stale edits")

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
    def waiting(self) -> bool:
        return self.seen_on is None and self.removed_on is None

    @property
    def stage(self) -> str:
        """Where the referral is now, in the words a family would use."""
        if self.removed_on:
            return "Removed from the list"
        if self.discharged_on:
            return "Discharged"
        if self.treatment_started_on:
            return "In treatment"
        if self.seen_on:
            return "Seen"
        if self.triaged_on:
            return "Waiting (triaged)"
        return "Waiting (not yet triaged)"

    @property
    def status_label(self) -> str:
        if self.discharged_on:
            return f"Discharged {self.discharged_on:%-d %B %Y}"
        if self.treatment_started_on:
            return f"In treatment since {self.treatment_started_on:%-d %B %Y}"
        if self.seen_on:
            return f"First seen {self.seen_on:%-d %B %Y}"
        if self.removed_on:
            return f"Left the list {self.removed_on:%-d %B %Y}"
        return "Waiting"


class EventKind(models.TextChoices):
    RECEIVED = "received", "Referral received"
    IMPORTED = "imported", "Imported from the provider's list"
    TRIAGED = "triaged", "Triaged"
    FIRST_APPOINTMENT = "first_appointment", "First appointment (clock stopped)"
    TREATMENT_STARTED = "treatment_started", "Treatment started"
    DISCHARGED = "discharged", "Discharged"
    REMOVED = "removed", "Removed from the list"
    TRANSFERRED = "transferred", "Moved to another pathway (clock kept)"


class ReferralEvent(AppendOnlyModel):
    """One step in a referral's life, never changed: a mistake is corrected by a later event."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    date = models.DateField(help_text="The day it happened")
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    note = models.TextField(blank=True)
    from_service = models.ForeignKey("organisations.HealthService", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    to_service = models.ForeignKey("organisations.HealthService", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "recorded_at", "id"]
        indexes = [models.Index(fields=["referral", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date}"


class ListImport(models.Model):
    """One CSV file loaded into a provider's lists; the same file is refused a second time."""

    provider = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "sha256"], name="unique_list_import_file",
                                               violation_error_message="This file has already been imported.")]


class ServiceEstimate(models.Model):
    """A cache, not a record: one service's positions and estimates for one day and one state of its list.

    `fingerprint` changes whenever a referral of the service is added or changed (count, highest id and
    the sum of versions), so positions are never stale; within a day an unchanged list is not recomputed.
    """

    service = models.OneToOneField("organisations.HealthService", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    fingerprint = models.CharField(max_length=100)
    computed_at = models.DateTimeField(default=timezone.now)
    estimates = models.JSONField(default=dict, help_text="referral pk: [position, p10, p50, p90]")
    figures = models.JSONField(null=True, blank=True, help_text="List figures at current capacity, when computed")
    calibration = models.JSONField(null=True, blank=True,
                                   help_text="The range's calibration on the list's own past (calibration.Calibration), "
                                             "learned once a day; the estimates above already have it applied")
