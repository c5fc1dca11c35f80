from django.core.management.base import BaseCommand

from reflect.journal.models import Entry


class Command(BaseCommand):
    help = (
        "Delete entries that have been in the Trash for more than 30 days. Safe to run from cron."
    )

    def handle(self, *args, **options) -> None:
        # One DELETE: running twice, or two at once, removes nothing more and fails on nothing.
        deleted, by_model = Entry.objects.trash_expired().delete()
        count = by_model.get("journal.Entry", 0)
        self.stdout.write(f"Removed {count} entr{'y' if count == 1 else 'ies'} from the Trash.")
