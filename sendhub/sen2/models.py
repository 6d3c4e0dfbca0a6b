"""What the SEN2 app keeps: each return imported (and the records it made), and the DfE's published figures."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportRun(models.Model):
    """One SEN2 return loaded into a council's record. The file's SHA-256 makes a second import a no-op."""

    local_authority = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    census_date = models.DateField()
    software = models.CharField(max_length=100, blank=True, help_text="The system that produced the return")
    counts = models.JSONField(default=dict)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "sha256"], name="one_import_per_file")]

    def __str__(self) -> str:
        return f"SEN2 return {self.file_name} (census {self.census_date:%-d %B %Y}) imported {self.imported_at:%-d %B %Y}"


class ImportedRecord(models.Model):
    """A record an import created: where it came from (file, module and place in the file)."""

    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="records")
    model = models.CharField(max_length=60, help_text="app_label.model")
    object_id = models.PositiveBigIntegerField()
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="sen2_sources")
    where = models.CharField(max_length=200, help_text="The module and place in the file, e.g. Person[3]/Requests[1]")

    class Meta:
        ordering = ["run", "id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} from {self.run.file_name} ({self.where})"


class GeographicLevel(models.TextChoices):
    NATIONAL = "National", "England"
    REGIONAL = "Regional", "Region"
    LOCAL = "Local authority", "Local authority"


class PublishedFigure(models.Model):
    """One figure of the DfE's "Education, health and care plans" release, for one area and year."""

    measure = models.CharField(max_length=60, help_text="sendhub's name for the measure (sen2.published.MEASURES)")
    time_period = models.CharField(max_length=6, help_text="As published: 2024, or 202425 for an academic year")
    year = models.PositiveSmallIntegerField(help_text="The calendar year (or the academic year's first)")
    level = models.CharField(max_length=20, choices=GeographicLevel.choices)
    area_code = models.CharField(max_length=9, help_text="E92000001 (England), a region's or a council's code")
    old_la_code = models.CharField(max_length=3, blank=True)
    area_name = models.CharField(max_length=100)
    region_code = models.CharField(max_length=9, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=1, null=True, blank=True,
                                help_text="Empty where the DfE published x, c or z")
    shown = models.CharField(max_length=10, help_text="The value as published (x, c and z kept)")
    source_file = models.CharField(max_length=100)
    source_column = models.CharField(max_length=100)
    release = models.CharField(max_length=100)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measure", "level", "area_name", "year"]
        constraints = [models.UniqueConstraint(fields=["measure", "time_period", "area_code"],
                                               name="one_published_figure_per_area_year")]
        indexes = [models.Index(fields=["measure", "area_code"]), models.Index(fields=["measure", "old_la_code"])]

    def __str__(self) -> str:
        return f"{self.area_name} {self.measure} {self.time_period}: {self.shown}"


class StatisticalNeighbour(models.Model):
    """A council's statistical neighbours as the DfE lists them (closest first)."""

    la_name = models.CharField(max_length=100)
    neighbour_name = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["la_name", "rank"]
        constraints = [models.UniqueConstraint(fields=["la_name", "rank"], name="one_neighbour_per_rank")]

    def __str__(self) -> str:
        return f"{self.neighbour_name}: neighbour {self.rank} of {self.la_name}"
