"""Slow clients against the served app: 64 slow-header and 16 slow-body connections held open
while normal GETs of / and /login/ are timed; through deploy/serve.sh (nginx + gunicorn), then
against bare gunicorn with the same config. Own SQLite db, 127.0.0.1 only, about 50 s.

    make bench-slow
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASE_S = 18


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def trickle(port: int, until: float, body: bool) -> None:
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if body:
            s.sendall(b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
                      b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
        else:
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        while time.time() < until:
            s.sendall(b"a" if body else b"X-Slow: 1\r\n")
            time.sleep(2)
    except OSError:
        pass


def phase(name: str, port: int) -> bool:
    until = time.time() + PHASE_S
    for i in range(80):
        threading.Thread(target=trickle, args=(port, until, i >= 64), daemon=True).start()
    time.sleep(2)
    times, failed = [], 0
    while time.time() < until - 1:
        for path in ("/", "/login/"):
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
                conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
                response = conn.getresponse()
                response.read()
                failed += response.status != 200
            except OSError:
                failed += 1
            times.append(time.perf_counter() - started)
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000  # noqa: E731
    ok = failed == 0 and times[-1] < 1.0
    print(f"{name:>14}: n={len(times)} p50={p(0.5):.0f} ms p99={p(0.99):.0f} ms "
          f"max={times[-1] * 1000:.0f} ms failed/timed out (3 s)={failed}  "
          f"{'PASS' if ok else 'FAIL'} (every request 200 in under 1 s)")
    return ok


def main() -> int:
    tmp = Path(tempfile.mkdtemp())
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="127.0.0.1",
               DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}", EMAIL_HOST="127.0.0.1",
               EMAIL_PORT="9", SITE_URL="http://127.0.0.1")
    nginx = subprocess.run(["/usr/sbin/nginx", "-v"], capture_output=True, text=True).stderr
    gunicorn = subprocess.run([str(ROOT / ".venv/bin/gunicorn"), "--version"],
                              capture_output=True, text=True).stdout
    print(f"conditions: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, "
          f"Python {sys.version.split()[0]}, {nginx.strip()}, {gunicorn.strip()}, "
          f"WEB_CONCURRENCY={env.get('WEB_CONCURRENCY', 'default')}; 64 slow-header + 16 slow-body")
    subprocess.run([sys.executable, "deploy/preflight.py"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    verdicts = []
    for name, cmd in (
        ("nginx+gunicorn", ["deploy/serve.sh"]),
        ("bare gunicorn", [str(ROOT / ".venv/bin/gunicorn"), "reflect.wsgi", "--config",
                           "deploy/gunicorn.conf.py", "--bind"]),
    ):
        port = free_port()
        if name == "bare gunicorn":
            cmd = [*cmd, f"127.0.0.1:{port}"]
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**env, "PORT": str(port)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(4)
            verdicts.append(phase(name, port))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 0 if verdicts[0] else 1


if __name__ == "__main__":
    sys.exit(main())
