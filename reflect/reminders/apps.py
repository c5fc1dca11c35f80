from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reflect.reminders"
    default_auto_field = "django.db.models.BigAutoField"
