from django.db import transaction

from .models import Notification, State


def notify(*, recipients, subject: str, body: str, email_body: str = "", link: str = "",
           child=None) -> list[Notification]:
    """Put a message in each person's inbox and queue its email once the transaction commits.

    The in-app `body` may name the child (the reader has signed in); the email says only `email_body`.
    """
    from .tasks import email_notification

    created = Notification.objects.bulk_create([
        Notification(recipient=person, child=child, subject=subject, body=body, email_body=email_body or body,
                     link=link, email_state=State.QUEUED if person.email_notifications else State.OFF)
        for person in {p.pk: p for p in recipients if p is not None and p.is_active}.values()
    ])
    ids = [n.pk for n in created if n.email_state == State.QUEUED]
    if ids:
        transaction.on_commit(lambda: [email_notification.enqueue(pk) for pk in ids])
    return created
