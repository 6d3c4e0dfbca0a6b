from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sendhub.accounts"
    label = "accounts"

    def ready(self):
        from . import throttling  # noqa: F401  connects the lockout receiver (audit and the owner's email)
