from django.apps import AppConfig


class CeilingConfig(AppConfig):
    name = "ceiling"
