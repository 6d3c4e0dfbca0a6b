"""Education, health and care plans: the plan, its sections while drafted, and every issued version."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sendhub.core.append_only import AppendOnlyModel
from sendhub.sen2.spec import CEASE_REASONS


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CEASED = "ceased", "Ceased"


class EHCPlan(models.Model):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    first_issued_on = models.DateField()
    ceased_on = models.DateField(null=True, blank=True)
    cease_reason = models.CharField(max_length=1, choices=list(CEASE_REASONS.items()), blank=True,
                                    help_text="Why the plan ceased (the SEN2 code set, 1 to 9)")

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


# The sections of an EHC plan (SEND Regulations 2014 reg 12; SEND Code of Practice 9.62), with the
# kinds of advice a caseworker drafting each section needs to see beside it.
SECTIONS = [
    ("A", "The views, interests and aspirations of the child and their parents, or of the young person", []),
    ("B", "Special educational needs", ["education", "educational_psychology"]),
    ("C", "Health needs related to their SEN", ["health"]),
    ("D", "Social care needs related to their SEN or disability", ["social_care"]),
    ("E", "Outcomes, including preparation for adulthood from Year 9", ["education", "educational_psychology",
                                                                         "health", "social_care"]),
    ("F", "Special educational provision", ["education", "educational_psychology"]),
    ("G", "Health provision", ["health"]),
    ("H1", "Social care provision under section 2 of the Chronically Sick and Disabled Persons Act 1970",
     ["social_care"]),
    ("H2", "Other social care provision", ["social_care"]),
    ("I", "Placement: the school or other institution", []),
    ("J", "Personal budget", []),
    ("K", "Advice and information gathered during the assessment", ["education", "educational_psychology",
                                                                     "health", "social_care", "other"]),
]
SECTION_CODES = [code for code, _, _ in SECTIONS]
SECTION_TITLES = {code: title for code, title, _ in SECTIONS}


class SectionDraft(models.Model):
    """The working text of one section while a plan or an amendment is drafted.

    `version` rises with every save so that two people editing the same section at once cannot
    overwrite each other: the second is told and nothing is lost.
    """

    assessment = models.ForeignKey("assessments.EHCNeedsAssessment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="section_drafts")
    review = models.ForeignKey("reviews.AnnualReview", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="section_drafts")
    section = models.CharField(max_length=2, choices=[(c, f"{c}: {t}") for c, t, _ in SECTIONS])
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(assessment__isnull=True) ^ Q(review__isnull=True),
                                   name="section_draft_belongs_to_one_case"),
            models.UniqueConstraint(fields=["assessment", "section"], condition=Q(review__isnull=True),
                                    name="one_draft_per_assessment_section"),
            models.UniqueConstraint(fields=["review", "section"], condition=Q(assessment__isnull=True),
                                    name="one_draft_per_review_section"),
        ]


class VersionKind(models.TextChoices):
    DRAFT = "draft", "Draft plan"
    FINAL = "final", "Final plan"
    PROPOSED = "proposed", "Proposed amendments"
    AMENDED = "amended", "Amended plan"


class PlanVersion(AppendOnlyModel):
    """An issued plan, exactly as issued. Numbered per child: version 1, 2, 3…"""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="plan_versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=VersionKind.choices)
    assessment = models.ForeignKey("assessments.EHCNeedsAssessment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="plan_versions")
    review = models.ForeignKey("reviews.AnnualReview", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="plan_versions")
    sections = models.JSONField(help_text="Section code: text, as issued")
    issued_on = models.DateField()
    issued_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    named_setting = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="plans_naming_it",
        limit_choices_to={"kind": "school"},
        help_text="The school, college or setting named in section I; a final or amended plan is sent to it")

    class Meta:
        ordering = ["child", "-number"]
        constraints = [models.UniqueConstraint(fields=["child", "number"], name="plan_version_number_per_child")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, version {self.number}, {self.issued_on:%-d %B %Y}"

    def section_list(self) -> list[tuple[str, str, str]]:
        return [(code, SECTION_TITLES[code], self.sections.get(code, "")) for code in SECTION_CODES]


class DraftComment(AppendOnlyModel):
    """A family's comment on one section of a draft plan or of proposed amendments, within their 15 days."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="comments")
    section = models.CharField(max_length=2, blank=True, help_text="Empty for a comment on the whole plan")
    text = models.TextField()
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class SchoolRequest(AppendOnlyModel):
    """The family's request for a particular school or college to be named in section I (reg 13(1)(b))."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="school_requests")
    school = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", limit_choices_to={"kind": "school"})
    school_name = models.CharField(max_length=200, blank=True, help_text="When the school is not in the list")
    reason = models.TextField(blank=True)
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
