"""A GIN index for full-text search of entry bodies, on PostgreSQL only.

The indexed expression must stay identical to the one search queries use
(reflect.journal.browse.search_vector(): SearchVector("body", config="english")), or
PostgreSQL cannot use the index. It is built from that same Django expression here, so the
SQL matches exactly. The index is not declared in Entry.Meta: SQLite has no tsvector, and
keeping it out of the model state keeps `makemigrations --check` clean on both databases.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "entry_search"
SEARCH_CONFIG = "english"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Entry = apps.get_model("journal", "Entry")
    index = GinIndex(SearchVector("body", config=SEARCH_CONFIG), name=INDEX_NAME)
    schema_editor.add_index(Entry, index)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("journal", "0002_seed_article_prompts")]

    operations = [migrations.RunPython(create_search_index, drop_search_index, elidable=False)]
