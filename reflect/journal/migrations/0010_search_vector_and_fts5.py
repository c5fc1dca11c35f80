"""Search reads a stored index on both databases (reflect.journal.fulltext).

PostgreSQL: a stored generated column `search_vector` = to_tsvector('english', search_text)
with a GIN index, replacing the expression index of 0005: search recomputed to_tsvector for
every entry of the person as a filter and again for the rank (33 ms of database time per
search at 300 entries, 158 ms at ten years). The column stays out of the model state, as
0003/0005's index did (SQLite has no tsvector), so `makemigrations --check` stays clean.

SQLite: the FTS5 table `journal_entry_fts` over the entries (external content) and the
triggers that keep it in step, built from the existing entries.
"""

from django.db import migrations

from reflect.journal.fulltext import drop_sqlite_index, ensure_sqlite_index

OLD_INDEX = "entry_search"
NEW_INDEX = "entry_search_vector"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        ensure_sqlite_index(connection.alias)
        return
    if connection.vendor != "postgresql":
        return
    # Filling the column over a large table may take longer than a request may.
    schema_editor.execute("SET LOCAL statement_timeout = 0")
    schema_editor.execute(
        "ALTER TABLE journal_entry ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, search_text)) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {NEW_INDEX} ON journal_entry USING gin (search_vector)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        drop_sqlite_index(connection.alias)
        return
    if connection.vendor != "postgresql":
        return
    schema_editor.execute("SET LOCAL statement_timeout = 0")
    schema_editor.execute(
        f"CREATE INDEX {OLD_INDEX} ON journal_entry "
        "USING gin (to_tsvector('english'::regconfig, COALESCE(search_text, '')))"
    )
    schema_editor.execute("ALTER TABLE journal_entry DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("journal", "0009_entry_image")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
