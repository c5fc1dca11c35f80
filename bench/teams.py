"""Server time of the team summary page on PostgreSQL: 500 members, a year each.

    .venv/bin/python bench/teams.py [--runs 30] [--members 500] [--days 365] [--profile year]
    .venv/bin/python bench/teams.py --demo [--runs 30] [--profile 4w]

Uses the database `reflect_bench_teams` on postgres://postgres@127.0.0.1:5432 (override with
BENCH_DATABASE_URL), created if missing and migrated; the data is generated once and reused.
Requests go through Django's test client in this process (middleware, view, template, no
network, no gunicorn) with DEBUG=false, so the numbers are server time only (wall time, and
the CPU time of this process, which the machine's load inflates less). For each period
it times repeat views (the weeks were shown before: the common case) and first views (the
team's record of shown weeks emptied before each, so every week is recorded again), and
prints the conditions and how many access-log rows the runs left. --profile PERIOD prints
cProfile's top functions for five repeat views instead. --demo measures the demo team of
`seed_demo` (what `make bench-http` serves; seeded if missing) instead of the generated team.

    .venv/bin/python bench/teams.py --against HEAD~1 [--demo] [--rounds 8] [--runs 40]
        [--periods 4w,year] [--new REV2]

times repeat views of REV's summary beside this working tree's (a copy of its files; --new
REV2: that revision's instead), as on a shared machine only a side-by-side comparison can: two
processes, one per tree, on the same database and team, each viewing --runs times one period
in turn, old then new then new then old..., --rounds times per period. Printed per period and
tree: the median and mean of the request handler's CPU (Django's test client, its handler
only), the CPU its PostgreSQL backend used per view (/proc/PID/schedstat) and the queries of one
view. As gunicorn's master does, what is loaded before the first view is frozen (gc.freeze).
"""

import argparse
import cProfile
import os
import platform
import pstats
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from machine import backend_cpu, cpu_model, setup_django  # noqa: E402
from sides import (  # noqa: E402
    ask,
    backend_pid,
    batch,
    checkout,
    in_turn,
    ready,
    start,
    stop,
    timed_handler,
)

ROOT = Path(__file__).resolve().parent.parent
if "--tree" in sys.argv:  # a child of --against: that tree's code (this script's bench helpers)
    ROOT = Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()
    os.chdir(ROOT)
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reflect_bench_teams"
)
# Production-like: no query log, no template debug; tasks (the analyzer's post-migrate
# re-analysis) are queued, not run inside the benchmark.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("TASKS_IN_PROCESS", "false")


def seed(members: int, days: int):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from reflect.framing.models import DIMENSION_KEYS, Framing, rebuild_weekly_totals
    from reflect.journal.models import Entry
    from reflect.teams import summary as figures
    from reflect.teams.models import ConsentReceipt, Membership, PairedPrompt, Team

    User = get_user_model()
    name = f"Bench {members}x{days}"
    team = Team.objects.filter(name=name).first()
    if team:
        return team, team.memberships.get(role="manager").user
    print(f"seeding {members} members x {days} days ...", flush=True)
    started = time.perf_counter()
    rng = random.Random(42)
    with transaction.atomic():
        manager = User.objects.create(email=f"manager-{members}-{days}@bench.test", password="!",
                                      display_name="Bench manager")
        team = Team.create_for(manager, name)
        users = User.objects.bulk_create(
            User(email=f"m{n}-{members}-{days}@bench.test", display_name=f"Member {n}",
                 password="!")
            for n in range(members)
        )
        Membership.objects.bulk_create(Membership(team=team, user=u) for u in users)
        ConsentReceipt.objects.bulk_create(
            ConsentReceipt(member=u, team=team, level="named" if n % 12 == 0 else "aggregate")
            for n, u in enumerate(users)
        )
        manager_prompt, member_prompt = PairedPrompt.article_prompts()
        last = figures.last_complete_week(timezone.now().date()) + timedelta(days=6)
        PairedPrompt.objects.create(team=team, manager_prompt=manager_prompt,
                                    member_prompt=member_prompt, posed_by=manager,
                                    starts_on=last - timedelta(days=13), weeks=2)
        body = "I chose to ask the team what if we shared the planning."
        for user in users:
            entries = Entry.objects.bulk_create(
                Entry(author=user, body=body, written_on=last - timedelta(days=d),
                      word_count=11, prompt=member_prompt if d < 3 else None)
                for d in range(days)
            )
            rows = []
            for entry in entries:
                columns = {}
                for key in DIMENSION_KEYS:
                    columns[f"{key}_pos"] = rng.randint(0, 3)
                    columns[f"{key}_neg"] = rng.randint(0, 3)
                rows.append(Framing(entry=entry, author=user, written_on=entry.written_on,
                                    prompt_id=entry.prompt_id, analyzer_version="bench",
                                    words=11, **columns))
            Framing.objects.bulk_create(rows)
        rebuild_weekly_totals(u.pk for u in users)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    return team, manager


