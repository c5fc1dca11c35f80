from django.core.management.base import BaseCommand

from reflect import framing
from reflect.framing.tasks import reanalyze_batch, stale_entries


class Command(BaseCommand):
    help = (
        "Queue the re-analysis of every saved entry whose analysis is older than the analyzer "
        "(or missing): batches on the worker, each enqueuing the next. Resumable: run it again "
        "any time; it skips what is current (deploy/systemd/reflect-reanalyze.timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options) -> None:
        stale = stale_entries().count()
        if not stale:
            self.stdout.write(f"Reanalysed 0 entries: all current with {framing.ANALYZER_VERSION}.")
            return
        reanalyze_batch.enqueue(after_pk=0, batch_size=max(1, batch_size))
        self.stdout.write(
            f"Queued re-analysis of {stale} entries with analyzer {framing.ANALYZER_VERSION} "
            f"in batches of {batch_size}."
        )
