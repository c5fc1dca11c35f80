from django.core.management.base import BaseCommand
from django.tasks import TaskResultStatus

from reflect.retention.tasks import apply_retention


class Command(BaseCommand):
    help = (
        "Queue the retention purge: the Trash, earlier versions, the access log, the audit "
        "log and finished task rows past their days (TRASH_DAYS, REVISION_DAYS, "
        "ACCESS_LOG_DAYS, AUDIT_LOG_DAYS, TASK_RESULT_DAYS). Run daily "
        "(deploy/systemd/reflect-retention.timer); safe to run twice."
    )

    def handle(self, *args, **options) -> None:
        result = apply_retention.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:  # in-process (development): it ran
            removed = ", ".join(f"{key} {n}" for key, n in result.return_value.items())
            self.stdout.write(f"Retention applied; removed: {removed}.")
        else:
            self.stdout.write(f"Queued the retention purge (task {result.id}).")
