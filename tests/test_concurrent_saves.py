"""Saves that arrive at the same moment: every acknowledged text is stored, and the weekly
totals that trends and team summaries read equal a recomputation from the analyses.

These need a real server database with row locks and READ COMMITTED (PostgreSQL): SQLite's
in-memory test database in shared-cache mode refuses concurrent writers instead of queueing
them, so there the test says why it does not run. CI runs it on PostgreSQL.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from reflect.framing.models import DIMENSION_KEYS, WeeklyFraming, rebuild_weekly_totals
from reflect.journal.models import Entry

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 12
ROUNDS = 4


@pytest.fixture(autouse=True)
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (run with DATABASE_URL=postgres://…)")


def _run_together(work) -> list:
    """Run work(i) in THREADS threads released at once; returns their results in order."""
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS
    errors: list = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # reported below, with the thread it came from
            errors.append((i, exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def _weekly_rows(author) -> list[tuple]:
    rows = WeeklyFraming.objects.filter(author=author).order_by("week")
    fields = ["week", "entries", "words"] + [
        f"{k}_{pole}" for k in DIMENSION_KEYS for pole in ("pos", "neg")
    ]
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in
            rows.values_list(*fields)]


def _client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_it_keeps_every_text_when_saves_and_autosaves_of_one_week_collide(alice):
    today = alice.today().isoformat()
    clients = [_client_for(alice) for _ in range(THREADS)]

    def write(i: int) -> list[tuple[int, str]]:
        acknowledged = []
        for r in range(ROUNDS):
            body = f"Thread {i} round {r}: I chose to lead the team meeting and we decided."
            url = reverse("entry_autosave" if (i + r) % 2 else "entry_save")
            response = clients[i].post(url, {
                "body": body, "written_on": today, "version": 0,
            })
            if response.status_code in (200, 302):
                acknowledged.append((response.status_code, body))
        return acknowledged

    results = _run_together(write)

    acknowledged = [body for per_thread in results for _, body in per_thread]
    # Every request was acknowledged: none failed on the weekly totals' unique constraint.
    assert len(acknowledged) == THREADS * ROUNDS
    stored = set(Entry.objects.filter(author=alice).values_list("body", flat=True))
    assert set(acknowledged) <= stored
    published = Entry.objects.filter(author=alice, is_draft=False).count()
    before = _weekly_rows(alice)
    assert sum(row[1] for row in before) == published
    rebuild_weekly_totals([alice.pk])
    assert _weekly_rows(alice) == before


def test_it_keeps_every_edit_when_two_devices_save_one_persons_week_at_once(alice):
    today = alice.today()
    week_start = today - timedelta(days=today.weekday())
    entries = [
        Entry.objects.create(author=alice, body=f"Entry {i}", written_on=week_start)
        for i in range(THREADS)
    ]
    for entry in entries:
        entry.refresh_analysis()
    clients = [_client_for(alice) for _ in range(THREADS)]

    def edit(i: int) -> int:
        entry = entries[i]
        response = clients[i].post(reverse("entry_save"), {
            "entry": entry.pk, "version": entry.version, "written_on": week_start.isoformat(),
            "body": f"Edited {i}: I decided to ask both teams what if we shared the rota.",
        })
        return response.status_code

    assert _run_together(edit) == [302] * THREADS
    for i, entry in enumerate(entries):
        entry.refresh_from_db()
        assert entry.body.startswith(f"Edited {i}:")
    before = _weekly_rows(alice)
    assert [row[1] for row in before] == [THREADS]
    rebuild_weekly_totals([alice.pk])
    assert _weekly_rows(alice) == before
