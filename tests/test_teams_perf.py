"""The team summary costs a fixed number of queries, whatever the size of the team."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reflect.teams import summary as figures
from reflect.teams.models import PairedPrompt, SharedEntry
from tests.test_teams_support import add_members, bulk_write, make_team, weeks, write

PERIODS = list(figures.PERIODS)


def _grow(team, bob, members: int, named: int, days: int, prefix: str) -> None:
    people = add_members(team, members, prefix=prefix)
    people += add_members(team, named, level="named", prefix=prefix + "n")
    last = weeks()[-1] + timedelta(days=6)
    bulk_write(people, [last - timedelta(days=n) for n in range(days)])


def _queries(client: Client, url: str, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == status
    return len(queries)


def test_it_shows_the_summary_in_at_most_10_queries_at_any_size(bob, alice):
    """Counted as the summary's own queries plus the two any signed-in page costs (session,
    user): what the session middleware adds on top is measured on a page that answers 404
    after its one team lookup, and set aside."""
    team = make_team(bob)
    manager_prompt, member_prompt = PairedPrompt.article_prompts()
    PairedPrompt.objects.create(team=team, manager_prompt=manager_prompt,
                                member_prompt=member_prompt, posed_by=bob,
                                starts_on=weeks()[-2], weeks=1)
    client = Client()
    client.force_login(bob)
    missing = reverse("team_summary", args=[team.pk + 1000])
    _queries(client, missing, 404)

    def own(url: str) -> int:
        signed_in = _queries(client, missing, 404) - 1 - 2  # middleware beyond session, user
        return _queries(client, url) - signed_in

    _grow(team, bob, members=6, named=2, days=7, prefix="s")
    entry = write(team.memberships.filter(role="member").first().user, weeks()[-1])
    SharedEntry.objects.create(entry=entry, team=team, shared_by=entry.author, version=1)
    urls = [reverse("team_summary", args=[team.pk]) + f"?period={p}" for p in PERIODS]
    # A first view also records the weeks it published and its set of people (one INSERT
    # each, once); compare repeat views.
    for url in urls:
        client.get(url)
    small = {url: own(url) for url in urls}
    _grow(team, bob, members=60, named=10, days=120, prefix="b")
    for url in urls:
        first = own(url)
        assert b"members wrote" in client.get(url).content
        repeat = own(url)
        assert repeat <= 10
        if connection.vendor == "postgresql":
            # Session and user, then one round trip (reflect.teams.sql.batch): the access
            # check with the team and its members beside the figures' reads (made for the
            # members of the manager's last view, the same here) with the shared entries and
            # the access event (for the people that view showed, the same here).
            assert repeat == 3
        # A view of new figures for new people also sums those weeks, records them and
        # stores the set of people (the repeat view inserts only its one access event); on
        # PostgreSQL its figures' reads, made for the members of the last view, go again for
        # the members read now.
        again = 1 if connection.vendor == "postgresql" else 0
        assert first <= repeat + 4 + again, "a first view adds at most what records it"
        assert repeat == small[url], "the query count grew with the team"
