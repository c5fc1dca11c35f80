"""On PostgreSQL the entry page's three reads are kept planned on the connection
(reflect.lib.sql.read_kept): prepared on the first view, executed by name after, the same
page; a connection that lost them (a pooler, DISCARD ALL), or has them while this process
does not know, is served all the same. Outside a transaction only, as requests run: these
tests commit."""

from django.db import connection
from django.urls import reverse

from reflect.journal.models import EntryTag, Revision, create_entry
from reflect.journal.views import _entry_page_plan
from reflect.lib import sql as lib_sql
from tests.kept_support import (
    KEPT_TESTS,
    forget_all_kept,
    page_text,
    prepared,
    served_whatever_is_kept,
)

pytestmark = KEPT_TESTS


def _page(client, entry) -> str:
    return page_text(client.get(reverse("entry", args=[entry.pk])))


def _entry(alice):
    entry = create_entry(author=alice, body="I decided to ask the team what if we shared it.",
                         written_on=alice.today(), prompt=None, draft=False, tags=["rota"])
    Revision.objects.create(entry=entry, body="Before.", written_on=entry.written_on,
                            version=1)
    return entry


def test_it_keeps_the_entry_page_reads_once_and_serves_the_same_page(alice, alice_client):
    entry = _entry(alice)
    forget_all_kept()  # none kept yet, as on a new connection
    first = _page(alice_client, entry)
    # The entry with its prompt, framing and versions; its tags; its images.
    kept = {lib_sql.kept_as(sql)[0] for sql in _entry_page_plan(connection.ops).statements}
    assert prepared() == kept and len(kept) == 3
    assert _page(alice_client, entry) == first
    assert prepared() == kept
    assert "#rota" in first and "Earlier versions (1)" in first
    # Executed anew on every view: the rows as they are now.
    EntryTag.objects.all().delete()
    assert "#rota" not in _page(alice_client, entry)


def test_it_serves_a_connection_that_lost_or_already_has_its_statements(
    alice, alice_client, bob_client
):
    entry = _entry(alice)
    served_whatever_is_kept(lambda: _page(alice_client, entry))
    # Someone else's entry stays out of their reach with the statements kept.
    assert bob_client.get(reverse("entry", args=[entry.pk])).status_code == 404
