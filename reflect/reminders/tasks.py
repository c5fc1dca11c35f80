"""Sending reminders: a periodic task (every 5 minutes, deploy/systemd/reflect-reminders.timer)
that mails whoever is due, at most once per person and local day."""

import logging
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reflect.background.once import once_per_period
from reflect.background.retry import retrying
from reflect.journal.models import Entry, todays_prompt
from reflect.reminders.links import link_token
from reflect.reminders.models import Reminder, local_day_start

logger = logging.getLogger(__name__)


def has_written(user, day: date) -> bool:
    """Anything begun that local day, or an entry about it (drafts count, the Trash not)."""
    return (
        Entry.objects.for_user(user)
        .filter(deleted_at__isnull=True)
        .filter(Q(written_on=day) | Q(created_at__gte=local_day_start(user, day)))
        .exists()
    )


def _send(user) -> None:
    prompt = todays_prompt(user)
    ctx = {
        "user": user,
        "prompt": prompt,
        "write_url": settings.SITE_URL + reverse("entry_new")
        + (f"?prompt={prompt.pk}" if prompt else ""),
        "pause_url": settings.SITE_URL + reverse("reminder_link", args=[link_token(user, "pause")]),
        "stop_url": settings.SITE_URL + reverse("reminder_link", args=[link_token(user, "stop")]),
        "settings_url": settings.SITE_URL + reverse("reminders"),
    }
    body = render_to_string("reminders/email.txt", ctx)
    # Mail programs show their own "unsubscribe" for this header; it opens the stop page.
    headers = {"List-Unsubscribe": f"<{ctx['stop_url']}>"}
    EmailMessage("A moment to reflect", body, None, [user.email], headers=headers).send()


@task
@retrying(attempts=3, base_seconds=60)
def send_reminders(now: str | None = None) -> int:
    """Mail everyone whose reminder is due at `now` (ISO; default: now) and who has not
    written today in their own time zone. Each send claims (person, local day) in
    DonePeriod in its own transaction, so a second run, or a second worker, sends nothing
    twice; a failed send rolls its claim back and the retry (within the window) sends it."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    sent, failed = 0, 0
    reminders = Reminder.objects.filter(enabled=True, user__is_active=True).select_related("user")
    for reminder in reminders.iterator():
        day = reminder.due_on(moment)
        if day is None or has_written(reminder.user, day):
            continue
        try:
            with once_per_period("reminder", reminder.user_id, day) as first_time:
                if first_time:
                    _send(reminder.user)
                    sent += 1
        except Exception:
            logger.exception("Reminder to user %s failed", reminder.user_id)
            failed += 1
    if failed:
        raise RuntimeError(f"{failed} reminder(s) not sent; {sent} sent")
    return sent
