"""The summary's list of entries shared with a team's managers (read with SQL written in
reflect.teams.sql): only shares its managers may open, never text, newest first."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from reflect.journal.models import Entry, Prompt
from reflect.teams.models import Membership, SharedEntry
from tests.test_teams_support import join, make_team, write

LINK = re.compile(r'href="/teams/(\d+)/shared/(\d+)/">([^<]*)</a>')


def _share(team, author, title: str = "", prompt=None, **fields) -> SharedEntry:
    entry = write(author, timezone.now().date() - timedelta(days=3),
                  body="The body is never listed.", prompt=prompt)
    Entry.objects.filter(pk=entry.pk).update(title=title)
    return SharedEntry.objects.create(entry=entry, team=team, shared_by=author,
                                      version=entry.version, **fields)


def test_the_summary_lists_only_the_shares_its_managers_may_open(bob, alice, charlie,
                                                                   bob_client, alice_client):
    team = make_team(bob)
    join(team, alice)
    join(team, charlie)
    other = make_team(bob, "Other")
    join(other, alice)
    now = timezone.now()
    prompt = Prompt.objects.create(text="What did you decide today?")
    shown = [
        _share(team, alice, "Visible"),
        _share(team, alice, "Until tomorrow", expires_at=now + timedelta(days=1)),
        _share(team, alice, prompt=prompt),  # no title: its prompt
        _share(team, alice),  # no title, no prompt
    ]
    _share(team, alice, "Revoked", revoked_at=now)
    _share(team, alice, "Expired", expires_at=now - timedelta(minutes=1))
    edited = _share(team, alice, "Edited since")
    Entry.objects.filter(pk=edited.entry_id).update(version=2)
    drafted = _share(team, alice, "Back to a draft")
    Entry.objects.filter(pk=drafted.entry_id).update(is_draft=True)
    trashed = _share(team, alice, "In the trash")
    Entry.objects.filter(pk=trashed.entry_id).update(deleted_at=now)
    _share(other, alice, "Another team's")
    _share(team, bob, "A manager's own")
    _share(team, charlie, "By someone who left")
    Membership.objects.filter(team=team, user=charlie).delete()

    html = bob_client.get(reverse("team_summary", args=[team.pk])).content.decode()

    listed = [(int(team_id), int(pk), label) for team_id, pk, label in LINK.findall(html)]
    newest_first = sorted(shown, key=lambda s: (s.created_at, s.pk), reverse=True)
    assert [(team_id, pk) for team_id, pk, _ in listed] == [(team.pk, s.pk) for s in newest_first]
    assert {label for *_, label in listed} == {
        "Visible", "Until tomorrow", "What did you decide today?", "Free entry"
    }
    assert "The body is never listed." not in html
    assert ", until " in html  # the expiry of the one that has one
    # A member who does not manage the team reads none of it.
    assert alice_client.get(reverse("team_summary", args=[team.pk])).status_code == 404
