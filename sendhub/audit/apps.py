from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sendhub.audit"
    label = "audit"
