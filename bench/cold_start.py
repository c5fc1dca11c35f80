"""Cold start: how long each way of starting Reflect takes before it is useful.

    .venv/bin/python bench/cold_start.py            # about a minute, 127.0.0.1 only

Prints, each the median of --runs fresh processes, with the machine's load beside it:

- `import reflect.framing` (the analyzer's package; its lexicon loads on first use);
- the first `analyze()` in a process (the lexicon loaded from its artefact or compiled);
- `manage.py check`;
- gunicorn's first answer: `deploy/serve.sh` (preflight, gunicorn, nginx) from its start to
  the first 200 of /login/, production settings on an SQLite file already migrated;
- a newcomer's first page: a fresh `git clone` of this repository, then what `make run` runs
  after its install step (`manage.py migrate` of a new SQLite file, then `runserver`) until
  the first 200 of /. The clone uses this checkout's .venv (the install step is not timed).
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
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while time.monotonic() - started < 120:
            if proc.poll() is not None:
                raise SystemExit(f"{cmd[0]} stopped with status {proc.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
                if conn.getresponse().status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"no answer from {cmd[0]} after 120 s")
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
        name = "make run's first page"
        loads[name] = loads["  of which migrate"] = os.getloadavg()[0]
        results[name], results["  of which migrate"] = [], []
        for _ in range(args.runs):
            (clone / "db.sqlite3").unlink(missing_ok=True)
            port = free_port()
            fresh = {**base, "PORT": str(port)}
            migrate = timed([PY, "manage.py", "migrate", "--no-input"], clone, fresh)
            results["  of which migrate"].append(migrate)
            results[name].append(migrate + first_answer(
                [PY, "manage.py", "runserver", f"127.0.0.1:{port}"], clone, fresh, port, "/",
            ))
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
