import pytest
from django.core import mail
from django.test import override_settings

from sendhub.messaging.models import Notification
from sendhub.messaging.notify import NotifyEmailBackend
from sendhub.messaging.services import notify
from sendhub.messaging.tasks import email_notification

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


class FakeNotify:
    def __init__(self):
        self.sent = []

    def send_email_notification(self, **kwargs):
        self.sent.append(kwargs)
        return {"id": "fake"}


def test_notify_backend_sends_each_recipient_through_one_template():
    client = FakeNotify()
    backend = NotifyEmailBackend(api_key="key", template_id="tmpl-1", client=client)
    message = mail.EmailMessage("Draft plan issued", "Sign in to read it.", to=["a@example.test", "b@example.test"])
    assert backend.send_messages([message]) == 1
    assert [s["email_address"] for s in client.sent] == ["a@example.test", "b@example.test"]
    assert client.sent[0] == {"email_address": "a@example.test", "template_id": "tmpl-1",
                              "personalisation": {"subject": "Draft plan issued", "body": "Sign in to read it."}}


def test_notify_backend_refuses_to_start_half_configured():
    with pytest.raises(ValueError, match="API key and an email template"):
        NotifyEmailBackend(api_key="key", template_id="", client=FakeNotify())


@override_settings(TASKS=IMMEDIATE)
def test_outbox_records_delivery_and_survives_a_failed_mail_server(area, django_capture_on_commit_callbacks,
                                                                   monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        [note] = notify(recipients=[area.users["parent"], None], subject="Plan issued", body="Sign in.")
    note.refresh_from_db()
    assert note.email_state == "sent" and len(mail.outbox) == 1

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("sendhub.messaging.tasks.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        [second] = notify(recipients=[area.users["therapist"]], subject="Plan issued", body="Sign in.")
    second.refresh_from_db()
    assert (second.email_state, second.email_error) == ("failed", "mail server down")
    assert Notification.objects.count() == 2  # the in-app message is kept
    assert email_notification.call(note.pk) == "skipped"  # never sent twice


def test_a_malformed_notify_key_is_named_clearly():
    with pytest.raises(ValueError, match="is not a GOV.UK Notify API key"):
        NotifyEmailBackend(api_key="not-a-key", template_id="tmpl-1")
