from django.conf import settings
from django.core.management.base import BaseCommand
from django.tasks import TaskResultStatus

from reflect.journal.tasks import purge_trash


class Command(BaseCommand):
    help = (
        f"Queue the purge of entries in the Trash for more than {settings.TRASH_DAYS} days "
        "(TRASH_DAYS). Run daily (deploy/systemd/reflect-purge-trash.timer); safe to run twice."
    )

    def handle(self, *args, **options) -> None:
        result = purge_trash.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:  # in-process (development): it ran
            count = result.return_value
            self.stdout.write(f"Removed {count} entr{'y' if count == 1 else 'ies'} from the Trash.")
        else:
            self.stdout.write(f"Queued the Trash purge (task {result.id}).")
