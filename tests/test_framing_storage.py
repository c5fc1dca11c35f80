"""store_analysis writes only what an edit changed, and what it stores is always a fresh reading."""

import json
from datetime import timedelta
from types import SimpleNamespace

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reflect.framing import analyze
from reflect.framing.models import (
    DIGEST_PART_CHARS,
    Cue,
    Framing,
    WeeklyFraming,
    analysis_digest,
    evidence_json,
    framing_rows,
    rebuild_weekly_totals,
    store_analysis,
)
from reflect.journal.models import create_entry, edit_entry, entry_to_edit
from reflect.lib.sql import batched

TEXT = "I had to stay late. Then I decided to ask the other team what if we shared the rota."
STORED = ["words", "scores", "confidence", "evidence", "ignored", "flags", "written_on",
          "analyzer_version"]


def _as_fresh(entry) -> None:
    """The stored analysis is the one a fresh reading of the entry gives."""
    entry.refresh_from_db()
    fresh, cues = framing_rows(entry, analyze(entry.body))
    stored = Framing.objects.get(entry=entry)
    assert stored.evidence_digest == fresh.evidence_digest
    assert _cues(entry) == sorted(row[1:] for row in cues)
    for name in STORED:
        assert getattr(stored, name) == getattr(fresh, name), name
    for field in Framing._meta.concrete_fields:
        if field.name.endswith(("_pos", "_neg")):
            assert getattr(stored, field.name) == getattr(fresh, field.name), field.name


def _cues(entry) -> list[tuple]:
    return sorted(Cue.objects.filter(entry=entry).values_list(
        "author_id", "written_on", "dimension", "pole", "phrase", "weight"))


def _weeks(user) -> list[tuple]:
    """The weekly totals, their sums to 9 decimals: a save adds the difference it makes, a
    rebuild sums afresh, and the two orders of float additions may differ in the last bits."""
    return [
        (week, entries, words, round(pos, 9), round(neg, 9))
        for week, entries, words, pos, neg in WeeklyFraming.objects.filter(author=user)
        .order_by("week").values_list("week", "entries", "words", "action_vision_pos", "tone_neg")
    ]


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
    """The evidence goes to the database as evidence_json's text: what is read back is what
    json.dumps would have written."""
    entry = create_entry(author=alice, body=TEXT + " “Quoted,” she said — naïvely.\tTab",
                         written_on=alice.today(), prompt=None, draft=False)
    stored = Framing.objects.get(entry=entry).evidence
    assert evidence_json(stored) == json.dumps(stored, ensure_ascii=False)
    column = "evidence::text" if connection.vendor == "postgresql" else "evidence"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM framing_framing WHERE entry_id = %s", [entry.pk])
        assert cursor.fetchone()[0] == evidence_json(stored)


def test_an_edit_that_leaves_the_evidence_as_it_was_neither_reads_nor_writes_the_cues(alice):
    entry = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=False)
    cue_ids = set(Cue.objects.filter(entry=entry).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        assert edit_entry(entry, body=TEXT + " zqxv", written_on=entry.written_on, prompt=None,
                          base_version=entry.version, autosave=True)
    sql = [s for q in queries.captured_queries for s in q["sql"].split(";\n")]
    assert not any(s.startswith(("INSERT INTO", "DELETE FROM")) and '"framing_cue"' in s
                   for s in sql)
    assert set(Cue.objects.filter(entry=entry).values_list("pk", flat=True)) == cue_ids
    _as_fresh(entry)


def test_an_analysis_stored_without_a_digest_is_written_whole_at_its_next_save(alice):
    """Analyses stored before the digest (or by another writer) have none: never kept."""
    entry = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=False)
    Framing.objects.filter(entry=entry).update(evidence_digest="", evidence=[])
    Cue.objects.filter(entry=entry).delete()
    _edit(entry, TEXT + " zqxv")
    _as_fresh(entry)
    assert Framing.objects.get(entry=entry).evidence


