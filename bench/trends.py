"""Server time of the trends page for a person with ten years of daily entries, on PostgreSQL.

    .venv/bin/python bench/trends.py [--requests 40] [--reseed]

Seeds (once) one user with 3,650 daily entries, their framing analyses and cue rows in the
database ``reflect_bench_trends`` on postgres://postgres@127.0.0.1:5432 (created and
migrated if missing; BENCH_DATABASE_URL overrides), then times GET /trends/ with Django's
test client in this process: the whole request through every middleware (session, user,
CSP), the queries and the template, but no network or WSGI server. Prints per unit and
range the median and 95th percentile of wall time and of this process's CPU time (the
wall time on a shared machine includes waiting for a core; the CPU time does not include
PostgreSQL's own work), the cold first request, the query count, the HTML size, and the
conditions (machine load before and after, database version, data size, CPU, Python).
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from machine import backend_cpu, cpu_model

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reflect_bench_trends"
)
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflect.settings")
# Production-like: no debug query log or template debug information.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SITE_URL", "http://testserver")  # required when DEBUG is false

DAYS = 3650
EMAIL = "bench-trends@example.com"

OBLIGATION = [
    "I had to finish the quarterly report because my manager told me to.",
    "There was no choice, they made me redo the slides again.",
    "I was supposed to wait for approval before touching the schedule.",
    "Spent the whole day on tickets and getting things done.",
    "I'm not a leader type, I just do my tasks and go home.",
    "Drained and frustrated after another meeting about the rota.",
]
AGENCY = [
    "I chose to ask the team what we are really trying to achieve.",
    "I decided not to wait to be told and proposed a fix myself.",
    "What if we tried pairing the new starters with the night shift?",
    "How might we make the handover easier for everyone?",
    "We talked about why this matters for the patients, and I felt proud.",
    "Next time I'll invite Sam to lead the stand-up; I'm learning to let go.",
]
NEUTRAL = [
    "The weather was grey and the train was late again this morning.",
    "Lunch with Priya, we talked about her garden and the tomatoes.",
    "Read a few pages of the novel before bed, slowly.",
    "The coffee machine on the third floor is broken for the second week.",
    "Walked home along the canal in the last of the light.",
]


def compose(k: int, distinct: int) -> str:
    """Entry k of `distinct` texts, about 110 words: four sentences that frame the day (task
    and obligation language early in the ten years, agency language later) and four that
    do not."""
    progress = k / max(distinct - 1, 1)
    sentences = []
    for i in range(4):
        pick = (k * 7 + i * 3) % 100 / 100
        pool = AGENCY if pick < progress else OBLIGATION
        sentences.append(pool[(k + i * 5) % len(pool)])
        sentences.append(NEUTRAL[(k + i) % len(NEUTRAL)])
    return " ".join(sentences)


def ensure_database() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    admin = psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    )
    with admin:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        exists = admin.execute(query, [db["NAME"]]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
            print(f"created database {db['NAME']}")


def seed(reseed: bool) -> object:
    from django.db import transaction

    from reflect.accounts.models import User
    from reflect.framing import analyze
    from reflect.framing.models import Framing, framing_rows, insert_cues, rebuild_weekly_totals
    from reflect.journal.models import Entry, Prompt, count_words

    user = User.objects.filter(email=EMAIL).first()
    if user and not reseed and Entry.objects.filter(author=user).count() == DAYS:
        return user
    if user:
        user.delete()
    started = time.perf_counter()
    user = User.objects.create_user(EMAIL, "bench-only-password-42", time_zone="Europe/London")
    prompts = list(Prompt.objects.order_by("pk")[:12])
    distinct = 365
    texts = [compose(k, distinct) for k in range(distinct)]
    analyses = [analyze(t) for t in texts]
    today = user.today()
    with transaction.atomic():
        entries = Entry.objects.bulk_create(
            Entry(
                author=user,
                body=texts[i * distinct // DAYS],
                written_on=today - timedelta(days=DAYS - 1 - i),
                prompt=prompts[i % len(prompts)] if prompts and i % 3 == 0 else None,
                word_count=count_words(texts[i * distinct // DAYS]),
            )
            for i in range(DAYS)
        )
        framings, cues = [], []
        for i, entry in enumerate(entries):
            framing, entry_cues = framing_rows(entry, analyses[i * distinct // DAYS])
            framings.append(framing)
            cues.extend(entry_cues)
        Framing.objects.bulk_create(framings, batch_size=1000)
        insert_cues(cues)
        rebuild_weekly_totals([user.pk])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {DAYS} entries, {len(cues)} cues in {time.perf_counter() - started:.1f} s")
    return user


def conditions() -> list[str]:
    import django
    from django.db import connection

    from reflect.framing.models import Cue, Framing
    from reflect.journal.models import Entry

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    cpu = cpu_model()
    return [
        f"database: {version.split(' on ')[0]} at {DATABASE_URL.rsplit('@', 1)[-1]}, size {size}",
        f"data: {Entry.objects.count():,} entries, {Framing.objects.count():,} analyses, "
        f"{Cue.objects.count():,} cues in the database",
        f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"python: {platform.python_version()}, Django {django.get_version()}, DEBUG=false",
        "timing: Django test client in process (middleware, queries, templates; no network)",
    ]


def _counter(queries: list[str]):
    def count(run, sql, *rest):
        queries.append(sql)
        return run(sql, *rest)

    return count


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ms(value: float) -> str:
    return f"{value:7.1f}ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from reflect.trends import series

    ensure_database()
    call_command("migrate", verbosity=0, run_syncdb=True)
    user = seed(args.reseed)
    client = Client()
    client.force_login(user)
    static = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    print("GET /trends/ for one person with 3,650 daily entries (10 years)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("computed: the shared cache emptied before each request; cached: the charts from it")
    header = (
        "unit", "range", "computed", "p95", "cpu", "db cpu", "cached", "p95", "cpu", "db cpu",
        "cold", "queries", "bytes",
    )
    print("{:6} {:5} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>8}".format(
        *header))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    shared = caches["shared"]
    with override_settings(STORAGES={**settings.STORAGES, **static}):
        client.get("/home/")  # the session's first request (it records the session)
        for unit in ("week", "month"):
            for range_key in ("all", "1y", "3m"):
                url = f"/trends/?unit={unit}&range={range_key}"
                series._proportion_band.cache_clear()
                series._rate_band.cache_clear()
                shared.clear()
                queries: list[str] = []
                started = time.perf_counter()
                with connection.execute_wrapper(_counter(queries)):
                    response = client.get(url)
                cold = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.status_code
                columns = []
                for cached in (False, True):
                    timings, cpu = [], []
                    db_before = backend_cpu(backend)
                    for _ in range(args.requests):
                        if not cached:
                            shared.clear()
                        started, used = time.perf_counter(), time.process_time()
                        client.get(url)
                        timings.append((time.perf_counter() - started) * 1000)
                        cpu.append((time.process_time() - used) * 1000)
                    db_after = backend_cpu(backend)
                    db = (float("nan") if db_before is None or db_after is None
                          else (db_after - db_before) * 1000 / args.requests)
                    columns.append(
                        f"{_ms(statistics.median(timings))} {_ms(_p95(timings))} "
                        f"{_ms(statistics.median(cpu))} {_ms(db)}"
                    )
                sent = [q for q in queries if not q.startswith(("BEGIN", "COMMIT", "SAVEPOINT"))]
                print(
                    f"{unit:6} {range_key:5} {columns[0]} {columns[1]} {_ms(cold)} "
                    f"{len(sent):7} {len(response.content):8,}"
                )
    print(
        f"{args.requests} timed requests each after one cold request (new process memo of "
        "intervals cleared, shared cache emptied); cpu is this process's median CPU time, db cpu "
        "its PostgreSQL backend's mean (from /proc, the server on this host)"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for line in conditions():
        print(line)


if __name__ == "__main__":
    main()
