"""The local offer: a directory of services from every partner, shaped like Open Referral UK (HSDS 3).

`Service` and its locations and schedules hold what is published: the public pages and the ORUK API
read only these. Providers change an entry through an `EntryDraft` (edit, submit, review, publish);
every publication appends a `PublishedVersion` with the whole entry as it was published.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sendhub.core.append_only import AppendOnlyModel

from .weblinks import published_web_address, validate_web_address

STALE_AFTER = timedelta(days=365)  # an entry not checked for 12 months is flagged to its owner


class Taxonomy(models.Model):
    """A list of terms: our categories, the SEN2 needs, or one brought in by an import."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True, validators=[validate_web_address])
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, null=True, blank=True, on_delete=models.PROTECT, related_name="terms")
    code = models.CharField(max_length=50, blank=True, db_index=True, help_text="Our code: a SEN2 need or a category")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    term_uri = models.URLField(blank=True, validators=[validate_web_address])

    class Meta:
        ordering = ["taxonomy__name", "name"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], condition=~Q(code=""),
                                               name="unique_term_code_per_taxonomy")]

    def __str__(self) -> str:
        return self.name


class DirectoryOrganisation(models.Model):
    """An ORUK organization: who runs a service. `partner` links it to a partner organisation whose
    staff keep its entries; entries of organisations without one are kept by the local offer team."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True, validators=[validate_web_address])
    partner = models.OneToOneField("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="directory_organisation")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Open"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"
    INACTIVE = "inactive", "Not running"
    DEFUNCT = "defunct", "Closed for good"


class Service(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(DirectoryOrganisation, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)
    description = models.TextField()
    easy_read = models.TextField(blank=True, help_text="A short easy-read version, where the provider wrote one")
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    self_referral = models.BooleanField(default=False)
    how_to_access = models.TextField(blank=True)
    eligibility = models.TextField(blank=True)
    is_free = models.BooleanField(default=True)
    cost_description = models.TextField(blank=True)
    while_waiting = models.TextField(blank=True, help_text="What the service offers families while they wait")
    url = models.URLField(blank=True, max_length=500, validators=[validate_web_address])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    last_checked = models.DateField(help_text="When the provider last confirmed the entry is right")
    stale_reminded_on = models.DateField(null=True, blank=True,
                                         help_text="When its owner was last told it has not been checked for 12 months")
    last_modified = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "name"]), models.Index(fields=["minimum_age", "maximum_age"]),
                   models.Index(fields=["last_checked"])]
        constraints = [models.CheckConstraint(
            condition=Q(minimum_age__isnull=True) | Q(maximum_age__isnull=True) | Q(minimum_age__lte=models.F("maximum_age")),
            name="service_ages_in_order")]

    def __str__(self) -> str:
        return self.name

    @property
    def web_address(self) -> str:
        """The website to link to: blank unless it is an http(s) address (see weblinks)."""
        return published_web_address(self.url)

    @property
    def is_stale(self) -> bool:
        return self.last_checked < timezone.localdate() - STALE_AFTER

    @property
    def ages_label(self) -> str:
        low, high = self.minimum_age, self.maximum_age
        if low is None and high is None:
            return "Any age"
        if low is None:
            return f"Up to {high}"
        if high is None:
            return f"{low} and over"
        return f"{low} to {high}"


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "A place to visit"
    VIRTUAL = "virtual", "Online or by phone"
    POSTAL = "postal", "By post"


class ServiceLocation(models.Model):
    """One service at one place: an ORUK service_at_location and its location together."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="locations")
    sal_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    location_id = models.UUIDField(default=uuid.uuid4, db_index=True)
    location_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)
    name = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accessibility = models.TextField(blank=True, help_text="Step-free access, hearing loops, quiet rooms")

    class Meta:
        ordering = ["service", "pk"]
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return ", ".join(filter(None, [self.name, self.address_1, self.city, self.postcode])) or self.get_location_type_display()


DAYS = [("MO", "Monday"), ("TU", "Tuesday"), ("WE", "Wednesday"), ("TH", "Thursday"), ("FR", "Friday"),
        ("SA", "Saturday"), ("SU", "Sunday")]


class Schedule(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    byday = models.CharField(max_length=40, blank=True, help_text="iCal days, for example MO,WE")
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["service", "opens_at", "id"]

    @property
    def days_label(self) -> str:
        names = dict(DAYS)
        return ", ".join(names.get(d.strip()[-2:], d) for d in self.byday.split(",") if d.strip())


class EntryState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for review"
    RETURNED = "returned", "Returned for changes"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATES = [EntryState.DRAFT, EntryState.SUBMITTED, EntryState.RETURNED]


class EntryDraft(models.Model):
    """Proposed content for a new or existing entry, on its way through review to publication."""

    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="drafts")
    organisation = models.ForeignKey(DirectoryOrganisation, on_delete=models.PROTECT, related_name="drafts")
    content = models.JSONField()
    state = models.CharField(max_length=10, choices=EntryState.choices, default=EntryState.DRAFT)
    base_version = models.PositiveIntegerField(default=0, help_text="The published version this draft started from")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["service"], condition=Q(state__in=OPEN_STATES),
                                               name="one_open_draft_per_service")]

    def __str__(self) -> str:
        return f"{self.content.get('name', 'New entry')} ({self.get_state_display()})"

    @property
    def name(self) -> str:
        return self.content.get("name") or "New entry"


class PublishSource(models.TextChoices):
    REVIEW = "review", "Published after review"
    CONFIRMED = "confirmed", "Confirmed as still correct"
    IMPORT = "import", "Imported"


class PublishedVersion(AppendOnlyModel):
    """Each published version of an entry, whole, as it was published. Never changed or deleted."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="published_versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    source = models.CharField(max_length=10, choices=PublishSource.choices)
    draft = models.ForeignKey(EntryDraft, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["service", "-number"]
        constraints = [models.UniqueConstraint(fields=["service", "number"], name="unique_published_version")]
