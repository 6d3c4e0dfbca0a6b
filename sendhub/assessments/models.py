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


class AdviceRequest(models.Model):
    """Advice asked of one professional or team for an assessment (SEND Regulations 2014 reg 6 and 8).

    It gives them an Involvement with the child, so they can see the record and receive the plan.
    The advice, once given, is not changed: more advice is a new request.
    """

    assessment = models.ForeignKey(EHCNeedsAssessment, on_delete=models.PROTECT, related_name="advice_requests")
    source = models.CharField(max_length=30)
    asked_of = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="advice_requests")
    asked_of_team = models.ForeignKey("organisations.Team", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="advice_requests")
    requested_on = models.DateField()
    message = models.TextField(help_text="What the council is asking for")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    needs = models.TextField(blank=True, help_text="The child's needs as this professional sees them")
    outcomes = models.TextField(blank=True, help_text="Outcomes the professional recommends")
    provision = models.TextField(blank=True, help_text="Provision needed to meet the needs and reach the outcomes")
    given_on = models.DateField(null=True, blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["requested_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(asked_of__isnull=False) | models.Q(asked_of_team__isnull=False),
                                   name="advice_asked_of_someone"),
        ]
        indexes = [models.Index(fields=["asked_of", "given_on"]), models.Index(fields=["asked_of_team", "given_on"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} advice for {self.assessment.child}"

    def get_source_display(self) -> str:
        from sendhub.clock.cases import SOURCE_LABELS

        return SOURCE_LABELS.get(self.source, "Other")

    @property
    def who(self) -> str:
        return self.asked_of.full_name if self.asked_of_id else str(self.asked_of_team)


class AdviceAttachment(models.Model):
    advice = models.ForeignKey(AdviceRequest, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="advice/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name
