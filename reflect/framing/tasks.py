"""Re-analysis after an analyzer upgrade, in batches on the worker."""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.tasks.backends.immediate import ImmediateBackend

from reflect import framing
from reflect.background.retry import retrying


def stale_entries() -> QuerySet:
    """Saved entries whose analysis is missing or older than the analyzer, oldest id first."""
    from reflect.journal.models import Entry

    return (
        Entry.objects.live()
        .filter(Q(framing__isnull=True) | ~Q(framing__analyzer_version=framing.ANALYZER_VERSION))
        .order_by("pk")
    )


@task
@retrying(attempts=5, base_seconds=30)
def reanalyze_batch(after_pk: int = 0, batch_size: int = 500) -> int:
    """Reanalyse one batch of stale entries after `after_pk`, then enqueue the next batch.

    Resumable: each batch commits on its own, and stale entries are found afresh each time,
    so a chain cut short (worker stopped, task failed for good) is finished by running
    `manage.py reanalyze` again, which skips what is current. Running two chains at once does
    the same work twice and stores the same results (store_analysis replaces in place).

    When tasks run in the process (development's ImmediateBackend), enqueueing the next batch
    would run it inside this one, one stack level per batch (a RecursionError at a few hundred
    batches): the batches run one after another in a loop instead, each still committed alone.
    """
    done = 0
    while True:
        count, last_pk = _reanalyze(after_pk, batch_size)
        done += count
        if count < batch_size:
            return done
        if not isinstance(reanalyze_batch.get_backend(), ImmediateBackend):
            reanalyze_batch.enqueue(after_pk=last_pk, batch_size=batch_size)
            return done
        after_pk = last_pk


def _reanalyze(after_pk: int, batch_size: int) -> tuple[int, int]:
    """One batch in one transaction: (entries reanalysed, the last one's id)."""
    from reflect.framing.models import store_analysis
    from reflect.journal.models import Entry

    ids = list(stale_entries().filter(pk__gt=after_pk).values_list("pk", flat=True)[:batch_size])
    if not ids:
        return 0, after_pk
    with transaction.atomic():
        for entry in Entry.objects.filter(pk__in=ids).order_by("pk"):
            store_analysis(entry)
    return len(ids), ids[-1]


def reanalyze_after_migrate(using: str = "default", **kwargs) -> None:
    """post_migrate: queue the re-analysis when entries were read by another analyzer version
    (one query when all is current). The deploy preflight runs `reanalyze` too, for an upgrade
    that changes the analyzer and no model. Not after a partial migrate (`migrate journal
    0009`): the models' tables and columns are not all there yet."""
    if not _fully_migrated(using):
        return
    if stale_entries().using(using).exists():
        reanalyze_batch.enqueue()


def _fully_migrated(using: str) -> bool:
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())
