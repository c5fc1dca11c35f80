"""The journal's migrations 0001-0011 as one, for new databases (make run's first migrate).

Django applies this only where none of 0001-0011 is applied, that is where the journal's
tables do not exist yet; a database with all of them applied counts it as applied, and one
part-way through goes on with the original files, which stay until every database has
passed 0011. So it holds the final schema (same tables, columns, indexes and constraints as
0001-0011 leave, field order as they leave it) plus what a new database needs from their
code: the article's prompts (0002) and the full-text index of 0010. Their steps on existing
rows (0004's uuids, 0005's search copies, 0003/0005's interim indexes) have no rows to act on.
Fewer operations than the 24 of the originals: each one makes Django re-render the models
related to the changed one, which was most of a fresh migrate.

Checked by schema dumps of new databases, originals against this: SQLite's sqlite_master is
identical; PostgreSQL's pg_dump differs in two names only Django never uses: the uuid's
unique constraint is journal_entry_uuid_key (created with the table) instead of
journal_entry_uuid_d40bea40_uniq (added by 0004), and the generated search_vector column
comes after title instead of before it. tests/test_migrations_squashed.py checks the models.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from reflect.journal.article_prompts import PROMPTS
from reflect.journal.fulltext import drop_sqlite_index, ensure_sqlite_index


def seed_article_prompts(apps, schema_editor):
    """0002: the article's prompts, in its order (the table is new and empty)."""
    Prompt = apps.get_model("journal", "Prompt")
    Prompt.objects.using(schema_editor.connection.alias).bulk_create(
        Prompt(text=text, source=source, category=category, passage=passage, position=position)
        for position, (text, source, category, passage) in enumerate(PROMPTS)
    )


def create_search_index(apps, schema_editor):
    """0010: SQLite's FTS5 table and triggers; PostgreSQL's stored tsvector column and its
    GIN index (out of the model state, as in 0010)."""
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        ensure_sqlite_index(connection.alias)
    elif connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE journal_entry ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, search_text)) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX entry_search_vector ON journal_entry USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    """Back: SQLite's FTS5 table is not the entry table's (PostgreSQL's column goes with it)."""
    if schema_editor.connection.vendor == "sqlite":
        drop_sqlite_index(schema_editor.connection.alias)


class Migration(migrations.Migration):

    replaces = [
        ("journal", "0001_initial"),
        ("journal", "0002_seed_article_prompts"),
        ("journal", "0003_entry_search_index"),
        ("journal", "0004_entry_uuid"),
        ("journal", "0005_entry_search_text"),
        ("journal", "0006_entry_writing_sessions"),
        ("journal", "0007_entry_mood_and_tags"),
        ("journal", "0008_pending_import"),
        ("journal", "0009_entry_image"),
        ("journal", "0010_search_vector_and_fts5"),
        ("journal", "0011_entry_title"),
    ]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Prompt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField()),
                ('source', models.CharField(choices=[('article', 'Asked in the article'), ('derived', 'Drawn from the article'), ('operator', 'Added by the operator'), ('team', 'Posed to a team')], default='operator', max_length=16)),
                ('category', models.CharField(choices=[('opening', 'Opening questions'), ('closing', 'Closing questions'), ('checklist', "The leader's checklist"), ('daily', 'Daily check-in'), ('what_if', 'What if… / how might we…'), ('big_picture', 'The big picture'), ('choice', 'Choosing to lead')], default='daily', max_length=16)),
                ('passage', models.TextField(blank=True, help_text='The article passage this prompt comes from.')),
                ('is_active', models.BooleanField(default=True)),
                ('position', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Entry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField()),
                ('written_on', models.DateField(help_text="The day the entry is about, in the author's time zone.")),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('version', models.PositiveIntegerField(default=1)),
                ('word_count', models.PositiveIntegerField(default=0)),
                ('is_draft', models.BooleanField(default=False)),
                ('deleted_at', models.DateTimeField(blank=True, null=True)),
                ('autosaved_at', models.DateTimeField(blank=True, null=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to=settings.AUTH_USER_MODEL)),
                ('prompt', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='journal.prompt')),
                ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('search_text', models.TextField(blank=True, default='', editable=False)),
                ('created_in_session', models.UUIDField(blank=True, editable=False, null=True)),
                ('written_in_session', models.UUIDField(blank=True, editable=False, null=True)),
                ('mood', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Very hard'), (2, 'Hard'), (3, 'Mixed'), (4, 'Good'), (5, 'Very good')], null=True)),
                ('title', models.CharField(blank=True, default='', max_length=120)),
            ],
            options={
                'verbose_name_plural': 'entries',
                'ordering': ['-written_on', '-id'],
                'indexes': [
                    models.Index(condition=models.Q(('deleted_at__isnull', True), ('is_draft', False)), fields=['author', '-written_on', '-id'], name='entry_author_day'),
                    models.Index(fields=['author', 'prompt', 'written_on'], name='entry_author_prompt'),
                    models.Index(condition=models.Q(('deleted_at__isnull', False)), fields=['deleted_at'], name='entry_trash'),
                ],
                'constraints': [
                    models.UniqueConstraint(condition=models.Q(('created_in_session__isnull', False), ('deleted_at__isnull', True)), fields=('author', 'created_in_session'), name='entry_one_per_writing_session'),
                    models.CheckConstraint(condition=models.Q(('mood__isnull', True), models.Q(('mood__gte', 1), ('mood__lte', 5)), _connector='OR'), name='entry_mood_1_to_5'),
                ],
            },
        ),
        migrations.CreateModel(
            name='Revision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.TextField()),
                ('written_on', models.DateField()),
                ('version', models.PositiveIntegerField()),
                ('reason', models.CharField(choices=[('edit', 'Before an edit'), ('restore', 'Before a restore'), ('conflict', 'Unsaved text from a conflicting edit')], default='edit', max_length=16)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='journal.entry')),
                ('prompt', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='journal.prompt')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['entry', '-version'], name='revision_entry')],
            },
        ),
        migrations.CreateModel(
            name='HiddenPrompt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                ('prompt', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='journal.prompt')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('user', 'prompt'), name='hidden_prompt_once')],
            },
        ),
        migrations.CreateModel(
            name='EntryTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=64)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tags', to='journal.entry')),
            ],
            options={
                'ordering': ['name'],
                'indexes': [models.Index(fields=['author', 'name', 'entry'], name='entry_tag_author')],
                'constraints': [models.UniqueConstraint(fields=('entry', 'name'), name='entry_tag_once')],
            },
        ),
        migrations.CreateModel(
            name='PendingImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('source', models.CharField(max_length=32)),
                ('data', models.TextField()),
                ('count', models.PositiveIntegerField()),
                ('first_day', models.DateField(null=True)),
                ('last_day', models.DateField(null=True)),
                ('skipped', models.JSONField(default=list)),
                ('notes', models.JSONField(default=list)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='EntryImage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=200, upload_to='')),
                ('content_type', models.CharField(max_length=32)),
                ('alt', models.CharField(blank=True, max_length=300)),
                ('width', models.PositiveIntegerField()),
                ('height', models.PositiveIntegerField()),
                ('size', models.PositiveIntegerField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='images', to='journal.entry')),
            ],
            options={
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.RunPython(seed_article_prompts, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
