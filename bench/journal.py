"""Journal pages under a realistic load of data: median and p95 server time.

    .venv/bin/python bench/journal.py                      # 1,000 users x 365 days
    .venv/bin/python bench/journal.py --users 200 --days 365

Seeds (idempotently, with `seed_demo --users N --days D`) a PostgreSQL database named
`reflect_bench` on postgres://postgres@127.0.0.1:5432 (created and migrated if missing;
BENCH_DATABASE_URL overrides it), then times the journal list, search, calendar, entry page
and save for a sample of those users.

How it is measured: Django's test Client in this process, so each time covers the whole
server side (URL routing, every middleware including sessions and CSRF, the view, its
queries over a local TCP connection to PostgreSQL, template rendering) but no HTTP parsing,
network or browser. DEBUG is off while timing (no query log). Warm-up requests are not
counted. Saves edit the person's newest entry (a revision, a new version and a fresh framing
analysis, as in real use).
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from machine import cpu_model, setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reflect_bench"
SEARCH_TERMS = ["decided", "huddle", "rota", "what if", "team", "next time", "had to", "priya",
                "safety walk", "vision"]



def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--sample", type=int, default=40, help="users timed (default 40)")
    parser.add_argument("--rounds", type=int, default=5, help="requests per user and page")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    setup_django(url)
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from reflect.journal.models import Entry

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("seed_demo", users=args.users, days=args.days)
    print(f"Seeding took {time.monotonic() - started:.0f}s (0 if it was already there).")

    from django.contrib.auth import get_user_model

    User = get_user_model()
    rng = random.Random(1)
    emails = [f"bench-{i:05d}@reflect.local" for i in range(1, args.users + 1)]
    people = list(User.objects.filter(email__in=rng.sample(emails, min(args.sample, len(emails)))))
    settings.DEBUG = False  # no query log while timing

    timings: dict[str, list[float]] = {
        name: [] for name in ("journal list", "search", "calendar", "entry page", "save")
    }

    def timed(name: str, call, *, record: bool = True):
        start = time.perf_counter()
        response = call()
        elapsed = time.perf_counter() - start
        if response.status_code not in (200, 302):
            raise SystemExit(f"{name}: HTTP {response.status_code}")
        if record:
            timings[name].append(elapsed * 1000)
        return response

    for round_number in range(args.rounds + 1):
        record = round_number > 0  # the first round warms caches and connections up
        for person in people:
            client = Client()
            client.force_login(person)
            entries = Entry.objects.for_user(person).live()
            pk = rng.choice(list(entries.values_list("pk", flat=True)))
            timed("journal list", lambda c=client: c.get(reverse("journal")), record=record)
            q = rng.choice(SEARCH_TERMS)
            timed("search", lambda c=client, q=q: c.get(reverse("search"), {"q": q}),
                  record=record)
            timed("calendar", lambda c=client: c.get(reverse("calendar")), record=record)
            timed("entry page", lambda c=client, pk=pk: c.get(reverse("entry", args=[pk])),
                  record=record)
            newest = entries.order_by("-written_on", "-id").first()
            form = {
                "entry": newest.pk, "version": newest.version, "prompt": newest.prompt_id or "",
                "written_on": newest.written_on.isoformat(),
                "body": newest.body + f" Added a thought in round {round_number}.",
            }
            timed("save", lambda c=client, f=form: c.post(reverse("entry_save"), f), record=record)

    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), pg_size_pretty(pg_database_size(current_database()))")
        pg_version, db_size = cursor.fetchone()
    entry_count = Entry.objects.count()
    user_count = User.objects.count()

    print()
    print("Conditions")
    print(f"  database   PostgreSQL: {pg_version.split(' on ')[0]}, {db_size}, local TCP")
    print(f"  data       {user_count:,} users, {entry_count:,} entries "
          f"(seed_demo --users {args.users} --days {args.days})")
    print(f"  machine    {cpu_model()}, {os.cpu_count()} cores, Linux {platform.release()}")
    print(f"  software   Python {platform.python_version()}, Django {django.get_version()}")
    print(f"  method     test Client in process, {len(people)} users x {args.rounds} rounds "
          "per page after one warm-up round; DEBUG off")
    print()
    print(f"  {'page':<14}{'n':>5}{'median ms':>12}{'p95 ms':>10}")
    for name, values in timings.items():
        print(f"  {name:<14}{len(values):>5}{statistics.median(values):>12.1f}"
              f"{percentile(values, 0.95):>10.1f}")


if __name__ == "__main__":
    main()
