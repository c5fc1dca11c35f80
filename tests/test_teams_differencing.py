"""Guarantee 9: no two figures a team's managers are shown for one week differ by fewer than
the threshold of people, whatever the managers do (remove, promote, lower the threshold,
build a sub-team) and whatever members do (leave, revoke, rejoin, edit)."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from reflect.teams import summary as figures
from reflect.teams.models import Membership
from tests.test_teams_support import add_members, consent, in_week, join, make_team, weeks, write


@pytest.fixture
def week():
    return weeks()[-1]


def _team_with_four(bob, week, threshold=3):
    """Four counted members, each writing a different amount that week."""
    team = make_team(bob, threshold=threshold)
    members = add_members(team, 4)
    for n, member in enumerate(members, start=1):
        write(member, in_week(week), tone=(n, 0), ripple=(n * 2, 0))
    return team, members


def _week_figure(team, viewer, week):
    summary = figures.team_summary(team, "4w", seen_by=viewer)
    return next(w for w in summary.weeks if w.start == week), summary


def _what(figure) -> tuple | None:
    return (figure.writers, figure.entries, figure.words, dict(figure.sums.cues)) \
        if figure.shown else None


def test_it_withholds_a_week_after_the_manager_removes_someone_from_it(bob, bob_client, week):
    team, members = _team_with_four(bob, week)
    before, _ = _week_figure(team, bob, week)
    assert before.shown and before.writers == 4
    response = bob_client.post(reverse("team_member_remove", args=[team.pk, members[0].pk]))
    assert response.status_code == 302
    after, summary = _week_figure(team, bob, week)
    # Today's code recomputed the week for 3 people: before - after = that person's week.
    assert not after.shown and after.withdrawn
    assert not summary.total.shown
    page = bob_client.get(reverse("team_summary", args=[team.pk])).content.decode()
    assert figures.WITHDRAWN in page


def test_it_withholds_the_week_when_a_member_revokes_and_shows_it_again_on_rejoin(bob, week):
    team, members = _team_with_four(bob, week)
    before, _ = _week_figure(team, bob, week)
    consent(members[1], team, "none")  # their data leaves at once: not recomputed, withheld
    revoked, _ = _week_figure(team, bob, week)
    assert not revoked.shown and revoked.withdrawn
    consent(members[1], team, "aggregate")
    back, _ = _week_figure(team, bob, week)
    assert _what(back) == _what(before)


def test_it_withholds_the_week_when_the_manager_promotes_a_member_who_was_counted(
    bob, bob_client, week
):
    team, members = _team_with_four(bob, week)
    _week_figure(team, bob, week)
    bob_client.post(reverse("team_member_promote", args=[team.pk, members[2].pk]))
    assert Membership.objects.get(team=team, user=members[2]).role == "manager"
    after, _ = _week_figure(team, bob, week)
    assert after.withdrawn
    # The new manager, who knows their own share, is shown no figure either.
    theirs, _ = _week_figure(team, members[2], week)
    assert theirs.withdrawn


def test_it_keeps_the_threshold_of_the_view_when_the_manager_lowers_it(bob, bob_client, week):
    team = make_team(bob, threshold=5)
    members = add_members(team, 6)
    for n, member in enumerate(members, start=1):
        write(member, in_week(week), tone=(n, 0))
    assert _week_figure(team, bob, week)[0].writers == 6  # seen at threshold 5
    bob_client.post(reverse("team_threshold", args=[team.pk]), {"threshold": 3})
    team.refresh_from_db()
    assert team.threshold == 3
    for member in members[:3]:
        consent(member, team, "none")
    # 3 people remain (enough at 3), but 6 - 3 = 3 people would be isolated, fewer than the
    # 5 the week was shown under.
    assert _week_figure(team, bob, week)[0].withdrawn


def test_it_shows_the_figures_it_showed_when_a_member_back_dates_into_a_seen_week(bob, week):
    team, members = _team_with_four(bob, week)
    before, _ = _week_figure(team, bob, week)
    write(members[3], in_week(week, 3), tone=(9, 0))  # same people, one more entry
    after, _ = _week_figure(team, bob, week)
    assert _what(after) == _what(before)


def test_it_shows_a_week_whose_people_changed_by_at_least_the_threshold(bob, week):
    team, _ = _team_with_four(bob, week)
    _week_figure(team, bob, week)
    newcomers = add_members(team, 3, prefix="n")
    for member in newcomers:
        write(member, in_week(week), tone=(1, 0))
    after, _ = _week_figure(team, bob, week)
    assert after.shown and after.writers == 7


def test_it_withholds_a_sub_team_that_would_isolate_someone(bob, week):
    team, members = _team_with_four(bob, week)
    _week_figure(team, bob, week)
    sub = make_team(bob, name="Platform minus one", threshold=3)
    for member in members[:3]:
        join(sub, member, "aggregate")
    sub_week, _ = _week_figure(sub, bob, week)
    assert not sub_week.shown and sub_week.withdrawn


def test_it_withholds_for_a_co_manager_what_another_manager_saw(bob, charlie, bob_client, week):
    team, members = _team_with_four(bob, week)
    _week_figure(team, bob, week)
    join(team, charlie, role="manager")
    bob_client.post(reverse("team_member_remove", args=[team.pk, members[0].pk]))
    theirs, _ = _week_figure(team, charlie, week)
    assert theirs.withdrawn


def test_it_says_so_in_the_weekly_email_too(bob, bob_client, week):
    team, members = _team_with_four(bob, week)
    _week_figure(team, bob, week)
    bob_client.post(reverse("team_member_remove", args=[team.pk, members[0].pk]))
    call_command("send_team_summaries", stdout=io.StringIO())
    bodies = [m.body for m in mail.outbox]
    assert not any("3 members wrote" in body for body in bodies)
    assert all("members wrote 4" not in body for body in bodies)
