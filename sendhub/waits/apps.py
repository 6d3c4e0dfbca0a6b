from django.apps import AppConfig


class WaitsConfig(AppConfig):
    name = "sendhub.waits"
    label = "waits"
