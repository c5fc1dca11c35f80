"""Importing ten years of daily entries: the upload (checked and previewed) and the
confirmation (the import itself), each request timed.

    .venv/bin/python bench/import.py                 # 3,650 entries, ~110 words each, 3 rounds
    .venv/bin/python bench/import.py --format dayone # the same as a Day One Journal.json
    .venv/bin/python bench/import.py --entries 4000 --profile

Creates (if missing) and migrates a PostgreSQL database named `reflect_bench_import` on
postgres://postgres@127.0.0.1:5432 (BENCH_DATABASE_URL overrides it). Each round makes a
fresh person and posts one JSON export of N entries (one a day, ~110 words, a third with a
prompt, a few with an earlier version) to the import page, as the browser would.

How it is measured: Django's test Client in this process, so the time covers the whole
server side (middleware, reading and checking the file, inserting entries and revisions,
analysing every entry and totalling its weeks, all in one transaction) but no HTTP parsing
or upload over the network. DEBUG is off. gunicorn's worker timeout is 30 s: the import
must stay well inside it on a loaded machine.
"""

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from machine import cpu_model, setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reflect_bench_import"
WORDS = (
    "I decided to run the stand-up myself today and asked the team what they needed from me "
    "we had to finish the rota before lunch so I chose to explain why the change matters "
    "next time I will invite Priya to lead the safety walk what if we tried a shorter huddle "
    "how might we share the vision with the night shift I felt tired but proud of the team"
).split()



def export_file(n: int, rng: random.Random, prompts: list[tuple[int, str]]) -> bytes:
    first = date.today() - timedelta(days=n)
    entries = []
    for i in range(n):
        day = first + timedelta(days=i)
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(90, 130))) + "."
        pk, text = rng.choice(prompts) if prompts and i % 3 == 0 else (None, None)
        stamp = f"{day.isoformat()}T20:00:00+00:00"
        revisions = []
        if i % 10 == 0:
            revisions.append({
                "body": body[:200], "written_on": day.isoformat(), "prompt_id": pk,
                "prompt_text": text, "version": 1, "reason": "edit", "created_at": stamp,
            })
        entries.append({
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "written_on": day.isoformat(), "prompt_id": pk, "prompt_text": text, "body": body,
            "version": 1 + len(revisions), "created_at": stamp, "updated_at": stamp,
            "autosaved_at": None, "is_draft": False, "deleted_at": None, "revisions": revisions,
        })
    data = {"format": "reflect-journal", "version": 1, "hidden_prompts": [], "entries": entries}
    return json.dumps(data, ensure_ascii=False).encode()


def day_one_file(reflect_export: bytes) -> bytes:
    """The same entries as a Day One JSON export (tags from every fifth entry's prompt)."""
    entries = [
        {"uuid": uuid.UUID(e["uuid"]).hex.upper(), "creationDate": e["created_at"][:19] + "Z",
         "timeZone": "Europe/London", "text": e["body"], "tags": ["daily"] if n % 5 else [],
         "starred": n % 7 == 0}
        for n, e in enumerate(json.loads(reflect_export)["entries"])
    ]
    return json.dumps({"metadata": {"version": "1.0"}, "entries": entries}).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=3650)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile")
    parser.add_argument("--format", choices=["reflect", "dayone"], default="reflect")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    setup_django(url)
    import django
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from reflect.journal.models import Entry, Prompt

    call_command("migrate", verbosity=0)
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User = get_user_model()
    rng = random.Random(1)
    prompts = list(Prompt.objects.filter(is_active=True, source="article")
                   .values_list("pk", "text")[:20])
    content = export_file(args.entries, rng, prompts)
    if args.format == "dayone":
        content = day_one_file(content)
    # A serving worker has analysed entries before (the analyzer compiles its lexicon on
    # first use, once per process): warm it up so the figures are of the import alone.
    from reflect.framing import analyze

    analyze("I decided to lead the team meeting myself.")
    loads = []
    checks, timings = [], []
    for round_number in range(args.rounds):
        person = User.objects.create_user(
            f"bench-import-{uuid.uuid4().hex[:12]}@reflect.local", "not-used-for-login",
            time_zone="Europe/London",
        )
        client = Client()
        client.force_login(person)
        upload = {"file": SimpleUploadedFile("reflect.json", content, "application/json")}
        loads.append(os.getloadavg()[0])
        profiler = cProfile.Profile() if args.profile and round_number == 0 else None
        start = time.perf_counter()
        response = client.post(reverse("import"), upload)
        checks.append(time.perf_counter() - start)
        if response.status_code != 302:
            raise SystemExit(f"upload: HTTP {response.status_code}\n{response.content[-800:]!r}")
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        response = client.post(response["Location"])  # confirm the preview
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - start
        if response.status_code != 302:
            raise SystemExit(f"import: HTTP {response.status_code}\n{response.content[-800:]!r}")
        imported = Entry.objects.filter(author=person).count()
        if imported != args.entries:
            raise SystemExit(f"imported {imported} of {args.entries} entries")
        timings.append(elapsed)
        if profiler:
            out = io.StringIO()
            order = os.environ.get("BENCH_SORT", "cumulative")  # or tottime
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(25)
            print(out.getvalue())
        person.delete()

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    print("Conditions")
    print(f"  database   PostgreSQL {pg_version}, local TCP")
    print(f"  data       {args.entries:,} entries, {len(content) / 1e6:.1f} MB of JSON "
          f"({args.format}), "
          "one per day, 90-130 words, a third with a prompt, a tenth with an earlier version")
    print(f"  machine    {cpu_model()}, {os.cpu_count()} cores, Linux {platform.release()}, "
          f"load average (1 min) {min(loads):.1f}-{max(loads):.1f} while timing")
    print(f"  software   Python {platform.python_version()}, Django {django.get_version()}")
    print(f"  method     test Client POSTs (upload, then confirm) in process, {args.rounds} "
          "rounds, a fresh person each, analyzer warmed up; DEBUG off")
    print()
    print(f"  upload and check of {args.entries:,} entries: median "
          f"{statistics.median(checks):.2f} s, max {max(checks):.2f} s")
    print(f"  import of {args.entries:,} entries: median {statistics.median(timings):.2f} s, "
          f"max {max(timings):.2f} s (gunicorn worker timeout: 30 s)")


if __name__ == "__main__":
    main()
