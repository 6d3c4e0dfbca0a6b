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


@task()
def email_delivery(delivery_id: int) -> str:
    """Email one statutory pack; record emailed or failed (with the reason), never raise."""
    from .deliveries import advance, email_pack
    from .models import Delivery, DeliveryState

    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(of=("self",)).select_related("child__local_authority")
                    .filter(pk=delivery_id).first())
        if delivery is None or delivery.state not in {DeliveryState.EMAIL_QUEUED, DeliveryState.EMAIL_FAILED}:
            return "skipped"
        try:
            email_pack(delivery)
        except Exception as error:  # noqa: BLE001  the failure is recorded and shown to the caseworker
            if delivery.state == DeliveryState.EMAIL_QUEUED:
                advance(delivery, DeliveryState.EMAIL_FAILED, error=str(error)[:300])
            else:
                Delivery.objects.filter(pk=delivery.pk).update(error=str(error)[:300])
            return DeliveryState.EMAIL_FAILED
        advance(delivery, DeliveryState.EMAILED, emailed_at=timezone.now(), error="")
        return delivery.state


def notify_letter_client():
    """GOV.UK Notify's client for letters, from the council's letter key (NOTIFY_LETTER_API_KEY)."""
    from notifications_python_client.notifications import NotificationsAPIClient

    return NotificationsAPIClient(settings.NOTIFY_LETTER_API_KEY)


@task()
def send_letter_to_notify(delivery_id: int) -> str:
    """Send one post pack to GOV.UK Notify's printers (a precompiled letter: the PDF, address on page one).
    If Notify refuses it, the pack stays on the post tray to be posted by hand."""
    import io

    from .deliveries import advance, pack_pdf
    from .models import Delivery, DeliveryState

    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(of=("self",)).select_related("child__local_authority")
                    .filter(pk=delivery_id).first())
        if delivery is None or delivery.state != DeliveryState.WAITING_POST:
            return "skipped"
        try:
            answer = notify_letter_client().send_precompiled_letter_notification(
                reference=f"sendhub-delivery-{delivery.pk}", pdf_file=io.BytesIO(pack_pdf(delivery)))
        except Exception as error:  # noqa: BLE001  left on the tray, with the reason
            Delivery.objects.filter(pk=delivery.pk).update(error=f"GOV.UK Notify: {error}"[:300])
            return "failed"
        advance(delivery, DeliveryState.SENT_TO_NOTIFY, posted_on=timezone.localdate(),
                notify_reference=str((answer or {}).get("id", ""))[:100])
        return delivery.state
