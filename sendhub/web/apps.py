from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sendhub.web"
    label = "web"
