from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FramingConfig(AppConfig):
    name = "reflect.framing"
    label = "framing"

    def ready(self) -> None:
        # An upgrade (which runs migrate) re-reads entries analysed by another analyzer version.
        from .tasks import reanalyze_after_migrate

        post_migrate.connect(reanalyze_after_migrate, sender=self)