def test_the_digest_tells_apart_what_the_row_and_the_cues_are_made_of(alice):
    day = alice.today()
    entry = create_entry(author=alice, body=TEXT, written_on=day, prompt=None, draft=False)
    same = analysis_digest(entry, analyze(TEXT))
    cues, evidence = same[:DIGEST_PART_CHARS], same[:2 * DIGEST_PART_CHARS]
    assert len(same) == 3 * DIGEST_PART_CHARS
    assert analysis_digest(entry, analyze(TEXT)) == same
    assert Framing.objects.get(entry=entry).evidence_digest == same
    # A word that is no cue moves the word count (the row), not the evidence.
    assert analysis_digest(entry, analyze(TEXT + " zq")) != same
    assert analysis_digest(entry, analyze(TEXT + " zq")).startswith(evidence)
    assert analysis_digest(entry, analyze(TEXT + " zq")) == analysis_digest(
        entry, analyze(TEXT + " zx"))
    # A word before every cue moves the evidence (its spans), not the cues.
    moved = analysis_digest(entry, analyze("Zqxv " + TEXT))
    assert moved.startswith(cues) and not moved.startswith(evidence)
    # Another day: another week, other cue rows. Another prompt: another row.
    other_day = SimpleNamespace(author_id=alice.pk, written_on=day - timedelta(days=1),
                                prompt_id=None)
    assert not analysis_digest(other_day, analyze(TEXT)).startswith(cues)
    prompted = SimpleNamespace(author_id=alice.pk, written_on=day, prompt_id=1)
    assert analysis_digest(prompted, analyze(TEXT)).startswith(evidence)
    assert analysis_digest(prompted, analyze(TEXT)) != same
    # Same spans and rules, another phrase (the cue's text): "had to" and "has to".
    other = TEXT.replace("had to", "has to")
    assert [(e.start, e.end, e.rule) for e in analyze(other).evidence] == [
        (e.start, e.end, e.rule) for e in analyze(TEXT).evidence]
    assert not analysis_digest(entry, analyze(other)).startswith(cues)
    _edit(entry, other)
    _as_fresh(entry)


