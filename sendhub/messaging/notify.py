"""A Django email backend that sends through GOV.UK Notify.

Notify sends only from templates. Make one email template in Notify whose subject is ((subject))
and whose body is ((body)), then set NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID: every email
sendhub sends (reminders, plan notifications) then goes through Notify, with its delivery state
recorded in the outbox as for any other backend.
"""

from django.core.mail.backends.base import BaseEmailBackend


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, *, api_key: str, template_id: str, base_url: str = "", client=None, **kwargs):
        super().__init__(**kwargs)
        if not api_key or not template_id:
            raise ValueError("GOV.UK Notify needs an API key and an email template id")
        if client is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            try:
                client = (NotificationsAPIClient(api_key, base_url=base_url) if base_url
                          else NotificationsAPIClient(api_key))
            except (AssertionError, ValueError, IndexError) as error:
                raise ValueError("NOTIFY_API_KEY is not a GOV.UK Notify API key: copy it again from Notify") from error
        self.client = client
        self.template_id = template_id

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            for address in message.recipients():
                self.client.send_email_notification(
                    email_address=address, template_id=self.template_id,
                    personalisation={"subject": message.subject, "body": message.body})
            sent += 1
        return sent
