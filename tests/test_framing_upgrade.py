"""After an upgrade that changes the analyzer, past entries are re-read: migrate (which every
upgrade runs, and make run too) queues the resumable re-analysis by itself."""

import io
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from reflect.framing.models import Framing
from reflect.journal.models import create_entry
from tests.test_tasks import DB_BACKEND, run_worker

ROOT = Path(__file__).resolve().parent.parent


def test_it_queues_the_reanalysis_after_migrate_when_the_version_changed(settings, alice):
    entry = create_entry(
        author=alice,
        body="I ran the handover anyway.",
        written_on=alice.today(),
        prompt=None,
        draft=False,
    )
    settings.TASKS = DB_BACKEND
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    assert not DBTaskResult.objects.exists()  # all current: nothing queued
    with mock.patch("reflect.framing.ANALYZER_VERSION", "a-new-version"):
        call_command("migrate", verbosity=0, stdout=io.StringIO())
        assert DBTaskResult.objects.count() == 1
        run_worker()
    assert Framing.objects.get(entry=entry).analyzer_version == "a-new-version"


def test_a_partial_migrate_on_a_new_database_does_not_fail(tmp_path):
    """`migrate journal 0009` on an empty database stops before framing's tables exist; the
    re-analysis check after it must wait for a full migrate instead of querying them."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/partial.sqlite3"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "journal", "0009", "--verbosity", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
