"""make serve's deploy/serve.sh: slow clients do not stall it, it listens on 127.0.0.1 only,
and it refuses production settings that fail check --deploy (console mail)."""

import http.client
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)

if NGINX is None:
    if os.getenv("CI") == "true" or os.getenv("REQUIRE_BROWSER") == "1":
        pytest.fail("nginx is required here (apt-get install nginx)", pytrace=False)
    pytest.skip("nginx not installed: the serving tests are SKIPPED", allow_module_level=True)


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT="9",
        WEB_CONCURRENCY="2",
        **extra,
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    port = free_port()
    proc = subprocess.Popen(
        ["deploy/serve.sh"], cwd=ROOT, env=production_env(tmp_path, PORT=str(port)),
        stdout=subprocess.DEVNULL, stderr=(tmp_path / "serve.err").open("w"),
    )
    try:
        for _ in range(300):
            try:
                if get(port, "/") == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, (tmp_path / "serve.err").read_text()
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path, headers={"X-Forwarded-Proto": "https"})
    status = conn.getresponse().status
    conn.close()
    return status


def test_it_answers_while_slow_clients_trickle_their_headers(served: int) -> None:
    slow = []
    for _ in range(16):
        s = socket.create_connection(("127.0.0.1", served), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        slow.append(s)
    try:
        for _ in range(3):
            time.sleep(1)
            for s in slow:
                s.sendall(b"X-Slow: 1\r\n")
            # A stalled server (bare sync gunicorn with 2 workers) times out here.
            assert get(served, "/") == 200
            assert get(served, "/login/") == 200
    finally:
        for s in slow:
            s.close()


def test_it_listens_on_loopback_only(served: int) -> None:
    # This machine's own non-loopback address (the one a route out would use; nothing is sent).
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))
        address = probe.getsockname()[0]
    if address.startswith("127."):
        pytest.skip("no non-loopback address on this machine to probe")
    with pytest.raises(OSError):
        socket.create_connection((address, served), timeout=2).close()
    assert get(served, "/") == 200


def test_it_refuses_to_serve_with_console_mail(tmp_path: Path) -> None:
    env = production_env(tmp_path, PORT=str(free_port()))
    env.pop("EMAIL_HOST")
    done = subprocess.run(["deploy/serve.sh"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    assert "mail.E001" in done.stderr + done.stdout
