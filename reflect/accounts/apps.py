from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reflect.accounts"
    label = "accounts"
