from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "sendhub.clock"
    label = "clock"
