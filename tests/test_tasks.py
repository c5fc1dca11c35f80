"""Background work on the real database backend (django-tasks-db), run by its worker.

Other test modules keep the in-process backend (settings: TASKS_IN_PROCESS defaults to true
with DEBUG), which runs each task inline; here the `db_tasks` fixture switches to the database
backend and the worker's own run loop (batch mode: run what is ready, then return) runs them.
"""

import io
import os
import smtplib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from reflect.background.models import DonePeriod
from reflect.background.retry import backoff
from reflect.framing.models import Framing
from reflect.journal.models import Entry
from tests.test_teams_support import add_members, bulk_write, in_week, join, make_team, weeks
from tests.worker_tasks import always_fails, record_run

ROOT = Path(__file__).resolve().parent.parent
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_BACKEND


def run_worker(worker_id: str = "test-worker") -> None:
    """The worker's run loop in batch mode: every ready task, then return. Its
    close_old_connections() would close the test's transaction (CONN_MAX_AGE=0), as Django's
    test client avoids for requests; the worker subprocess test runs it for real."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _worker(worker_id).run()


def _worker(worker_id: str) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


@pytest.fixture
def team_with_figures(bob, alice):
    team = make_team(bob)
    join(team, alice)
    bulk_write(add_members(team, 5), [in_week(weeks()[-1])])
    return team


def statuses() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("status", flat=True))


def test_it_queues_the_weekly_summary_and_the_worker_sends_it(db_tasks, team_with_figures):
    out = io.StringIO()
    call_command("send_team_summaries", stdout=out)
    assert "Queued 1 team summary" in out.getvalue()
    # Queued, not sent: nothing happens until a worker runs it.
    assert mail.outbox == []
    assert statuses() == ["READY"]
    run_worker()
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
    assert statuses() == ["SUCCESSFUL"]


def test_it_sends_one_summary_per_manager_and_week_however_often_it_runs(
    db_tasks, team_with_figures
):
    for _ in range(2):
        call_command("send_team_summaries", stdout=io.StringIO())
        run_worker()
    call_command("send_team_summaries", stdout=io.StringIO())
    call_command("send_team_summaries", stdout=io.StringIO())
    run_worker()
    assert len(mail.outbox) == 1
    assert statuses() == ["SUCCESSFUL"] * 4
    assert DonePeriod.objects.filter(job="team_summary").count() == 1


def test_it_retries_a_failed_summary_with_backoff_and_sends_it_once(
    db_tasks, team_with_figures, admin_client
):
    call_command("send_team_summaries", stdout=io.StringIO())
    with mock.patch("reflect.teams.tasks.send_mail", side_effect=smtplib.SMTPException("down")):
        run_worker()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "SMTPException" in failed.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["retry_attempt"] == 2
    assert retry.run_after > timezone.now() + timedelta(seconds=50)
    # The failed attempt left no claim: the retry may send.
    assert not DonePeriod.objects.exists()
    run_worker()  # not due yet: nothing runs
    assert mail.outbox == [] and DBTaskResult.objects.get(pk=retry.pk).status == "READY"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert len(mail.outbox) == 1
    assert statuses() == ["FAILED", "SUCCESSFUL"]
    # Results and failures are visible to operators in the admin.
    page = admin_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    assert page.status_code == 200
    assert b"send_team_summary" in page.content and b"Failed" in page.content
    detail = admin_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk])
    )
    assert b"SMTPException" in detail.content


def test_it_stops_retrying_after_the_last_attempt(db_tasks, db):
    always_fails.enqueue()
    for _ in range(5):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()
    assert statuses() == ["FAILED"] * 3


def test_it_backs_off_exponentially_up_to_an_hour():
    assert [backoff(n, 60).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(20, 60) == timedelta(hours=1)


def test_it_purges_the_trash_on_the_worker(db_tasks, alice):
    old = Entry.objects.create(author=alice, body="old", written_on=alice.today())
    recent = Entry.objects.create(author=alice, body="recent", written_on=alice.today())
    Entry.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    Entry.objects.filter(pk=recent.pk).update(deleted_at=timezone.now() - timedelta(days=1))
    out = io.StringIO()
    call_command("purge_trash", stdout=out)
    assert "Queued the Trash purge" in out.getvalue()
    assert Entry.objects.filter(pk=old.pk).exists()
    run_worker()
    call_command("purge_trash", stdout=io.StringIO())
    run_worker()
    assert list(Entry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert [r.return_value for r in DBTaskResult.objects.order_by("finished_at")] == [1, 0]


def test_it_reanalyses_in_batches_that_enqueue_the_next_until_done(db_tasks, alice):
    entries = [
        Entry.objects.create(author=alice, body=f"I have to do it {n}.", written_on=alice.today())
        for n in range(5)
    ]
    with mock.patch("reflect.framing.ANALYZER_VERSION", "2999.1.1"):
        call_command("reanalyze", batch_size=2, stdout=io.StringIO())
        assert DBTaskResult.objects.count() == 1
        assert not Framing.objects.exists()
        run_worker()
        versions = set(Framing.objects.values_list("analyzer_version", flat=True))
        # Batches of 2, 2 and 1: the short one ends the chain.
        assert [r.return_value for r in DBTaskResult.objects.order_by("enqueued_at")] == [2, 2, 1]
        out = io.StringIO()
        call_command("reanalyze", stdout=out)
    assert versions == {"2999.1.1"}
    assert Framing.objects.count() == len(entries)
    assert "Reanalysed 0 entries" in out.getvalue()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several worker processes need PostgreSQL"
)
def test_it_claims_tasks_with_skip_locked(db_tasks, db):
    record_run.enqueue("/dev/null", 1)
    with CaptureQueriesContext(connection) as queries:
        run_worker()
    assert any("FOR UPDATE SKIP LOCKED" in q["sql"] for q in queries.captured_queries)


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
    reason="several worker processes on one database: PostgreSQL (DATABASE_URL)",
)
def test_it_runs_each_task_once_with_two_worker_processes(db_tasks, transactional_db, tmp_path):
    runs = tmp_path / "runs.txt"
    count = 60
    for n in range(count):
        record_run.enqueue(str(runs), n)
    name = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "TASKS_IN_PROCESS": "false",
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
             "--no-startup-delay", "--interval", "0", "--worker-id", f"w{i}", "-v", "0"],
            cwd=ROOT, env=env,
        )
        for i in range(2)
    ]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    numbers = sorted(int(line.split()[0]) for line in runs.read_text().splitlines())
    assert numbers == list(range(count))
    results = DBTaskResult.objects.all()
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert all(len(r.worker_ids) == 1 for r in results)


def test_in_process_reanalysis_runs_its_batches_in_a_loop_not_a_recursion(alice, settings):
    """Development runs tasks in the process (ImmediateBackend): a chain that enqueued its next
    batch from inside the last one grew the stack by a level per batch, and an upgrade over
    182,500 entries died of RecursionError. 40 batches under a stack with little room left."""
    from reflect.framing.tasks import reanalyze_batch

    assert type(reanalyze_batch.get_backend()).__name__ == "ImmediateBackend"
    for n in range(40):
        Entry.objects.create(author=alice, body=f"I chose it {n}.", written_on=alice.today())
    limit = sys.getrecursionlimit()
    depth = len(__import__("inspect").stack(0))
    with mock.patch("reflect.framing.ANALYZER_VERSION", "2999.1.2"):
        sys.setrecursionlimit(depth + 120)
        try:
            done = reanalyze_batch.enqueue(after_pk=0, batch_size=1).return_value
        finally:
            sys.setrecursionlimit(limit)
        assert done == 40
        assert set(Framing.objects.values_list("analyzer_version", flat=True)) == {"2999.1.2"}
