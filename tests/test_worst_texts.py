"""Every text within the length limit saves, renders and stays findable (issue 9, item 4).

On PostgreSQL these are the regression tests for the search index: before the search copy,
saving "_a" × 50,000 ran the text-search parser for minutes inside the insert (a hung test
is the failure mode); the assertions say what keeps it bounded instead of timing it.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from bench.worst_texts import worst_texts
from reflect.journal.models import Entry, create_entry
from reflect.lib import searchtext
from reflect.lib.markdown import render_markdown
from reflect.lib.owner import owner_key
from reflect.lib.searchtext import search_text

POSTGRES = connection.vendor == "postgresql"
WORST = worst_texts(settings.ENTRY_MAX_CHARS)
SOME = ["underscore _a", "email-ish 1@a", "image ![", "table 1000 cols", "emoji", "fuzz 0"]


def _form(alice, body: str) -> dict:
    return {"entry": "", "version": "0", "prompt": "", "written_on": alice.today().isoformat(),
            "body": body}


def _runs(text: str) -> list[str]:
    return text.split()


def test_it_keeps_every_worst_text_at_the_limit():
    assert all(len(text) == settings.ENTRY_MAX_CHARS for text in WORST.values())


@pytest.mark.parametrize("name", list(WORST))
def test_it_bounds_and_breaks_the_search_copy_of(name):
    copy = search_text(WORST[name])
    assert len(copy) <= searchtext.MAX_CHARS
    # No long runs of non-space characters left for the parser to backtrack over, and no
    # character repeated more than MAX_REPEAT times in a row.
    for run in _runs(copy):
        assert len(run) <= max(searchtext.LONG_RUN, searchtext.LONG_WORD) or run.startswith(
            searchtext.EMOJI_MARK
        ), run[:60]
    assert not searchtext._REPEAT.search(copy)


def test_it_keeps_ordinary_text_as_written_in_the_search_copy():
    body = "I chose to lead: snake_case, me@example.com, café, привет, 日本語, שלום."
    assert search_text(body) == body
    assert search_text("Two\n\nparagraphs  here") == "Two paragraphs here"


def test_it_turns_emoji_into_tokens_and_back():
    copy = search_text("party 🎉 time")
    assert "🎉" not in copy and f"{searchtext.EMOJI_MARK}emoji1f389" in copy
    assert searchtext.restore_symbols(copy) == "party 🎉 time"


@pytest.mark.parametrize("name", SOME)
def test_it_saves_and_renders_a_worst_text_byte_exact(alice_client, alice, name):
    body = WORST[name]
    response = alice_client.post(reverse("entry_save"), _form(alice, body))
    assert response.status_code == 302
    entry = Entry.objects.get(author=alice)
    assert entry.body == body  # never changed, whatever the index saw
    assert entry.search_text == search_text(body)
    for url in (reverse("entry", args=[entry.pk]), reverse("entry_edit", args=[entry.pk]),
                reverse("journal")):
        assert alice_client.get(url).status_code == 200, url
    preview = alice_client.post(reverse("entry_preview"), {"body": body},
                                headers={"HX-Request": "true"})
    assert preview.status_code == 200


def test_it_renders_pathological_markdown_as_plain_text_not_as_nothing():
    html = render_markdown(WORST["image !["])
    assert html.count("![") == 50_000  # every character shown, none formatted
    table = render_markdown(WORST["table 1000 cols"])
    assert "<table>" not in table and table.count("a|") > 1000


def test_it_still_renders_ordinary_markdown():
    html = render_markdown(
        "**bold** [a](https://example.com) `c`\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<strong>bold</strong>" in html and "<code>c</code>" in html
    assert '<a href="https://example.com"' in html and "<td>1</td>" in html


@pytest.mark.parametrize("word", ["river", "🎉", "привет", "日本語", "שלום"])
def test_it_finds_ordinary_emoji_and_non_latin_words_inside_a_worst_text(
    alice_client, alice, word
):
    words = " river 🎉 привет 日本語 שלום "
    body = WORST["underscore _a"][:60_000] + words + WORST["emoji"][:30_000]
    create_entry(author=alice, body=body, written_on=alice.today(), prompt=None, draft=False)
    response = alice_client.get(reverse("search"), {"q": word})
    assert response.status_code == 200
    assert len(response.context["hits"]) == 1
    if POSTGRES:
        assert f"<mark>{word}</mark>" in response.content.decode()


@pytest.mark.skipif(not POSTGRES, reason="the stored vector exists on PostgreSQL only")
def test_it_indexes_the_search_copy_not_the_body(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generation_expression FROM information_schema.columns "
            "WHERE table_name = 'journal_entry' AND column_name = 'search_vector'"
        )
        (definition,) = cursor.fetchone()
    assert "to_tsvector" in definition and "search_text" in definition
    assert "body" not in definition


@pytest.mark.skipif(not POSTGRES, reason="the index exists on PostgreSQL only")
def test_it_can_use_the_index_for_search(alice):
    from django.test.utils import CaptureQueriesContext

    from reflect.journal.fulltext import search

    create_entry(author=alice, body="river", written_on=alice.today(), prompt=None, draft=False)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # only a bitmap on the GIN is left
        with CaptureQueriesContext(connection) as queries:
            list(search(Entry.objects.all(), "river"))
        sql = queries.captured_queries[0]["sql"]
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "entry_search_vector" in plan, plan


@pytest.mark.skipif(not POSTGRES, reason="statement_timeout is PostgreSQL's")
def test_it_answers_503_with_the_text_when_a_statement_is_cancelled(alice_client, alice):
    body = "A text that must not be lost when the database gives up."
    with connection.cursor() as cursor:
        # An insert slower than a (tiny) statement timeout, as indexing once was.
        cursor.execute("CREATE OR REPLACE FUNCTION pg_temp.slow() RETURNS trigger AS "
                       "$$ BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$ LANGUAGE plpgsql")
        cursor.execute("CREATE TRIGGER slow_insert BEFORE INSERT ON journal_entry "
                       "FOR EACH ROW EXECUTE FUNCTION pg_temp.slow()")
        cursor.execute("SET statement_timeout = 200")
    try:
        response = alice_client.post(reverse("entry_save"), {**_form(alice, body),
                                                             "owner": owner_key(alice.pk)})
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
            cursor.execute("DROP TRIGGER slow_insert ON journal_entry")
    assert response.status_code == 503
    html = response.content.decode()
    assert "That took too long" in html and body in html
    assert not Entry.objects.filter(author=alice).exists()  # nothing half-saved
    assert 'href="/write/resume/"' in html  # and the editor brings the text back
    resumed = alice_client.get(reverse("entry_resume"))
    assert resumed.status_code == 200 and body in resumed.content.decode()
