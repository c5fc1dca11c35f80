"""Give every entry a stable uuid, so that importing an export twice creates no duplicates.

Three steps, as Django recommends for a unique field on existing rows: add it nullable, give
each existing row its own value, then make it unique and required.
"""

import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # One statement instead of one query per row (gen_random_uuid is built in since PG 13).
        schema_editor.execute(
            "UPDATE journal_entry SET uuid = gen_random_uuid() WHERE uuid IS NULL"
        )
        return
    Entry = apps.get_model("journal", "Entry")
    batch = []
    for entry in Entry.objects.filter(uuid__isnull=True).only("pk").iterator(chunk_size=2000):
        entry.uuid = uuid.uuid4()
        batch.append(entry)
        if len(batch) >= 2000:
            Entry.objects.bulk_update(batch, ["uuid"])
            batch = []
    Entry.objects.bulk_update(batch, ["uuid"])


class Migration(migrations.Migration):
    dependencies = [("journal", "0003_entry_search_index")]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="entry",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
