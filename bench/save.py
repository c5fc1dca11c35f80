"""Benchmark saving one entry, its analysis and its weekly totals (issue 14: at most 10 ms of
server time for a 300-word entry). One command: `make bench-save`.

Times `write_from_editor` (what the editor's Save calls) on PostgreSQL, in process, after a
warm-up: wall time, this process's CPU time (the app's share), its PostgreSQL backend's CPU
time (when the server runs on this host) and the round trips of one save. Seeds its own
database (reflect_bench_save).
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from machine import cpu_model, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reflect_bench_save"
BODY = (
    "I had to stay late again because the rota was decided for us, but then I chose to ask "
    "the other team what if we shared the handover. We talked about why the ward exists. "
) * 9


def backend_cpu(pid: int) -> float | None:
    """CPU seconds used so far by one PostgreSQL backend, when it runs on this host."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=60)
    args = parser.parse_args()
    setup_django(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
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


if __name__ == "__main__":
    main()
