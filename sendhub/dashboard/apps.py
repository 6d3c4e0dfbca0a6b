from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "sendhub.dashboard"
    label = "dashboard"
    verbose_name = "Partnership dashboard and the Big Plan"
    default_auto_field = "django.db.models.BigAutoField"
