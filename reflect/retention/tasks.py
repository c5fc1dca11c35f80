"""The daily retention purge: deletes what is past its time, nothing else."""

from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reflect.audit.models import AuditEvent
from reflect.background.retry import retrying
from reflect.framing.models import HighlightReport
from reflect.journal.models import Revision
from reflect.journal.tasks import purge_trash
from reflect.retention.policy import RULES
from reflect.teams.models import purge_access_log


def _purge(key: str, cutoff) -> int:
    if key == "trash":
        return purge_trash.call()  # the journal's own purge (TRASH_DAYS), run here
    if key == "revisions":
        return Revision.objects.filter(created_at__lt=cutoff).delete()[0]
    if key == "access_log":
        return purge_access_log(cutoff)
    if key == "audit_log":
        # The admin's own history (LogEntry) is part of the audit trail: same retention.
        LogEntry.objects.filter(action_time__lt=cutoff).delete()
        return AuditEvent.objects.filter(at__lt=cutoff).delete()[0]
    if key == "highlight_reports":
        return HighlightReport.objects.filter(created_at__lt=cutoff).delete()[0]
    # Finished task rows: the query of django-tasks-db's prune_db_task_results, which refuses
    # to run while the configured backend is the in-process one (development).
    return DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()[0]


@task
@retrying(attempts=3, base_seconds=300)
def apply_retention() -> dict[str, int]:
    """Delete every record past its retention (reflect.retention.policy), one DELETE per
    kind, each in its own transaction: idempotent by itself (a second run, or a second
    worker at once, finds nothing more), and a failure leaves the other kinds done."""
    now = timezone.now()
    deleted = {}
    for rule in RULES:
        cutoff = rule.cutoff(now)
        if cutoff is None:
            continue
        with transaction.atomic():
            deleted[rule.key] = _purge(rule.key, cutoff)
    return deleted
