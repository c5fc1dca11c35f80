"""Cold start: how long each way of starting Reflect takes before it is useful.

    .venv/bin/python bench/cold_start.py            # about two minutes, 127.0.0.1 only

Prints, each the median of --runs fresh processes, with the machine's load beside it:

- `import reflect.framing` (the analyzer's package; its lexicon loads on first use);
- the first `analyze()` in a process (the lexicon loaded from its artefact or compiled);
- `manage.py check`;
- gunicorn's first answer: `deploy/serve.sh` (preflight, gunicorn, nginx) from its start to
  the first 200 of /login/, production settings on an SQLite file already migrated;
- a newcomer's first page: a fresh `git clone` of this repository (no database, no compiled
  lexicon), then `make run` with its install step skipped (`make -o install run`) until the
  first 200 of /; beside it, when the lexicon's artefact exists (from then on the first
  analysis reads it instead of compiling), and `manage.py migrate` of a new SQLite file
  alone. The clone uses this checkout's .venv (the install step is not timed) and its
  committed files: uncommitted changes are not measured.
"""

import argparse
import http.client
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GOALS = {"import reflect.framing": 0.3, "manage.py check": 2.0, "gunicorn's first answer": 3.0,
         "make run's first page": 10.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(cmd: list[str], cwd: Path, env: dict) -> float:
    started = time.monotonic()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def python_seconds(code: str, env: dict) -> float:
    out = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True).stdout
    return float(out.strip().splitlines()[-1])


def first_answer(cmd: list[str], cwd: Path, env: dict, port: int, path: str) -> float:
    """Seconds from starting `cmd` to its first 200 on `path`."""
    return first_answer_and(cmd, cwd, env, port, path)[0]


def first_answer_and(cmd: list[str], cwd: Path, env: dict, port: int, path: str,
                     ready: Callable[[], bool] = lambda: True) -> tuple[float, float]:
    """Seconds from starting `cmd` to its first 200 on `path`, and to `ready()` being true
    (checked while the command runs)."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    answered = was_ready = None
    try:
        while time.monotonic() - started < 120:
            if proc.poll() is not None:
                raise SystemExit(f"{cmd[0]} stopped with status {proc.returncode}")
            if was_ready is None and ready():
                was_ready = time.monotonic() - started
            if answered is None:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
                    if conn.getresponse().status == 200:
                        answered = time.monotonic() - started
                except OSError:
                    pass
            if answered is not None and was_ready is not None:
                return answered, was_ready
            time.sleep(0.05)
        raise SystemExit(f"{cmd[0]} not answering or not ready after 120 s")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from machine import cpu_model

    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    base.update(PYTHONDONTWRITEBYTECODE="1", LOG_LEVEL="WARNING")
    tmp = Path(tempfile.mkdtemp(prefix="reflect-cold-"))
    results: dict[str, list[float]] = {}
    loads: dict[str, float] = {}
    try:
        dev = {**base, "DATABASE_URL": f"sqlite:///{tmp / 'dev.sqlite3'}"}
        prod_port = free_port()
        prod = {**base, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": f"http://127.0.0.1:{prod_port}",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": "9", "PORT": str(prod_port),
                "DATABASE_URL": f"sqlite:///{tmp / 'prod.sqlite3'}"}
        subprocess.run([PY, "deploy/preflight.py"], cwd=ROOT, env=prod, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        clone = tmp / "clone"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        os.symlink(ROOT / ".venv", clone / ".venv")
        cases = {
            "import reflect.framing": lambda: python_seconds(
                "import time; t = time.perf_counter(); import reflect.framing; "
                "print(time.perf_counter() - t)", dev),
            "first analyze()": lambda: python_seconds(
                "import time; from reflect.framing import analyze; t = time.perf_counter(); "
                "analyze('I had to.'); print(time.perf_counter() - t)", dev),
            "manage.py check": lambda: timed([PY, "manage.py", "check"], ROOT, dev),
            "gunicorn's first answer": lambda: first_answer(
                ["deploy/serve.sh"], ROOT, prod, prod_port, "/login/"),
        }
        for name, run in cases.items():
            loads[name] = os.getloadavg()[0]
            results[name] = [run() for _ in range(args.runs)]
        name, lexicon, migrate = "make run's first page", "  lexicon ready", "  migrate alone"
        loads[name] = loads[lexicon] = loads[migrate] = os.getloadavg()[0]
        results[name], results[lexicon], results[migrate] = [], [], []
        artefacts = clone / "reflect" / "framing" / "__lexcache__"
        # A nested make must not inherit the flags of a `make bench-cold` around this script.
        fresh = {k: v for k, v in base.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        for _ in range(args.runs):
            alone = clone / "alone.sqlite3"
            alone.unlink(missing_ok=True)
            results[migrate].append(timed([PY, "manage.py", "migrate", "--no-input"], clone,
                                          {**fresh, "DATABASE_URL": f"sqlite:///{alone}"}))
            for leftover in clone.glob("db.sqlite3*"):
                leftover.unlink()
            shutil.rmtree(artefacts, ignore_errors=True)  # a fresh clone has no artefact
            port = free_port()
            page, ready = first_answer_and(
                ["make", "-o", "install", "run", f"PORT={port}"], clone, fresh, port, "/",
                ready=lambda: any(artefacts.glob("lexicon-*.bin")),
            )
            results[name].append(page)
            results[lexicon].append(ready)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("Conditions")
    print(f"  machine   {cpu_model()}, {os.cpu_count()} cores, Linux {platform.release()}")
    print(f"  software  Python {platform.python_version()}; median of {args.runs} fresh "
          "processes each; SQLite files in a temporary folder")
    print()
    print(f"  {'what':<26}{'median s':>9}{'min s':>7}{'goal s':>8}{'':>6}{'load':>6}")
    for name, values in results.items():
        goal = GOALS.get(name)
        mark = "" if goal is None else ("ok" if statistics.median(values) <= goal else "SLOW")
        print(f"  {name:<26}{statistics.median(values):>9.2f}{min(values):>7.2f}"
              f"{goal if goal else '':>8}{mark:>6}{loads[name]:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
