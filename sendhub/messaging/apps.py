from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "sendhub.messaging"
    label = "messaging"
