"""Search keeps each hit's item and highlighted fragment per process (entries.search_items,
browse._snippet_html, and on PostgreSQL browse.search_items_html under the row as read): a kept
page is what a fresh process writes, and a change shows."""

import re

from django.urls import reverse

from reflect.journal import browse
from reflect.journal.models import Entry, create_entry
from reflect.journal.templatetags import entries as entries_tags


def _page(client, q) -> str:
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return re.sub(r'(csrfmiddlewaretoken" value="|nonce="|X-CSRFToken\\?": \\?")[^"\\]+', r"\1X",
                  response.content.decode())


def _fresh(client, q) -> str:
    entries_tags._JOURNAL_ITEMS.clear()
    browse._SEARCH_ITEMS.clear()
    browse._snippet_html.cache_clear()
    return _page(client, q)


def test_a_kept_search_is_the_fresh_one_and_changes_show(alice_client, alice):
    entry = create_entry(author=alice, body="We redid the rota <b>together</b> today.",
                         written_on=alice.today(), prompt=None, draft=False)
    create_entry(author=alice, body="The rota again, and the team.", written_on=alice.today(),
                 prompt=None, draft=False)
    first = _fresh(alice_client, "rota")
    assert first.count("<mark>") >= 2 and "&lt;b&gt;" in first
    assert _page(alice_client, "rota") == first
    assert _page(alice_client, "team") == _fresh(alice_client, "team") != first
    Entry.objects.filter(pk=entry.pk).update(title="A <title>")
    page = _page(alice_client, "rota")
    assert page == _fresh(alice_client, "rota") and "A &lt;title&gt;" in page
    # Only the search copy changes (the fragment is cut from it), not the list's columns.
    Entry.objects.filter(pk=entry.pk).update(search_text="We redid the rota at dawn.")
    page = _page(alice_client, "rota")
    assert page == _fresh(alice_client, "rota") and "at dawn" in page
    # Another word of the same entries: other marks.
    assert _page(alice_client, "redid") == _fresh(alice_client, "redid") != page
