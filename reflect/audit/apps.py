from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "reflect.audit"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Operator audit log"
