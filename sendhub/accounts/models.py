"""People who sign in, and the role that decides what they may see."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.base_user import BaseUserManager
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    FAMILY = "family", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person"
    CASEWORKER = "caseworker", "SEND caseworker"
    TEAM_MANAGER = "team_manager", "SEND team manager"
    HEALTH_PROFESSIONAL = "health_professional", "Health professional"
    SOCIAL_CARE = "social_care", "Social care professional"
    SENCO = "senco", "SENCO"
    QA_OFFICER = "qa_officer", "Quality assurance officer"
    PARTNERSHIP_LEADER = "partnership_leader", "Partnership leader"
    ADMINISTRATOR = "administrator", "Administrator"
    BUSINESS_SUPPORT = "business_support", "SEND business support officer"


# Roles that see children's records as part of their job: they must use two-factor sign-in.
STAFF_ROLES = frozenset(Role) - {Role.FAMILY, Role.YOUNG_PERSON}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("Enter an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True, role=Role.ADMINISTRATOR)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=30, choices=Role.choices)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Employer: the local authority for caseworkers, the school for a SENCO, the provider for a therapist",
    )
    teams = models.ManyToManyField("organisations.Team", blank=True, related_name="members")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can use the support staff admin site")
    date_joined = models.DateTimeField(default=timezone.now)
    email_notifications = models.BooleanField(default=True, help_text="Also email each message (never with a child's details)")
    easy_read = models.BooleanField(default=False, help_text="Show the easy-read tracker first")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def needs_two_factor(self) -> bool:
        return self.role in STAFF_ROLES


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and change records"


class ApiToken(models.Model):
    """A bearer token for an integration; only its SHA-256 is stored.

    Tokens expire and are read-only unless issued with the write scope (docs/accounts-security.md).
    """

    MAX_DAYS = 366

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="integration")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to tell tokens apart")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(help_text="The token stops working at this time")
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ,
                             help_text="Read-only tokens cannot record or change anything")

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.user.email}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "sh_" + secrets.token_urlsafe(32)


INVITATION_LIFETIME_HOURS = 72


class InvitationKind(models.TextChoices):
    STAFF = "staff", "Staff account"
    FAMILY = "family", "Parent, carer or young person linked to a child"
    TWO_FACTOR = "two_factor", "New authenticator for an existing staff account"


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        """Invitations whose link still works: not used, not withdrawn, not expired."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """A single-use link that lets one person set up their own account (or a new authenticator).

    Only the SHA-256 of the link's secret is stored, so the table cannot be used to sign in as anyone.
    The account is made when the invitation is accepted, from the details recorded here.
    """

    kind = models.CharField(max_length=20, choices=InvitationKind.choices)
    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    teams = models.ManyToManyField("organisations.Team", blank=True, related_name="+")
    child = models.ForeignKey("people.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations",
                              help_text="For a family invitation: the child the new account is linked to")
    relationship = models.CharField(max_length=20, blank=True, help_text="A parent or carer's relationship to the child")
    parental_responsibility = models.BooleanField(default=False)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations",
                             help_text="The existing account (new authenticator), or the account made on acceptance")
    token_hash = models.CharField(max_length=64, unique=True)
    totp_key = models.CharField(max_length=80, blank=True, help_text="The authenticator key offered while enrolling")
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   help_text="Empty when issued from the command line")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email", "used_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.email}"

    @property
    def needs_authenticator(self) -> bool:
        return self.kind == InvitationKind.TWO_FACTOR or (self.kind == InvitationKind.STAFF and self.role in STAFF_ROLES)

    @property
    def sets_password(self) -> bool:
        """A new account: the person chooses its password."""
        return self.kind in {InvitationKind.STAFF, InvitationKind.FAMILY} and self.user_id is None

    @property
    def links_existing_account(self) -> bool:
        """A parent who already has an account (another child, or invited again): they give their password."""
        return self.kind == InvitationKind.FAMILY and self.user_id is not None and self.used_at is None

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if self.used_at:
            return "Accepted"
        if self.revoked_at:
            return "Withdrawn"
        if self.expires_at <= now:
            return "Expired"
        return "Waiting to be accepted"
