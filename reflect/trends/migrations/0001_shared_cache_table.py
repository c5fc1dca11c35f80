"""The table of the shared cache (settings.CACHES["shared"], Django's database cache), so that
`migrate` is all a new deployment needs. createcachetable skips a table that exists and any
cache that is not in the database."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(_apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
