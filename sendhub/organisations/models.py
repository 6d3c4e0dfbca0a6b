"""The partnership's organisations: the council, the ICB, health providers, schools, social care."""

from django.db import models


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    INTEGRATED_CARE_BOARD = "icb", "Integrated care board"
    HEALTH_PROVIDER = "health_provider", "Health provider"
    SCHOOL = "school", "School or setting"
    SOCIAL_CARE = "social_care", "Social care"
    OTHER = "other", "Other"


class Phase(models.TextChoices):
    EARLY_YEARS = "early_years", "Early years"
    PRIMARY = "primary", "Primary"
    MIDDLE = "middle", "Middle"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    POST16 = "post16", "Post-16 (college or sixth form)"
    NOT_APPLICABLE = "", "Not applicable"


class SettingType(models.TextChoices):
    MAINSTREAM = "mainstream", "Mainstream"
    RESOURCED_PROVISION = "resourced", "Mainstream with resourced provision"
    SPECIAL = "special", "Special school"
    INDEPENDENT_SPECIAL = "independent_special", "Independent special school"
    ALTERNATIVE_PROVISION = "alternative", "Alternative provision"
    NOT_APPLICABLE = "", "Not applicable"


class Organisation(models.Model):
    """One table for every kind, so an Involvement or a user can point at any of them."""

    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200)
    code = models.CharField(
        max_length=20, blank=True, help_text="LA code (e.g. 382), ODS code for NHS bodies, or other reference"
    )
    urn = models.PositiveIntegerField(
        "URN", null=True, blank=True, unique=True, help_text="Unique reference number of a school or setting"
    )
    ukprn = models.PositiveIntegerField(
        "UKPRN", null=True, blank=True, help_text="UK provider reference number of a college or training provider")
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    setting_type = models.CharField(max_length=30, choices=SettingType.choices, blank=True)
    local_authority = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations_in_area",
        limit_choices_to={"kind": OrganisationKind.LOCAL_AUTHORITY},
        help_text="The local authority area this organisation serves (empty for a local authority)",
    )
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="school") | models.Q(urn__isnull=False),
                name="school_has_urn",
                violation_error_message="A school or setting needs its URN.",
            )
        ]
        indexes = [models.Index(fields=["kind", "local_authority"])]

    def __str__(self) -> str:
        return self.name


class HealthServiceKind(models.TextChoices):
    WHEELCHAIR = "wheelchair", "Wheelchair service"
    NEURODEVELOPMENTAL = "neurodevelopmental", "Neurodevelopmental (autism and ADHD) assessment"
    SPEECH_LANGUAGE = "speech_language", "Speech and language therapy"
    OCCUPATIONAL_THERAPY = "occupational_therapy", "Occupational therapy"
    SENSORY_OT = "sensory_ot", "Sensory occupational therapy"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    CAMHS = "camhs_core", "Children and young people's mental health (CAMHS)"
    COMMUNITY_PAEDIATRICS = "community_paediatrics", "Community paediatrics"
    OTHER = "other", "Other"


class HealthService(models.Model):
    """A service a health provider runs, with its own waiting list."""

    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="health_services",
        limit_choices_to={"kind": OrganisationKind.HEALTH_PROVIDER},
    )
    kind = models.CharField(max_length=30, choices=HealthServiceKind.choices)
    name = models.CharField(max_length=200, help_text="One waiting list: a service or a pathway within one, "
                                                      "e.g. 'Autism assessment' and 'ADHD assessment'")
    pathway = models.CharField(max_length=200, blank=True,
                               help_text="The pathway this list is, when a service runs several (e.g. Autism)")
    standard_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The national standard for the wait from referral, in weeks, where one exists")
    standard = models.CharField(max_length=300, blank=True,
                                help_text="The standard in words, e.g. 18 weeks from referral to treatment")
    while_waiting = models.TextField(blank=True, help_text="What the service offers families while they wait")
    if_worse = models.TextField(blank=True, help_text="Who to contact if things get worse while waiting")
    clinicians = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True,
                                     help_text="Whole-time equivalent clinicians seeing people from this list")
    version = models.PositiveIntegerField(default=0, help_text="Raised on every change, to refuse stale edits")

    class Meta:
        ordering = ["provider__name", "name"]
        constraints = [models.UniqueConstraint(fields=["provider", "kind", "name"], name="unique_service_per_provider")]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"


class Team(models.Model):
    """A team within an organisation: a SEND casework team, a social work team, a therapy team."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_team_name")]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation}"
