from django.apps import AppConfig


class TrendsConfig(AppConfig):
    name = "reflect.trends"
    label = "trends"
