"""The admin's history (LogEntry.object_repr) kept each entry's name as it was when an
operator acted on it, and that name used to be the entry's first 40 characters. Rename those
rows the way entries are named now: "Entry #<id>"."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat


def scrub(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    entry_type = ContentType.objects.filter(app_label="journal", model="entry").first()
    if entry_type is not None:
        LogEntry.objects.filter(content_type=entry_type).update(
            object_repr=Concat(Value("Entry #"), "object_id")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_event"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
