"""Who may do what in the teams area: manager, member, member of another team, outsider and
anonymous visitor, for every team URL, by GET and by POST. A refusal changes nothing."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, reverse

from reflect.teams import urls as team_urls
from reflect.teams.links import unsubscribe_token
from reflect.teams.models import Invitation, Membership, SharedEntry
from tests.test_teams_support import add_members, in_week, join, make_team, weeks, write

PERSONAS = ["manager", "member", "other_team", "outsider", "anonymous"]
EVERYONE_SIGNED_IN = {"manager", "member", "other_team", "outsider"}
IN_TEAM = {"manager", "member"}

# Who is let through, per URL name; everyone else must be refused.
ALLOWED = {
    "teams": EVERYONE_SIGNED_IN,
    "team_create": EVERYONE_SIGNED_IN,  # creates their own team
    "sharing": EVERYONE_SIGNED_IN,  # their own page
    "team_join": EVERYONE_SIGNED_IN,  # the link itself is the invitation
    "team_unsubscribe": set(PERSONAS),  # the signed link is the credential
    "team": IN_TEAM,
    "team_leave": IN_TEAM,
    "sharing_consent": IN_TEAM,
    "sharing_preview": IN_TEAM,
    "share_entry": {"member"},  # the member's own entry
    "shared_revoke": {"member"},  # the member's own share
    "team_invite": {"manager"},
    "team_threshold": {"manager"},
    "team_prompt_new": {"manager"},
    "team_paired": {"manager"},
    "team_email": {"manager"},
    "team_summary": {"manager"},
    "team_named": {"manager"},
    "team_member_remove": {"manager"},
    "team_member_promote": {"manager"},
    "team_invitation_withdraw": {"manager"},
    "team_shared_entry": {"manager"},
}

POST_DATA = {
    "team_create": {"name": "Mine"},
    "team_invite": {"email": ""},
    "team_threshold": {"threshold": "3"},
    "team_prompt_new": {"text": "Anything?"},
    "team_paired": {"weeks": "2"},
    "team_email": {"summary_email": ""},
    "sharing_consent": {"level": "aggregate"},
}


def team_url_names() -> list[str]:
    return [p.name for p in team_urls.urlpatterns if isinstance(p, URLPattern)]


@pytest.fixture
def world(bob, alice, charlie, django_user_model):
    team = make_team(bob)
    join(team, alice, "named")
    add_members(team, 5)
    other = make_team(django_user_model.objects.create_user("erin@example.com", "x"), "Other")
    dave = django_user_model.objects.create_user("dave@example.com", "x")
    join(other, dave, "named")
    entry = write(alice, in_week(weeks()[-1]))
    shared = SharedEntry.objects.create(entry=entry, team=team, shared_by=alice, version=1)
    invitation = Invitation.objects.create(team=team, created_by=bob)
    kwargs = {
        "team": {"pk": team.pk},
        "team_join": {"token": invitation.token},
        "team_unsubscribe": {
            "token": unsubscribe_token(Membership.objects.get(team=team, user=bob))
        },
        "team_named": {"pk": team.pk, "user_pk": alice.pk},
        "team_member_remove": {"pk": team.pk, "user_pk": alice.pk},
        "team_member_promote": {"pk": team.pk, "user_pk": alice.pk},
        "team_invitation_withdraw": {"pk": team.pk, "invitation_pk": invitation.pk},
        "team_shared_entry": {"pk": team.pk, "shared_pk": shared.pk},
        "sharing_consent": {"team_pk": team.pk},
        "sharing_preview": {"team_pk": team.pk},
        "share_entry": {"entry_pk": entry.pk},
        "shared_revoke": {"pk": shared.pk},
    }
    users = {"manager": bob, "member": alice, "other_team": dave, "outsider": charlie}
    return {"team": team, "kwargs": kwargs, "users": users}


def url_for(world, name: str) -> str:
    kwargs = world["kwargs"].get(name)
    if kwargs is None:
        pattern = next(p for p in team_urls.urlpatterns if p.name == name)
        kwargs = {"pk": world["team"].pk} if "pk" in pattern.pattern.converters else {}
    return reverse(name, kwargs=kwargs)


def snapshot() -> dict:
    """Every row of every table the app owns (sessions aside): a refusal must leave it as is."""
    state = {}
    for label in ("accounts", "journal", "framing", "teams"):
        for model in apps.get_app_config(label).get_models():
            state[model._meta.db_table] = sorted(
                model.objects.order_by("pk").values_list(), key=repr
            )
    return state


def test_it_covers_every_team_url():
    assert set(team_url_names()) == set(ALLOWED)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_it_lets_through_only_the_right_people(world, persona, name):
    client = Client()
    if persona != "anonymous":
        client.force_login(world["users"][persona])
    url = url_for(world, name)
    for method in ("get", "post"):
        before = snapshot()
        response = getattr(client, method)(url, POST_DATA.get(name, {}))
        if persona in ALLOWED[name]:
            assert response.status_code < 500, (persona, name, method)
            assert response.status_code != 404, (persona, name, method)
            continue
        if persona == "anonymous":
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code in (404, 405), (persona, name, method, response.status_code)
        assert snapshot() == before, (persona, name, method)


def test_it_never_lets_a_member_read_another_members_figures(world, alice):
    client = Client()
    client.force_login(alice)
    bob = world["users"]["manager"]
    response = client.get(reverse("team_named", args=[world["team"].pk, bob.pk]))
    assert response.status_code == 404
