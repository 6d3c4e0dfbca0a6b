"""Plan quality: the council's settings and rubric, the automatic checks of every issued version, audits by
people section by section, their moderation, and the monthly sample."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import grading

GRADE_CHOICES = [(key, label) for key, label, _ in grading.GRADES]


class QualitySettings(models.Model):
    """One council's choices: checks switched off, its own watch words, the sample size and the rubric."""

    local_authority = models.OneToOneField("organisations.Organisation", on_delete=models.PROTECT,
                                           related_name="quality_settings")
    disabled_rules = models.JSONField(default=list, blank=True, help_text="Keys of checks switched off")
    watch_words = models.JSONField(default=list, blank=True, help_text="The council's own words to flag in section F")
    sample_size = models.PositiveSmallIntegerField(default=12, help_text="Plans to audit each month")
    random_share = models.PositiveSmallIntegerField(default=50, help_text="Per cent of the sample picked at random")
    rubric = models.JSONField(default=dict, blank=True, help_text="Section: {weight, guidance}")
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "quality settings"

    def weights(self) -> dict[str, int]:
        return {code: int((self.rubric.get(code) or {}).get("weight", default))
                for code, (default, _) in grading.DEFAULT_RUBRIC.items()}

    def guidance(self) -> dict[str, str]:
        return {code: (self.rubric.get(code) or {}).get("guidance") or default
                for code, (_, default) in grading.DEFAULT_RUBRIC.items()}


class CheckRun(models.Model):
    """The automatic checks of one issued plan version: computed when it is issued, and again by the backfill
    when the rules or the council's settings change."""

    version = models.OneToOneField("plans.PlanVersion", on_delete=models.CASCADE, related_name="check_run")
    ran_at = models.DateTimeField(default=timezone.now)
    passed = models.BooleanField(help_text="Every check that was switched on passed")
    failed_rules = models.JSONField(default=list, help_text="Keys of the checks that failed")
    results = models.JSONField(default=list, help_text="[{rule, passed, problems: [{section, message}]}]")

    class Meta:
        indexes = [models.Index(fields=["passed"])]

    def problems_by_section(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for result in self.results:
            for problem in result["problems"]:
                out.setdefault(problem["section"], []).append({"rule": result["rule"], **problem})
        return out


class Sample(models.Model):
    """One month's plans for the QA officer to audit."""

    local_authority = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "month"], name="one_sample_per_council_month")]

    def __str__(self) -> str:
        return f"Plan quality sample {self.month}"


class SampleItem(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="items")
    version = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, related_name="+")
    reasons = models.JSONField(default=list, help_text="Why it was picked: at random, or each risk")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["sample", "version"], name="one_item_per_version_per_sample")]


class AuditStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "Being audited"
    COMPLETED = "completed", "Audited"
    MODERATED = "moderated", "Moderated"


class Audit(models.Model):
    """A person's audit of one issued plan version, section by section against the council's rubric."""

    version = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, related_name="audits")
    local_authority = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    sample_item = models.ForeignKey(SampleItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="audits")
    auditor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="plan_audits")
    status = models.CharField(max_length=12, choices=AuditStatus.choices, default=AuditStatus.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    weights = models.JSONField(default=dict, help_text="The rubric's weights when the audit was completed")
    grade = models.CharField(max_length=24, choices=GRADE_CHOICES, blank=True)
    score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    to_change = models.TextField(blank=True, help_text="What the caseworker should change, in plain words")
    moderator = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="plan_moderations")
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderator_agrees = models.BooleanField(null=True)
    moderated_grade = models.CharField(max_length=24, choices=GRADE_CHOICES, blank=True)
    moderator_comment = models.TextField(blank=True)
    family_view_asked_at = models.DateTimeField(null=True, blank=True)
    family_view = models.TextField(blank=True)
    family_view_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    family_view_at = models.DateTimeField(null=True, blank=True)
    version_number = models.PositiveIntegerField(default=0, help_text="Raised on every save, to refuse stale edits")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "auditor"], name="one_audit_per_version_per_auditor"),
            models.CheckConstraint(condition=Q(status="in_progress") | ~Q(grade=""), name="completed_audit_has_grade"),
        ]

    def __str__(self) -> str:
        return f"Audit of {self.version}"

    @property
    def final_grade(self) -> str:
        """The moderated grade when a moderator changed it, else the auditor's."""
        return self.moderated_grade or self.grade


class SectionGrade(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="section_grades")
    section = models.CharField(max_length=2)
    grade = models.CharField(max_length=24, choices=GRADE_CHOICES)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["audit", "section"], name="one_grade_per_section")]
