"""After an upgrade that changes the analyzer, past entries are re-read: migrate (which every
upgrade runs, and make run too) queues the resumable re-analysis by itself."""

import io
from unittest import mock

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from reflect.framing.models import Framing
from reflect.journal.models import create_entry
from tests.test_tasks import DB_BACKEND, run_worker


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
