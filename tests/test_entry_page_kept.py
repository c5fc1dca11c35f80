"""On PostgreSQL the entry page's three reads are kept planned on the connection
(reflect.lib.sql.read_kept): prepared on the first view, executed by name after, the same
page; a connection that lost them (a pooler, DISCARD ALL), or has them while this process
does not know, is served all the same. Outside a transaction only, as requests run: these
tests commit."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from reflect.journal.models import EntryTag, Revision, create_entry
from reflect.journal.views import _entry_page_plan
from reflect.lib import sql as lib_sql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"),
]
PER_REQUEST = re.compile(r'nonce="[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"|'
                         r'"X-CSRFToken": "[^"]+"')


def _prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'reflect_%%'")
        return {name for (name,) in cursor.fetchall()}


def _page(client, entry) -> str:
    response = client.get(reverse("entry", args=[entry.pk]))
    assert response.status_code == 200
    return PER_REQUEST.sub("", response.content.decode())


def _entry(alice):
    entry = create_entry(author=alice, body="I decided to ask the team what if we shared it.",
                         written_on=alice.today(), prompt=None, draft=False, tags=["rota"])
    Revision.objects.create(entry=entry, body="Before.", written_on=entry.written_on,
                            version=1)
    return entry


def test_it_keeps_the_entry_page_reads_once_and_serves_the_same_page(alice, alice_client):
    entry = _entry(alice)
    connection.ensure_connection()
    with connection.cursor() as cursor:  # none kept yet, as on a new connection
        cursor.execute("DEALLOCATE ALL")
    lib_sql.forget_kept(connection.connection)
    first = _page(alice_client, entry)
    # The entry with its prompt, framing and versions; its tags; its images.
    kept = {lib_sql.kept_as(sql)[0] for sql in _entry_page_plan(connection.ops).statements}
    assert _prepared() == kept and len(kept) == 3
    assert _page(alice_client, entry) == first
    assert _prepared() == kept
    assert "#rota" in first and "Earlier versions (1)" in first
    # Executed anew on every view: the rows as they are now.
    EntryTag.objects.all().delete()
    assert "#rota" not in _page(alice_client, entry)


def test_it_serves_a_connection_that_lost_or_already_has_its_statements(
    alice, alice_client, bob_client
):
    entry = _entry(alice)
    page = _page(alice_client, entry)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's DISCARD ALL does
    assert _page(alice_client, entry) == page
    lib_sql._KEPT.clear()  # kept, but this process does not know
    assert _page(alice_client, entry) == page
    # Someone else's entry stays out of their reach with the statements kept.
    assert bob_client.get(reverse("entry", args=[entry.pk])).status_code == 404
