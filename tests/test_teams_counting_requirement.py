"""A team invitation can require a verified email or the organisation's single sign-on before
the person who joins counts towards any of the team's thresholds (on top of the deployment's
TEAM_COUNT_REQUIRES), read afresh on every request."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from reflect.settings import sso_providers
from reflect.teams import summary as figures
from reflect.teams.models import Invitation, Membership, Team
from tests.test_teams_support import add_members, bulk_write, consent, in_week, make_team, weeks

SSO_OPTION = b'value="sso"'


@pytest.fixture
def team(bob):
    return make_team(bob, threshold=5)


@pytest.fixture
def sso_configured(settings):
    settings.SOCIALACCOUNT_PROVIDERS = sso_providers(
        "https://id.example.com", "reflect", "secret", "Example SSO"
    )


def _invite(bob_client, team, counts_with: str) -> Invitation:
    response = bob_client.post(
        reverse("team_invite", args=[team.pk]), {"email": "", "counts_with": counts_with}
    )
    assert response.status_code == 302
    return team.invitations.get()


def _join(client, invitation, **extra) -> Membership:
    response = client.post(reverse("team_join", args=[invitation.token]), extra)
    assert response.status_code == 302
    invitation.refresh_from_db()
    return Membership.objects.get(team=invitation.team, user=invitation.used_by)


def _counted(team) -> set[int]:
    return set(team.consenting_members().values_list("user_id", flat=True))


def test_it_counts_a_member_invited_with_verified_email_only_once_verified(
    team, bob_client, alice, alice_client
):
    invitation = _invite(bob_client, team, "verified")
    assert invitation.counts_with == "verified"
    join_page = alice_client.get(reverse("team_join", args=[invitation.token])).content.decode()
    assert "asks for a verified email address before you count" in join_page
    EmailAddress.objects.filter(user=alice).update(verified=False)
    membership = _join(alice_client, invitation)
    assert membership.counts_with == "verified"
    consent(alice, team, "aggregate")
    last = weeks()[-1]
    bulk_write([*add_members(team, 4), alice], [in_week(last)])  # k-1 real + alice

    assert not figures.team_summary(team, "4w").weeks[-1].shown
    page = alice_client.get(reverse("sharing")).content.decode()
    assert "You do not count in this team’s figures yet" in page
    assert f'href="{reverse("account_email")}"' in page

    EmailAddress.objects.filter(user=alice).update(verified=True)
    week = figures.team_summary(team, "4w").weeks[-1]
    assert week.shown and week.writers == 5
    assert "You do not count" not in alice_client.get(reverse("sharing")).content.decode()


def test_it_counts_a_member_invited_with_sso_only_with_the_configured_provider(
    team, bob_client, alice, alice_client, sso_configured
):
    assert SSO_OPTION in bob_client.get(reverse("team", args=[team.pk])).content
    _join(alice_client, _invite(bob_client, team, "sso"))
    consent(alice, team, "aggregate")
    assert _counted(team) == set()  # a verified address is not enough
    assert "connect your account" in alice_client.get(reverse("sharing")).content.decode()
    SocialAccount.objects.create(user=alice, provider="elsewhere", uid="a")
    assert _counted(team) == set()
    SocialAccount.objects.create(user=alice, provider="sso", uid="alice-at-the-provider")
    assert _counted(team) == {alice.pk}
    assert "You do not count" not in alice_client.get(reverse("sharing")).content.decode()


def test_it_offers_sso_only_where_it_is_configured(team, bob_client, settings):
    settings.TEAM_COUNT_REQUIRES = "verified"
    page = bob_client.get(reverse("team", args=[team.pk])).content
    assert SSO_OPTION not in page
    assert b'value="verified" selected' in page  # the deployment's requirement by default
    response = bob_client.post(
        reverse("team_invite", args=[team.pk]), {"email": "", "counts_with": "sso"}, follow=True
    )
    assert b"requirement does not look right" in response.content
    assert not team.invitations.exists()


def test_it_needs_both_the_invitations_and_the_deployments_requirement(
    team, bob_client, alice, alice_client, settings
):
    _join(alice_client, _invite(bob_client, team, "none"))
    consent(alice, team, "aggregate")
    assert _counted(team) == {alice.pk}
    settings.TEAM_COUNT_REQUIRES = "verified"
    EmailAddress.objects.filter(user=alice).update(verified=False)
    assert _counted(team) == set()
    page = alice_client.get(reverse("sharing")).content.decode()
    assert f'href="{reverse("account_email")}"' in page


def test_it_keeps_an_outsider_from_inviting_or_changing_a_requirement(
    team, bob_client, charlie_client
):
    invitation = _invite(bob_client, team, "verified")
    response = charlie_client.post(
        reverse("team_invite", args=[team.pk]), {"email": "", "counts_with": "none"}
    )
    assert response.status_code == 404
    assert list(team.invitations.values_list("counts_with", flat=True)) == ["verified"]
    membership = _join(charlie_client, invitation, counts_with="none")
    assert membership.counts_with == "verified"  # joining takes the invitation's, not the form's


def test_it_keeps_a_member_from_lowering_their_requirement(
    team, bob_client, alice, alice_client
):
    _join(alice_client, _invite(bob_client, team, "verified"))
    EmailAddress.objects.filter(user=alice).update(verified=False)
    alice_client.post(
        reverse("sharing_consent", args=[team.pk]), {"level": "aggregate", "counts_with": "none"}
    )
    alice_client.post(reverse("team_invite", args=[team.pk]), {"email": "", "counts_with": "none"})
    assert Membership.objects.get(team=team, user=alice).counts_with == "verified"
    assert team.invitations.count() == 1
    assert _counted(team) == set()


@pytest.mark.django_db(transaction=True)
def test_it_keeps_existing_memberships_counting_after_the_migration():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = MigrationExecutor(connection)
    executor.migrate([("teams", "0003_access_events_by_set")])
    old = executor.loader.project_state([("teams", "0003_access_events_by_set")]).apps
    person = old.get_model("accounts", "User").objects.create(email="m@example.com", password="!")
    old_team = old.get_model("teams", "Team").objects.create(name="Platform", threshold=5)
    old.get_model("teams", "Membership").objects.create(team=old_team, user=person)
    old.get_model("teams", "ConsentReceipt").objects.create(
        member=person, team=old_team, level="aggregate"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    assert Membership.objects.get(user_id=person.pk).counts_with == "none"
    assert _counted(Team.objects.get(pk=old_team.pk)) == {person.pk}
