from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q

from reflect import framing
from reflect.framing.models import store_analysis
from reflect.journal.models import Entry


class Command(BaseCommand):
    help = (
        "Recompute the framing analysis of every saved entry whose analysis is older than the "
        "analyzer (or missing), in batches. Resumable: stop it any time and run it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def _stale(self):
        return (
            Entry.objects.live()
            .filter(
                Q(framing__isnull=True) | ~Q(framing__analyzer_version=framing.ANALYZER_VERSION)
            )
            .order_by("pk")
        )

    def handle(self, *args, batch_size: int, **options) -> None:
        total = self._stale().count()
        done = 0
        last_pk = 0
        while True:
            # Each batch commits on its own, so an interrupted run keeps what it finished.
            batch = list(self._stale().filter(pk__gt=last_pk).defer("body")[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                for entry in Entry.objects.filter(pk__in=[e.pk for e in batch]).order_by("pk"):
                    store_analysis(entry)
            done += len(batch)
            last_pk = batch[-1].pk
            self._progress(done, total)
        self.stdout.write(f"Reanalysed {done} entries with analyzer {framing.ANALYZER_VERSION}.")

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        if done >= total:
            self.stdout.write("")
