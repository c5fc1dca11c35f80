"""On PostgreSQL the home page's reads (its three lists, the sparkline's weeks and, once
today's prompt is chosen, the check that it is still offered) are statements kept planned on
the connection (reflect.lib.sql.read_kept): prepared on the first views, executed by name after,
the same page with the rows as they are now; a connection that lost them, or has them while
this process does not know, is served all the same; the same statements serve each person
their own entries only. Outside a transaction, as requests run: these tests commit."""

from datetime import timedelta

from django.urls import reverse

from reflect.journal.models import Prompt, create_entry
from tests.kept_support import (
    KEPT_TESTS,
    forget_all_kept,
    page_text,
    prepared,
    served_whatever_is_kept,
)

pytestmark = KEPT_TESTS


def _home(client) -> str:
    return page_text(client.get(reverse("home")))


def test_it_keeps_the_home_pages_reads_and_serves_the_rows_as_they_are(alice, alice_client):
    today = alice.today()
    create_entry(author=alice, body="I decided to ask the team.", written_on=today,
                 prompt=None, draft=False)
    create_entry(author=alice, body="Same day, a year before.",
                 written_on=today - timedelta(days=364 if today.month == 2 and today.day == 29
                                              else 365),
                 prompt=None, draft=False)
    create_entry(author=alice, body="Still thinking about it", written_on=today, prompt=None,
                 draft=True)
    # A prompt to offer today (earlier transactional tests may have flushed the seeded ones).
    Prompt.objects.get_or_create(text="What did you choose today?")
    forget_all_kept()
    _home(alice_client)  # chooses today's prompt: the next views check it
    second = _home(alice_client)
    kept = prepared()
    # The lists, the sparkline's weeks, and the check of today's prompt.
    assert len(kept) == 3
    assert _home(alice_client) == second and prepared() == kept
    for shown in ("I decided to ask the team.", "Still thinking about it"):
        assert shown in second
    # Executed anew on every view: the rows as they are now.
    create_entry(author=alice, body="A second one, written later.", written_on=today,
                 prompt=None, draft=False)
    assert "A second one, written later." in _home(alice_client)
    assert prepared() == kept


def test_it_serves_a_connection_that_lost_or_already_has_its_statements(
    alice, alice_client, bob_client
):
    create_entry(author=alice, body="Only mine.", written_on=alice.today(), prompt=None,
                 draft=False)
    _home(alice_client)  # chooses today's prompt: the views after it check it
    served_whatever_is_kept(lambda: _home(alice_client))
    # The same statements serve someone else their own home page, never Alice's entries.
    assert "Only mine." not in _home(bob_client)
