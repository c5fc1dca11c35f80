"""deploy/gunicorn.conf.py runs the preflight in gunicorn's master (one Django start-up) and
loads the lexicon there; the workers it forks must not inherit a database connection."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import runpy, sys
config = runpy.run_path("deploy/gunicorn.conf.py")
config["when_ready"](None)
from django.db import connections
open_ones = [c.alias for c in connections.all() if c.connection is not None]
print("OPEN", open_ones)
"""


def test_it_leaves_no_database_connection_open_before_forking(tmp_path: Path) -> None:
    unset = ("DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        REFLECT_PREFLIGHT="1", DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1", SITE_URL="http://127.0.0.1", EMAIL_HOST="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'g.sqlite3'}", LOG_LEVEL="WARNING",
    )
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "OPEN []" in done.stdout, done.stdout[-500:]
