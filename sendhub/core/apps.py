from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sendhub.core"
    label = "core"
