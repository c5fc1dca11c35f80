"""Inviting by email: any team name sends its mail, and a mail that cannot be sent leaves no
half-made invitation behind."""

import smtplib

import pytest
from django.core import mail
from django.urls import reverse

from reflect.teams.models import Invitation, Team
from tests.test_teams_support import make_team


@pytest.mark.parametrize("name", ["Ops\r\nBerlin", "Ops\nBerlin", "Ops\u2028Berlin"])
def test_it_sends_the_invitation_whatever_the_team_is_called(bob, bob_client, name):
    team = make_team(bob)
    Team.objects.filter(pk=team.pk).update(name=name)
    response = bob_client.post(reverse("team_invite", args=[team.pk]),
                               {"email": "dana@example.com"}, follow=True)
    assert response.status_code == 200
    assert "Invitation sent to dana@example.com" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Join Ops Berlin on Reflect"
    assert Invitation.objects.filter(team=team, email="dana@example.com").count() == 1


def test_it_leaves_no_invitation_when_the_mail_cannot_be_sent(bob, bob_client, monkeypatch):
    team = make_team(bob)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    monkeypatch.setattr("reflect.teams.views.send_mail", refuse)
    response = bob_client.post(reverse("team_invite", args=[team.pk]),
                               {"email": "dana@example.com"}, follow=True)
    assert response.status_code == 200
    assert "could not be sent, so no invitation was made" in response.content.decode()
    assert not Invitation.objects.filter(team=team).exists()
