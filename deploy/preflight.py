"""What `deploy/serve.sh` runs before it starts serving, in one Python process.

1. `check --deploy --fail-level WARNING`: production settings or no start. Among others this
   refuses mail that is not delivered (Django's mail.E001: the console backend would print
   every password-reset link into the server log).
2. `migrate`, only if a migration is unapplied (reading the plan costs no query per app).
3. `collectstatic`, only if a static source file is newer than the manifest it wrote.

Each of these was a separate `manage.py` run of about a second on every start; the checks are
cheap next to starting Django, so one process saves the repeated start-ups.
Exit status 1 with the check's message when the settings are not fit for production.
"""

import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflect.settings")


def unapplied_migrations() -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def static_is_stale() -> bool:
    """True when the manifest is missing or older than any file the finders would collect."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for finder in get_finders():
        for path, storage in finder.list([]):
            if os.stat(storage.path(path)).st_mtime > built:
                return True
    return False


def main() -> int:
    import django
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    started = time.monotonic()
    django.setup()
    try:
        call_command("check", deploy=True, fail_level="WARNING")
    except SystemCheckError as error:
        print(f"{error}\nRefusing to serve with these settings (README, Serving).", file=sys.stderr)
        return 1
    pending = unapplied_migrations()
    if pending:
        print(f"preflight: {pending} migration(s) to apply")
        call_command("migrate", interactive=False, verbosity=1)
    if static_is_stale():
        print("preflight: static files changed, collecting")
        call_command("collectstatic", interactive=False, verbosity=0)
    from django.apps import apps

    if apps.is_installed("reflect.framing"):  # not in bench/ceiling, served the same way
        call_command("compile_lexicon")  # the analyzer's artefact: no worker compiles it
        call_command("reanalyze")  # an analyzer upgrade re-reads past entries (cheap when current)
    print(f"preflight: ready in {time.monotonic() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
