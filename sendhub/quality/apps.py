from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "sendhub.quality"
    label = "quality"
    verbose_name = "Plan quality"
