from django.apps import AppConfig


class FramingConfig(AppConfig):
    name = "reflect.framing"
    label = "framing"
