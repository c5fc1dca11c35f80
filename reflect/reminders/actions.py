"""Every change to a reminder, each one atomic."""

from datetime import time

from django.db import transaction

from reflect.reminders.models import PAUSE, Reminder


@transaction.atomic
def save_reminder(user, *, enabled: bool, weekdays: list[int], at: time) -> Reminder:
    """Set the days and time; saving also ends a pause."""
    reminder, _ = Reminder.objects.select_for_update().get_or_create(user=user)
    reminder.enabled, reminder.weekdays, reminder.time = enabled, sorted(weekdays), at
    reminder.paused_until = None
    reminder.save()
    return reminder


@transaction.atomic
def pause_for_a_week(user) -> Reminder:
    """No reminder until the same weekday next week (local dates)."""
    reminder, _ = Reminder.objects.select_for_update().get_or_create(user=user)
    reminder.paused_until = user.today() + PAUSE
    reminder.save(update_fields=["paused_until", "updated_at"])
    return reminder


@transaction.atomic
def stop(user) -> Reminder:
    reminder, _ = Reminder.objects.select_for_update().get_or_create(user=user)
    reminder.enabled = False
    reminder.save(update_fields=["enabled", "updated_at"])
    return reminder
