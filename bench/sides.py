"""What the --against benches share (bench/save.py, bench/teams.py, bench/entry_page.py): a
fresh copy of a revision, two child processes (one per tree) asked in turn over stdin/stdout,
and inside a child the request handler's CPU per request and its PostgreSQL backend's CPU."""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TREE = Path(__file__).resolve().parent.parent


def checkout(rev: str | None, prefix: str) -> tuple[str, Path]:
    """A fresh copy of `rev` in a temporary directory named from `prefix` (None: this working
    tree's files as they are now), and its name; the caller removes it."""
    if rev is None:
        name, files = "this tree", subprocess.run(
            ["git", "ls-files", "-z"], cwd=TREE, check=True, capture_output=True).stdout
        archive = subprocess.run(["tar", "--null", "-T", "-", "-c"], input=files, cwd=TREE,
                                 check=True, capture_output=True).stdout
    else:
        name = subprocess.run(["git", "rev-parse", "--short", rev], cwd=TREE, check=True,
                              capture_output=True, text=True).stdout.strip()
        archive = subprocess.run(["git", "archive", name], cwd=TREE, check=True,
                                 capture_output=True).stdout
    root = Path(tempfile.mkdtemp(prefix=f"{prefix}{name.replace(' ', '-')}-"))
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    return name, root


def start(command: list[str], root: Path, env: dict | None = None, prepare: bool = True):
    """A child serving one tree. With `prepare`, the command runs once to the end first
    (seeding its database, compiling the lexicon's artefact in that copy), so that the child
    loads what a deployed worker loads."""
    if prepare:
        subprocess.run(command, input="", text=True, env=env, cwd=root, check=True,
                       stdout=subprocess.DEVNULL)
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=env, cwd=root)


def ask(proc, line: str) -> dict:
    """Send one line to a child and read its one JSON line of answer."""
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    answer = proc.stdout.readline()
    if not answer:
        raise SystemExit(f"a bench process stopped (asked {line!r})")
    return json.loads(answer)


def ready(proc) -> dict:
    """The child's first line, which says it is ready (and what it serves)."""
    first = json.loads(proc.stdout.readline() or "{}")
    if not first.get("ready"):
        raise SystemExit("a bench process did not start")
    return first


def in_turn(sides: dict, what: str, rounds: int, count: int, warm_up: int, loads: list) -> dict:
    """`count` requests of `what` by each side in turn (old/new, then new/old, ...) for
    `rounds` rounds, after `warm_up` each; per side: every request's handler CPU ("cpu"), each
    round's median ("medians"), the backend's CPU over them all ("db", ms) and the requests
    made ("n"). The load average after each batch goes to `loads`."""
    names = list(sides)
    results = {name: {"cpu": [], "medians": [], "db": 0.0, "n": 0} for name in names}
    for name in names:
        ask(sides[name], f"{warm_up} {what}")
    for round_ in range(rounds):
        for name in (names if round_ % 2 == 0 else names[::-1]):
            answer = ask(sides[name], f"{count} {what}")
            result = results[name]
            result["cpu"] += answer["cpu"]
            result["medians"].append(statistics.median(answer["cpu"]))
            result["db"] += answer["db"] or 0.0
            result["n"] += count
            loads.append(os.getloadavg()[0])
    return results


def stop(sides: dict, roots: list[Path]) -> None:
    """End the children and remove the trees' copies."""
    for proc in sides.values():
        proc.stdin.close()
        proc.wait()
    for root in roots:
        shutil.rmtree(root, ignore_errors=True)


def schedstat_ms(pid: int) -> float | None:
    """CPU time used so far by a process on this host, in ms (nanosecond resolution)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        return None


def timed_handler() -> list[float]:
    """In a child: the test client's handler timed from now on; each request's CPU in ms is
    appended to the list returned (the caller clears it between batches)."""
    import django.test.client

    handler_cpu: list[float] = []
    handle = django.test.client.ClientHandler.__call__

    def timed(handler, environ):
        begin = time.process_time()
        try:
            return handle(handler, environ)
        finally:
            handler_cpu.append((time.process_time() - begin) * 1000)

    django.test.client.ClientHandler.__call__ = timed
    return handler_cpu


def backend_pid() -> int:
    """The PostgreSQL backend serving this process's default connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def batch(run, count: int, handler_cpu: list[float], backend: int | None) -> None:
    """In a child: `run()` `count` times, answered with one JSON line: the handler's CPU of
    each, and the backend's CPU over them."""
    handler_cpu.clear()
    before = schedstat_ms(backend) if backend else None
    for _ in range(count):
        run()
    after = schedstat_ms(backend) if backend else None
    db = after - before if before is not None and after is not None else None
    print(json.dumps({"cpu": handler_cpu, "db": db}), flush=True)


if __name__ == "__main__":
    sys.exit("a module of bench/save.py, bench/teams.py and bench/entry_page.py")
