"""The weekly summary email: figures only, above the threshold only, never text."""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reflect.background.once import once_per_period
from reflect.background.retry import retrying
from reflect.lib.mail import header_safe
from reflect.teams import summary as figures
from reflect.teams import wording
from reflect.teams.links import unsubscribe_token
from reflect.teams.models import AccessEvent, Membership


@task
@retrying(attempts=5, base_seconds=60)
def send_team_summary(membership_id: int, week: str | None = None) -> bool:
    """Email one manager the last complete week and the last 4 weeks of one team, when a
    figure can be shown. Consent is read now, when the task runs, not when it was queued.

    `week` (the Monday the command meant, ISO) keeps a task that runs late about the week it
    was queued for; each manager gets at most one email per week, however often it runs."""
    membership = (
        Membership.objects.select_related("team", "user")
        .filter(pk=membership_id, role=Membership.Role.MANAGER, summary_email=True)
        .first()
    )
    if membership is None or not membership.user.is_active:
        return False
    monday = (
        date.fromisoformat(week)
        if week
        else figures.last_complete_week(timezone.now().date())
    )
    with once_per_period("team_summary", membership.pk, monday) as first_time:
        return first_time and _send(membership, monday)


def _send(membership: Membership, monday: date) -> bool:
    team = membership.team
    # The Tuesday after the week: the day whose last complete week is `monday`.
    result = figures.team_summary(
        team, "4w", today=monday + timedelta(days=8), seen_by=membership.user
    )
    if not result.anything_shown:
        # Nothing to show is not sent; the claim rolls back so a later run may still send.
        transaction.set_rollback(True)
        return False
    week, before, total = result.weeks[-1], result.weeks[-2], result.total
    ctx = {
        "team": team,
        "week": week,
        "total": total,
        "summary": result,
        # The same words as the summary page (reflect.teams.wording), each with its scale.
        "week_readings": wording.readings(
            week.scores, before.scores, "the week before", before.shown
        ) if week.shown else [],
        "total_readings": wording.readings(
            total.scores, result.previous.scores, figures.PREVIOUS["4w"], result.previous.shown
        ) if total.shown else [],
        "not_enough": figures.NOT_ENOUGH,
        "withdrawn": figures.WITHDRAWN,
        "summary_url": settings.SITE_URL + reverse("team_summary", args=[team.pk]),
        "unsubscribe_url": settings.SITE_URL
        + reverse("team_unsubscribe", args=[unsubscribe_token(membership)]),
    }
    body = render_to_string("teams/summary_email.txt", ctx)
    subject = header_safe(f"{team.name}: this week's figures")
    send_mail(subject, body, None, [membership.user.email])
    AccessEvent.record_view(
        membership.user, team, AccessEvent.What.SUMMARY_EMAIL, result.counted_ids
    )
    return True
