from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "sendhub.people"
    label = "people"
