"""Journal background work: the daily trash purge."""

from django.tasks import task

from reflect.background.retry import retrying
from reflect.journal.models import Entry


@task
@retrying(attempts=3, base_seconds=300)
def purge_trash() -> int:
    """Delete entries in the Trash for longer than TRASH_DAYS. One DELETE: running twice, or
    on two workers at once, removes nothing more and fails on nothing (idempotent by itself)."""
    _, by_model = Entry.objects.trash_expired().delete()
    return by_model.get("journal.Entry", 0)
