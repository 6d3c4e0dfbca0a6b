"""EHC needs assessments: from the request to the decision and the final plan."""

from django.db import models


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

    class Meta:
        verbose_name = "EHC needs assessment"
        ordering = ["-request_received_on"]
        indexes = [models.Index(fields=["outcome", "request_received_on"])]

    def __str__(self) -> str:
        return f"EHC needs assessment for {self.child}, requested {self.request_received_on:%-d %B %Y}"
