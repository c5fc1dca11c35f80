"""An analysis's evidence is kept as its JSON text (reflect.framing.models.JSONTextField): a
text column on PostgreSQL instead of jsonb, each row converted by the column's new type
(`USING evidence::text`: jsonb's own text of the same value, read back as the same list), and
compressed with lz4 where the server has it. Writing 30 KB of evidence cost the database a
jsonb parse and a pglz compression on every save that changed it (about ten times the text
column's cost with lz4); readers get the same Python value. SQLite kept JSON as text already:
only the model's state changes there.
"""

from django.db import migrations

import reflect.framing.models


def _alter(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # No parameters: the % of RAISE is not a placeholder.
        schema_editor.execute(sql.format(table=schema_editor.quote_name("framing_framing")), None)


def evidence_as_text(apps, schema_editor) -> None:
    """The text of each value, then lz4 for new values (the rows already stored keep pglz),
    skipped with a notice on a server built without lz4."""
    _alter(schema_editor, "ALTER TABLE {table} ALTER COLUMN evidence TYPE text "
                          "USING evidence::text")
    _alter(schema_editor, "DO $$ BEGIN "
                          "EXECUTE 'ALTER TABLE {table} ALTER COLUMN evidence "
                          "SET COMPRESSION lz4'; EXCEPTION WHEN OTHERS THEN RAISE NOTICE "
                          "'evidence keeps the default compression: %', SQLERRM; END $$")


def evidence_as_jsonb(apps, schema_editor) -> None:
    _alter(schema_editor, "ALTER TABLE {table} ALTER COLUMN evidence TYPE jsonb "
                          "USING evidence::jsonb, ALTER COLUMN evidence SET COMPRESSION default")


class Migration(migrations.Migration):

    dependencies = [
        ("framing", "0004_framing_evidence_digest"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="framing",
                    name="evidence",
                    field=reflect.framing.models.JSONTextField(default=list),
                ),
            ],
            database_operations=[migrations.RunPython(evidence_as_text, evidence_as_jsonb)],
        ),
    ]
