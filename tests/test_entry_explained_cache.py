"""The entry page keeps explain_entry's answer per process (journal.views._framing_context)
under the entry's text and its framing row as read: any change to either shows at once, and
a kept answer is the page a fresh process writes."""

import re

from django.urls import reverse

from reflect.framing.models import Framing
from reflect.journal import views
from reflect.journal.models import Entry, create_entry

TEXT = ("I decided to change the rota because the team asked, and I chose to ask the team "
        "what if we shared it. I felt proud.")


def _page(client, entry) -> str:
    response = client.get(reverse("entry", args=[entry.pk]))
    assert response.status_code == 200
    return re.sub(r'(csrfmiddlewaretoken" value="|nonce="|X-CSRFToken\\?": \\?")[^"\\]+', r"\1X",
                  response.content.decode())


def _fresh(client, entry) -> str:
    views._EXPLAINED.clear()
    return _page(client, entry)


def test_a_kept_answer_is_the_fresh_page_and_every_change_shows(alice_client, alice):
    entry = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=False)
    first = _fresh(alice_client, entry)
    assert "<mark " in first
    assert _page(alice_client, entry) == first  # kept
    assert len(views._EXPLAINED) == 1
    framing = Framing.objects.get(entry=entry)
    changes = [
        {"ignored": [{"start": 0, "end": 20, "reason": "reported speech"}]},
        {"scores": {**framing.scores, "tone": -0.9}},
        {"flags": ["short"]},
        {"evidence": []},
    ]
    for change in changes:
        Framing.objects.filter(entry=entry).update(**change)
        changed = _page(alice_client, entry)
        assert changed == _fresh(alice_client, entry)
    assert changed != first
    Entry.objects.filter(pk=entry.pk).update(body=TEXT.replace("rota", "roster"))
    page = _page(alice_client, entry)
    assert page == _fresh(alice_client, entry) and "ster because" in page
    Framing.objects.filter(entry=entry).delete()
    page = _page(alice_client, entry)
    assert page == _fresh(alice_client, entry) and "<mark " not in page


def test_it_keeps_at_most_explained_max_entries(alice_client, alice, monkeypatch):
    monkeypatch.setattr(views, "EXPLAINED_MAX", 2)
    views._EXPLAINED.clear()
    for n in range(4):
        entry = create_entry(author=alice, body=f"{TEXT} {n}", written_on=alice.today(),
                             prompt=None, draft=False)
        _page(alice_client, entry)
    assert len(views._EXPLAINED) == 2
