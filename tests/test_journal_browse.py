"""Finding and revisiting: the journal list, search, calendar, on this day, then and now.
Only the person's own live entries, a fixed number of queries whatever the journal's size,
the same behaviour on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reflect.journal.browse import PAGE_SIZE, same_day_filter, time_ago
from reflect.journal.models import Entry, Prompt, create_entry

HX = {"HX-Request": "true"}


@pytest.fixture
def prompt(db):
    return Prompt.objects.get(text="Did I show up as a leader today?")


@pytest.fixture
def other_prompt(db):
    return Prompt.objects.filter(is_active=True).exclude(text="Did I show up as a leader today?")[0]


def write(author, body: str, written_on: date, prompt=None, **fields) -> Entry:
    entry = create_entry(
        author=author, body=body, written_on=written_on, prompt=prompt, draft=False
    )
    if fields:
        Entry.objects.filter(pk=entry.pk).update(**fields)
        entry.refresh_from_db()
    return entry


def many(author, count: int, *, start: date, prompt=None) -> None:
    """A long journal, quickly: one entry a day going back from `start` (no analysis needed)."""
    Entry.objects.bulk_create(
        Entry(author=author, body=body, search_text=body,  # bulk_create skips save()
              written_on=start - timedelta(days=i), prompt=prompt, word_count=12)
        for i, body in (
            (i, f"Day {i}: walked the river path and thought about the team.")
            for i in range(count)
        )
    )


def freeze(monkeypatch, moment: datetime) -> None:
    """Stop the clock: every "today" (each person's, in their own zone) comes from this."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


# The journal list ---------------------------------------------------------------------


def test_it_lists_entries_newest_first(alice_client, alice):
    today = alice.today()
    older = write(alice, "Older entry.", today - timedelta(days=3))
    same_day_first = write(alice, "Same day, written first.", today)
    same_day_second = write(alice, "Same day, written second.", today)
    response = alice_client.get(reverse("journal"))
    assert response.status_code == 200
    assert [e.pk for e in response.context["entries"]] == [
        same_day_second.pk, same_day_first.pk, older.pk,
    ]
    html = response.content.decode()
    assert html.index("Same day, written second.") < html.index("Older entry.")
    assert reverse("entry", args=[older.pk]) in html


def test_it_hides_drafts_trash_and_other_peoples_entries(alice_client, alice, bob):
    today = alice.today()
    write(alice, "Alice live entry.", today)
    create_entry(author=alice, body="Alice draft.", written_on=today, prompt=None, draft=True)
    write(alice, "Alice trashed entry.", today, deleted_at=timezone.now())
    write(bob, "Bob private entry.", today)
    html = alice_client.get(reverse("journal")).content.decode()
    assert "Alice live entry." in html
    for hidden in ("Alice draft.", "Alice trashed entry.", "Bob private entry."):
        assert hidden not in html


def test_it_pages_without_javascript(alice_client, alice):
    many(alice, PAGE_SIZE + 5, start=alice.today())
    first = alice_client.get(reverse("journal"))
    assert len(first.context["entries"]) == PAGE_SIZE
    assert first.context["next_url"] == reverse("journal") + "?page=2"
    html = first.content.decode()
    assert 'href="/journal/?page=2"' in html and 'hx-get="/journal/?page=2"' in html
    second = alice_client.get(reverse("journal"), {"page": 2})
    assert second.status_code == 200
    assert len(second.context["entries"]) == 5
    assert second.context["next_url"] is None
    assert "<html" in second.content.decode() and "Newer entries" in second.content.decode()
    seen = {e.pk for e in first.context["entries"]} | {e.pk for e in second.context["entries"]}
    assert seen == set(Entry.objects.filter(author=alice).values_list("pk", flat=True))


def test_it_loads_more_with_htmx_as_a_fragment(alice_client, alice):
    many(alice, 2 * PAGE_SIZE + 1, start=alice.today())
    response = alice_client.get(reverse("journal"), {"page": 2}, headers=HX)
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert len(response.context["entries"]) == PAGE_SIZE
    oldest_shown = response.context["entries"][-1]
    expected = Entry.objects.filter(author=alice).order_by("-written_on", "-id")[2 * PAGE_SIZE - 1]
    assert oldest_shown.pk == expected.pk
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert html.count('class="journal-item"') == PAGE_SIZE
    # The new "load more" link keeps a real href, for a reload or a middle click.
    assert 'href="/journal/?page=3"' in html and 'hx-get="/journal/?page=3"' in html
    last = alice_client.get(reverse("journal"), {"page": 3}, headers=HX).content.decode()
    assert last.count('class="journal-item"') == 1 and "load-more" not in last


def test_it_keeps_filters_in_the_next_page_link(alice_client, alice, prompt):
    many(alice, PAGE_SIZE + 1, start=alice.today(), prompt=prompt)
    response = alice_client.get(reverse("journal"), {"prompt": prompt.pk, "from": "2000-01-01"})
    assert response.context["next_url"] == (
        reverse("journal") + f"?prompt={prompt.pk}&from=2000-01-01&page=2"
    )


def test_it_filters_by_prompt_and_free_entries(alice_client, alice, prompt, other_prompt):
    today = alice.today()
    answer = write(alice, "About showing up.", today, prompt=prompt)
    write(alice, "About something else.", today, prompt=other_prompt)
    free = write(alice, "A free entry.", today)
    response = alice_client.get(reverse("journal"), {"prompt": prompt.pk})
    assert [e.pk for e in response.context["entries"]] == [answer.pk]
    html = response.content.decode()
    assert f'<option value="{prompt.pk}" selected>' in html
    free_only = alice_client.get(reverse("journal"), {"prompt": "free"})
    assert [e.pk for e in free_only.context["entries"]] == [free.pk]


def test_it_offers_only_prompts_she_answered(alice_client, alice, prompt, other_prompt, bob):
    write(alice, "About showing up.", alice.today(), prompt=prompt)
    write(bob, "Bob's answer.", bob.today(), prompt=other_prompt)
    html = alice_client.get(reverse("journal")).content.decode()
    assert f'<option value="{prompt.pk}"' in html
    assert f'<option value="{other_prompt.pk}"' not in html


def test_it_explains_a_prompt_that_is_not_in_her_journal(alice_client, alice, prompt):
    write(alice, "Kept.", alice.today())
    response = alice_client.get(reverse("journal"), {"prompt": "999999"})
    assert response.status_code == 200
    assert "That prompt is not in your journal" in response.content.decode()
    assert len(response.context["entries"]) == 1


def test_it_filters_by_date_range(alice_client, alice):
    today = alice.today()
    days = [today - timedelta(days=n) for n in (0, 5, 10, 20)]
    entries = [write(alice, f"Entry {n}.", d) for n, d in enumerate(days)]
    response = alice_client.get(
        reverse("journal"), {"from": days[2].isoformat(), "to": days[1].isoformat()}
    )
    assert [e.pk for e in response.context["entries"]] == [entries[1].pk, entries[2].pk]
    one_day = alice_client.get(reverse("journal"), {"from": days[3], "to": days[3]})
    assert [e.pk for e in one_day.context["entries"]] == [entries[3].pk]


@pytest.mark.parametrize("params,message", [
    ({"from": "2026-13-45"}, "Enter the date like 2026-11-27."),
    ({"to": "yesterday"}, "Enter the date like 2026-11-27."),
    ({"from": "2026-05-02", "to": "2026-05-01"}, "The end date is before the start date."),
    ({"page": "two"}, None),
])
def test_it_answers_malformed_filters_with_a_message(alice_client, alice, params, message):
    write(alice, "Still listed.", alice.today())
    response = alice_client.get(reverse("journal"), params)
    assert response.status_code == 200
    html = response.content.decode()
    if message:
        assert message in html and 'role="alert"' in html
    assert "Still listed." in html


def test_it_says_when_nothing_matches(alice_client, alice):
    write(alice, "Old.", date(2020, 1, 1))
    html = alice_client.get(reverse("journal"), {"from": "2021-01-01"}).content.decode()
    assert "No entries match these filters." in html


def test_it_welcomes_an_empty_journal(alice_client):
    html = alice_client.get(reverse("journal")).content.decode()
    assert "Write your first entry" in html


def test_it_escapes_entry_text_in_the_list(alice_client, alice):
    write(alice, "<script>alert('x')</script> and <b>bold</b>", alice.today())
    html = alice_client.get(reverse("journal")).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


# Search -------------------------------------------------------------------------------


def test_it_finds_entries_by_word(alice_client, alice):
    today = alice.today()
    hit = write(alice, "Walked along the river with Priya and talked about the roadmap.", today)
    write(alice, "Nothing about water here.", today)
    response = alice_client.get(reverse("search"), {"q": "river"})
    assert response.status_code == 200
    assert [h.entry.pk for h in response.context["hits"]] == [hit.pk]
    html = response.content.decode()
    assert "<mark>river</mark>" in html
    assert reverse("entry", args=[hit.pk]) in html


def test_it_needs_every_word_to_match(alice_client, alice):
    today = alice.today()
    both = write(alice, "The roadmap review went well; Priya led it.", today)
    write(alice, "The roadmap slipped again.", today)
    write(alice, "Priya was off sick.", today)
    response = alice_client.get(reverse("search"), {"q": "roadmap Priya"})
    assert [h.entry.pk for h in response.context["hits"]] == [both.pk]


def test_it_searches_case_insensitively(alice_client, alice):
    hit = write(alice, "Spoke up at the Quarterly Planning meeting.", alice.today())
    response = alice_client.get(reverse("search"), {"q": "quarterly planning"})
    assert [h.entry.pk for h in response.context["hits"]] == [hit.pk]


def test_it_searches_only_her_own_live_entries(alice_client, alice, bob):
    today = alice.today()
    mine = write(alice, "The harbour at dawn was calm.", today)
    write(alice, "The harbour draft.", today, is_draft=True)
    write(alice, "The harbour in the trash.", today, deleted_at=timezone.now())
    write(bob, "Bob went to the harbour too.", today)
    response = alice_client.get(reverse("search"), {"q": "harbour"})
    assert [h.entry.pk for h in response.context["hits"]] == [mine.pk]
    html = response.content.decode()
    assert "Bob went" not in html and "trash" not in html.split("search-results")[1]


def test_it_escapes_text_in_highlighted_snippets(alice_client, alice):
    write(alice, "<script>alert(1)</script> the lighthouse <b>shone</b> & we <mark>sailed</mark>",
          alice.today())
    html = alice_client.get(reverse("search"), {"q": "lighthouse"}).content.decode()
    assert "<mark>lighthouse</mark>" in html
    assert "<script>alert" not in html and "<b>shone" not in html
    # Only our own markers become <mark>: the writer's literal tag is escaped, never rendered.
    assert "<mark>sailed" not in html


def test_it_shows_a_snippet_around_the_hit_in_a_long_entry(alice_client, alice):
    filler = "Filler words about nothing much. " * 60
    body = filler + "Then the kingfisher appeared. " + "More. " * 60
    write(alice, body, alice.today())
    hit = alice_client.get(reverse("search"), {"q": "kingfisher"}).context["hits"][0]
    assert "<mark>kingfisher</mark>" in hit.snippet
    assert len(hit.snippet) < 600


def test_it_handles_empty_odd_and_hostile_queries(alice_client, alice):
    write(alice, "An ordinary entry.", alice.today())
    for q in ("", "   ", '"unclosed', "-", "!!!", "a OR", "x" * 5000, "'; DROP TABLE"):
        response = alice_client.get(reverse("search"), {"q": q})
        assert response.status_code == 200, q
    # A NUL is never typed in a search box: the address is refused clearly (reflect/middleware).
    assert alice_client.get(reverse("search"), {"q": "\x00river"}).status_code == 400
    assert "Nothing in your journal matches" in alice_client.get(
        reverse("search"), {"q": "zebra"}
    ).content.decode()


def test_it_pages_search_results_with_htmx(alice_client, alice):
    many(alice, PAGE_SIZE + 3, start=alice.today())
    first = alice_client.get(reverse("search"), {"q": "river"})
    assert len(first.context["hits"]) == PAGE_SIZE
    assert first.context["next_url"] == reverse("search") + "?q=river&page=2"
    more = alice_client.get(reverse("search"), {"q": "river", "page": 2}, headers=HX)
    html = more.content.decode()
    assert "<html" not in html and html.count('class="journal-item"') == 3


POSTGRES = connection.vendor == "postgresql"


def test_it_ranks_better_matches_first(alice_client, alice):
    today = alice.today()
    once = write(alice, "A note on delegation and other things, like lunch and the weather.", today)
    often = write(alice, "Delegation. I practised delegation: delegation is hard.",
                  today - timedelta(days=30))
    response = alice_client.get(reverse("search"), {"q": "delegation"})
    assert [h.entry.pk for h in response.context["hits"]] == [often.pk, once.pk]


def test_it_matches_word_forms_phrases_and_exclusions(alice_client, alice):
    # The same on SQLite (FTS5) and PostgreSQL; tests/test_search.py has each feature.
    hit = write(alice, "I delegated the planning to Sam.", alice.today())
    stemmed = alice_client.get(reverse("search"), {"q": "delegating"})
    exact = alice_client.get(reverse("search"), {"q": "delegated"})
    assert [h.entry.pk for h in exact.context["hits"]] == [hit.pk]
    assert "<mark>delegated</mark>" in exact.content.decode().lower()
    assert [h.entry.pk for h in stemmed.context["hits"]] == [hit.pk]
    assert alice_client.get(reverse("search"), {"q": '"planning to Sam"'}).context["hits"]
    assert not alice_client.get(reverse("search"), {"q": "planning -Sam"}).context["hits"]


def test_it_has_its_search_index_on_either_database(db):
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'entry_search_vector'"
            )
            (definition,) = cursor.fetchone()
            assert "gin" in definition and "search_vector" in definition
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'journal_entry_fts'")
            (definition,) = cursor.fetchone()
            assert "fts5" in definition and "porter" in definition


