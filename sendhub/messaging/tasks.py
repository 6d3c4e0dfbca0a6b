from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .models import Notification, State


@task()
def email_notification(notification_id: int) -> str:
    """Email one message; the body says only what happened and where to sign in, never the child's details."""
    with transaction.atomic():
        note = Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        if note is None or note.email_state in {State.SENT, State.OFF}:
            return "skipped"
        try:
            send_mail(subject=note.subject,
                      message=f"{note.email_body or note.body}\n\nSign in to {settings.SERVICE_NAME} to read it.",
                      from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[note.recipient.email])
        except Exception as error:  # noqa: BLE001  a mail server's failure is recorded, never raised into the outbox
            note.email_state, note.email_error = State.FAILED, str(error)[:300]
        else:
            note.email_state, note.emailed_at = State.SENT, timezone.now()
        note.save(update_fields=["email_state", "email_error", "emailed_at"])
        return note.email_state
