"""gunicorn settings for `deploy/serve.sh` (behind nginx) and for the bare comparison in
`bench/slow_clients.py`. The bind address comes from the command line.

Sync workers: each request holds one process, which is right for this app (CPU-bound
rendering and analysis, short PostgreSQL queries) as long as nothing slow reaches a worker.
nginx in front guarantees that: it reads every request completely and takes every response
at once, so a worker never waits on a client's network. Without it, one slow client holds
one worker; WEB_CONCURRENCY slow clients hold the site (see README, Serving).
"""

import gc
import multiprocessing
import os
import sys
from pathlib import Path

# deploy/serve.sh: the preflight (check --deploy, migrate and collectstatic when needed) runs
# here, in the master, before the app is loaded, so that serving starts with one Django
# start-up instead of two and WhiteNoise finds freshly collected files.
if os.getenv("REFLECT_PREFLIGHT") == "1":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import preflight

    if status := preflight.main():
        sys.exit(status)
    # Workers are forked from this process: none may inherit its database connection (two
    # processes on one connection read each other's results).
    from django.db import connections

    connections.close_all()

# 2 x cores + 1 (gunicorn's rule): while one worker waits on PostgreSQL (same host, a few
# milliseconds per query) another can use the core; more only adds memory and contention.
workers = int(os.getenv("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
# A request that runs longer than this is killed; keep the database statement timeout below
# it, so a slow query is cancelled (and answered) before its worker is.
timeout = 30
graceful_timeout = 10
# Load the app before forking: a broken setting stops the start at once, and the workers
# share the imported code's memory.
preload_app = True


def load_pages_code() -> None:
    """What every worker otherwise builds on its first requests, each its own copy (about
    15-20 ms of CPU per worker for the home page): the URL resolver's tables and the project's
    templates, compiled and kept by Django's cached loader (DEBUG off)."""
    from django.template import TemplateSyntaxError, engines
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018  (builds the table that reverse() reads)
    for engine in engines.all():
        for folder in getattr(getattr(engine, "engine", None), "dirs", []):
            for path in sorted(Path(folder).rglob("*")):
                if not path.is_file() or path.name.startswith("."):
                    continue
                # One that does not compile fails on its own page, as before, not the start.
                try:
                    engine.get_template(path.relative_to(folder).as_posix())
                except (TemplateSyntaxError, UnicodeDecodeError) as error:
                    print(f"gunicorn.conf: not preloaded: {path}: {error}", file=sys.stderr)


def when_ready(server):
    """Load the framing analyzer's lexicon once, in the master, before any worker is forked:
    otherwise every worker loads it on its first save (each holding its own copy), and that
    save waits for it. The same for the URL tables and the templates (load_pages_code). Runs
    after the socket is bound; requests queue until a worker starts."""
    from django.apps import apps

    if apps.is_installed("reflect.framing"):
        from reflect.framing import analyze

        analyze("Warm up.")
    load_pages_code()
    from django.db import connections

    connections.close_all()  # nothing opened here may reach a forked worker
    # Everything loaded so far (Django, the app, the lexicon, the templates) lives as long as
    # the workers: move it out of the garbage collector's sight. Otherwise each worker's first
    # full collection walks all of it (about 100 ms of CPU, and every page it touches is copied
    # out of the memory the workers share), and each later one again.
    gc.collect()
    gc.freeze()

# nginx writes the access log; gunicorn reports errors only.
accesslog = None
errorlog = "-"
loglevel = os.getenv("LOG_LEVEL", "info").lower()
# The unix socket itself is open to all (nginx's workers run as another user when serve.sh
# runs as root); the private directory around it is what guards it (see serve.sh).
umask = 0o000
# gunicorn 27's control socket lives at one path per user (~/.gunicorn/gunicorn.ctl): two
# instances (serve and a benchmark) would fight over it, and nothing here uses it.
control_socket_disable = True
