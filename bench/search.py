"""Search at ten years of daily entries, on PostgreSQL and on SQLite, in one run.

    .venv/bin/python bench/search.py                 # 10 years, about a minute the first time
    .venv/bin/python bench/search.py --years 1

One person with one entry of about 110 words a day (seed_demo's writer), bulk-inserted once
into `reflect_bench_search` on postgres://postgres@127.0.0.1:5432 (BENCH_DATABASE_URL
overrides it) and into a fresh SQLite file. For each kind of query (a common word, a rare
word, a phrase, `or`, an exclusion, an exclusion alone) it prints the median time of the
whole search request in this process (Django's test Client: routing, middleware, the view,
its queries, the template) and of its search query alone (one page of ranked hits with
their fragments), the queries per request and the hits. DEBUG off; warm-up not counted.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/reflect_bench_search"
EMAIL = "search-bench@reflect.local"
QUERIES = [
    ("common word", "team"),
    ("rare word", "huddle"),
    ("phrase", '"next time"'),
    ("or", "rota or huddle"),
    ("word -word", "team -rota"),
    ("-word alone", "-team"),
]


def seed(years: int) -> None:
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from reflect.journal.management.demo_text import DemoWriter
    from reflect.journal.models import Entry, count_words
    from reflect.lib.searchtext import search_text

    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=EMAIL, defaults={"password": make_password(None), "time_zone": "UTC"}
    )
    days = 365 * years
    have = Entry.objects.filter(author=user).count()
    if have >= days:
        return
    Entry.objects.filter(author=user).delete()
    writer = DemoWriter(2026)
    today = user.today()
    entries = []
    for i in range(days):
        if i % 7 == 0:
            writer.new_week()
        body = writer.body(i / days, sentences=9)
        entries.append(Entry(author=user, body=body, search_text=search_text(body),
                             word_count=count_words(body),
                             written_on=today - timedelta(days=days - i)))
    Entry.objects.bulk_create(entries, batch_size=1000)


def measure(url: str, years: int, rounds: int) -> None:
    """Runs in a child process configured for one database; prints one block."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflect.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    if url.startswith("postgres"):
        sys.path.insert(0, str(ROOT / "bench"))
        from machine import ensure_database

        ensure_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from reflect.journal import browse, fulltext
    from reflect.journal.models import Entry

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    seed(years)
    seeded = time.monotonic() - started
    settings.DEBUG = False
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email=EMAIL)
    client = Client()
    client.force_login(user)
    client.get(reverse("search"), {"q": "warm"})
    live = Entry.objects.for_user(user).live()
    words = sum(live.values_list("word_count", flat=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            engine = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        engine = f"SQLite {sqlite3.sqlite_version} (FTS5)"
    print(f"\n{engine}: {live.count():,} entries, {words:,} words"
          + (f" (seeded in {seeded:.0f} s)" if seeded > 1 else ""))
    print(f"  {'query':<14}{'text':<18}{'request ms':>11}{'query ms':>10}{'queries':>9}"
          f"{'matches':>9}")
    for name, q in QUERIES:
        request_ms, query_ms = [], []
        for _ in range(rounds + 1):
            started = time.perf_counter()
            response = client.get(reverse("search"), {"q": q})
            request_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            page = list(fulltext.search(live, q)[:21])
            if connection.vendor == "postgresql":  # the fragments are made beside the query
                [browse.fragment_html(entry) for entry in page]
            query_ms.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("search"), {"q": q})
        assert response.status_code == 200, response.status_code
        hits = fulltext.search(live, q).count()
        print(f"  {name:<14}{q:<18}{statistics.median(request_ms[1:]):>11.1f}"
              f"{statistics.median(query_ms[1:]):>10.1f}{len(queries):>9}{hits:>9,}")
        assert len(page) == min(hits, 21)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.years, args.rounds)
        return 0
    sys.path.insert(0, str(ROOT / "bench"))
    from machine import cpu_model

    print("Conditions")
    print(f"  machine   {cpu_model()}, {os.cpu_count()} cores, Linux {platform.release()}, "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"  software  Python {platform.python_version()}")
    print(f"  data      one person, one entry a day for {args.years} years (~110 words each)")
    print(f"  method    test Client in process, median of {args.rounds} after a warm-up; "
          "'query ms' is the search query alone (one page, 21 rows, with its fragments); DEBUG off")
    pg = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
    with tempfile.TemporaryDirectory() as tmp:
        for url in (pg, f"sqlite:///{tmp}/search.sqlite3"):
            subprocess.run([sys.executable, __file__, "--measure", url, "--years",
                            str(args.years), "--rounds", str(args.rounds)], check=True)
    print(f"\n  load at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
