from django.core.management.base import BaseCommand
from django.tasks import TaskResultStatus

from reflect.reminders.tasks import send_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminder run: mails everyone whose chosen local time has come today and "
        "who has not written yet. Run every 5 minutes (deploy/systemd/reflect-reminders.timer); "
        "safe to run twice."
    )

    def handle(self, *args, **options) -> None:
        result = send_reminders.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:  # in-process (development): it ran
            self.stdout.write(f"Sent {result.return_value} reminder(s).")
        else:
            self.stdout.write(f"Queued the reminder run (task {result.id}).")
