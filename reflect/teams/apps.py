from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "reflect.teams"
    label = "teams"
