from django.core.management.base import BaseCommand

from reflect.teams.models import Membership
from reflect.teams.tasks import send_team_summary


class Command(BaseCommand):
    help = "Queue the weekly summary email for every manager who wants it. Run weekly from cron."

    def handle(self, *args, **options) -> None:
        managers = Membership.objects.filter(
            role=Membership.Role.MANAGER, summary_email=True, user__is_active=True
        ).values_list("pk", flat=True)
        count = 0
        for pk in managers.iterator():
            send_team_summary.enqueue(pk)
            count += 1
        self.stdout.write(f"Queued {count} team summar{'y' if count == 1 else 'ies'}.")
