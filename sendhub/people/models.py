"""Children and young people, their families, and the professionals involved with them."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sendhub.core.identifiers import format_nhs_number
from sendhub.core.schoolyear import age_on, describe_year, national_curriculum_year
from sendhub.sen2.spec import SEN_SETTINGS, SEXES


class Need(models.TextChoices):
    """The SEN2 primary need categories."""

    SPLD = "SpLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    DS = "DS", "Down syndrome"
    OTH = "OTH", "Other difficulty or disability"


class AccessibleFormat(models.TextChoices):
    NONE = "", "No particular format"
    LARGE_PRINT = "large_print", "Large print"
    BRAILLE = "braille", "Braille"
    EASY_READ = "easy_read", "Easy read"
    AUDIO = "audio", "Audio"
    OTHER = "other", "Another format"


class ContactRoutes(models.Model):
    """How one person receives statutory letters and plans: their account, email, post, or several, and the
    format and language they need. One definition for a parent or carer and for the young person themself."""

    by_portal = models.BooleanField("In their account on this service", default=True)
    by_email = models.BooleanField("By email", default=False)
    by_post = models.BooleanField("By post", default=False)
    email = models.EmailField("Email address", blank=True)
    address = models.TextField("Postal address", blank=True, help_text="Each line on its own line, without the postcode")
    postcode = models.CharField(max_length=10, blank=True)
    accessible_format = models.CharField("Format they need", max_length=20, choices=AccessibleFormat.choices,
                                         blank=True)
    accessible_format_detail = models.CharField("Details of the format", max_length=200, blank=True)
    language = models.CharField("Interpreter or translation into", max_length=100, blank=True,
                                help_text="The language, when they need an interpreter or translated letters")

    class Meta:
        abstract = True

    def route_values(self, *, has_account: bool) -> dict:
        return {"by_portal": self.by_portal, "by_email": self.by_email, "by_post": self.by_post,
                "email": self.email, "address": self.address, "postcode": self.postcode, "has_account": has_account}

    @property
    def portal_account(self):
        """The person's own account, when active (the young person's on a child, the member's own otherwise)."""
        account = self.account if isinstance(self, Child) else self.user
        return account if account is not None and account.is_active else None

    def address_block(self) -> str:
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        return "\n".join([*lines, self.postcode.strip()]) if lines else ""

    def needs_text(self) -> str:
        """The format and language needs in words, or empty."""
        parts = []
        if self.accessible_format:
            parts.append(self.get_accessible_format_display()
                         + (f" ({self.accessible_format_detail})" if self.accessible_format_detail else ""))
        if self.language:
            parts.append(f"Interpreter or translation: {self.language}")
        return "; ".join(parts)


