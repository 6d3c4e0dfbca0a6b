"""EHC needs assessments: from the request to the decision and the final plan."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Requester(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person"
    SCHOOL = "school", "School or setting"
    PROFESSIONAL = "professional", "Other professional"


class AssessmentOutcome(models.TextChoices):
    OPEN = "open", "In progress"
    NOT_ASSESSED = "not_assessed", "Decided not to assess"
    NO_PLAN = "no_plan", "Assessed, decided not to issue a plan"
    PLAN_ISSUED = "plan_issued", "Final plan issued"
    WITHDRAWN = "withdrawn", "Request withdrawn"


class EHCNeedsAssessment(models.Model):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="assessments")
    request_received_on = models.DateField()
    requested_by = models.CharField(max_length=20, choices=Requester.choices)
    outcome = models.CharField(max_length=20, choices=AssessmentOutcome.choices, default=AssessmentOutcome.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    requested_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", help_text="Who asked, when the request came in online")
    needs = models.TextField(blank=True, help_text="The child's needs, in the requester's words")
    support_so_far = models.TextField(blank=True, help_text="Support already given and what difference it made")
    views = models.TextField(blank=True, help_text="The child's and family's views and hopes")

    class Meta:
        verbose_name = "EHC needs assessment"
        ordering = ["-request_received_on"]
        indexes = [models.Index(fields=["outcome", "request_received_on"])]

    def __str__(self) -> str:
        return f"EHC needs assessment for {self.child}, requested {self.request_received_on:%-d %B %Y}"


class EvidenceDocument(models.Model):
    """A document sent with a request: reports, SEN support plans, letters from professionals."""

    assessment = models.ForeignKey(EHCNeedsAssessment, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
