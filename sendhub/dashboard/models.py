"""The partnership dashboard's own records: comparators, trajectories, snapshots, disagreements and the Big Plan."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .definitions import METRICS

METRIC_CHOICES = [(m.key, m.title) for m in METRICS]


class Geography(models.TextChoices):
    NATIONAL = "national", "England"
    REGIONAL = "regional", "Region"


class Comparator(models.Model):
    """A published national or regional figure, entered with where it comes from and when."""

    metric = models.CharField(max_length=40, choices=METRIC_CHOICES)
    geography = models.CharField(max_length=10, choices=Geography.choices, default=Geography.NATIONAL)
    area_name = models.CharField(max_length=100, default="England", help_text="England, or the region's name")
    value = models.DecimalField(max_digits=7, decimal_places=1, help_text="A percentage for a share; a count otherwise")
    period = models.CharField(max_length=60, help_text="What the figure covers, e.g. calendar year 2024")
    source = models.CharField(max_length=300, help_text="The publication, e.g. DfE, Education, health and care plans")
    source_url = models.URLField(blank=True)
    published_on = models.DateField(null=True, blank=True)
    placeholder = models.BooleanField(default=False, help_text="A leader's working figure, not a published statistic")
    local_authority = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", help_text="The council that entered it and sees it; empty: "
                                        "entered for the whole partnership, and shown to every council")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["metric", "-published_on", "-id"]

    def __str__(self) -> str:
        return f"{self.area_name} {self.get_metric_display()}: {self.value} ({self.period})"


class Trajectory(models.Model):
    """A target value on a date, set by leaders; the line between targets is the trajectory."""

    metric = models.CharField(max_length=40, choices=METRIC_CHOICES)
    local_authority = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", help_text="Empty for the whole partnership")
    target_on = models.DateField()
    value = models.DecimalField(max_digits=7, decimal_places=1)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["metric", "target_on"]
        constraints = [models.UniqueConstraint(fields=["metric", "local_authority", "target_on"],
                                               name="one_target_per_metric_area_date",
                                               violation_error_message="There is already a target for that date.")]

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.value} by {self.target_on:%-d %B %Y}"


class DashboardSnapshot(models.Model):
    """Every cell of the dashboard computed at one time: signed-in pages read the latest; the public view reads
    the latest *published* one, the first of each month, so public figures change once a month."""

    as_of = models.DateField()
    computed_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0, help_text="How long the computation took")
    data = models.JSONField()
    published = models.BooleanField(default=False, help_text="The first snapshot of its month: the public view's")

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"Dashboard figures computed {self.computed_at:%-d %B %Y %H:%M}"


class DashboardRefresh(models.Model):
    """The one row that makes refreshing single-flight: a worker claims it with one conditional UPDATE (atomic on
    SQLite and PostgreSQL alike), so a second refresh started meanwhile does nothing. A claim older than
    services.STALE_REFRESH is taken to be from a worker that died. `queued_at` stops pages queueing the task twice."""

    key = models.CharField(max_length=20, unique=True, default="dashboard")
    started_at = models.DateTimeField(null=True, blank=True, help_text="When the running refresh started; empty when none runs")
    token = models.CharField(max_length=32, blank=True, help_text="Which refresh holds the claim")
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When a page last queued the refresh task")
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Dashboard refresh (running since {self.started_at})" if self.started_at else "Dashboard refresh (idle)"


class DashboardCell(models.Model):
    """One pre-aggregated cell of a snapshot (see definitions.Cell); `local_authority` 0 is the partnership roll-up."""

    snapshot = models.ForeignKey(DashboardSnapshot, on_delete=models.CASCADE, related_name="cells")
    metric = models.CharField(max_length=40)
    month = models.CharField(max_length=7)
    local_authority = models.BigIntegerField(help_text="The council's organisation id; 0 for every council together")
    phase = models.CharField(max_length=20, blank=True)
    need = models.CharField(max_length=4, blank=True)
    setting_type = models.CharField(max_length=30, blank=True)
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "local_authority"])]

    def __str__(self) -> str:
        return f"{self.metric} {self.month}: {self.numerator}/{self.denominator}"


class DashboardChart(models.Model):
    """A drawn chart, stored by a hash of what it draws, so every web process can reuse it."""

    key = models.CharField(max_length=64, unique=True)
    svg = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.key


class MediationOutcome(models.TextChoices):
    AGREED_TO_ASSESS = "agreed_to_assess", "Council agreed to assess"
    NOT_RESOLVED = "not_resolved", "Not resolved"
    WITHDRAWN = "withdrawn", "Family withdrew"


class AppealOutcome(models.TextChoices):
    ORDERED_TO_ASSESS = "ordered_to_assess", "Tribunal ordered the council to assess"
    CONCEDED = "conceded", "Council conceded before the hearing"
    UPHELD = "upheld", "Tribunal upheld the council's decision"
    WITHDRAWN = "withdrawn", "Family withdrew the appeal"


FOR_FAMILY = {AppealOutcome.ORDERED_TO_ASSESS, AppealOutcome.CONCEDED}


class Disagreement(models.Model):
    """Mediation and appeal after a refusal to assess (Children and Families Act 2014 s51-s55)."""

    assessment = models.OneToOneField("assessments.EHCNeedsAssessment", on_delete=models.PROTECT,
                                      related_name="disagreement")
    mediation_requested_on = models.DateField(null=True, blank=True)
    mediation_held_on = models.DateField(null=True, blank=True)
    mediation_outcome = models.CharField(max_length=20, choices=MediationOutcome.choices, blank=True)
    appeal_lodged_on = models.DateField(null=True, blank=True)
    appeal_decided_on = models.DateField(null=True, blank=True)
    appeal_outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change, to refuse stale edits")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(mediation_held_on__isnull=True) | Q(mediation_requested_on__isnull=False),
                                   name="mediation_held_after_request"),
            models.CheckConstraint(condition=Q(appeal_outcome="") | Q(appeal_lodged_on__isnull=False),
                                   name="appeal_outcome_needs_appeal"),
        ]

    def __str__(self) -> str:
        return f"Disagreement about {self.assessment}"


class ImprovementArea(models.Model):
    """An area for improvement the partnership is working on (from the inspection, or its own)."""

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where it comes from, e.g. the inspection report")
    order = models.PositiveSmallIntegerField(default=0)
    local_authority = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", help_text="The council whose Big Plan it is (its actions "
                                        "too); empty for the partnership's own, seen by people not tied to one council")

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DELAYED = "delayed", "Delayed"


class Action(models.Model):
    area = models.ForeignKey(ImprovementArea, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, help_text="Who is accountable: a named role and organisation")
    quarter = models.CharField(max_length=7, help_text="Quarter it is due, like 2026-Q4")
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    evidence = models.TextField(blank=True, help_text="What shows it is done or working")
    metrics = models.JSONField(default=list, blank=True, help_text="Keys of the dashboard figures that measure it")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change, to refuse stale edits")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area__order", "quarter", "id"]

    def __str__(self) -> str:
        return self.title
