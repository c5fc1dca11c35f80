"""The entry page of one revision beside another's, in process, in turn (issue 14's "entry
page" and "entry page, each in turn"; the home page with --kinds home). One command:

    .venv/bin/python bench/entry_page.py --against REV [--new REV2] [--rounds 8] [--views 100]
                                         [--kinds turn,same]

Two processes, one per tree (REV's files from git archive; this working tree's, or --new
REV2's), on one PostgreSQL database (reflect_bench_entry, or BENCH_DATABASE_URL: the page
writes nothing, and the two trees must have the same migrations), migrated and seeded once
with `seed_demo` (the demo account: a year of entries with their analyses), signed in as the
demo account, DEBUG off, through Django's full middleware with the test client (static file
names without a collectstatic manifest: the page's header keeps them per process). They
ask for the entry page in turn, --views at a time, old then new then new then old...,
--rounds times per kind:

- "turn": each of the demo's live entries in turn (newest first, each tree from where it
  left off), as make bench-http's "entry page, each in turn": what the page keeps per
  process is rarely asked for again;
- "same": the newest entry every time, as its "entry page";
- "home": the home page (its three lists, the sparkline's weeks, the check of today's
  prompt), as its "home" (not a default kind: --kinds home).

Printed per kind and tree: the median and mean of the request handler's CPU per view, its
PostgreSQL backend's CPU per view (from /proc/PID/schedstat: the server runs on this host),
the queries of one view and the bytes answered; then new/old of the medians, and in how
many rounds the new tree's median was the lower.
"""

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--tree" in sys.argv:  # a child of --against: that tree's code
    ROOT = Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()
    os.chdir(ROOT)
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
from machine import cpu_model, setup_django  # noqa: E402
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

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reflect_bench_entry"
KINDS = ("turn", "same")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="the old tree's revision")
    parser.add_argument("--new", metavar="REV", help="that revision instead of this working tree")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--views", type=int, default=100, help="views per tree, kind and round")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve()
    if not args.against:
        parser.error("--against REV is required")
    against(args)


def serve() -> None:
    """A child of --against: for each line "N KIND", N views of KIND, answered with one JSON
    line (the handler's CPU of each view in ms, its backend's CPU over them); for "count
    KIND", one view and its queries."""
    import gc

    for name, value in (("DEBUG", "false"), ("SECRET_KEY", "bench-entry-" + "x" * 40),
                        ("SITE_URL", "https://testserver"), ("ALLOWED_HOSTS", "testserver"),
                        ("LOG_LEVEL", "WARNING")):
        os.environ.setdefault(name, value)
    setup_django(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from reflect.journal.management.commands.seed_demo import DEMO_EMAIL
    from reflect.journal.models import Entry

    call_command("migrate", verbosity=0)
    person = get_user_model().objects.filter(email=DEMO_EMAIL).first()
    if person is None:
        call_command("seed_demo", stdout=open(os.devnull, "w"))
        person = get_user_model().objects.get(email=DEMO_EMAIL)
    ids = list(Entry.objects.for_user(person).live().order_by("-written_on", "-id")
               .values_list("pk", flat=True))
    static = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES={**settings.STORAGES, **static}).enable()

    handler_cpu = timed_handler()
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(person)
    backend = backend_pid()
    place = 0

    def view(kind: str):
        nonlocal place
        if kind == "home":
            response = client.get("/home/", secure=True)
            if response.status_code != 200:
                raise SystemExit(f"/home/: {response.status_code}")
            return response
        pk = ids[0]
        if kind == "turn":
            pk, place = ids[place], (place + 1) % len(ids)
        response = client.get(f"/entries/{pk}/", secure=True)
        if response.status_code != 200:
            raise SystemExit(f"/entries/{pk}/: {response.status_code}")
        return response

    gc.collect()
    gc.freeze()  # as gunicorn's master before forking (deploy/gunicorn.conf.py)
    print(json.dumps({"ready": True, "entries": len(ids)}), flush=True)
    for line in sys.stdin:
        command, kind = line.split()[:2]
        if command == "count":
            with CaptureQueriesContext(connection) as queries:
                response = view(kind)
            print(json.dumps({"queries": len(queries.captured_queries),
                              "bytes": len(response.content)}), flush=True)
            continue
        batch(lambda kind=kind: view(kind), int(command), handler_cpu, backend)


def migrations(root: Path) -> dict[str, bytes]:
    """A tree's migration files by path."""
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.glob("reflect/*/migrations/*.py"))}


def against(args) -> None:
    """This tree's entry pages beside REV's, in turn (see the module docstring)."""
    here = Path(__file__).resolve()
    sides, roots, entries = {}, [], 0
    for name, root in (checkout(args.against, "bench-entry-"), checkout(args.new, "bench-entry-")):
        roots.append(root)
        name += " (b)" if name in sides else ""
        if migrations(root) != migrations(roots[0]):
            raise SystemExit(f"{name} has other migrations than {next(iter(sides))}: one database "
                             "cannot serve both")
        env = {**os.environ, "BENCH_DATABASE_URL": os.environ.get("BENCH_DATABASE_URL",
                                                                  DEFAULT_URL)}
        command = [sys.executable, str(here), "--serve", "--tree", str(root)]
        # Run once first to seed its database and compile the lexicon's artefact in that
        # copy, so that both sides load theirs as a deployed worker does.
        sides[name] = start(command, root, env)
    for proc in sides.values():
        entries = ready(proc)["entries"]
    names = list(sides)
    loads = []
    print(f"Conditions: the entry page of the demo account ({entries} live entries), "
          f"{args.rounds} rounds of {args.views} views per tree and kind, in turn (old/new, "
          f"new/old, ...); test client through the full middleware, DEBUG off, PostgreSQL on "
          f"this host; {cpu_model()}, {os.cpu_count()} cores")
    print(f"  command: {' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}")
    for kind in args.kinds.split(","):
        results = in_turn(sides, kind, args.rounds, args.views, args.views, loads)
        cpu = {name: r["cpu"] for name, r in results.items()}
        medians = {name: r["medians"] for name, r in results.items()}
        db = {name: r["db"] for name, r in results.items()}
        views = args.rounds * args.views
        for name in names:
            count = ask(sides[name], f"count {kind}")
            print(f"  {kind:4s} {name:10s} app CPU median {statistics.median(cpu[name]):.3f} ms, "
                  f"mean {statistics.mean(cpu[name]):.3f}; database {db[name] / views:.3f} ms "
                  f"per view; {count['queries']} queries, {count['bytes']} bytes")
        old, new = names
        wins = sum(n < o for o, n in zip(medians[old], medians[new], strict=True))
        print(f"  {kind:4s} new/old app CPU median "
              f"{statistics.median(cpu[new]) / statistics.median(cpu[old]):.3f}, database "
              f"{db[new] / db[old] if db[old] else float('nan'):.3f}; new lower in {wins}/"
              f"{args.rounds} rounds")
    print(f"  load average (1 min) {min(loads):.1f}-{max(loads):.1f} while timing")
    stop(sides, roots)


if __name__ == "__main__":
    main()
