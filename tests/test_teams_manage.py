"""Running a team: removing someone asks first (without JavaScript too) and looks unlike
promoting; members who share a name are told apart without showing more than each role may
see; invitation links can be copied and withdrawn and point at the site's real address."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from reflect.teams.models import Invitation, Membership
from reflect.teams.names import Person, told_apart
from tests.test_teams_support import join, make_team

User = get_user_model()


def test_it_asks_before_removing_someone_and_removes_only_on_confirmation(bob, bob_client, alice):
    team = make_team(bob)
    join(team, alice, "aggregate")
    url = reverse("team_member_remove", args=[team.pk, alice.pk])
    page = bob_client.get(reverse("team", args=[team.pk])).content.decode()
    # A link to a confirmation page, styled as a warning, unlike the "Make manager" button.
    assert f'<a class="danger-link" href="{url}">Remove' in page
    assert '<button type="submit" class="secondary small">Make manager' in page
    confirm = bob_client.get(url)
    assert confirm.status_code == 200
    assert "Remove Alice from Platform?" in confirm.content.decode()
    assert Membership.objects.filter(team=team, user=alice).exists()
    response = bob_client.post(url)
    assert response.status_code == 302
    assert not Membership.objects.filter(team=team, user=alice).exists()


def test_it_shows_the_confirmation_only_to_the_teams_managers(bob, alice, alice_client, charlie):
    team = make_team(bob)
    join(team, alice, "aggregate")
    join(team, charlie, "aggregate")
    url = reverse("team_member_remove", args=[team.pk, charlie.pk])
    assert alice_client.get(url).status_code == 404


def _two_sams(team):
    one = User.objects.create_user("sam.lee@acme.example", "x", display_name="Sam")
    two = User.objects.create_user("private.sam@mail.example", "x", display_name="Sam")
    join(team, one, "named")
    join(team, two, "aggregate")
    return one, two


def test_it_tells_two_members_with_one_name_apart_for_a_manager(bob, bob_client):
    team = make_team(bob)
    _two_sams(team)
    page = bob_client.get(reverse("team", args=[team.pk])).content.decode()
    assert "Sam (sa…@acme.example)" in page and "Sam (pr…@mail.example)" in page
    assert "private.sam" not in page and "sam.lee" not in page  # never the whole address
    assert "Bob (" not in page  # only names that collide get a hint


def test_it_tells_them_apart_for_members_without_their_addresses(bob, alice, alice_client):
    team = make_team(bob)
    join(team, alice, "aggregate")
    _two_sams(team)
    page = alice_client.get(reverse("team", args=[team.pk])).content.decode()
    assert len(re.findall(r"Sam \(joined \d+ \w+(, \d)?\)", page)) == 2
    assert "@acme.example" not in page and "@mail.example" not in page


def test_it_falls_back_to_the_order_of_joining_when_hints_collide():
    people = [Person(1, "Sam", "sam@a.example"), Person(2, "Sam", "sam@a.example")]
    assert told_apart(people, for_manager=True) == {
        1: "Sam (sa…@a.example, 1)", 2: "Sam (sa…@a.example, 2)",
    }


def test_it_lets_a_manager_copy_and_withdraw_an_invitation_link(bob, bob_client):
    team = make_team(bob)
    bob_client.post(reverse("team_invite", args=[team.pk]), {"email": ""})
    invitation = Invitation.objects.get(team=team)
    page = bob_client.get(reverse("team", args=[team.pk])).content.decode()
    link = f"http://testserver{reverse('team_join', args=[invitation.token])}"
    # A selectable field that works without JavaScript, and a Copy button the script shows.
    assert f'readonly value="{link}"' in page
    assert f'data-copy="invitation-{invitation.pk}" hidden>Copy link' in page
    withdraw = reverse("team_invitation_withdraw", args=[team.pk, invitation.pk])
    assert bob_client.post(withdraw).status_code == 302
    invitation.refresh_from_db()
    assert not invitation.is_usable
    assert link not in bob_client.get(reverse("team", args=[team.pk])).content.decode()


def test_it_refuses_to_withdraw_another_teams_invitation(bob, bob_client, charlie):
    other = make_team(charlie, name="Other")
    invitation = Invitation.objects.create(team=other, created_by=charlie)
    mine = make_team(bob)
    url = reverse("team_invitation_withdraw", args=[mine.pk, invitation.pk])
    assert bob_client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_it_links_invitations_to_the_address_the_page_was_opened_at(bob, bob_client):
    team = make_team(bob)
    bob_client.post(reverse("team_invite", args=[team.pk]), {"email": ""})
    page = bob_client.get(reverse("team", args=[team.pk]), HTTP_HOST="localhost:8001")
    assert "http://localhost:8001/teams/join/" in page.content.decode()
    assert "127.0.0.1:8000" not in page.content.decode()


def test_it_links_invitations_to_site_url_when_it_is_set(bob, bob_client, settings):
    settings.SITE_URL, settings.SITE_URL_FROM_REQUEST = "https://reflect.example.com", False
    team = make_team(bob)
    bob_client.post(reverse("team_invite", args=[team.pk]), {"email": "dana@example.com"})
    assert "https://reflect.example.com/teams/join/" in mail.outbox[0].body
