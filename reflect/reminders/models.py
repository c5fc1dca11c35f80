from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# A reminder goes out at its time or, if the worker was busy or down, up to this much later
# on the same local day; never the next day.
SEND_WINDOW = timedelta(hours=2)
PAUSE = timedelta(days=7)


class Reminder(models.Model):
    """One person's reminder: the weekdays (0 is Monday) and the local time to be reminded.
    Off until they turn it on; a pause holds it until a local date."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder"
    )
    enabled = models.BooleanField(default=False)
    weekdays = models.JSONField(default=list)
    time = models.TimeField(default=time(7, 30))
    paused_until = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"reminder of user {self.user_id}"

    def describe(self) -> str:
        """'Tuesday and Thursday, 07:30'."""
        days = [WEEKDAYS[d] for d in sorted(self.weekdays)]
        listed = days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]
        return f"{listed}, {self.time:%H:%M}"

    def paused_on(self, day: date) -> bool:
        return self.paused_until is not None and day < self.paused_until

    def due_on(self, now: datetime) -> date | None:
        """The person's local date if this reminder should go out at `now` (aware), else None.

        Local wall-clock time decides, so 07:30 stays 07:30 across a DST change; the window
        ends at local midnight (a reminder is for one day)."""
        local = now.astimezone(self.user.tz)
        day = local.date()
        if not self.enabled or local.weekday() not in self.weekdays or self.paused_on(day):
            return None
        chosen = datetime.combine(day, self.time)
        wall = local.replace(tzinfo=None)
        return day if chosen <= wall < chosen + SEND_WINDOW else None


def local_day_start(user, day: date) -> datetime:
    """The moment `day` began where the person lives."""
    return timezone.make_aware(datetime.combine(day, time.min), user.tz)
