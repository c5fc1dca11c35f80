"""On PostgreSQL the journal's first page (its filters' prompts and tags, and the page of
entries) is read with statements kept planned on the connection (reflect.lib.sql.read_kept):
prepared on the first view, executed by name after, the same page; a connection that lost
them, or has them while this process does not know, is served all the same; other pages and
filtered views are read as they come, so statements do not pile up per page number. Outside a
transaction only, as requests run: these tests commit."""

from django.urls import reverse

from reflect.journal.models import create_entry
from tests.kept_support import (
    KEPT_TESTS,
    forget_all_kept,
    page_text,
    prepared,
    served_whatever_is_kept,
)

pytestmark = KEPT_TESTS


def _page(client, query: str = "") -> str:
    return page_text(client.get(reverse("journal") + query))


def test_it_keeps_the_first_pages_reads_once_and_serves_the_same_page(alice, alice_client):
    create_entry(author=alice, body="I decided to ask the team.", written_on=alice.today(),
                 prompt=None, draft=False, tags=["rota"])
    forget_all_kept()
    first = _page(alice_client)
    kept = prepared()
    assert len(kept) == 3  # the prompts answered, the tags in use, the page of entries
    assert _page(alice_client) == first and prepared() == kept
    assert "I decided to ask the team." in first and "rota" in first
    # Executed anew on every view: the rows as they are now.
    create_entry(author=alice, body="A second one, written later.", written_on=alice.today(),
                 prompt=None, draft=False)
    assert "A second one, written later." in _page(alice_client)
    # Another page or a filter keeps nothing more.
    _page(alice_client, "?page=2")
    _page(alice_client, "?tag=rota")
    assert prepared() == kept


def test_it_serves_a_connection_that_lost_or_already_has_its_statements(
    alice, alice_client, bob_client
):
    create_entry(author=alice, body="Only mine.", written_on=alice.today(), prompt=None,
                 draft=False)
    served_whatever_is_kept(lambda: _page(alice_client))
    # The same statements serve someone else their own journal, never Alice's entries.
    assert "Only mine." not in _page(bob_client)
