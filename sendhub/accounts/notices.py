"""Security notices: the one way to tell someone about a change to how they sign in.

A notice goes through the one outbox (messaging) like every message, but its email is always queued,
whatever the person's email preference: someone who switched emails off must still hear that their
authenticator was reset or a passkey was added, because that is how they learn it was not them. A
notice never names a child.
"""

from django.db import transaction


def send_security_notice(*, user, subject: str, body: str) -> None:
    from sendhub.messaging.models import Notification, State
    from sendhub.messaging.tasks import email_notification

    note = Notification.objects.create(recipient=user, subject=subject, body=body, email_body=body,
                                       email_state=State.QUEUED)
    transaction.on_commit(lambda: email_notification.enqueue(note.pk))
