from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "sendhub.assessments"
    label = "assessments"
