"""Search: one syntax on SQLite (FTS5) and PostgreSQL (a stored tsvector with a GIN index).

Every test runs on whichever database the suite runs on; CI runs the suite on both. Words are
ANDed, `or` gives either, "quoted phrases" keep their order, `-word` leaves entries out,
word forms match, better matches come first, emoji and non-Latin words are words, hits are
highlighted in escaped fragments, and the index follows every way an entry changes.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse

from reflect.journal import fulltext
from reflect.journal.models import Entry, create_entry, edit_entry

POSTGRES = connection.vendor == "postgresql"


def write(author, body: str, days_ago: int = 0) -> Entry:
    day = author.today() - timedelta(days=days_ago)
    return create_entry(author=author, body=body, written_on=day, prompt=None, draft=False)


def found(client, q: str) -> list[int]:
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return [hit.entry.pk for hit in response.context["hits"]]


@pytest.fixture
def journal(alice):
    return {
        "team": write(alice, "The team met about the new rota.", 1),
        "ripple": write(alice, "A ripple of calm went through the warehouse.", 2),
        "both": write(alice, "My team felt the ripple of that decision.", 3),
        "vision": write(alice, "I explained the vision for next quarter.", 4),
        "phrase": write(alice, "I delegated the planning to Sam before lunch.", 5),
        "reversed": write(alice, "Sam did the planning, and I delegated nothing.", 6),
    }


def test_it_ands_every_word(alice_client, journal):
    assert found(alice_client, "team ripple") == [journal["both"].pk]


@pytest.mark.parametrize("q", ["team OR ripple", "team or ripple"])
def test_it_finds_either_word_with_or(alice_client, journal, q):
    assert set(found(alice_client, q)) == {journal["team"].pk, journal["ripple"].pk,
                                           journal["both"].pk}


def test_it_matches_a_quoted_phrase_in_its_order(alice_client, journal):
    assert found(alice_client, '"delegated the planning"') == [journal["phrase"].pk]
    assert set(found(alice_client, "delegated planning")) == {journal["phrase"].pk,
                                                              journal["reversed"].pk}


def test_it_leaves_out_excluded_words_and_phrases(alice_client, journal):
    assert found(alice_client, "team -ripple") == [journal["team"].pk]
    assert found(alice_client, 'planning -"delegated nothing"') == [journal["phrase"].pk]
    # Only an exclusion: every other entry.
    assert set(found(alice_client, "-team")) == {
        journal[k].pk for k in ("ripple", "vision", "phrase", "reversed")
    }


def test_it_matches_word_forms(alice_client, journal):
    assert found(alice_client, "visions") == [journal["vision"].pk]
    assert found(alice_client, "explaining") == [journal["vision"].pk]
    assert set(found(alice_client, "delegating")) == {journal["phrase"].pk,
                                                      journal["reversed"].pk}


def test_it_ranks_better_matches_first(alice_client, alice):
    once = write(alice, "A note on delegation and other things, like lunch and the weather.")
    often = write(alice, "Delegation. I practised delegation: delegation is hard.", 30)
    assert found(alice_client, "delegation") == [often.pk, once.pk]


def test_it_finds_emoji_and_non_latin_words(alice_client, alice):
    party = write(alice, "Launch day 🎉 with the whole crew.")
    russian = write(alice, "Сегодня команда работала отлично.")
    greek = write(alice, "Καλημέρα ομάδα, σήμερα αποφάσισα μόνη μου.")
    japanese = write(alice, "今日は 東京 で 会議 でした")
    assert found(alice_client, "🎉") == [party.pk]
    assert found(alice_client, "команда") == [russian.pk]
    assert found(alice_client, "αποφάσισα") == [greek.pk]
    assert found(alice_client, "東京") == [japanese.pk]
    html = alice_client.get(reverse("search"), {"q": "🎉"}).content.decode()
    assert "<mark>🎉</mark>" in html


def test_it_highlights_hits_in_an_escaped_fragment(alice_client, alice):
    write(alice, 'The <script>alert("x")</script> lighthouse & the <b>harbour</b>.')
    html = alice_client.get(reverse("search"), {"q": "lighthouse"}).content.decode()
    results = html.split('id="search-results"')[1]
    assert "<mark>lighthouse</mark>" in results
    # Escaped in the fragments of both databases: never markup.
    assert "<script" not in results and "<b>" not in results


@pytest.mark.parametrize("q", [
    'NEAR(team ripple)', "team*", "search_text:team", '"unbalanced', "AND", "NOT team",
    "^team", "team + ripple", "(((", "'", "OR OR", "- -", '""', "{team}", "team:*",
])
def test_it_reads_operator_characters_as_plain_text(alice_client, journal, q):
    response = alice_client.get(reverse("search"), {"q": q})
    assert response.status_code == 200


def test_it_searches_only_her_own_live_entries(alice_client, alice, bob):
    mine = write(alice, "The harbour at dawn.")
    write(bob, "Bob went to the harbour.")
    trashed = write(alice, "A harbour I threw away.")
    Entry.objects.filter(pk=trashed.pk).update(deleted_at=trashed.created_at)
    draft = create_entry(author=alice, body="Draft about the harbour", written_on=alice.today(),
                         prompt=None, draft=True)
    assert found(alice_client, "harbour") == [mine.pk]
    assert draft.pk not in found(alice_client, "draft")


def test_it_follows_edits_trash_restore_and_bulk_writes(alice_client, alice):
    entry = write(alice, "Thinking about the kingfisher.")
    assert found(alice_client, "kingfisher") == [entry.pk]
    edit_entry(entry, body="Thinking about the heron.", written_on=entry.written_on, prompt=None,
               base_version=entry.version, autosave=False)
    assert found(alice_client, "kingfisher") == []
    assert found(alice_client, "heron") == [entry.pk]
    alice_client.post(reverse("entry_delete", args=[entry.pk]))
    assert found(alice_client, "heron") == []
    alice_client.post(reverse("entry_restore", args=[entry.pk]))
    assert found(alice_client, "heron") == [entry.pk]
    # bulk_create (imports, seeding) bypasses Entry.save: the index still follows.
    (bulk,) = Entry.objects.bulk_create([
        Entry(author=alice, body="Bulk otter.", search_text="Bulk otter.",
              written_on=alice.today())
    ])
    assert found(alice_client, "otter") == [bulk.pk]
    Entry.objects.filter(pk=bulk.pk).delete()
    assert found(alice_client, "otter") == []


def test_it_finds_imported_entries(alice_client, alice):
    from reflect.journal.portability import export_data, import_data, parse_export

    write(alice, "Imported musings about the estuary.")
    exported = export_data(alice)
    Entry.objects.filter(author=alice).delete()
    assert found(alice_client, "estuary") == []
    import_data(alice, parse_export(exported, today=alice.today()))
    assert len(found(alice_client, "estuary")) == 1


@pytest.mark.skipif(POSTGRES, reason="SQLite's FTS5 index")
def test_it_puts_lost_triggers_back_after_a_migrate(alice_client, alice):
    entry = write(alice, "Before the rebuild: pelican.")
    with connection.cursor() as cursor:
        for name in ("journal_entry_fts_insert", "journal_entry_fts_update"):
            cursor.execute(f"DROP TRIGGER {name}")  # as a table rebuild by a migration would
    later = Entry.objects.bulk_create([
        Entry(author=alice, body="After: pelican.", search_text="After: pelican.",
              written_on=alice.today())
    ])[0]
    assert fulltext.ensure_sqlite_index() is True  # what post_migrate runs
    assert set(found(alice_client, "pelican")) == {entry.pk, later.pk}
    assert fulltext.ensure_sqlite_index() is False  # nothing missing now


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's stored vector")
def test_it_filters_and_ranks_with_the_stored_vector_and_its_index(alice):
    from django.test.utils import CaptureQueriesContext

    write(alice, "river")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # only a bitmap on the GIN is left
        with CaptureQueriesContext(connection) as queries:
            list(fulltext.search(Entry.objects.all(), "river"))
        sql = queries.captured_queries[0]["sql"]
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "entry_search_vector" in plan, plan
    assert "to_tsvector" not in sql  # neither the filter nor the rank recomputes it


@pytest.mark.parametrize("size", [3, 300])
def test_it_runs_a_fixed_number_of_queries(alice_client, alice, django_assert_max_num_queries,
                                           size):
    Entry.objects.bulk_create(
        Entry(author=alice, body=f"Day {i}: the river and the team.", word_count=7,
              search_text=f"Day {i}: the river and the team.",
              written_on=alice.today() - timedelta(days=i))
        for i in range(size)
    )
    alice_client.get(reverse("search"))  # a first request may refresh the session
    # session, user, the tag filter's tags, one page of hits (those two in one round trip on
    # PostgreSQL).
    for q in ("river", "river -team", "-team", "river or team", '"the river"'):
        with django_assert_max_num_queries(3 if POSTGRES else 4):
            assert alice_client.get(reverse("search"), {"q": q}).status_code == 200


def test_it_parses_websearch_syntax():
    parsed = fulltext.parse('team "the big picture" or ripple -rota -"night shift"')
    assert parsed.groups == [["team", "the big picture"], ["ripple"]]
    assert parsed.excluded == ["rota", "night shift"]
    assert fulltext.parse("  or  ").empty
    assert fulltext.fts5_match(parsed.groups) == (
        '("team" AND "the big picture") OR ("ripple")'
    )


@pytest.mark.skipif(not POSTGRES, reason="the search page's SQL on PostgreSQL")
@pytest.mark.parametrize("q", ["team", "ripple or vision", '"the planning" -lunch', "plan"])
@pytest.mark.parametrize("tag", ["", "work"])
def test_the_search_page_sql_finds_what_the_orm_query_found(alice_client, alice, bob, q, tag):
    """The page's statement (reflect.journal.browse.list_statement) beside
    fulltext.search_postgres through the ORM: the same entries, order, ranks and fragments,
    page after page."""
    from reflect.journal import browse
    from reflect.journal.models import EntryTag

    for i in range(45):
        entry = write(alice, f"The team and the ripple {i}: the planning {'lunch' * (i % 3)}.", i)
        if i % 2:
            EntryTag.objects.create(entry=entry, author=alice, name="work")
        write(bob, f"Bob's team and the planning {i}.", i)
    entries = browse.with_tag(Entry.objects.for_user(alice).live(), tag)
    expected = list(browse._for_list(fulltext.search_postgres(entries, q)))
    assert len(expected) > 10  # more than a page (20) in most cases
    shown = []
    for page in (1, 2, 3):
        response = alice_client.get(reverse("search"), {"q": q, "tag": tag, "page": page})
        shown += [(hit.entry.pk, hit.entry.rank, str(hit.snippet))
                  for hit in response.context["hits"]]
    assert shown == [
        (e.pk, e.rank, str(browse.fragment_html(e))) for e in expected
    ]
