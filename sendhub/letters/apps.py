from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "sendhub.letters"
    label = "letters"
