from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "sendhub.organisations"
    label = "organisations"
