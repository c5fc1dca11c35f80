"""An analysis's digest gains a third part, the cues' (reflect.framing.models.analysis_digest):
48 characters instead of 32. Digests stored before match no new one (their format differs):
each analysis is written whole once more at its next save. Migrating back forgets the
digests (they would not fit): again, each analysis is written whole at its next save.
"""

from django.db import migrations, models


def forget_digests(apps, schema_editor) -> None:
    apps.get_model("framing", "Framing").objects.exclude(evidence_digest="").update(
        evidence_digest=""
    )


class Migration(migrations.Migration):

    dependencies = [
        ("framing", "0005_framing_evidence_as_text"),
    ]

    operations = [
        migrations.AlterField(
            model_name="framing",
            name="evidence_digest",
            field=models.CharField(blank=True, default="", editable=False, max_length=48),
        ),
        # Backwards, this runs first: the column shrinks once no digest is longer.
        migrations.RunPython(migrations.RunPython.noop, forget_digests, elidable=True),
    ]