def test_an_edit_that_moves_the_evidence_but_not_the_cues_keeps_them_unread(alice):
    entry = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=False)
    cue_ids = set(Cue.objects.filter(entry=entry).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        assert edit_entry(entry, body="Zqxv " + TEXT, written_on=entry.written_on, prompt=None,
                          base_version=entry.version, autosave=True)
    sql = [s for q in queries.captured_queries for s in q["sql"].split(";\n")]
    assert any('"evidence"' in s and s.startswith("INSERT INTO") for s in sql)
    assert not any(s.startswith(("INSERT INTO", "DELETE FROM")) and '"framing_cue"' in s
                   for s in sql)
    assert set(Cue.objects.filter(entry=entry).values_list("pk", flat=True)) == cue_ids
    _as_fresh(entry)


def test_an_edit_that_changes_nothing_stored_writes_only_the_time(alice):
    entry = create_entry(author=alice, body=TEXT + " zqxv", written_on=alice.today(),
                         prompt=None, draft=False)
    before = Framing.objects.get(entry=entry).computed_at
    written = _edit(entry, TEXT + " zqxw")
    assert len(written) == 1 and '"computed_at" = ' in written[0]
    assert '"scores"' not in written[0] and '"evidence"' not in written[0]
    assert Framing.objects.get(entry=entry).computed_at > before
    _as_fresh(entry)


def _edit_as_the_editor(entry, body, day=None, meanwhile=None) -> list[str]:
    """Edit the entry as the editor's views do: read once and locked (entry_to_edit, with the
    stored analysis's hint where statements are batched), then edited in that transaction.
    `meanwhile` runs between the read and the edit. The SQL its analysis wrote."""
    with transaction.atomic():
        current = entry_to_edit(entry.author, entry.pk)
        if meanwhile is not None:
            meanwhile()
        with CaptureQueriesContext(connection) as queries:
            assert edit_entry(current, body=body, written_on=day or current.written_on,
                              prompt=None, base_version=current.version, autosave=True,
                              locked=True)
    entry.refresh_from_db()
    # What the analysis read and wrote, in order (a statement kept planned on the connection
    # as the SQL it runs).
    from reflect.framing.models import _storage_sql
    from reflect.lib.sql import kept_as

    kept = {kept_as(sql)[0]: sql for sql in _storage_sql().values()}
    sql = [kept.get(s.split()[1].split("(")[0], s) if s.startswith("EXECUTE ") else s
           for q in queries.captured_queries for s in q["sql"].split(";\n")]
    return [s for s in sql if s.startswith(("INSERT INTO", "UPDATE", "SELECT"))
            and ('"framing_framing"' in s or '"framing_weeklyframing"' in s)]


def test_the_editors_edits_store_a_fresh_analysis_and_true_weeks(alice):
    """Read with the entry, the stored analysis lets an edit write it in one round trip; every
    kind of edit still leaves the analysis a fresh reading and the weeks a recount's."""
    entry = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=False)
    other = create_entry(author=alice, body="We chose to share it.", written_on=alice.today(),
                         prompt=None, draft=False)
    edits = [
        (TEXT + " zqxv", None),  # one word more: the words and the week move
        (TEXT + " zqxw", None),  # nothing stored changes but the time
        ("Zqxv " + TEXT + " zqxw", None),  # the evidence moves, the cues stay
        (TEXT + " I chose to stay.", None),  # a cue more
        (TEXT, alice.today() - timedelta(days=8)),  # another week
        (TEXT + " zq", alice.today() - timedelta(days=8)),
    ]
    for body, day in edits:
        written = _edit_as_the_editor(entry, body, day)
        _as_fresh(entry)
        weeks = _weeks(alice)
        rebuild_weekly_totals([alice.pk])
        assert _weeks(alice) == weeks, body
        if batched() and body.endswith(("zqxv", "zqxw")):
            # No read of the stored analysis after the entry's: its writes check the digest.
            assert not any(sql.startswith("SELECT") for sql in written)
            assert any('"evidence_digest" = ' in sql.split("WHERE")[-1] for sql in written)
    _as_fresh(other)


def test_an_analysis_stored_after_the_entry_was_read_is_not_overwritten_blindly(alice):
    """Another analysis stored between the editor's read of the entry and its write (a
    re-analysis by the worker, say): the hint read with the entry no longer holds, and the
    edit stores its analysis from what is stored now, weeks included."""
    entry = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=False)

    def another_analysis():  # stored as another save of the entry would, text and all
        body = entry.body
        entry.body = TEXT + " I chose to stay. We shared it."
        store_analysis(entry)
        entry.body = body

    _edit_as_the_editor(entry, TEXT + " zqxv", meanwhile=another_analysis)
    _as_fresh(entry)
    weeks = _weeks(alice)
    rebuild_weekly_totals([alice.pk])
    assert _weeks(alice) == weeks
    # The same when the edit finds what was read stored (only its time to write, no lock).
    _edit_as_the_editor(entry, TEXT + " zqxw", meanwhile=another_analysis)
    _as_fresh(entry)
    weeks = _weeks(alice)
    rebuild_weekly_totals([alice.pk])
    assert _weeks(alice) == weeks
    # And a week row that went missing is recounted, as on the usual way.
    WeeklyFraming.objects.filter(author=alice).delete()
    _edit_as_the_editor(entry, TEXT + " zqxv zq")
    _as_fresh(entry)
    weeks = _weeks(alice)
    rebuild_weekly_totals([alice.pk])
    assert _weeks(alice) == weeks and len(weeks) == 1
