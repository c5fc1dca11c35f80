"""A re-analysis batch (after an analyzer upgrade, reflect.framing.tasks) and a person's own
Save of one of the entries it is about to re-read, at the same moment: both finish, the text is
stored and the analysis stored is the saved text's.

The batch holds the person's lock for weekly totals (taken by its first entry) while it writes
the next entry's analysis, whose rows point at the entry (PostgreSQL takes a key-share lock on
it); the editor holds that entry's row while it waits for the person's lock. An editor that
locked the row FOR UPDATE blocked the key-share lock: each waited for the other and PostgreSQL
ended one of them as a deadlock (the Save, or the whole batch). FOR NO KEY UPDATE, what an
UPDATE that changes no key takes anyway, does not block it. PostgreSQL only: SQLite serialises
every writer.
"""

import threading
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone

from reflect.framing import analyze
from reflect.framing.models import (
    Framing,
    WeeklyFraming,
    lock_authors,
    rebuild_weekly_totals,
    store_analysis,
)
from reflect.journal.models import Entry, create_entry, entry_to_edit, write_from_editor

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL"),
]


def _weekly(author) -> list[tuple]:
    rows = WeeklyFraming.objects.filter(author=author).order_by("week").values()
    return [
        {k: round(v, 6) if isinstance(v, float) else v for k, v in row.items() if k != "id"}
        for row in rows
    ]


def test_a_reanalysis_batch_and_a_save_of_the_same_persons_entry_both_finish(alice) -> None:
    today = timezone.localdate()
    create_entry(author=alice, body="I chose to run the handover myself.", written_on=today,
                 prompt=None, draft=False)
    entry = create_entry(author=alice, body="Had to cover the late shift again.",
                         written_on=today, prompt=None, draft=False)
    # Its analysis is to be read again, as after an upgrade (another version, cues that are
    # not this analyzer's): the batch writes it anew, its cues among it.
    Framing.objects.filter(entry=entry).update(analyzer_version="older", evidence_digest="")
    entry.cues.all().delete()
    saved_text = "Nobody asked me to, but I chose to cover the late shift and showed Sam how."

    batch_holds_lock, editor_holds_row = threading.Event(), threading.Event()
    errors: list[tuple[str, BaseException]] = []

    def batch() -> None:
        try:
            with transaction.atomic():
                lock_authors([alice.pk])  # as store_analysis of the batch's first entry did
                batch_holds_lock.set()
                assert editor_holds_row.wait(20)
                store_analysis(Entry.objects.get(pk=entry.pk))
        except BaseException as exc:  # reported below, with the side it came from
            errors.append(("batch", exc))
        finally:
            connection.close()

    def editor() -> None:
        try:
            assert batch_holds_lock.wait(20)
            with transaction.atomic():
                current = entry_to_edit(alice, entry.pk)
                editor_holds_row.set()
                write_from_editor(
                    author=alice, entry=current, session=uuid.uuid4(), body=saved_text,
                    written_on=today, prompt=None, base_version=current.version,
                    autosave=False, locked=True,
                )
        except BaseException as exc:
            errors.append(("editor", exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=batch), threading.Thread(target=editor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    entry.refresh_from_db()
    assert entry.body == saved_text
    stored = Framing.objects.get(entry=entry)
    assert stored.scores == analyze(saved_text).scores
    weekly = _weekly(alice)
    rebuild_weekly_totals()
    assert _weekly(alice) == weekly
