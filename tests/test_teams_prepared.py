"""On PostgreSQL the team summary's fixed statements are prepared once per connection and then
executed by name (reflect.teams.sql.Kept): the page and its access log are the same, and a
connection that lost them (a pooler, DISCARD ALL) or has them already is served all the same.
Outside a transaction only, as requests run: these tests commit."""

from django.db import connection
from django.urls import reverse

from reflect.lib import sql as lib_sql
from reflect.teams.models import AccessEvent
from tests.kept_support import KEPT_TESTS, page_text, prepared
from tests.test_teams_support import add_members, bulk_write, in_week, make_team, weeks

pytestmark = KEPT_TESTS


def _page(client, team) -> str:
    return page_text(client.get(reverse("team_summary", args=[team.pk])))


def test_it_prepares_the_summary_statements_once_and_serves_the_same_page(bob, bob_client):
    team = make_team(bob, threshold=5)
    bulk_write(add_members(team, 5), [in_week(weeks()[-1])])
    # Statements other pages kept on this connection before (the editor's saves keep theirs
    # under the same kind of name: reflect.lib.sql.kept_as) are not the summary's.
    before = prepared()
    _page(bob_client, team)  # records the week it shows
    first = _page(bob_client, team)
    names = prepared() - before
    # Team, members, shared, published weeks; the access event of the first view (alone) and
    # of the repeat view (beside the reads, for the people the view before showed).
    assert len(names) == 6
    assert _page(bob_client, team) == first
    assert prepared() - before == names
    assert AccessEvent.objects.filter(what="team_summary").count() == 3


def test_it_serves_a_connection_that_lost_or_already_has_its_statements(bob, bob_client):
    team = make_team(bob, threshold=5)
    bulk_write(add_members(team, 5), [in_week(weeks()[-1])])
    _page(bob_client, team)
    page = _page(bob_client, team)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's DISCARD ALL does
    assert _page(bob_client, team) == page
    lib_sql._KEPT.clear()  # prepared, but this process does not know
    assert _page(bob_client, team) == page
    assert AccessEvent.objects.filter(what="team_summary").count() == 4
