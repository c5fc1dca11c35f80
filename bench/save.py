"""Benchmark saving one entry, its analysis and its weekly totals (issue 14: at most 10 ms of
server time for a 300-word entry). One command: `make bench-save`.

Times `write_from_editor` (what the editor's Save calls) on PostgreSQL, in process, after a
warm-up: wall time, this process's CPU time (the app's share), its PostgreSQL backend's CPU
time (when the server runs on this host) and the round trips of one save. Seeds its own
database (reflect_bench_save).

    .venv/bin/python bench/save.py --requests [--profile DIR]

times whole requests instead: an autosave and a Save POST as `make bench-http` sends them
(form-encoded, CSRF header and cookie, htmx header, a 300-word text that changes every
request, a signed-in person), through Django's full middleware with DEBUG off, in process
(Django's test client; the CPU is the handler's, not the client's). --profile writes a
cProfile of 20 requests of each kind to DIR/autosave.prof and DIR/save.prof.

The text changes by a word that is no cue at its end, as make bench-http sends it: the
evidence stays as it was and a save keeps it (reflect.framing.models.analysis_digest).
--moving changes the length of its first word instead, so that every item of evidence moves
and each request writes the evidence again, as when someone types early in an entry.
--change picks among these and more: "end" (the default: a word that is no cue at its end),
"moving" (as --moving), "cue" (a new cue at its end every request: the cues, evidence and weeks
are written), "same" (the same text: nothing analysed), "words" (one to three words that are no
cue at its end: the evidence stays, the words and the week's totals move, as when someone types
on at the end of an entry). As gunicorn's master does
(deploy/gunicorn.conf.py), what is loaded before the first request is frozen out of the
garbage collector's sight (gc.freeze), so that collections walk only what requests make.
BENCH_DATABASE_URL=sqlite:////tmp/bench-save.sqlite3 runs --requests on SQLite instead (its
work is then in the handler's CPU; no database column).

    .venv/bin/python bench/save.py --against HEAD~1 [--rounds 8] [--saves 40] [--change end]

times the requests of that revision (git archive into a temporary directory) beside this
working tree's (a copy of its files; --new REV2: that revision's instead), as on a shared
machine only a side-by-side comparison can: two processes, one
per tree, each with its own database (reflect_bench_save_a, _b), posting the same requests in
turn, --saves of one kind at a time, old then new then new then old..., --rounds times per
kind. Printed per kind and tree: the median of the handler's CPU per request, the CPU its
PostgreSQL backend used per request (from /proc/PID/schedstat, in nanoseconds: summed over
the rounds), and the round trips of one request (BEGIN and COMMIT included).
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--tree" in sys.argv:  # a child of --against: that tree's code (this script's bench helpers)
    ROOT = Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()
    os.chdir(ROOT)
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
from machine import backend_cpu, cpu_model, setup_django  # noqa: E402
from sides import ask, batch, checkout, in_turn, ready, start, stop, timed_handler  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reflect_bench_save"
BODY = (
    "I had to stay late again because the rota was decided for us, but then I chose to ask "
    "the other team what if we shared the handover. We talked about why the ward exists. "
) * 9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=60)
    parser.add_argument("--requests", action="store_true",
                        help="time autosave and Save requests through the middleware")
    parser.add_argument("--profile", type=Path, help="with --requests: write cProfiles here")
    parser.add_argument("--moving", action="store_true",
                        help="with --requests: every request moves every item of evidence")
    parser.add_argument("--change", choices=("end", "moving", "cue", "same", "words"), default=None,
                        help="with --requests: how the text changes between requests")
    parser.add_argument("--kinds", default="autosave,save",
                        help="with --requests: which requests to time (comma-separated)")
    parser.add_argument("--against", metavar="REV",
                        help="time REV's requests beside this tree's, in turn (see above)")
    parser.add_argument("--prompt", action="store_true",
                        help="with --requests: the entries answer a prompt (the page sends it)")
    parser.add_argument("--new", metavar="REV",
                        help="with --against: that revision instead of this working tree")
    parser.add_argument("--rounds", type=int, default=8, help="with --against")
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.change = args.change or ("moving" if args.moving else "end")
    if args.against:
        return against(args)
    if args.serve:
        args.requests = True
    if args.requests:
        # As production runs: DEBUG off (no query log), its settings' required values.
        for name, value in (("DEBUG", "false"), ("SECRET_KEY", "bench-save-" + "x" * 40),
                            ("SITE_URL", "https://testserver"), ("ALLOWED_HOSTS", "testserver")):
            os.environ.setdefault(name, value)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if url.startswith("sqlite"):  # --requests only: e.g. sqlite:////tmp/bench-save.sqlite3
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflect.settings")
        import django

        django.setup()
    else:
        setup_django(url)
    if args.requests:
        return time_requests(args)
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reflect.accounts.models import User
    from reflect.framing import analyze
    from reflect.journal.models import Entry, write_from_editor

    call_command("migrate", verbosity=0)
    person, _ = User.objects.get_or_create(email="bench-save@example.com",
                                           defaults={"display_name": "Bench"})
    analyze(BODY)  # the lexicon compiles on first use: not part of a save

    def save(i: int) -> None:
        entry = Entry.objects.filter(author=person).first()
        write_from_editor(
            author=person, entry=entry, session=None, body=f"{BODY} {i}",
            written_on=person.today(), prompt=None,
            base_version=entry.version if entry else 0, autosave=False,
        )

    save(0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    walls, cpus, loads = [], [], []
    db_before = backend_cpu(backend)
    for i in range(1, args.saves + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        save(i)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        loads.append(os.getloadavg()[0])
    db_after = backend_cpu(backend)
    with CaptureQueriesContext(connection) as queries:
        save(args.saves + 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]

    print("Conditions")
    print(f"  database   {server}, local TCP")
    print(f"  entry      {len(BODY.split())} words, edited in place {args.saves} times")
    print(f"  machine    {cpu_model()}, {os.cpu_count()} cores, "
          f"load average (1 min) {min(loads):.1f}-{max(loads):.1f} while timing")
    print(f"  software   Python {platform.python_version()}, Django {django.get_version()}")
    print("  method     write_from_editor in process after a warm-up; CPU = this process only")
    print()
    print(f"  save wall   median {statistics.median(walls):.1f} ms, "
          f"p90 {sorted(walls)[int(len(walls) * 0.9)]:.1f} ms")
    print(f"  save CPU    median {statistics.median(cpus):.1f} ms (goal: at most 10 ms)")
    if db_before is not None and db_after is not None:
        print(f"  database    {(db_after - db_before) * 1000 / args.saves:.1f} ms of its backend's "
              "CPU per save (mean, from /proc: PostgreSQL on this host)")
    print(f"  queries     {len(queries.captured_queries)} per save (round trips)")


def time_requests(args) -> None:
    """Autosave and Save POSTs through the whole middleware, as make bench-http sends them."""
    import cProfile
    import gc
    import urllib.parse
    from uuid import uuid4

    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from reflect.accounts.models import User
    from reflect.framing import analyze
    from reflect.journal.models import create_entry
    from reflect.lib.owner import owner_key

    call_command("migrate", verbosity=0)
    person, _ = User.objects.get_or_create(email="bench-save@example.com",
                                           defaults={"display_name": "Bench"})
    text = " ".join(BODY.split()[:300])
    analyze(text)  # the lexicon compiles on first use: not part of a request

    handler_cpu = timed_handler()
    csrf = "benchCSRFsecret0123456789abcdefX"
    client = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https",
                    HTTP_X_CSRFTOKEN=csrf, HTTP_ORIGIN="https://testserver",
                    HTTP_HX_REQUEST="true")
    client.force_login(person)
    client.cookies["csrftoken"] = csrf
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_backend_pid(), version()")
            backend, server = cursor.fetchone()
        else:  # SQLite: in this process (its CPU is the handler's)
            cursor.execute("SELECT 'SQLite ' || sqlite_version()")
            backend, server = 0, cursor.fetchone()[0]
    counter = 0
    rows = []
    posters = {}
    prompt = None
    if args.prompt:  # as someone answering today's prompt
        from reflect.journal.models import Prompt

        prompt = Prompt.objects.filter(is_active=True).exclude(source="team").order_by("pk").first()
    for kind in args.kinds.split(","):
        # As bench/http_pages.py: a published entry; autosave edits it from another editor
        # page, Save from the page that wrote it.
        created = uuid4()
        entry = create_entry(author=person, body=text, written_on=person.today(), prompt=prompt,
                             draft=False, session=created)
        form = urllib.parse.urlencode({
            "entry": entry.pk, "version": entry.version, "prompt": prompt.pk if prompt else "",
            "written_on": entry.written_on.isoformat(), "owner": owner_key(person.pk),
            "writing_session": str(uuid4() if kind == "autosave" else created),
        })

        def post(kind=kind, form=form):
            nonlocal counter
            counter += 1
            if args.change == "moving":  # a first word 1-5 letters long: every span moves
                body = f"{form}&body={'r' * (counter % 5 + 1)}+{urllib.parse.quote_plus(text)}"
            elif args.change == "cue":  # another cue at the end every request
                cue = ("I+chose+to", "I+had+to")[counter % 2]
                body = f"{form}&body={urllib.parse.quote_plus(text)}+{cue}+r{counter}"
            elif args.change == "same":  # the text as stored: nothing to analyse
                body = f"{form}&body={urllib.parse.quote_plus(text)}"
            elif args.change == "words":  # 1-3 more words: the words and the week move
                body = f"{form}&body={urllib.parse.quote_plus(text)}" + "+r" * (counter % 3 + 1)
            else:
                body = f"{form}&body={urllib.parse.quote_plus(text)}+r{counter}"
            response = client.post(f"/write/{kind}/", body, secure=True,
                                   content_type="application/x-www-form-urlencoded")
            client.cookies.pop("messages", None)  # wrk sends none back either
            if response.status_code not in (200, 302):
                raise SystemExit(f"{kind}: {response.status_code} {response.content[:300]!r}")
            return response

        posters[kind] = post
    gc.collect()
    gc.freeze()  # as gunicorn's master before forking (see the docstring)
    if args.serve:
        return serve(posters, handler_cpu, backend if connection.vendor == "postgresql" else 0)
    for kind, post in posters.items():
        for _ in range(5):
            post()
        handler_cpu.clear()
        loads = []
        db_before = backend_cpu(backend)
        for _ in range(args.saves):
            post()
            loads.append(os.getloadavg()[0])
        db_after = backend_cpu(backend)
        cpus = list(handler_cpu)
        with CaptureQueriesContext(connection) as queries:
            response = post()
        db = (db_after - db_before) * 1000 / args.saves if db_before is not None else None
        rows.append((kind, cpus, db, len(queries.captured_queries), len(response.content),
                     min(loads), max(loads)))
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
            profile = cProfile.Profile(time.process_time)  # CPU, not wall
            profile.enable()
            for _ in range(20):
                post()
            profile.disable()
            profile.dump_stats(args.profile / f"{kind}.prof")

    print("Conditions")
    print(f"  database   {server.split(' on ')[0]}, local TCP")
    change = {"moving": "its first word's length (every item of evidence moves)",
              "cue": "a new cue at its end (cues, evidence and weeks written)",
              "same": "nothing (the same text: no analysis)",
              "words": "1-3 words that are no cue at its end (words and weeks move)",
              "end": "a word that is no cue at its end"}[args.change]
    print(f"  requests   {args.saves} of each kind after 5 to warm up, {len(text.split())} "
          f"words, changed every request by {change}, form-encoded as make bench-http posts "
          "them")
    print(f"  machine    {cpu_model()}, {os.cpu_count()} cores, load average (1 min) "
          f"{min(r[5] for r in rows):.1f}-{max(r[6] for r in rows):.1f} while timing")
    print(f"  software   Python {platform.python_version()}, Django {django.get_version()}, "
          "DEBUG off")
    print("  method     Django's test client through the full middleware, in process; CPU = "
          "the request handler's")
    print()
    for kind, cpus, db, count, size, _, _ in rows:
        database = f", database {db:.1f} ms" if db is not None else ""
        print(f"  {kind:9s} CPU median {statistics.median(cpus):.1f} ms, mean "
              f"{statistics.mean(cpus):.1f} ms{database} per request; {count} queries, "
              f"{size} bytes answered")


def serve(posters: dict, handler_cpu: list, backend: int) -> None:
    """A child of --against: for each line "KIND N" on stdin, post N requests of KIND and
    answer one JSON line (the handler's CPU of each, its PostgreSQL backend's CPU over them);
    for "count KIND", post one and answer with its queries."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command, kind = line.split()[:2]
        if command == "count":
            with CaptureQueriesContext(connection) as queries:
                posters[kind]()
            print(json.dumps({"queries": [q["sql"][:60] for q in queries.captured_queries]}),
                  flush=True)
            continue
        batch(posters[kind], int(command), handler_cpu, backend)


