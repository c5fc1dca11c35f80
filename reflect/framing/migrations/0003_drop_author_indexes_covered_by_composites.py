"""Analyses, cues and weekly totals lose their single-column author index: each table has a
composite index that leads with the author (framing_author_day, cue_author_dim_day,
weekly_framing_once). With the single one, PostgreSQL read a 500-person team's every analysis
by author and filtered the days (the paired prompt's window: 80 ms instead of 16); and each
save maintained one index more per cue.

Depends on 0002, which the squashed 0001_squashed_0002 replaces: it follows either.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("framing", "0002_framing_by_author_day_and_weekly_totals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="cue",
            name="author",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="framing",
            name="author",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="weeklyframing",
            name="author",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
