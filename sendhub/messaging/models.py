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


class Route(models.TextChoices):
    PORTAL = "portal", "In their account"
    EMAIL = "email", "Email"
    POST = "post", "Post"
    NONE = "none", "No way to reach them"


class DeliveryState(models.TextChoices):
    """What happened to one statutory communication, only ever moving forward."""

    NOT_SENT = "not_sent", "Not sent: no way to reach them"
    WAITING_POST = "waiting_post", "Waiting to be posted"
    EMAIL_QUEUED = "email_queued", "Email waiting to be sent"
    EMAIL_FAILED = "email_failed", "Email failed"
    IN_ACCOUNT = "in_account", "In their account"
    EMAILED = "emailed", "Emailed"
    POSTED = "posted", "Posted"
    SENT_TO_NOTIFY = "sent_to_notify", "Sent to GOV.UK Notify for printing and posting"
    OPENED = "opened", "Opened"


# A delivery that has happened: in their account (opened or not), emailed, posted, handed to Notify's printers.
HAPPENED = frozenset({DeliveryState.IN_ACCOUNT, DeliveryState.OPENED, DeliveryState.EMAILED, DeliveryState.POSTED,
                      DeliveryState.SENT_TO_NOTIFY})
# The only moves allowed: a state never goes back (a failed email can be sent again, which is forward).
NEXT_STATES = {
    DeliveryState.EMAIL_QUEUED: {DeliveryState.EMAILED, DeliveryState.EMAIL_FAILED},
    DeliveryState.EMAIL_FAILED: {DeliveryState.EMAILED},
    DeliveryState.WAITING_POST: {DeliveryState.POSTED, DeliveryState.SENT_TO_NOTIFY},
    DeliveryState.IN_ACCOUNT: {DeliveryState.OPENED},
}


class Delivery(models.Model):
    """One statutory communication (a letter, an issued plan version, or both in one pack) to one recipient by
    one route, with the truth about what happened to it.

    The recipient is exactly one of: an account (a parent or carer who signs in, the young person, a
    professional), a family member with no account (reached by email or post), or an organisation (the school
    or setting named in the plan, whose SENCOs then find it). The address or email used is kept as it was."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="deliveries")
    letter = models.ForeignKey("letters.Letter", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="deliveries")
    version = models.ForeignKey("plans.PlanVersion", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="deliveries")
    family_member = models.ForeignKey("people.FamilyMember", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="deliveries")
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="deliveries")
    young_person = models.BooleanField(default=False, help_text="Sent to the young person themself")
    recipient_name = models.CharField(max_length=200, help_text="The name on the letter, as sent")
    why = models.CharField(max_length=200, help_text="Why this person receives it")
    route = models.CharField(max_length=10, choices=Route.choices)
    state = models.CharField(max_length=20, choices=DeliveryState.choices)
    email_address = models.EmailField(blank=True, help_text="The address emailed, as it was")
    postal_address = models.TextField(blank=True, help_text="The address posted to, as it was, postcode last")
    needs = models.CharField(max_length=300, blank=True, help_text="Accessible format or language needed, as it was")
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, help_text="Why the last attempt to send failed")
    posted_on = models.DateField(null=True, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    notify_reference = models.CharField(max_length=100, blank=True, help_text="GOV.UK Notify's id for a letter")

    class Meta:
        ordering = ["created_at", "recipient_name", "id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(condition=models.Q(letter__isnull=False) | models.Q(version__isnull=False),
                                   name="delivery_carries_something"),
            models.CheckConstraint(condition=models.Q(route="post") | models.Q(state__in=[
                "not_sent", "email_queued", "email_failed", "emailed", "in_account", "opened"]),
                name="delivery_state_fits_route"),
        ]
        indexes = [models.Index(fields=["state", "route"]), models.Index(fields=["recipient", "created_at"])]

    def __str__(self) -> str:
        return f"{self.what} to {self.recipient_name} ({self.get_route_display().lower()})"

    @property
    def what(self) -> str:
        if self.version_id and self.letter_id:
            return f"{self.version.get_kind_display()} and its covering letter"
        return self.version.get_kind_display() if self.version_id else self.letter.title

    @property
    def happened(self) -> bool:
        return self.state in HAPPENED

    def status_text(self) -> str:
        """How it went, in the words every page uses."""
        name = self.recipient_name
        if self.organisation_id and self.state in {DeliveryState.OPENED, DeliveryState.IN_ACCOUNT}:
            opened = f"opened on {self.opened_at:%-d %B %Y}" if self.opened_at else "not opened yet"
            return f"Sent to {name} (its SENCOs) in this service, {opened}"
        if self.state == DeliveryState.OPENED:
            return f"In {name}'s account, opened on {self.opened_at:%-d %B %Y}"
        if self.state == DeliveryState.IN_ACCOUNT:
            return f"In {name}'s account, not opened yet"
        if self.state == DeliveryState.EMAILED:
            return f"Emailed to {name} on {self.emailed_at:%-d %B %Y}"
        if self.state == DeliveryState.EMAIL_QUEUED:
            return f"Email to {name} waiting to be sent"
        if self.state == DeliveryState.EMAIL_FAILED:
            return f"Email to {name} failed: {self.error or 'the mail server refused it'}"
        if self.state == DeliveryState.WAITING_POST:
            return f"Waiting to be posted to {name}"
        if self.state == DeliveryState.POSTED:
            by = f" by {self.posted_by.full_name}" if self.posted_by_id else ""
            return f"Posted to {name} on {self.posted_on:%-d %B %Y}{by}"
        if self.state == DeliveryState.SENT_TO_NOTIFY:
            return f"Sent to GOV.UK Notify for printing and posting to {name} on {self.posted_on:%-d %B %Y}"
        return f"Not sent to {name}: no way to reach them is recorded"
