from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _keep_search_index(using: str, **kwargs) -> None:
    """On SQLite, a migration that rebuilds the entry table drops the triggers keeping the
    search index in step: put them back (and rebuild the index) after every migrate."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from reflect.journal.fulltext import MIGRATION, ensure_sqlite_index

    connection = connections[using]
    if connection.vendor == "sqlite" and MIGRATION in MigrationRecorder(
        connection
    ).applied_migrations():
        ensure_sqlite_index(using)


class JournalConfig(AppConfig):
    name = "reflect.journal"
    label = "journal"

    def ready(self) -> None:
        post_migrate.connect(_keep_search_index, sender=self)
