from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sendhub.demo"
    label = "demo"