# Query counts: the same bound for a small and a larger journal -------------------------


# session + user, then: journal 3 (its prompts, its tags, a page), search 2 (the tags, a
# page), calendar 1 (entries per day, for the month and the year), on this day 1. On
# PostgreSQL the journal's three go in one round trip when nothing is filtered (two when a
# filter must be checked first), search's two when no tag is asked for.
PG = connection.vendor == "postgresql"


@pytest.mark.parametrize("size", [3, 400])
@pytest.mark.parametrize("url_name,params,queries", [
    ("journal", {}, 3 if PG else 5),
    ("journal", {"page": 3, "from": "2000-01-01"}, 4 if PG else 5),
    ("search", {"q": "river"}, 3 if PG else 4),
    ("search", {"q": "river", "tag": "work"}, 4),
    ("calendar", {}, 3),
    ("on_this_day", {}, 3),
])
def test_it_runs_a_fixed_number_of_queries(
    alice_client, alice, prompt, django_assert_max_num_queries, size, url_name, params, queries
):
    many(alice, size, start=alice.today(), prompt=prompt)
    alice_client.get(reverse(url_name), params)  # the first request after login marks the session
    with django_assert_max_num_queries(queries):
        response = alice_client.get(reverse(url_name), params)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 60])
def test_it_runs_a_fixed_number_of_queries_for_then_and_now(
    alice_client, alice, prompt, django_assert_max_num_queries, size
):
    many(alice, size, start=alice.today(), prompt=prompt)
    alice_client.get(reverse("then_and_now", args=[prompt.pk]))  # marks the session (see above)
    with django_assert_max_num_queries(4):
        assert alice_client.get(reverse("then_and_now", args=[prompt.pk])).status_code == 200


