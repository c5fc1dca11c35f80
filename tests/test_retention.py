"""Retention from the environment (issue 12, Operators): strict parsing, one daily job that
deletes exactly what is past its time, and members told on their Sharing page."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reflect import audit
from reflect.audit.models import AuditEvent
from reflect.framing.models import HighlightReport
from reflect.journal.models import Entry, Revision, create_entry
from reflect.retention.tasks import apply_retention
from reflect.settings import envdays
from reflect.teams.models import AccessEvent
from tests.test_teams_support import join, make_team

MINUTE = timedelta(minutes=1)
DAYS = {"TRASH_DAYS": 30, "REVISION_DAYS": 10, "ACCESS_LOG_DAYS": 20, "AUDIT_LOG_DAYS": 40,
        "TASK_RESULT_DAYS": 5, "HIGHLIGHT_REPORT_DAYS": 50}


@pytest.mark.parametrize(("value", "expected"), [
    ("30", 30), (" 7 ", 7), ("36500", 36500), ("forever", None), (" Forever ", None)])
def test_it_reads_days_or_forever(monkeypatch, value, expected):
    monkeypatch.setenv("KEEP", value)
    assert envdays("KEEP", "1", forever=True) == expected


@pytest.mark.parametrize("value", ["0", "-1", "30d", "", "1.5", "٣", "36501", "never", "1e3"])
def test_it_refuses_anything_but_days_or_forever(monkeypatch, value):
    monkeypatch.setenv("KEEP", value)
    with pytest.raises(ImproperlyConfigured, match="KEEP="):
        envdays("KEEP", "1", forever=True)


def test_it_refuses_forever_where_it_is_not_allowed(monkeypatch):
    monkeypatch.setenv("TRASH_DAYS", "forever")
    with pytest.raises(ImproperlyConfigured, match="TRASH_DAYS='forever'"):
        envdays("TRASH_DAYS", "30")


def _entry(user, body: str, *, trashed_ago: timedelta | None = None) -> Entry:
    entry = create_entry(author=user, body=body, written_on=user.today(), prompt=None,
                         draft=False)
    if trashed_ago is not None:
        Entry.objects.filter(pk=entry.pk).update(deleted_at=timezone.now() - trashed_ago)
    return entry


def _task_row(finished_ago: timedelta | None) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status="SUCCESSFUL" if finished_ago else "READY", args_kwargs={"args": [], "kwargs": {}},
        task_path="reflect.journal.tasks.purge_trash", backend_name="default",
        run_after=now, finished_at=now - finished_ago if finished_ago else None,
    )


@pytest.fixture
def records(alice, bob):
    """For each kind, one record just past its time and one just within it."""
    now = timezone.now()
    days = {key: timedelta(days=n) for key, n in DAYS.items()}
    old_trash = _entry(alice, "old trash", trashed_ago=days["TRASH_DAYS"] + MINUTE)
    new_trash = _entry(alice, "new trash", trashed_ago=days["TRASH_DAYS"] - MINUTE)
    live = _entry(alice, "a live entry from long ago")
    Entry.objects.filter(pk=live.pk).update(created_at=now - timedelta(days=400))
    for ago, body in ((days["REVISION_DAYS"] + MINUTE, "old"), (days["REVISION_DAYS"] - MINUTE,
                                                                 "recent")):
        Revision.objects.create(entry=live, body=body, written_on=live.written_on, version=1,
                                created_at=now - ago)
    team = make_team(bob)
    join(team, alice, "named")
    for ago in (days["ACCESS_LOG_DAYS"] + MINUTE, days["ACCESS_LOG_DAYS"] - MINUTE):
        AccessEvent.record(bob, team, AccessEvent.What.NAMED_SUMMARY, [alice.pk])
        AccessEvent.objects.filter(at__gt=now - MINUTE).update(at=now - ago)
    for ago in (days["AUDIT_LOG_DAYS"] + MINUTE, days["AUDIT_LOG_DAYS"] - MINUTE):
        audit.record(audit.EXPORT, alice, format="json")
        AuditEvent.objects.filter(at__gt=now - MINUTE).update(at=now - ago)
        log = LogEntry.objects.log_actions(user_id=bob.pk, queryset=[live], action_flag=2,
                                           single_object=True)
        LogEntry.objects.filter(pk=log.pk).update(action_time=now - ago)
    for ago, rule in ((days["HIGHLIGHT_REPORT_DAYS"] + MINUTE, "old"),
                      (days["HIGHLIGHT_REPORT_DAYS"] - MINUTE, "recent")):
        HighlightReport.objects.create(user=alice, entry=live, analyzer_version="1",
                                       dimension="agency", rule=rule, phrase="x", pole=1,
                                       created_at=now - ago)
    old_task = _task_row(days["TASK_RESULT_DAYS"] + MINUTE)
    kept_tasks = [_task_row(days["TASK_RESULT_DAYS"] - MINUTE), _task_row(None)]
    return {"old_trash": old_trash, "new_trash": new_trash, "live": live,
            "old_task": old_task, "kept_tasks": kept_tasks}


def _times(queryset, field: str) -> list:
    return sorted(queryset.values_list(field, flat=True))


def test_it_deletes_exactly_what_is_past_its_time(records, settings):
    for key, value in DAYS.items():
        setattr(settings, key, value)
    removed = apply_retention.call()
    assert removed == {"trash": 1, "revisions": 1, "access_log": 1, "audit_log": 1,
                       "highlight_reports": 1, "task_results": 1}
    assert set(Entry.objects.values_list("pk", flat=True)) == {
        records["new_trash"].pk, records["live"].pk}
    assert list(Revision.objects.values_list("body", flat=True)) == ["recent"]
    assert list(HighlightReport.objects.values_list("rule", flat=True)) == ["recent"]
    now = timezone.now()
    for queryset, field, days in (
        (AccessEvent.objects, "at", DAYS["ACCESS_LOG_DAYS"]),
        (AuditEvent.objects, "at", DAYS["AUDIT_LOG_DAYS"]),
        (LogEntry.objects, "action_time", DAYS["AUDIT_LOG_DAYS"]),
    ):
        remaining = _times(queryset, field)
        assert len(remaining) == 1 and now - remaining[0] < timedelta(days=days), queryset.model
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        task.pk for task in records["kept_tasks"]}
    # Idempotent: a second run finds nothing more.
    assert apply_retention.call() == dict.fromkeys(removed, 0)


def test_it_keeps_revisions_and_logs_forever_when_told(records, settings):
    for key, value in DAYS.items():
        setattr(settings, key, value)
    settings.REVISION_DAYS = settings.ACCESS_LOG_DAYS = settings.AUDIT_LOG_DAYS = None
    settings.HIGHLIGHT_REPORT_DAYS = None
    removed = apply_retention.call()
    assert removed == {"trash": 1, "task_results": 1}
    assert HighlightReport.objects.count() == 2
    assert Revision.objects.count() == 2 and AccessEvent.objects.count() == 2
    assert AuditEvent.objects.count() == 2 and LogEntry.objects.count() == 2


def test_it_runs_from_its_command(records, settings, capsys):
    settings.TRASH_DAYS = 30
    call_command("apply_retention")
    assert "trash 1" in capsys.readouterr().out
    assert not Entry.objects.filter(pk=records["old_trash"].pk).exists()


def test_it_tells_members_what_is_kept_and_for_how_long(alice_client, settings):
    settings.TRASH_DAYS, settings.REVISION_DAYS, settings.ACCESS_LOG_DAYS = 14, None, 90
    html = alice_client.get(reverse("sharing")).content.decode()
    assert "How long things are kept" in html
    assert "Entries you delete stay in the Trash for 14 days." in html
    assert "Earlier versions of your entries are kept with no time limit." in html
    assert "The record of what managers saw of yours is kept for 90 days." in html
    trash = alice_client.get(reverse("trash")).content.decode()
    assert "stay here for 14 days" in trash
