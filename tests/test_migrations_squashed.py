"""A new database is built by the squashed migrations (journal 0001-0011, framing 0001-0002),
an existing one keeps going with the original files: both must end with the same models, and
a database the original files built must count the squash as applied and have nothing left
to do. (The tables, columns and indexes themselves were compared by schema dumps on SQLite
and PostgreSQL when the squash was written: see its docstring.)"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

SQUASHED = {
    ("journal", "0001_squashed_0011_entry_title"),
    ("framing", "0001_squashed_0002_framing_by_author_day_and_weekly_totals"),
}


def test_it_builds_the_same_models_through_the_squash_as_through_the_original_files():
    through_squash = MigrationLoader(None, ignore_no_migrations=True)
    through_originals = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    assert SQUASHED <= set(through_squash.graph.nodes)
    # Without replacing, the squash is a node of its own beside the files: leave it out.
    original_leaves = [n for n in through_originals.graph.leaf_nodes() if n not in SQUASHED]
    assert not SQUASHED & {
        node for leaf in original_leaves for node in through_originals.graph.forwards_plan(leaf)
    }

    squashed = through_squash.project_state().models
    original = through_originals.project_state(original_leaves).models
    for app in ("journal", "framing"):
        names = {key for key in original if key[0] == app}
        assert names == {key for key in squashed if key[0] == app}
        for key in names:
            assert squashed[key] == original[key], key


def test_it_replaces_every_original_file_it_names():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in SQUASHED:
        replaced = loader.disk_migrations[key].replaces
        assert all(name in loader.disk_migrations for name in replaced)
        app = key[0]
        last = max(name for _, name in replaced)
        # Every original file up to the last replaced one is replaced; later ones follow it.
        assert {(app, name) for a, name in loader.disk_migrations if a == app
                and name <= last and "squashed" not in name} == set(replaced)


@pytest.mark.django_db
def test_it_has_nothing_to_apply_on_a_database_the_original_files_built():
    recorder = MigrationRecorder(connection)
    # A database migrated before the squash existed records only the original files.
    recorder.migration_qs.filter(name__contains="_squashed_").delete()

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    for key in SQUASHED:
        assert key in executor.loader.applied_migrations


@pytest.mark.django_db
def test_it_seeds_a_new_database_with_the_article_prompts():
    from reflect.journal.article_prompts import PROMPTS
    from reflect.journal.models import Prompt

    assert list(Prompt.objects.order_by("position").values_list("text", flat=True)) == [
        text for text, *_ in PROMPTS
    ]
