"""The journal list keeps each item's HTML per process (templatetags.entries.journal_items)
under everything it is written from: a change to any of it shows at once, and a kept item
is what a fresh process writes."""

import re
from datetime import timedelta

from django.urls import reverse

from reflect.journal.models import Entry, Prompt, create_entry
from reflect.journal.templatetags import entries as entries_tags


def _list(client) -> str:
    response = client.get(reverse("journal"))
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value="|nonce="|X-CSRFToken\\?": \\?")[^"\\]+', r"\1X",
                  html)


def _fresh(client) -> str:
    entries_tags._JOURNAL_ITEMS.clear()
    return _list(client)


def test_a_kept_item_is_the_fresh_one_and_every_change_shows(alice_client, alice):
    prompt = Prompt.objects.create(text="What went well?", category="reflect")
    entry = create_entry(author=alice, body="", written_on=alice.today(), prompt=prompt,
                         draft=False)
    other = create_entry(author=alice, body="First line\n\nThen the rest of it, " * 20,
                         written_on=alice.today(), prompt=None, draft=False)
    first = _fresh(alice_client)
    assert "What went well?" in first
    assert _list(alice_client) == first  # kept
    assert len(entries_tags._JOURNAL_ITEMS) == 2
    changes = [
        (Prompt.objects.filter(pk=prompt.pk), {"text": "What went badly?"}),
        (Entry.objects.filter(pk=entry.pk), {"title": "A title"}),
        (Entry.objects.filter(pk=other.pk), {"body": "Another first line\n\nand more"}),
        (Entry.objects.filter(pk=other.pk), {"word_count": 12345}),
        (Entry.objects.filter(pk=other.pk), {"written_on": alice.today() - timedelta(days=3)}),
        (Entry.objects.filter(pk=entry.pk), {"prompt": None, "title": ""}),
    ]
    shown = [first]
    for rows, change in changes:
        rows.update(**change)
        page = _list(alice_client)
        assert page == _fresh(alice_client)
        assert page != shown[-1]
        shown.append(page)
    assert "Free entry" in shown[-1]


def test_it_keeps_at_most_journal_items_kept(alice_client, alice, monkeypatch):
    monkeypatch.setattr(entries_tags, "JOURNAL_ITEMS_KEPT", 3)
    entries_tags._JOURNAL_ITEMS.clear()
    for n in range(5):
        create_entry(author=alice, body=f"Entry {n}", written_on=alice.today(), prompt=None,
                     draft=False)
    _list(alice_client)
    assert len(entries_tags._JOURNAL_ITEMS) == 3
