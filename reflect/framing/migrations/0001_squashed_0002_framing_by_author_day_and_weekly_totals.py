"""framing's migrations 0001-0002 as one, for new databases (make run's first migrate).

Django applies this only where neither 0001 nor 0002 is applied, that is where the framing
tables do not exist yet; a database with both applied counts it as applied, one with 0001
only goes on with 0002, and the original files stay until every database has passed 0002.
It holds the schema 0002 leaves (author, day and prompt on each analysis, the weekly totals).
0002's copy from the entries and its weekly totals act on analyses, which a database without
the framing tables has none of.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ("framing", "0001_initial"),
        ("framing", "0002_framing_by_author_day_and_weekly_totals"),
    ]

    initial = True

    dependencies = [
        ("journal", "0004_entry_uuid"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Framing',
            fields=[
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='framing', serialize=False, to='journal.entry')),
                ('analyzer_version', models.CharField(db_index=True, max_length=32)),
                ('words', models.PositiveIntegerField(default=0)),
                ('action_vision_pos', models.FloatField(default=0)),
                ('action_vision_neg', models.FloatField(default=0)),
                ('position_choice_pos', models.FloatField(default=0)),
                ('position_choice_neg', models.FloatField(default=0)),
                ('self_collective_pos', models.FloatField(default=0)),
                ('self_collective_neg', models.FloatField(default=0)),
                ('obligation_agency_pos', models.FloatField(default=0)),
                ('obligation_agency_neg', models.FloatField(default=0)),
                ('ripple_pos', models.FloatField(default=0)),
                ('ripple_neg', models.FloatField(default=0)),
                ('fixed_growth_pos', models.FloatField(default=0)),
                ('fixed_growth_neg', models.FloatField(default=0)),
                ('tone_pos', models.FloatField(default=0)),
                ('tone_neg', models.FloatField(default=0)),
                ('scores', models.JSONField(default=dict)),
                ('confidence', models.JSONField(default=dict)),
                ('evidence', models.JSONField(default=list)),
                ('ignored', models.JSONField(default=list)),
                ('flags', models.JSONField(default=list)),
                ('computed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                ('prompt', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to='journal.prompt')),
                ('written_on', models.DateField()),
            ],
            options={
                'indexes': [models.Index(fields=['author', 'written_on'], name='framing_author_day')],
            },
        ),
        migrations.CreateModel(
            name='HighlightReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('analyzer_version', models.CharField(max_length=32)),
                ('dimension', models.CharField(max_length=24)),
                ('rule', models.CharField(max_length=120)),
                ('phrase', models.CharField(max_length=200)),
                ('pole', models.SmallIntegerField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='journal.entry')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Cue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('written_on', models.DateField()),
                ('dimension', models.CharField(max_length=24)),
                ('pole', models.SmallIntegerField()),
                ('phrase', models.CharField(max_length=120)),
                ('weight', models.FloatField(default=1)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cues', to='journal.entry')),
            ],
            options={
                'indexes': [models.Index(fields=['author', 'dimension', 'written_on'], name='cue_author_dim_day')],
            },
        ),
        migrations.CreateModel(
            name='WeeklyFraming',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action_vision_pos', models.FloatField(default=0)),
                ('action_vision_neg', models.FloatField(default=0)),
                ('position_choice_pos', models.FloatField(default=0)),
                ('position_choice_neg', models.FloatField(default=0)),
                ('self_collective_pos', models.FloatField(default=0)),
                ('self_collective_neg', models.FloatField(default=0)),
                ('obligation_agency_pos', models.FloatField(default=0)),
                ('obligation_agency_neg', models.FloatField(default=0)),
                ('ripple_pos', models.FloatField(default=0)),
                ('ripple_neg', models.FloatField(default=0)),
                ('fixed_growth_pos', models.FloatField(default=0)),
                ('fixed_growth_neg', models.FloatField(default=0)),
                ('tone_pos', models.FloatField(default=0)),
                ('tone_neg', models.FloatField(default=0)),
                ('week', models.DateField(help_text='The Monday the week starts on.')),
                ('entries', models.PositiveIntegerField(default=0)),
                ('words', models.PositiveIntegerField(default=0)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['week', 'author'], name='weekly_framing_week')],
                'constraints': [models.UniqueConstraint(fields=('author', 'week'), name='weekly_framing_once')],
            },
        ),
    ]
