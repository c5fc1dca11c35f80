"""Teams: creating, inviting, joining, leaving, managing, consenting, sharing one entry,
team prompts, the access log, the weekly email and the demo team."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reflect.journal.models import Entry, HiddenPrompt, Prompt, prompts_for, todays_prompt
from reflect.teams import summary as figures
from reflect.teams.models import (
    AccessEvent,
    AccessSetMember,
    ConsentReceipt,
    Invitation,
    Membership,
    SharedEntry,
    Team,
    TeamPrompt,
    ThresholdChange,
)
from reflect.teams.tasks import send_team_summary
from tests.test_teams_support import add_members, bulk_write, in_week, join, make_team, weeks, write


@pytest.fixture
def team(bob, alice):
    team = make_team(bob)
    join(team, alice)
    return team


def test_it_creates_a_team_with_its_creator_as_manager(bob_client, bob):
    response = bob_client.post(reverse("team_create"), {"name": "Platform"})
    team = Team.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("team", args=[team.pk])
    assert team.threshold == 5 and team.created_by == bob
    assert Membership.objects.get(team=team, user=bob).role == "manager"
    page = bob_client.get(reverse("teams"))
    assert b"Platform" in page.content


def test_it_invites_by_a_single_use_link(team, bob_client, charlie, charlie_client):
    bob_client.post(reverse("team_invite", args=[team.pk]), {"email": ""})
    invitation = Invitation.objects.get()
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert invitation.token in bob_client.get(reverse("team", args=[team.pk])).content.decode()
    url = reverse("team_join", args=[invitation.token])
    assert charlie_client.get(url).status_code == 200
    response = charlie_client.post(url)
    assert response.status_code == 302
    assert Membership.objects.get(team=team, user=charlie).role == "member"
    assert ConsentReceipt.current(charlie, team) == "none"  # joining shares nothing
    other = Client()
    other.force_login(type(charlie).objects.create_user("dave@example.com", "x"))
    assert other.post(url).status_code == 410
    assert not Membership.objects.filter(user__email="dave@example.com").exists()


def test_it_refuses_an_expired_invitation(team, charlie, charlie_client):
    invitation = Invitation.objects.create(
        team=team, expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = charlie_client.post(reverse("team_join", args=[invitation.token]))
    assert response.status_code == 410
    assert b"expired" in response.content
    assert not Membership.objects.filter(user=charlie).exists()


def test_it_invites_by_email_for_that_address_only(team, bob_client, charlie, alice_client):
    bob_client.post(reverse("team_invite", args=[team.pk]), {"email": "charlie@example.com"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["charlie@example.com"]
    link = re.search(r"http\S+/teams/join/\S+/", mail.outbox[0].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[-1]
    other = Client()
    other.force_login(type(charlie).objects.create_user("eve@example.com", "x"))
    assert other.post(path).status_code == 410
    invited = Client()
    invited.force_login(charlie)
    assert invited.post(path).status_code == 302
    assert Membership.objects.filter(team=team, user=charlie).exists()


def test_it_lets_a_member_leave_and_revokes_their_shares(team, alice, alice_client):
    entry = write(alice, timezone.now().date())
    shared = SharedEntry.objects.create(entry=entry, team=team, shared_by=alice, version=1)
    join_receipt = ConsentReceipt.objects.create(member=alice, team=team, level="named")
    response = alice_client.post(reverse("team_leave", args=[team.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(team=team, user=alice).exists()
    shared.refresh_from_db()
    assert shared.revoked_at is not None
    assert ConsentReceipt.objects.filter(member=alice, team=team).first().level == "none"
    assert ConsentReceipt.objects.filter(pk=join_receipt.pk).exists()  # receipts are kept


def test_it_keeps_the_last_manager_until_another_is_promoted(team, bob, bob_client, alice):
    bob_client.post(reverse("team_leave", args=[team.pk]))
    assert Membership.objects.filter(team=team, user=bob, role="manager").exists()
    bob_client.post(reverse("team_member_promote", args=[team.pk, alice.pk]))
    assert Membership.objects.get(team=team, user=alice).role == "manager"
    bob_client.post(reverse("team_leave", args=[team.pk]))
    assert not Membership.objects.filter(team=team, user=bob).exists()


def test_it_ends_a_members_consent_when_they_become_a_manager(team, alice, bob_client):
    ConsentReceipt.objects.create(member=alice, team=team, level="named")
    bob_client.post(reverse("team_member_promote", args=[team.pk, alice.pk]))
    assert ConsentReceipt.current(alice, team) == "none"


def test_it_removes_a_member(team, alice, bob_client):
    response = bob_client.post(reverse("team_member_remove", args=[team.pk, alice.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(team=team, user=alice).exists()


def test_it_records_threshold_changes_and_shows_them_to_members(team, bob, bob_client,
                                                               alice_client):
    bob_client.post(reverse("team_threshold", args=[team.pk]), {"threshold": "3"})
    team.refresh_from_db()
    assert team.threshold == 3
    change = ThresholdChange.objects.get()
    assert (change.old, change.new, change.by) == (5, 3, bob)
    page = alice_client.get(reverse("sharing"))
    assert "5 → 3" in page.content.decode()


@pytest.mark.parametrize("value", ["2", "11", "five"])
def test_it_keeps_the_threshold_between_3_and_10(team, bob_client, value):
    bob_client.post(reverse("team_threshold", args=[team.pk]), {"threshold": value})
    team.refresh_from_db()
    assert team.threshold == 5
    assert not ThresholdChange.objects.exists()


def test_it_offers_a_team_prompt_to_its_members_only(team, bob, alice, charlie, bob_client,
                                                      alice_client, charlie_client):
    bob_client.post(reverse("team_prompt_new", args=[team.pk]), {"text": "What did you unblock?"})
    posed = TeamPrompt.objects.get()
    assert posed.prompt.source == Prompt.Source.TEAM and posed.team == team
    assert "What did you unblock?" in alice_client.get(reverse("prompts")).content.decode()
    assert prompts_for(alice).filter(pk=posed.prompt_id).exists()
    assert b"What did you unblock?" not in charlie_client.get(reverse("prompts")).content
    assert not prompts_for(charlie).filter(pk=posed.prompt_id).exists()
    url = reverse("entry_new") + f"?prompt={posed.prompt_id}"
    assert charlie_client.get(url)["Location"] == reverse("entry_new")


def test_it_never_offers_another_teams_prompt_as_todays_prompt(team, charlie):
    Prompt.objects.exclude(source=Prompt.Source.TEAM).update(is_active=False)
    posed = TeamPrompt.pose(team, team.created_by, "Only for the team")
    assert todays_prompt(charlie) is None
    assert todays_prompt(team.memberships.get(role="member").user) == posed.prompt


def test_it_never_shows_another_teams_prompt_by_its_id(team, alice, charlie, charlie_client):
    posed = TeamPrompt.pose(team, team.created_by, "A question only for the team")
    for name in ("prompt_hide", "prompt_show"):
        for headers in ({}, {"HX-Request": "true"}):
            response = charlie_client.post(reverse(name, args=[posed.prompt_id]), headers=headers)
            assert response.status_code == 404
            assert b"only for the team" not in response.content
    assert not HiddenPrompt.objects.filter(user=charlie).exists()
    response = charlie_client.get(reverse("then_and_now", args=[posed.prompt_id]))
    assert response.status_code == 404 and b"only for the team" not in response.content


def test_it_keeps_a_team_prompt_readable_in_the_journal_after_leaving(team, alice, alice_client):
    posed = TeamPrompt.pose(team, team.created_by, "A question only for the team")
    write(alice, timezone.now().date(), body="My answer.", prompt=posed.prompt)
    team.memberships.filter(user=alice).delete()
    response = alice_client.get(reverse("then_and_now", args=[posed.prompt_id]))
    assert response.status_code == 200 and b"My answer." in response.content


def test_it_keeps_consent_receipts(team, alice, alice_client):
    for level in ("aggregate", "named", "aggregate"):
        alice_client.post(reverse("sharing_consent", args=[team.pk]), {"level": level})
    receipts = list(ConsentReceipt.objects.filter(member=alice, team=team).order_by("id"))
    assert [r.level for r in receipts] == ["aggregate", "named", "aggregate"]
    page = alice_client.get(reverse("sharing")).content.decode()
    assert page.count("Counted in team figures") >= 3


def test_it_shares_one_entry_after_a_preview(team, alice, alice_client, bob_client):
    entry = write(alice, timezone.now().date(), body="I chose to *ask* first.")
    url = reverse("share_entry", args=[entry.pk])
    preview = alice_client.get(url, {"team": team.pk, "expires": "7"})
    assert preview.status_code == 200
    assert b"exactly what Platform" in preview.content
    assert b"<em>ask</em>" in preview.content
    assert not SharedEntry.objects.exists()
    alice_client.post(url, {"team": team.pk, "expires": "7", "confirm": "yes"})
    shared = SharedEntry.objects.get()
    assert shared.expires_at > timezone.now() + timedelta(days=6)
    page = bob_client.get(reverse("team_shared_entry", args=[team.pk, shared.pk]))
    assert page.status_code == 200
    assert b"<em>ask</em>" in page.content
    # The manager's page and the preview render the same article.
    article = re.compile(rb"<article.*?</article>", re.S)
    until = re.compile(rb" \xc2\xb7 until [^<]*")  # the expiry, computed a moment apart

    def shown(response):
        return until.sub(b"", article.search(response.content).group(0))

    assert shown(page) == shown(preview)
    events = AccessEvent.objects.filter(subject=alice, what="shared_entry", object_id=shared.pk)
    assert events.exists()


def test_it_hides_a_shared_entry_after_revocation_expiry_or_an_edit(team, alice, alice_client,
                                                                      bob_client):
    entry = write(alice, timezone.now().date())
    shared = SharedEntry.objects.create(entry=entry, team=team, shared_by=alice, version=1)
    url = reverse("team_shared_entry", args=[team.pk, shared.pk])
    assert bob_client.get(url).status_code == 200
    Entry.objects.filter(pk=entry.pk).update(version=2)
    assert bob_client.get(url).status_code == 404
    Entry.objects.filter(pk=entry.pk).update(version=1)
    SharedEntry.objects.filter(pk=shared.pk).update(expires_at=timezone.now())
    assert bob_client.get(url).status_code == 404
    SharedEntry.objects.filter(pk=shared.pk).update(expires_at=None)
    alice_client.post(reverse("shared_revoke", args=[shared.pk]))
    assert bob_client.get(url).status_code == 404


def test_it_shows_a_member_exactly_what_their_manager_sees(team, alice, alice_client, bob_client):
    mondays = weeks()
    ConsentReceipt.objects.create(member=alice, team=team, level="named")
    write(alice, in_week(mondays[-1]), tone=(3, 0))
    preview = alice_client.get(reverse("sharing_preview", args=[team.pk]))
    manager = bob_client.get(reverse("team_named", args=[team.pk, alice.pk]))
    section = re.compile(rb'<p class="small muted">Alice chose.*?</table></div>', re.S)
    assert section.search(preview.content).group(0) == section.search(manager.content).group(0)
    # The preview is not an access; the manager's view is.
    assert AccessEvent.objects.filter(subject=alice).count() == 1


def test_it_sends_a_weekly_summary_with_figures_only(team, bob, alice):
    mondays = weeks()
    members = add_members(team, 5)
    bulk_write(members, [in_week(mondays[-1])], body="CANARY-weekly words")
    call_command("send_team_summaries", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.com"]
    assert "5 members wrote 5 entries" in message.body
    assert "CANARY" not in message.body
    event = AccessEvent.objects.get(what="summary_email")
    assert set(AccessSetMember.objects.filter(digest=event.people).values_list(
        "user_id", flat=True)) == {m.pk for m in members}
    link = re.search(r"http\S+/teams/unsubscribe/\S+/", message.body).group(0)
    path = link.split("127.0.0.1:8000", 1)[-1]
    anonymous = Client()
    assert anonymous.get(path).status_code == 200
    assert Membership.objects.get(team=team, user=bob).summary_email
    assert anonymous.post(path).status_code == 200
    assert not Membership.objects.get(team=team, user=bob).summary_email
    mail.outbox.clear()
    assert send_team_summary.enqueue(Membership.objects.get(team=team, user=bob).pk)
    assert mail.outbox == []


def test_it_sends_nothing_below_the_threshold(team):
    bulk_write(add_members(team, 4), [in_week(weeks()[-1])])
    call_command("send_team_summaries", stdout=io.StringIO())
    assert mail.outbox == []


def test_it_refuses_a_forged_unsubscribe_link(team):
    assert Client().get(reverse("team_unsubscribe", args=["1:forged:sig"])).status_code == 404


def test_it_builds_a_demo_team_with_real_figures(db, django_user_model):
    from reflect.teams.demo import create_demo_team

    demo = django_user_model.objects.create_user("demo@example.com", "x")
    out = io.StringIO()
    team = create_demo_team(demo, out)
    assert Membership.objects.get(team=team, user=demo).role == "manager"
    summary = figures.team_summary(team, "4w", viewer=demo)
    assert summary.total.shown and summary.total.writers >= team.threshold
    assert any(v is not None for v in summary.total.scores.values())
    assert summary.named
    assert "Demo team" in out.getvalue()


def test_a_members_preview_lists_exactly_their_shares_as_the_managers_see_them(
    team, alice, alice_client, bob_client
):
    """The preview runs the managers' own statement, narrowed to the member's shares: the
    same item, and never another member's share or a revoked one."""
    (other,) = add_members(team, 1)

    def share(author, title: str, **fields) -> SharedEntry:
        entry = write(author, timezone.now().date())
        Entry.objects.filter(pk=entry.pk).update(title=title)
        return SharedEntry.objects.create(
            entry=entry, team=team, shared_by=author, version=entry.version, **fields
        )

    mine = share(alice, "Mine to show")
    share(alice, "Taken back", revoked_at=timezone.now())
    share(other, "Someone else's")
    item = re.compile(rb'<li><a href="[^"]*/shared/\d+/">.*?</li>', re.S)
    preview = item.findall(alice_client.get(reverse("sharing_preview", args=[team.pk])).content)
    manager = item.findall(bob_client.get(reverse("team_summary", args=[team.pk])).content)
    assert len(preview) == 1 and b"Mine to show" in preview[0]
    assert reverse("team_shared_entry", args=[team.pk, mine.pk]).encode() in preview[0]
    assert preview[0] in manager and len(manager) == 2  # the manager sees the other one too
