"""Search indexes a bounded, search-safe copy of each entry (Entry.search_text), not the body.

PostgreSQL's text-search parser takes minutes on some texts within the length limit ("_a"
× 50,000), and the GIN index of 0003 ran it on every insert and update of the body. Steps:
drop that index (so filling the new column does not run the parser on the old bodies), add
the column and fill it in batches from reflect.lib.searchtext, then build the GIN index on
to_tsvector('english', search_text), from the same Django expression the search queries use
(reflect.journal.browse.search_vector()), so PostgreSQL can use it. PostgreSQL only, as in
0003; the index stays out of the model state for the same reason.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

from reflect.lib.searchtext import search_text

INDEX_NAME = "entry_search"
SEARCH_CONFIG = "english"
BATCH = 500


def _no_statement_timeout(schema_editor) -> None:
    # Building an index over a large table may take longer than a request may (settings'
    # STATEMENT_TIMEOUT_MS); SET LOCAL lasts only for this migration's transaction.
    schema_editor.execute("SET LOCAL statement_timeout = 0")


def drop_body_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _no_statement_timeout(schema_editor)
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


def fill_search_text(apps, schema_editor):
    Entry = apps.get_model("journal", "Entry")
    last = 0
    while True:
        batch = list(Entry.objects.filter(pk__gt=last).order_by("pk").only("pk", "body")[:BATCH])
        if not batch:
            return
        for entry in batch:
            entry.search_text = search_text(entry.body)
        Entry.objects.bulk_update(batch, ["search_text"])
        last = batch[-1].pk


def create_search_text_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _no_statement_timeout(schema_editor)
    Entry = apps.get_model("journal", "Entry")
    index = GinIndex(SearchVector("search_text", config=SEARCH_CONFIG), name=INDEX_NAME)
    schema_editor.add_index(Entry, index)


def restore_body_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _no_statement_timeout(schema_editor)
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    Entry = apps.get_model("journal", "Entry")
    schema_editor.add_index(
        Entry, GinIndex(SearchVector("body", config=SEARCH_CONFIG), name=INDEX_NAME)
    )


class Migration(migrations.Migration):
    dependencies = [("journal", "0004_entry_uuid")]

    operations = [
        migrations.RunPython(drop_body_index, migrations.RunPython.noop, elidable=False),
        migrations.AddField(
            model_name="entry",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_search_text_index, restore_body_index, elidable=False),
    ]
