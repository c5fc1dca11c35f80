"""Every view of a team summary logs one access event for exactly the people it showed. On
PostgreSQL a repeat view sends its event beside its reads, for the people the manager's last
view showed (reflect.teams.views._GUESSES): a view that shows other people logs them instead,
one that shows nobody logs nothing, and nobody but a manager of the team is logged."""

from django.urls import reverse

from reflect.teams import views
from reflect.teams.models import AccessEvent, AccessSetMember, Membership, Team
from tests.test_teams_support import add_members, bulk_write, in_week, make_team, weeks


def _view(client, team, status: int = 200) -> None:
    assert client.get(reverse("team_summary", args=[team.pk])).status_code == status


def _events(team) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(team=team, what="team_summary").order_by("at", "id"))


def _people(event: AccessEvent) -> set[tuple[int, bool]]:
    return set(AccessSetMember.objects.filter(digest=event.people).values_list("user_id", "named"))


def _as_a_fresh_process(client, team) -> AccessEvent:
    """The event a view logs with nothing guessed (what a new process or SQLite does)."""
    views._GUESSES.values.clear()
    views._PAGES.values.clear()
    _view(client, team)
    return _events(team)[-1]


def test_a_view_that_shows_other_people_logs_the_people_it_showed(bob, bob_client):
    team = make_team(bob, threshold=5)
    people = add_members(team, 5)
    bulk_write(people, [in_week(weeks()[-1])])
    _view(bob_client, team)
    _view(bob_client, team)
    events = _events(team)
    assert len(events) == 2
    assert _people(events[-1]) == {(p.pk, False) for p in people}
    (late,) = add_members(team, 1, level="named", prefix="late")
    bulk_write([late], [in_week(weeks()[-1])])
    _view(bob_client, team)  # the week is withheld now (guarantee 9); the late member listed
    events = _events(team)
    assert len(events) == 3
    assert _people(events[-1]) == {(late.pk, True)}
    assert _people(_as_a_fresh_process(bob_client, team)) == _people(events[-1])


def test_a_view_that_shows_nobody_logs_nothing(bob, bob_client):
    team = make_team(bob, threshold=5)
    bulk_write(add_members(team, 5), [in_week(weeks()[-1])])
    _view(bob_client, team)
    _view(bob_client, team)
    Team.objects.filter(pk=team.pk).update(threshold=6)  # every week withheld, nobody named
    _view(bob_client, team)
    _view(bob_client, team)
    assert len(_events(team)) == 2


def test_a_former_manager_is_not_logged(bob, bob_client):
    team = make_team(bob, threshold=5)
    bulk_write(add_members(team, 5), [in_week(weeks()[-1])])
    _view(bob_client, team)
    _view(bob_client, team)
    Membership.objects.filter(team=team, user=bob).update(role=Membership.Role.MEMBER)
    _view(bob_client, team, status=404)
    assert len(_events(team)) == 2
