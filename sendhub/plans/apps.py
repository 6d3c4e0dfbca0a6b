from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "sendhub.plans"
    label = "plans"
