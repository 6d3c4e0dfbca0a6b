from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sendhub.portal"
    verbose_name = "Family and young person portal"
