"""Who may create an account (SIGNUP_MODE: open, invite, sso) and who counts towards a team's
threshold (TEAM_COUNT_REQUIRES: none, verified, sso), both from the environment."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from reflect.accounts.adapter import SocialAccountAdapter
from reflect.teams.models import Invitation
from tests.conftest import PASSWORD
from tests.test_teams_support import join, make_team

User = get_user_model()


def _signup(client: Client, next_url: str = ""):
    data = {"email": "dana@example.com", "password1": PASSWORD, "time_zone": "UTC"}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("signup"), data)


@pytest.fixture
def invitation(bob):
    return Invitation.objects.create(team=make_team(bob), created_by=bob)


def test_it_takes_sign_ups_from_anyone_when_open(db, settings):
    settings.SIGNUP_MODE = "open"
    assert b"Create my journal" in Client().get(reverse("signup")).content
    assert b'href="/signup/' in Client().get(reverse("login")).content
    _signup(Client())
    assert User.objects.filter(email="dana@example.com").exists()


def test_it_closes_sign_up_without_an_invitation_in_invite_mode(db, settings):
    settings.SIGNUP_MODE = "invite"
    page = Client().get(reverse("signup"))
    assert b"Sign-up is closed" in page.content and b"Create my journal" not in page.content
    assert b'href="/signup/' not in Client().get(reverse("login")).content
    _signup(Client())
    assert not User.objects.filter(email="dana@example.com").exists()
    assert mail.outbox == []


def test_it_opens_sign_up_to_someone_following_a_team_invitation(settings, invitation):
    settings.SIGNUP_MODE = "invite"
    join_url = reverse("team_join", args=[invitation.token])
    # An anonymous visitor following the invitation is sent to log in, then may sign up.
    response = Client().get(join_url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    login_page = Client().get(response["Location"]).content.decode()
    assert 'href="/signup/?next=' in login_page
    assert b"Create my journal" in Client().get(reverse("signup"), {"next": join_url}).content
    response = _signup(Client(), join_url)
    assert response.status_code == 302
    assert User.objects.filter(email="dana@example.com").exists()
    assert [m.to for m in mail.outbox] == [["dana@example.com"]]


def test_it_keeps_sign_up_closed_for_a_used_or_expired_invitation(settings, invitation, alice):
    settings.SIGNUP_MODE = "invite"
    join_url = reverse("team_join", args=[invitation.token])
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    _signup(Client(), join_url)
    assert not User.objects.filter(email="dana@example.com").exists()
    fresh = Invitation.objects.create(team=invitation.team, created_by=invitation.created_by)
    assert fresh.accept(alice)
    _signup(Client(), reverse("team_join", args=[fresh.token]))
    _signup(Client(), "/teams/join/no-such-token/")
    _signup(Client(), reverse("teams"))
    assert not User.objects.filter(email="dana@example.com").exists()


def test_it_sends_everyone_to_the_provider_in_sso_mode(db, settings):
    settings.SIGNUP_MODE = "sso"
    settings.OIDC_ISSUER = "https://id.example.com"
    page = Client().get(reverse("signup"))
    assert b"Sign-up is closed" in page.content and b"Create my journal" not in page.content
    _signup(Client())
    assert not User.objects.exists()


def test_it_lets_the_provider_create_accounts_only_as_the_mode_allows(settings, invitation):
    adapter = SocialAccountAdapter()
    request = RequestFactory().get("/")
    invited = SimpleNamespace(state={"next": reverse("team_join", args=[invitation.token])})
    uninvited = SimpleNamespace(state={})
    settings.SIGNUP_MODE = "sso"
    assert adapter.is_open_for_signup(request, uninvited)
    settings.SIGNUP_MODE = "invite"
    assert not adapter.is_open_for_signup(request, uninvited)
    assert adapter.is_open_for_signup(request, invited)


def test_it_counts_a_member_only_with_what_the_deployment_requires(settings, alice, bob):
    team = make_team(bob)
    join(team, alice, level="aggregate")

    def counted() -> set[int]:
        return set(team.consenting_members().values_list("user_id", flat=True))

    settings.TEAM_COUNT_REQUIRES = "none"
    assert counted() == {alice.pk}
    settings.TEAM_COUNT_REQUIRES = "verified"
    assert counted() == {alice.pk}
    EmailAddress.objects.filter(user=alice).update(verified=False)
    assert counted() == set()  # an address nobody proved is not a person yet
    settings.TEAM_COUNT_REQUIRES = "sso"
    SocialAccount.objects.create(user=alice, provider="elsewhere", uid="a")
    assert counted() == set()
    SocialAccount.objects.create(user=alice, provider="sso", uid="alice-at-the-provider")
    assert counted() == {alice.pk}
