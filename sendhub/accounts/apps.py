from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sendhub.accounts"
    label = "accounts"
