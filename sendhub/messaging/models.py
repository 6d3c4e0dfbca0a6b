"""The outbox: every message sendhub sends, in the app and by email, with its delivery state.

No action depends on a message being delivered: what happened is recorded first, then messages are
queued; a failed email leaves the in-app message and the record untouched.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class State(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    OFF = "off", "Not emailed: the person turned email off"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    child = models.ForeignKey("people.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    email_body = models.TextField(blank=True, help_text="What the email says: never a child's details")
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    email_error = models.CharField(max_length=300, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.subject} to {self.recipient}"
