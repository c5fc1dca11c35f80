from django.core.management.base import BaseCommand
from django.utils import timezone

from reflect.teams.models import Membership
from reflect.teams.summary import last_complete_week
from reflect.teams.tasks import send_team_summary


class Command(BaseCommand):
    help = (
        "Queue the weekly summary email for every manager who wants it, for the last complete "
        "week. Run weekly (deploy/systemd/reflect-team-summaries.timer); running it again the "
        "same week queues tasks that send nothing twice."
    )

    def handle(self, *args, **options) -> None:
        week = last_complete_week(timezone.now().date()).isoformat()
        managers = Membership.objects.filter(
            role=Membership.Role.MANAGER, summary_email=True, user__is_active=True
        ).values_list("pk", flat=True)
        count = 0
        for pk in managers.iterator():
            send_team_summary.enqueue(pk, week=week)
            count += 1
        self.stdout.write(
            f"Queued {count} team summar{'y' if count == 1 else 'ies'} for the week of {week}."
        )
