"""Sending reminders: a periodic task (every 5 minutes, deploy/systemd/reflect-reminders.timer)
that mails whoever is due, at most once per person and local day."""

import logging
from collections import defaultdict
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reflect.background.models import DonePeriod
from reflect.background.once import once_per_period
from reflect.background.retry import retrying
from reflect.journal.models import Entry, todays_prompt
from reflect.reminders.links import link_token
from reflect.reminders.models import Reminder, local_day_start

logger = logging.getLogger(__name__)


JOB = "reminder"


def due_now(moment: datetime) -> list[tuple]:
    """(person, their local day) for every reminder due at `moment`: one query."""
    reminders = Reminder.objects.filter(enabled=True, user__is_active=True).select_related("user")
    return [(r.user, day) for r in reminders.iterator() if (day := r.due_on(moment))]


def still_to_send(due: list[tuple]) -> list[tuple]:
    """Those of `due` not yet reminded that local day and who have not written it (anything
    begun since their local midnight, or an entry about that day; drafts count, the Trash
    does not): two queries however many people, so a run every 5 minutes stays cheap."""
    if not due:
        return []
    ids = [user.pk for user, _ in due]
    days = {day for _, day in due}
    done = set(
        DonePeriod.objects.filter(job=JOB, period__in=days, subject__in=[str(i) for i in ids])
        .values_list("subject", "period")
    )
    since = min(local_day_start(user, day) for user, day in due)
    entries = defaultdict(list)
    rows = (
        Entry.objects.filter(author_id__in=ids, deleted_at__isnull=True)
        .filter(Q(written_on__in=days) | Q(created_at__gte=since))
        .values_list("author_id", "written_on", "created_at")
    )
    for author, written_on, created_at in rows:
        entries[author].append((written_on, created_at))

    def has_written(user, day: date) -> bool:
        start = local_day_start(user, day)
        return any(on == day or at >= start for on, at in entries[user.pk])

    return [
        (user, day) for user, day in due
        if (str(user.pk), day) not in done and not has_written(user, day)
    ]


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
    for user, day in still_to_send(due_now(moment)):
        try:
            with once_per_period(JOB, user.pk, day) as first_time:
                if first_time:
                    _send(user)
                    sent += 1
        except Exception:
            logger.exception("Reminder to user %s failed", user.pk)
            failed += 1
    if failed:
        raise RuntimeError(f"{failed} reminder(s) not sent; {sent} sent")
    return sent
