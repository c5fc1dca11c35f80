"""Search fragments on PostgreSQL (reflect.journal.fragments): the words a person searched for
are marked wherever PostgreSQL found them, and the fragment shows them."""

import json
import random
import re
from pathlib import Path

import pytest
from django.db import connection

from reflect.journal import fragments
from reflect.journal.fulltext import HIT_START, HIT_STOP, SEARCH_CONFIG
from reflect.lib.searchtext import EMOJI_MARK, search_text

MARKED = re.compile(f"{HIT_START}(.*?){HIT_STOP}")
CORPUS = Path(__file__).parent / "data" / "corpus" / "writers"


def marked(fragment: str) -> list[str]:
    return MARKED.findall(fragment)


def plain(fragment: str) -> str:
    return fragment.replace(HIT_START, "").replace(HIT_STOP, "")


def test_it_reads_the_query_words_postgresql_wrote():
    assert fragments.query_terms("'team' & 'rota'") == {"team", "rota"}
    assert fragments.query_terms("'o''neil' <-> 'back\\\\slash'") == {"o'neil", "back\\slash"}
    # Only exclusions: PostgreSQL's querytree is "T", no word to mark.
    assert fragments.query_terms("T") == frozenset()


def test_it_marks_every_form_of_the_word_and_nothing_else():
    text = "Teams met. The team's plan: TEAM first, teamwork later, a teammate helped."
    fragment = fragments.fragment(text, frozenset({"team"}))
    assert marked(fragment) == ["Teams", "team", "TEAM"]
    assert plain(fragment) == text  # the whole text: nothing cut, no ellipsis


def test_it_never_marks_a_word_postgresql_drops():
    # "mostly" is read as 'most'; "most" in a text is a stop word PostgreSQL never indexes.
    fragment = fragments.fragment("Most days I mostly listen.", frozenset({"most"}))
    assert marked(fragment) == ["mostly"]


def test_words_with_digits_are_matched_as_written():
    fragment = fragments.fragment("Shift 2024 and covid19 notes.", frozenset({"2024", "covid19"}))
    assert marked(fragment) == ["2024", "covid19"]


def test_it_marks_an_emoji_token_where_the_symbols_come_back():
    text = search_text("Launch day 🎉 with the crew.")
    fragment = fragments.fragment(text, frozenset({"emoji1f389"}))
    assert f"{EMOJI_MARK}{HIT_START}emoji1f389{HIT_STOP}" in fragment


def test_without_a_hit_it_shows_the_opening_words():
    text = " ".join(f"word{i}" for i in range(100))
    fragment = fragments.fragment(text, frozenset())
    assert fragment == " ".join(f"word{i}" for i in range(fragments.MIN_WORDS)) + "…"
    assert fragments.fragment("Short and whole.", frozenset()) == "Short and whole."
    assert fragments.fragment("", frozenset({"team"})) == ""


def test_a_long_entry_shows_short_fragments_around_its_hits():
    filler = " ".join(f"filler{i}" for i in range(400))
    text = f"{filler} the kingfisher appeared {filler} and the kingfisher left {filler}"
    fragment = fragments.fragment(text, frozenset({"kingfish"}))
    # Cut short at both ends, as SQLite's snippet() is: the reader sees it is an excerpt.
    assert fragment.startswith("…filler") and fragment.endswith("…")
    parts = fragment[1:-1].split(fragments.DELIMITER)
    assert len(parts) == 2
    for part in parts:
        assert marked(part) == ["kingfisher"]
        assert len(plain(part).split(" ")) <= fragments.MAX_WORDS
        assert plain(part) in text  # a passage of the text as written


def test_it_shows_each_word_searched_for_before_more_of_one():
    crowd = " ".join(["team"] * 10)
    text = f"{crowd} {' '.join(['pad'] * 200)} the rota {' '.join(['pad'] * 200)} {crowd}"
    fragment = fragments.fragment(text, frozenset({"team", "rota"}))
    assert "rota" in marked(fragment) and "team" in marked(fragment)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compared with PostgreSQL")
def test_it_marks_the_words_postgresql_matches_in_independent_text(db):
    """Over passages from the analyzer's corpus (other people's words, many registers and
    non-native English) and queries of their own words: exactly the words ts_headline marks
    when told to mark them all. Catches a stemmer or stop list out of step with the server."""
    rnd = random.Random(20261207)
    texts = [
        search_text(json.loads(line)["text"])
        for path in sorted(CORPUS.glob("w*.jsonl"))[:12]
        for line in path.open(encoding="utf-8")
    ]
    words = [w for t in texts for w in re.findall(r"[^\W_]+", t) if len(w) > 2]
    compared = 0
    with connection.cursor() as cursor:
        for _ in range(150):
            q = " or ".join(rnd.sample(words, 3))
            cursor.execute(
                "SELECT t, ts_headline(%s::regconfig, t, q, %s), querytree(q) "
                "FROM unnest(%s::text[]) t, websearch_to_tsquery(%s::regconfig, %s) q "
                "WHERE to_tsvector(%s::regconfig, t) @@ q",
                [SEARCH_CONFIG, f"StartSel={HIT_START}, StopSel={HIT_STOP}, HighlightAll=true",
                 rnd.sample(texts, 40), SEARCH_CONFIG, q, SEARCH_CONFIG],
            )
            for text, headline, tree in cursor.fetchall():
                hits = fragments._hit_spans(text, fragments.query_terms(tree))
                ours = [text[s:e] for s, e, _ in hits]
                assert sorted(ours) == sorted(marked(headline)), (q, text)
                compared += 1
    assert compared > 500