# Calendar -----------------------------------------------------------------------------


def test_it_shows_the_days_written_this_month(alice_client, alice, monkeypatch):
    freeze(monkeypatch, datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    write(alice, "One.", date(2026, 11, 3))
    write(alice, "Two on the same day.", date(2026, 11, 3))
    write(alice, "Last month.", date(2026, 10, 31))
    response = alice_client.get(reverse("calendar"))
    assert response.status_code == 200
    assert response.context["month"] == date(2026, 11, 1)
    assert response.context["days_written"] == 1
    written = [c.day for w in response.context["weeks"] for c in w if c.written and c.in_month]
    assert written == [date(2026, 11, 3)]
    html = response.content.decode()
    assert 'href="/journal/?from=2026-11-03&amp;to=2026-11-03"' in html
    assert 'href="/calendar/?month=2026-10"' in html
    assert "?month=2026-12" not in html  # no next month after the current one


def test_it_shows_another_month_with_links_both_ways(alice_client, alice, monkeypatch):
    freeze(monkeypatch, datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    write(alice, "Back then.", date(2026, 2, 14))
    response = alice_client.get(reverse("calendar"), {"month": "2026-02"})
    assert response.context["month"] == date(2026, 2, 1)
    html = response.content.decode()
    assert "February 2026" in html
    assert 'href="/calendar/?month=2026-01"' in html and 'href="/calendar/?month=2026-03"' in html
    assert 'href="/journal/?from=2026-02-14&amp;to=2026-02-14"' in html
    january = alice_client.get(reverse("calendar"), {"month": "2026-01"}).content.decode()
    assert 'href="/calendar/?month=2025-12"' in january


@pytest.mark.parametrize("month", ["2026-13", "november", "0001-01", "1899-12", "2026-1-1"])
def test_it_explains_a_malformed_month(alice_client, alice, month):
    response = alice_client.get(reverse("calendar"), {"month": month})
    assert response.status_code == 200
    assert response.context["month"] == alice.today().replace(day=1)
    assert 'role="alert"' in response.content.decode()


def test_it_counts_streaks_from_written_on_including_back_dated_entries(
    alice_client, alice, monkeypatch
):
    freeze(monkeypatch, datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    for day in (4, 5, 6, 8, 9):
        write(alice, "Daily.", date(2026, 3, day))
    response = alice_client.get(reverse("calendar"))
    assert (response.context["current_streak"], response.context["longest_streak"]) == (2, 3)
    # Written today about yesterday's gap: the back-dated entry fills 7 March.
    write(alice, "Catching up on the 7th.", date(2026, 3, 7), created_at=timezone.now())
    response = alice_client.get(reverse("calendar"))
    assert (response.context["current_streak"], response.context["longest_streak"]) == (6, 6)
    html = response.content.decode()
    assert "6 days" in html


def test_it_counts_streaks_in_each_writers_time_zone(alice_client, charlie_client, alice,
                                                   charlie, monkeypatch):
    # 23:30 UTC on 10 March: still the 10th in London, already the 11th in Tokyo.
    freeze(monkeypatch, datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    assert alice.today() == date(2026, 3, 10) and charlie.today() == date(2026, 3, 11)
    for person in (alice, charlie):
        write(person, "Eighth.", date(2026, 3, 8))
        write(person, "Ninth.", date(2026, 3, 9))
    alice_page = alice_client.get(reverse("calendar"))
    charlie_page = charlie_client.get(reverse("calendar"))
    # Alice has not written yet today: her streak still runs through yesterday.
    assert alice_page.context["current_streak"] == 2
    # For Charlie the 10th is over and unwritten: the streak has ended.
    assert charlie_page.context["current_streak"] == 0
    assert charlie_page.context["longest_streak"] == 2


def test_it_ignores_drafts_trash_and_others_in_streaks(alice_client, alice, bob, monkeypatch):
    freeze(monkeypatch, datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    write(alice, "Today.", date(2026, 3, 10))
    write(alice, "Draft yesterday.", date(2026, 3, 9), is_draft=True)
    write(alice, "Trashed the day before.", date(2026, 3, 8), deleted_at=timezone.now())
    write(bob, "Bob yesterday.", date(2026, 3, 9))
    response = alice_client.get(reverse("calendar"))
    assert (response.context["current_streak"], response.context["longest_streak"]) == (1, 1)


# On this day --------------------------------------------------------------------------


def test_it_shows_the_same_day_in_earlier_months_and_years(alice_client, alice, bob, monkeypatch):
    freeze(monkeypatch, datetime(2026, 11, 15, 12, 0, tzinfo=UTC))
    year_ago = write(alice, "A year ago today.", date(2025, 11, 15))
    month_ago = write(alice, "A month ago today.", date(2026, 10, 15))
    write(alice, "Today itself.", date(2026, 11, 15))
    write(alice, "Another day.", date(2026, 10, 14))
    write(bob, "Bob a year ago.", date(2025, 11, 15))
    response = alice_client.get(reverse("on_this_day"))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert list(groups) == ["a month ago", "a year ago"]
    assert [e.pk for e in groups["a month ago"]] == [month_ago.pk]
    assert [e.pk for e in groups["a year ago"]] == [year_ago.pk]
    html = response.content.decode()
    assert "A year ago today." in html and "Today itself." not in html and "Bob" not in html


def test_it_uses_her_time_zone_for_on_this_day(charlie_client, charlie, monkeypatch):
    # 20:00 UTC on 14 November is already the 15th in Tokyo.
    freeze(monkeypatch, datetime(2026, 11, 14, 20, 0, tzinfo=UTC))
    fifteenth = write(charlie, "The fifteenth.", date(2026, 10, 15))
    write(charlie, "The fourteenth.", date(2026, 10, 14))
    response = charlie_client.get(reverse("on_this_day"))
    assert [e.pk for g in response.context["groups"].values() for e in g] == [fifteenth.pk]


def test_it_brings_back_month_ends_on_the_last_day_of_a_short_month(alice, monkeypatch):
    for day in (date(2024, 2, 29), date(2026, 1, 31), date(2026, 1, 30), date(2026, 1, 28),
                date(2026, 1, 27)):
        write(alice, f"Written {day}.", day)
    mine = Entry.objects.filter(author=alice)

    def shown(today):
        return sorted(e.written_on for e in mine.filter(same_day_filter(today)))

    # 28 Feb 2026 (not a leap year) is the month's last day: the 28th to 31st come back.
    assert shown(date(2026, 2, 28)) == [date(2024, 2, 29), date(2026, 1, 28), date(2026, 1, 30),
                                        date(2026, 1, 31)]
    # In a leap year, 29 February is its own anniversary and the 28th stays the 28th.
    assert shown(date(2028, 2, 29)) == [date(2024, 2, 29), date(2026, 1, 30), date(2026, 1, 31)]
    assert shown(date(2028, 2, 28)) == [date(2026, 1, 28)]
    # 30 April: the 30th and 31st of earlier months.
    assert shown(date(2026, 4, 30)) == [date(2026, 1, 30), date(2026, 1, 31)]
    assert shown(date(2026, 3, 27)) == [date(2026, 1, 27)]


def test_it_says_how_long_ago():
    today = date(2026, 11, 15)
    assert time_ago(date(2026, 10, 15), today) == "a month ago"
    assert time_ago(date(2026, 5, 15), today) == "6 months ago"
    assert time_ago(date(2025, 11, 15), today) == "a year ago"
    assert time_ago(date(2023, 9, 15), today) == "3 years and 2 months ago"


def test_it_has_nothing_on_this_day_yet(alice_client):
    html = alice_client.get(reverse("on_this_day")).content.decode()
    assert "Nothing from this day yet." in html


# Then and now -------------------------------------------------------------------------


def test_it_shows_every_answer_to_a_prompt_oldest_first(alice_client, alice, bob, prompt,
                                                       other_prompt):
    today = alice.today()
    newest = write(alice, "Now I *decide* first.", today, prompt=prompt)
    oldest = write(alice, "Back then I waited to be told.", today - timedelta(days=300),
                   prompt=prompt)
    write(alice, "Other prompt.", today, prompt=other_prompt)
    write(alice, "Trashed answer.", today, prompt=prompt, deleted_at=timezone.now())
    write(bob, "Bob's answer.", today, prompt=prompt)
    response = alice_client.get(reverse("then_and_now", args=[prompt.pk]))
    assert response.status_code == 200
    assert [entry.pk for entry, _ in response.context["answers"]] == [oldest.pk, newest.pk]
    html = response.content.decode()
    assert prompt.text in html and 'class="then-and-now"' in html
    assert html.index("Back then I waited") < html.index("Now I <em>decide</em> first.")
    for other in ("Bob&#x27;s answer", "Trashed answer", "Other prompt"):
        assert other not in html


def test_it_shows_then_and_now_for_an_unanswered_prompt(alice_client, prompt):
    response = alice_client.get(reverse("then_and_now", args=[prompt.pk]))
    assert response.status_code == 200
    assert "You have not answered this prompt yet." in response.content.decode()


def test_it_404s_then_and_now_for_a_missing_prompt(alice_client):
    assert alice_client.get(reverse("then_and_now", args=[999999])).status_code == 404


# Alice never reaches Bob's entries -----------------------------------------------------


def test_it_never_shows_bob_his_neighbours_entries_anywhere(alice, bob, prompt, client,
                                                           monkeypatch):
    freeze(monkeypatch, datetime(2026, 11, 15, 12, 0, tzinfo=UTC))
    write(alice, "Alice's secret about the lighthouse.", date(2026, 11, 15), prompt=prompt)
    write(alice, "Alice a month ago, lighthouse.", date(2026, 10, 15), prompt=prompt)
    client.force_login(bob)
    pages = [
        client.get(reverse("journal")),
        client.get(reverse("journal"), {"prompt": prompt.pk}),
        client.get(reverse("search"), {"q": "lighthouse"}),
        client.get(reverse("calendar")),
        client.get(reverse("on_this_day")),
        client.get(reverse("then_and_now", args=[prompt.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert "Alice&#x27;s secret" not in html and "Alice a month ago" not in html
    assert pages[2].context["hits"] == []
    assert pages[5].context["answers"] == []
    calendar = pages[3]
    assert (calendar.context["current_streak"], calendar.context["longest_streak"]) == (0, 0)
