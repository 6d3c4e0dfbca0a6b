"""Work the daily reminder job queues on Django's tasks framework (django-tasks-db in production)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .models import Reminder


@task()
def email_reminder(reminder_id: int) -> bool:
    """Email one reminder; safe to run twice, because a sent reminder is marked and skipped."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().select_related("recipient").filter(pk=reminder_id).first()
        if reminder is None or reminder.emailed_at is not None:
            return False
        send_mail(
            subject=f"Deadline due {reminder.due:%-d %B %Y}",
            message=f"{reminder.message}\n\nSign in to {settings.SERVICE_NAME} to see the case. "
                    "This email does not include any other details about the child.",
            from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[reminder.recipient.email],
        )
        reminder.emailed_at = timezone.now()
        reminder.save(update_fields=["emailed_at"])
        return True