def against(args) -> None:
    """This tree's requests beside REV's, in turn (see the module docstring)."""

    here = Path(__file__).resolve()
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    sides, roots = {}, []
    for (name, root), suffix in ((checkout(args.against, "bench-save-"), "_a"),
                                  (checkout(args.new, "bench-save-"), "_b")):
        roots.append(root)
        name += " (b)" if name in sides else ""
        env = {**os.environ, "BENCH_DATABASE_URL": base + suffix}
        command = [sys.executable, str(here), "--serve", "--tree", str(root), "--kinds",
                   args.kinds, "--change", args.change, *(["--prompt"] if args.prompt else [])]
        # Run once first to compile the lexicon's artefact (written in that copy), so that
        # both sides load theirs as a deployed worker does: one compiled in the process ran at
        # another speed than one loaded.
        sides[name] = start(command, root, env)
    for proc in sides.values():
        ready(proc)
    names = list(sides)
    loads = []
    print(f"Conditions: {args.kinds} requests{' answering a prompt' if args.prompt else ''}, "
          f"text changed by --change {args.change}, "
          f"{args.rounds} rounds of {args.saves} requests per tree and kind, in turn "
          f"(old/new, new/old, ...); DEBUG off; {cpu_model()}, {os.cpu_count()} cores")
    for kind in args.kinds.split(","):
        results = in_turn(sides, kind, args.rounds, args.saves, 10, loads)
        for name in names:
            r = results[name]
            trips = ask(sides[name], f"count {kind}")["queries"]
            print(f"  {kind:9s} {name:10s} app CPU median {statistics.median(r['cpu']):.3f} ms, "
                  f"mean {statistics.mean(r['cpu']):.3f}; database {r['db'] / r['n']:.3f} ms "
                  f"per request; {len(trips)} queries: {' | '.join(q[:18] for q in trips)}")
    print(f"  load average (1 min) {min(loads):.1f}-{max(loads):.1f} while timing")
    stop(sides, roots)


if __name__ == "__main__":
    main()
