from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sendhub.api"
    label = "api"