class Child(ContactRoutes):
    """A child or young person (0 to 25) known to the partnership."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    # Unique within a council, not across councils: one installation can serve several councils, each keeping
    # its own records, and a check against another council's would tell a caseworker that child exists there.
    nhs_number = models.CharField("NHS number", max_length=10, null=True, blank=True, db_index=True)
    upn = models.CharField("UPN", max_length=13, null=True, blank=True, db_index=True)
    # For the SEN2 return (sendhub.sen2): the person module's sex, ethnicity and postcode, and where the child is
    # when no school or college (URN or UKPRN) is: a SEN2 setting code such as EHE or NEET.
    sex = models.CharField(max_length=1, blank=True, choices=list(SEXES.items()))
    ethnicity = models.CharField(max_length=4, blank=True, help_text="DfE ethnicity code, e.g. WBRI")
    postcode = models.CharField(max_length=8, blank=True)
    sen_setting = models.CharField(
        "Setting code", max_length=4, blank=True, choices=list(SEN_SETTINGS.items()),
        help_text="Where the child is when it is not a school or college with a URN or UKPRN (SEN2 setting code)")
    primary_need = models.CharField(max_length=4, choices=Need.choices, blank=True)
    secondary_need = models.CharField(max_length=4, choices=Need.choices, blank=True)
    local_authority = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"kind": "local_authority"},
        help_text="The local authority responsible for the child",
    )
    setting = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pupils",
        limit_choices_to={"kind": "school"},
        help_text="Current school, college or early years setting",
    )
    child_in_need = models.BooleanField(default=False)
    looked_after = models.BooleanField("Child looked after", default=False)
    child_protection = models.BooleanField("Child protection plan", default=False)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_record",
        help_text="The young person's own account, from age 16",
    )
    # ContactRoutes on a child are the young person's own (from 16): how they receive their letters and plans.
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change, to refuse stale edits")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["local_authority", "family_name"]),
            models.Index(fields=["family_name", "given_name", "date_of_birth"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(secondary_need=models.F("primary_need")) | Q(primary_need=""),
                name="secondary_need_differs",
                violation_error_message="Secondary need must differ from the primary need.",
            ),
            models.UniqueConstraint(fields=["local_authority", "nhs_number"], name="one_nhs_number_per_council"),
            models.UniqueConstraint(fields=["local_authority", "upn"], name="one_upn_per_council"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number) if self.nhs_number else ""

    def age(self, on: date | None = None) -> int:
        return age_on(self.date_of_birth, on or timezone.localdate())

    def year_group(self, on: date | None = None) -> int:
        return national_curriculum_year(self.date_of_birth, on or timezone.localdate())

    def year_group_label(self, on: date | None = None) -> str:
        return describe_year(self.year_group(on))


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    GRANDPARENT = "grandparent", "Grandparent"
    FOSTER_CARER = "foster_carer", "Foster carer"
    KINSHIP_CARER = "kinship_carer", "Kinship carer"
    GUARDIAN = "guardian", "Special guardian"
    OTHER = "other", "Other"


class FamilyMember(ContactRoutes):
    """A parent or carer of a child; the account, when there is one, is how they sign in."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="family_links",
    )
    full_name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=True)
    telephone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["child", "user"], name="one_link_per_account_per_child"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relationship_display()} of {self.child})"


class SharingConsent(models.Model):
    """A young person's decision (from 16) on what their parents may see; the latest one counts.

    Append-only: a change of mind is a new row, so the history of consent is kept.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="sharing_consents")
    parents_may_view = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        get_latest_by = ["recorded_at", "id"]


class InvolvementRole(models.TextChoices):
    CASEWORKER = "caseworker", "SEND caseworker"
    EDUCATIONAL_PSYCHOLOGIST = "educational_psychologist", "Educational psychologist"
    SENCO = "senco", "SENCO"
    TEACHER = "teacher", "Teacher"
    SPEECH_LANGUAGE_THERAPIST = "speech_language_therapist", "Speech and language therapist"
    OCCUPATIONAL_THERAPIST = "occupational_therapist", "Occupational therapist"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    PAEDIATRICIAN = "paediatrician", "Paediatrician"
    CAMHS = "camhs", "CAMHS practitioner"
    WHEELCHAIR_SERVICE = "wheelchair_service", "Wheelchair service"
    DESIGNATED_CLINICAL_OFFICER = "designated_clinical_officer", "Designated clinical officer"
    SOCIAL_WORKER = "social_worker", "Social worker"
    SPECIALIST_TEACHER = "specialist_teacher", "Specialist teacher (sensory or other)"
    ADULT_SERVICES = "adult_services", "Adult social care (preparing for adulthood)"
    OTHER = "other", "Other"


class InvolvementQuerySet(models.QuerySet):
    def active(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)


class Involvement(models.Model):
    """A professional's or team's part in a child's support.

    It decides both who may see the child and who must receive every plan.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    role = models.CharField(max_length=40, choices=InvolvementRole.choices)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="involvements"
    )
    team = models.ForeignKey(
        "organisations.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="involvements"
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField(max_length=200, blank=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(professional__isnull=False) | Q(team__isnull=False),
                name="involvement_names_someone",
                violation_error_message="An involvement needs a professional or a team.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="involvement_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
        ]
        indexes = [models.Index(fields=["professional", "ended_on"]), models.Index(fields=["team", "ended_on"])]

    def __str__(self) -> str:
        who = self.professional.full_name if self.professional_id else str(self.team)
        return f"{who}: {self.get_role_display()} for {self.child}"

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.started_on <= on and (self.ended_on is None or self.ended_on >= on)