def demo_team():
    """The demo team of `seed_demo` and its manager, seeding them if missing."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from reflect.journal.management.commands.seed_demo import DEMO_EMAIL
    from reflect.teams.models import Team

    User = get_user_model()
    if not User.objects.filter(email=DEMO_EMAIL).exists():
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", stdout=quiet)
    manager = User.objects.get(email=DEMO_EMAIL)
    return Team.objects.managed_by(manager).order_by("pk").first(), manager


def _median_p90(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[max(0, int(len(ordered) * 0.9) - 1)]
    return f"median {statistics.median(times):6.1f} ms, p90 {p90:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--profile", choices=["4w", "quarter", "year"])
    parser.add_argument("--demo", action="store_true", help="the demo team of seed_demo")
    parser.add_argument("--against", metavar="REV", help="REV's views beside this tree's")
    parser.add_argument("--new", metavar="REV", help="with --against: REV instead of this tree")
    parser.add_argument("--rounds", type=int, default=8, help="with --against")
    parser.add_argument("--periods", default="4w,year", help="with --against")
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.against:
        return against(args)
    setup_django(DB_URL)

    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from reflect.framing.models import Framing
    from reflect.journal.models import Entry
    from reflect.teams.models import AccessEvent, AccessSetMember, PublishedWeek

    call_command("migrate", verbosity=0)
    team, manager = demo_team() if args.demo else seed(args.members, args.days)
    # Static file names without a collectstatic manifest (it does not change server time).
    static = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES={**settings.STORAGES, **static}).enable()
    client = Client()
    client.force_login(manager)
    if args.serve:
        return serve(client, reverse("team_summary", args=[team.pk]))
    if args.profile:
        url = reverse("team_summary", args=[team.pk]) + f"?period={args.profile}"
        for _ in range(3):
            client.get(url)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(5):
            client.get(url)
        profile.disable()
        pstats.Stats(profile).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(40)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    print("conditions:")
    print(f"  PostgreSQL: {version}")
    print(f"  data: team of {team.memberships.count() - 1} members, "
          f"{Entry.objects.filter(author__memberships__team=team).count():,} of "
          f"{Entry.objects.count():,} entries, {Framing.objects.count():,} analyses")
    print(f"  CPU: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
          f"Django {django.get_version()}")
    print(f"  load average before the runs: {os.getloadavg()[0]:.1f} "
          "(other processes share the CPU)")
    print("  client: django.test.Client in process (no network, no gunicorn), DEBUG=false")
    events_before = AccessEvent.objects.count()
    members_before = AccessSetMember.objects.count()
    views = 0
    for period in ("4w", "quarter", "year"):
        url = reverse("team_summary", args=[team.pk]) + f"?period={period}"
        for _ in range(3):  # warm the connection and the caches of PostgreSQL
            assert client.get(url).status_code == 200
        queries: list[str] = []

        def count(run, sql, *rest, queries=queries):
            queries.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(url)
        times, cpu = [], []
        db_before = backend_cpu(backend)
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
        db_after = backend_cpu(backend)
        db = "" if db_before is None or db_after is None else (
            f", its PostgreSQL backend's: mean {(db_after - db_before) * 1000 / args.runs:.1f} ms"
        )
        first = []
        for _ in range(max(3, args.runs // 5)):
            PublishedWeek.objects.filter(team=team).delete()
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            first.append((time.perf_counter() - started) * 1000)
        views += 4 + args.runs + len(first)
        shown = b"members wrote" in response.content
        print(f"  summary {period:>7}: repeat view {_median_p90(times)} over {args.runs} runs "
              f"(this process's CPU: median {statistics.median(cpu):.1f} ms{db}), "
              f"{len(queries)} queries, figures shown: {shown}; first view "
              f"{_median_p90(first)} over {len(first)} runs")
    print(f"  access log: {AccessEvent.objects.count() - events_before} events and "
          f"{AccessSetMember.objects.count() - members_before} set members added by "
          f"{views} views")
    print(f"  load average after the runs: {os.getloadavg()[0]:.1f}")


def serve(client, url: str) -> None:
    """A child of --against: for each line "N PERIOD" on stdin, view the summary of PERIOD N
    times and answer one JSON line (the handler's CPU of each view, the PostgreSQL backend's
    CPU over them); for "count PERIOD", view it once and answer with its queries."""
    import gc
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    handler_cpu = timed_handler()
    backend = backend_pid()
    gc.freeze()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command, period = line.split()
        page = f"{url}?period={period}"
        if command == "count":
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page).status_code == 200
            print(json.dumps({"queries": [q["sql"][:40] for q in queries.captured_queries]}),
                  flush=True)
            continue
        batch(lambda page=page: _ok(client.get(page)), int(command), handler_cpu, backend)


def _ok(response) -> None:
    assert response.status_code == 200, response.status_code


def against(args) -> None:
    """This tree's views beside REV's, in turn (see the module docstring)."""

    here = Path(__file__).resolve()

    options = ["--members", str(args.members), "--days", str(args.days),
               *(["--demo"] if args.demo else [])]
    sides, roots = {}, []
    try:
        for name, root in (checkout(args.against, "bench-teams-"),
                           checkout(args.new, "bench-teams-")):
            roots.append(root)
            name += " (b)" if name in sides else ""
            command = [sys.executable, str(here), "--serve", "--tree", str(root), *options]
            # The first runs once before: it seeds the data both share, if missing.
            sides[name] = start(command, root, prepare=not sides)
        for proc in sides.values():
            ready(proc)
        names, loads = list(sides), []
        team = "the demo team" if args.demo else f"{args.members} members x {args.days} days"
        print(f"Conditions: repeat views of {team}'s summary, {args.rounds} rounds of "
              f"{args.runs} views per tree and period, in turn (old/new, new/old, ...), one "
              f"database; DEBUG off; {cpu_model()}, {os.cpu_count()} cores")
        for period in args.periods.split(","):
            results = in_turn(sides, period, args.rounds, args.runs, 10, loads)
            for name in names:
                r = results[name]
                queries = ask(sides[name], f"count {period}")["queries"]
                print(f"  {period:>7} {name:10s} app CPU median "
                      f"{statistics.median(r['cpu']):.3f} ms, mean {statistics.mean(r['cpu']):.3f}"
                      f"; database {r['db'] / r['n']:.3f} ms per view; {len(queries)} queries: "
                      f"{' | '.join(q[:18] for q in queries)}")
        print(f"  load average (1 min) {min(loads):.1f}-{max(loads):.1f} while timing")
    finally:
        stop(sides, roots)


if __name__ == "__main__":
    main()
