"""The audit trail: every read of a child's record and every change, append-only."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from sendhub.core.append_only import AppendOnlyModel


class AuditAction(models.TextChoices):
    VIEW = "view", "Looked at"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Downloaded"
    LIST = "list", "Saw in a list"
    GRANT = "grant", "Gave access"
    REVOKE = "revoke", "Ended access"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    LOCKED_OUT = "locked_out", "Account locked"
    DENIED = "denied", "Was refused access"


class AuditChannel(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"
    ADMIN = "admin", "Admin site"
    SYSTEM = "system", "System"


class AuditEvent(AppendOnlyModel):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=300, help_text="Who, as shown at the time (kept if the account goes)")
    actor_role = models.CharField(max_length=30, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    channel = models.CharField(max_length=10, choices=AuditChannel.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="Field: [before, after]")
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "-at"]), models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.object_type} {self.object_id}"
