"""store_analysis writes only what an edit changed, and what it stores is always a fresh reading."""

import json
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reflect.framing import analyze
from reflect.framing.models import (
    Framing,
    WeeklyFraming,
    evidence_json,
    framing_rows,
    rebuild_weekly_totals,
)
from reflect.journal.models import create_entry, edit_entry

TEXT = "I had to stay late. Then I decided to ask the other team what if we shared the rota."
STORED = ["words", "scores", "confidence", "evidence", "ignored", "flags", "written_on",
          "analyzer_version"]


def _as_fresh(entry) -> None:
    """The stored analysis is the one a fresh reading of the entry gives."""
    entry.refresh_from_db()
    fresh, _ = framing_rows(entry, analyze(entry.body))
    stored = Framing.objects.get(entry=entry)
    for name in STORED:
        assert getattr(stored, name) == getattr(fresh, name), name
    for field in Framing._meta.concrete_fields:
        if field.name.endswith(("_pos", "_neg")):
            assert getattr(stored, field.name) == getattr(fresh, field.name), field.name


def _weeks(user) -> list[tuple]:
    return list(WeeklyFraming.objects.filter(author=user).order_by("week").values_list(
        "week", "entries", "words", "action_vision_pos", "tone_neg"))


def _edit(entry, body, day=None) -> list[str]:
    """Edit the entry; the SQL its analysis wrote (the framing and weekly statements)."""
    with CaptureQueriesContext(connection) as queries:
        assert edit_entry(entry, body=body, written_on=day or entry.written_on, prompt=None,
                          base_version=entry.version, autosave=True)
    # PostgreSQL sends several statements as one query: each on its own.
    return [sql for q in queries.captured_queries for sql in q["sql"].split(";\n")
            if sql.startswith(("INSERT INTO", "UPDATE"))
            and ('"framing_framing"' in sql or '"framing_weeklyframing"' in sql)]


def test_an_edit_that_leaves_the_evidence_as_it_was_does_not_write_it_again(alice):
    entry = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=False)
    # A word that is no cue, at the end: the evidence is the same, the words one more.
    assert analyze(TEXT + " zqxv").evidence == analyze(TEXT).evidence
    written = " ".join(_edit(entry, TEXT + " zqxv"))
    assert "UPDATE" in written and "evidence" not in written.split("WHERE")[-1]
    assert '"evidence" =' not in written and "INSERT INTO" not in written
    _as_fresh(entry)
    # Another such word instead of it: no sum and no word count moves, so no week is written.
    written = " ".join(_edit(entry, TEXT + " zqxw"))
    assert "framing_weeklyframing" not in written and '"evidence" =' not in written
    _as_fresh(entry)
    # On another day, still the same evidence: the analysis moves to that day's week.
    _edit(entry, TEXT + " zqxw", alice.today() - timedelta(days=8))
    _as_fresh(entry)
    weeks = _weeks(alice)
    rebuild_weekly_totals([alice.pk])
    assert _weeks(alice) == weeks and len(weeks) == 1


def test_an_edit_that_changes_the_evidence_writes_it(alice):
    entry = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=False)
    # As many items as before, each further on: the digest differs, the evidence is written.
    moved = "Zqxv " + TEXT
    assert len(analyze(moved).evidence) == len(analyze(TEXT).evidence)
    assert analyze(moved).evidence != analyze(TEXT).evidence
    assert any('"evidence"' in sql for sql in _edit(entry, moved))
    _as_fresh(entry)
    # More items (a cue added), then fewer.
    assert any('"evidence"' in sql for sql in _edit(entry, moved + " I chose to stay."))
    _as_fresh(entry)
    assert any('"evidence"' in sql for sql in _edit(entry, "We shared the rota."))
    _as_fresh(entry)
    weeks = _weeks(alice)
    rebuild_weekly_totals([alice.pk])
    assert _weeks(alice) == weeks


def test_the_evidence_text_is_the_text_the_database_gives_back(alice):
    """The digest compares the stored evidence's text with evidence_json's: were they written
    differently, every save would write the evidence again."""
    entry = create_entry(author=alice, body=TEXT + " “Quoted,” she said — naïvely.\tTab",
                         written_on=alice.today(), prompt=None, draft=False)
    stored = Framing.objects.get(entry=entry).evidence
    assert evidence_json(stored) == json.dumps(stored, ensure_ascii=False)
    column = "evidence::text" if connection.vendor == "postgresql" else "evidence"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM framing_framing WHERE entry_id = %s", [entry.pk])
        assert cursor.fetchone()[0] == evidence_json(stored)
