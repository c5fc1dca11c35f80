"""Analyses keep a digest of what their row and their entry's cues were stored from
(reflect.framing.models.analysis_digest: the evidence's half, then the rest's), so that a
save whose analysis finds the same keeps them without reading the cues or writing the
evidence again. Existing analyses start with "" (no digest matches it): their next save
stores theirs.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("framing", "0003_drop_author_indexes_covered_by_composites"),
    ]

    operations = [
        migrations.AddField(
            model_name="framing",
            name="evidence_digest",
            field=models.CharField(blank=True, default="", editable=False, max_length=32),
        ),
    ]
