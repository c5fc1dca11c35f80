"""deploy/gunicorn.conf.py runs the preflight in gunicorn's master (one Django start-up) and
loads the lexicon there; the workers it forks must not inherit a database connection, nor
have to walk what the master loaded in their garbage collections."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, runpy, sys
config = runpy.run_path("deploy/gunicorn.conf.py")
config["when_ready"](None)
from django.db import connections
open_ones = [c.alias for c in connections.all() if c.connection is not None]
print("OPEN", open_ones)
print("FROZEN", gc.get_freeze_count(), "TRACKED", len(gc.get_objects()))
from django.template import engines
from django.urls import get_resolver
cached = engines["django"].engine.template_loaders[0].get_template_cache
print("TEMPLATES", sorted(name for name, t in cached.items() if not isinstance(t, type)))
print("URLS", bool(get_resolver()._reverse_dict))
"""


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> str:
    """What gunicorn's master holds when it starts forking workers (when_ready has run)."""
    unset = ("DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    database = tmp_path_factory.mktemp("gunicorn") / "g.sqlite3"
    env.update(
        REFLECT_PREFLIGHT="1", DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1", SITE_URL="http://127.0.0.1", EMAIL_HOST="127.0.0.1",
        DATABASE_URL=f"sqlite:///{database}", LOG_LEVEL="WARNING",
    )
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_it_leaves_no_database_connection_open_before_forking(master: str) -> None:
    assert "OPEN []" in master, master[-500:]


def test_it_builds_the_templates_and_url_tables_before_forking(master: str) -> None:
    # Otherwise every worker compiles them on its first requests, each its own copy.
    assert "'base.html'" in master and "'journal/home.html'" in master, master[-500:]
    assert "URLS True" in master, master[-500:]


def test_it_hides_what_the_master_loaded_from_the_workers_garbage_collector(master: str) -> None:
    # Frozen objects are never walked by a collection: without the freeze, each worker's
    # first full collection walks (and copies out of shared memory) everything loaded here.
    line = next(line for line in master.splitlines() if line.startswith("FROZEN "))
    frozen, tracked = (int(x) for x in line.split()[1::2])
    assert frozen > 50_000, master[-500:]
    assert tracked < frozen / 100, master[-500:]
