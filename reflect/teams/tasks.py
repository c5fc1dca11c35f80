"""The weekly summary email: figures only, above the threshold only, never text."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from reflect.teams import summary as figures
from reflect.teams.models import AccessEvent, Membership


@task
def send_team_summary(membership_id: int) -> bool:
    """Email one manager the last complete week and the last 4 weeks of one team, when a
    figure can be shown. Consent is read now, when the task runs, not when it was queued."""
    from reflect.teams.views import unsubscribe_token

    membership = (
        Membership.objects.select_related("team", "user")
        .filter(pk=membership_id, role=Membership.Role.MANAGER, summary_email=True)
        .first()
    )
    if membership is None or not membership.user.is_active:
        return False
    team = membership.team
    result = figures.team_summary(team, "4w")
    if not result.anything_shown:
        return False
    ctx = {
        "team": team,
        "week": result.weeks[-1],
        "total": result.total,
        "not_enough": figures.NOT_ENOUGH,
        "summary_url": settings.SITE_URL + reverse("team_summary", args=[team.pk]),
        "unsubscribe_url": settings.SITE_URL
        + reverse("team_unsubscribe", args=[unsubscribe_token(membership)]),
    }
    body = render_to_string("teams/summary_email.txt", ctx)
    send_mail(f"{team.name}: this week's figures", body, None, [membership.user.email])
    AccessEvent.record(
        membership.user, team, AccessEvent.What.SUMMARY_EMAIL, result.counted_ids
    )
    return True
