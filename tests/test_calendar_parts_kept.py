"""The calendar keeps its streaks and year at a glance per process (browse._calendar_parts)
under the days written and their counts, today and the year: a change shows at once, and a
kept page is what a fresh process writes."""

import re
from datetime import timedelta

from django.urls import reverse

from reflect.journal import browse
from reflect.journal.models import Entry, create_entry


def _page(client, query="") -> str:
    response = client.get(reverse("calendar") + query)
    assert response.status_code == 200
    return re.sub(r'(csrfmiddlewaretoken" value="|nonce="|X-CSRFToken\\?": \\?")[^"\\]+', r"\1X",
                  response.content.decode())


def _fresh(client, query="") -> str:
    browse._CALENDAR_PARTS.clear()
    return _page(client, query)


def test_a_kept_calendar_is_the_fresh_one_and_every_change_shows(alice_client, alice):
    today = alice.today()
    entry = create_entry(author=alice, body="One.", written_on=today, prompt=None, draft=False)
    first = _fresh(alice_client)
    assert _page(alice_client) == first
    assert len(browse._CALENDAR_PARTS) == 1
    shown = [first]
    steps = [
        lambda: create_entry(author=alice, body="Two.", written_on=today - timedelta(days=1),
                             prompt=None, draft=False),
        lambda: create_entry(author=alice, body="Three.", written_on=today, prompt=None,
                             draft=False),  # a count, not a day, changes
        lambda: Entry.objects.filter(pk=entry.pk).update(deleted_at=entry.updated_at),
        lambda: Entry.objects.filter(pk=entry.pk).update(
            deleted_at=None, written_on=today - timedelta(days=400)),
    ]
    year = (today - timedelta(days=400)).year
    before = _page(alice_client, f"?year={year}")
    for step in steps:
        step()
        page = _page(alice_client)
        assert page == _fresh(alice_client)
        shown.append(page)
    # Each of the first three steps shows here; the last moves a day to another year.
    assert shown[0] != shown[1] != shown[2] != shown[3] == shown[4]
    after = _page(alice_client, f"?year={year}")
    assert after == _fresh(alice_client, f"?year={year}") and after != before


def test_it_keeps_at_most_calendar_parts_kept(alice_client, alice, monkeypatch):
    monkeypatch.setattr(browse, "CALENDAR_PARTS_KEPT", 2)
    browse._CALENDAR_PARTS.clear()
    create_entry(author=alice, body="One.", written_on=alice.today(), prompt=None, draft=False)
    for year in range(alice.today().year - 3, alice.today().year + 1):
        _page(alice_client, f"?year={year}")
    assert len(browse._CALENDAR_PARTS) == 2
