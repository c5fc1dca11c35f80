"""The canary crawl: members write entries holding unique canary strings (saved, drafts,
trashed, earlier revisions, answers to team and paired prompts, in two teams); a manager
follows every link reachable from their pages, then opens every teams URL pattern with
real ids. No response may hold a canary, except the one shared entry's own page."""

import re
from collections import deque
from datetime import timedelta
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from reflect.journal.models import Revision, create_entry
from reflect.teams import urls as team_urls
from reflect.teams.links import unsubscribe_token
from reflect.teams.models import Invitation, Membership, PairedPrompt, SharedEntry, TeamPrompt
from tests.test_teams_support import add_members, in_week, join, make_team, weeks

CANARY = "zqcanary"
HREF = re.compile(r'href="([^"#]*)')


def _canary(n: int) -> str:
    return f"{CANARY}{n:04d}x"


@pytest.fixture
def world(bob, alice, charlie, django_user_model):
    team = make_team(bob)
    join(team, alice, "named")
    members = add_members(team, 6) + add_members(team, 2, level="named", prefix="n")
    members += add_members(team, 1, level=None, prefix="shy")
    other = make_team(charlie, "Other")
    members += add_members(other, 6, prefix="o")
    manager_prompt, member_prompt = PairedPrompt.article_prompts()
    mondays = weeks("quarter")
    PairedPrompt.objects.create(
        team=team, manager_prompt=manager_prompt, member_prompt=member_prompt, posed_by=bob,
        starts_on=mondays[-2], weeks=1,
    )
    posed = TeamPrompt.pose(team, bob, "What did you unblock this week?")
    counter = iter(range(10_000))
    writers = [alice, *members]
    for monday in mondays[-4:]:
        for n, writer in enumerate(writers):
            prompt = (member_prompt, posed.prompt, None)[n % 3]
            body = (
                f"I chose to ask the team what if we tried {_canary(next(counter))}. "
                f"We decided together and I learned {_canary(next(counter))}."
            )
            entry = create_entry(author=writer, body=body, written_on=in_week(monday),
                                 prompt=prompt, draft=False)
            Revision.objects.create(entry=entry, body=f"older {_canary(next(counter))}",
                                    written_on=entry.written_on, version=0)
    draft = create_entry(author=alice, body=f"draft {_canary(next(counter))}",
                         written_on=timezone.now().date(), prompt=None, draft=True)
    trashed = create_entry(author=alice, body=f"trashed {_canary(next(counter))}",
                           written_on=in_week(mondays[-1], 3), prompt=None, draft=False)
    trashed.deleted_at = timezone.now()
    trashed.save(update_fields=["deleted_at"])
    shared_entry = create_entry(
        author=alice, body="The one I chose to share: zqsharedcanaryx, I decided.",
        written_on=in_week(mondays[-1], 4), prompt=None, draft=False,
    )
    shared = SharedEntry.objects.create(entry=shared_entry, team=team, shared_by=alice,
                                        version=shared_entry.version)
    revoked_entry = create_entry(author=alice, body=f"revoked {_canary(next(counter))}",
                                 written_on=in_week(mondays[-1], 5), prompt=None, draft=False)
    SharedEntry.objects.create(entry=revoked_entry, team=team, shared_by=alice, version=1,
                               revoked_at=timezone.now())
    expired = SharedEntry.objects.create(entry=trashed, team=team, shared_by=alice, version=1,
                                         expires_at=timezone.now() - timedelta(days=1))
    invitation = Invitation.objects.create(team=team, created_by=bob)
    ids = {
        "pk": [team.pk, other.pk], "team_pk": [team.pk, other.pk],
        "user_pk": [alice.pk, members[0].pk, members[-1].pk, bob.pk],
        "shared_pk": [shared.pk, expired.pk], "entry_pk": [shared_entry.pk, draft.pk],
        "invitation_pk": [invitation.pk],
        "token": [invitation.token,
                  unsubscribe_token(Membership.objects.get(team=team, user=bob))],
    }
    return {"team": team, "shared": shared, "ids": ids}


def _pattern_urls(ids: dict) -> list[str]:
    """Every teams URL pattern, with every combination of real ids it takes."""
    urls = []
    for pattern in team_urls.urlpatterns:
        if not isinstance(pattern, URLPattern):
            continue
        combos = [{}]
        for key in pattern.pattern.converters:
            combos = [{**c, key: value} for c in combos for value in ids[key]]
        for kwargs in combos:
            urls.append(reverse(pattern.name, kwargs=kwargs))
    return urls


def _crawl(client: Client, start: list[str], limit: int = 400) -> dict[str, bytes]:
    seen: dict[str, bytes] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.content
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href)[0].replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.netloc or not href.startswith("/") or href.startswith("/static/"):
                continue
            if href.startswith("/admin/") or href not in seen:
                queue.append(href)
    return seen


def test_it_shows_a_manager_no_canary_but_the_shared_entry(world, bob):
    client = Client()
    client.force_login(bob)
    team = world["team"]
    start = [reverse("home"), reverse("teams"), reverse("team", args=[team.pk]),
             reverse("sharing")]
    start += [reverse("team_summary", args=[team.pk]) + f"?period={p}"
              for p in ("4w", "quarter", "year")]
    pages = _crawl(client, start)
    for url in _pattern_urls(world["ids"]):
        pages.setdefault(url, client.get(url).content)
    assert len(pages) > 40
    allowed = reverse("team_shared_entry", args=[team.pk, world["shared"].pk])
    assert allowed in pages and b"zqsharedcanaryx" in pages[allowed]
    assert any(url.startswith(reverse("team_named", args=[team.pk, 0])[:-2]) for url in pages)
    summary = pages[reverse("team_summary", args=[team.pk]) + "?period=4w"]
    assert b"members wrote" in summary  # the crawl saw real figures, not only refusals
    for url, content in pages.items():
        assert CANARY.encode() not in content, url
        if url != allowed:
            assert b"zqsharedcanaryx" not in content, url
