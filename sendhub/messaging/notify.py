"""A Django email backend that sends through GOV.UK Notify.

Notify sends only from templates. Make one email template in Notify whose subject is ((subject))
and whose body is ((body)), then set NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID: every email
sendhub sends (reminders, plan notifications) then goes through Notify, with its delivery state
recorded in the outbox as for any other backend. Statutory packs sent by email carry a PDF: Notify sends
it as a download link, from a second template with ((subject)), ((body)) and ((link_to_file)), set as
NOTIFY_EMAIL_FILE_TEMPLATE_ID (the recipient confirms their email address before downloading).
"""

import io

from django.core.mail.backends.base import BaseEmailBackend


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, *, api_key: str, template_id: str, base_url: str = "", client=None, file_template_id: str = "",
                 **kwargs):
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
        self.file_template_id = file_template_id

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            personalisation, template_id = {"subject": message.subject, "body": message.body}, self.template_id
            if message.attachments:
                # Notify sends a file as a link, from a template with ((link_to_file)) as well: without that
                # template the email is refused here, so the delivery is recorded as failed, never as sent.
                if not self.file_template_id or len(message.attachments) != 1:
                    raise ValueError("GOV.UK Notify sends one attached file, and only with "
                                     "NOTIFY_EMAIL_FILE_TEMPLATE_ID set")
                from notifications_python_client import prepare_upload

                name, content, _ = message.attachments[0]
                personalisation["link_to_file"] = prepare_upload(io.BytesIO(content), filename=name,
                                                                 confirm_email_before_download=True)
                template_id = self.file_template_id
            for address in message.recipients():
                self.client.send_email_notification(
                    email_address=address, template_id=template_id, personalisation=personalisation)
            sent += 1
        return sent
