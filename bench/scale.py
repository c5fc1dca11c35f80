"""Scale: two web processes and two task workers on one PostgreSQL database of its own
(reflect_bench_scale, recreated each run), 127.0.0.1 only, bounded (about a minute).

Writes entries through both web processes (real HTTP, sessions and CSRF), runs the periodic
jobs twice each (weekly summaries, trash purge, re-analysis after a simulated analyzer
upgrade), waits for the workers, then checks nothing was duplicated or lost: every saved entry
exactly once, weekly totals equal to a recount, one summary email per manager and week (mail
files from the worker processes), every task run once by one worker.

    make bench-scale          (exit status 1 if a check fails)
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "reflect_bench_scale"
PG = "postgres://postgres@127.0.0.1:5432"
WRITERS = 12          # members writing, across 2 teams of 6 (threshold 5)
ENTRIES_EACH = 8      # per member, alternating between the two web processes
DEADLINE_S = 180      # the whole run stops, failing, past this


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, until: float) -> None:
    while time.time() < until:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listening on 127.0.0.1:{port}")


class Browser:
    """Just enough of a browser: one session cookie, the CSRF cookie and token."""

    def __init__(self, port: int, session_key: str):
        self.port = port
        self.cookies = {"sessionid": session_key}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}/write/"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text

    def save(self, body: str, day: str) -> int:
        status, page = self.request("GET", "/write/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            return status
        form = {"csrfmiddlewaretoken": token.group(1), "entry": "", "version": "0",
                "prompt": "", "written_on": day, "body": body}
        status, _ = self.request("POST", "/write/save/", form)
        return status


def main() -> int:
    started = time.time()
    until = started + DEADLINE_S
    tmp = Path(tempfile.mkdtemp(prefix="reflect-scale-"))
    mail_dir = tmp / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "scale_settings",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
        "SCALE_MAIL_DIR": str(mail_dir),
        "TASKS_IN_PROCESS": "false",
        "DEBUG": "true",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
    py = sys.executable
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB_NAME],
                   check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    subprocess.run([py, "manage.py", "migrate", "-v", "0", "--no-input"], cwd=ROOT, env=env,
                   check=True)

    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from reflect import framing
    from reflect.accounts.models import User
    from reflect.framing.models import Framing, WeeklyFraming, rebuild_weekly_totals
    from reflect.framing.tasks import stale_entries
    from reflect.journal.models import Entry
    from reflect.teams.models import ConsentReceipt, Membership, Team
    from reflect.teams.summary import last_complete_week

    # Two teams, a manager each, six consenting members each.
    writers = []
    for t in range(2):
        manager = User.objects.create_user(f"manager{t}@example.com", secrets.token_hex(8))
        team = Team.create_for(manager, f"Team {t}")
        for n in range(WRITERS // 2):
            user = User.objects.create_user(f"w{t}-{n}@example.com", secrets.token_hex(8),
                                            time_zone="Europe/London")
            Membership.objects.create(team=team, user=user)
            ConsentReceipt.objects.create(member=user, team=team, level="aggregate")
            writers.append(user)
    sessions = {}
    for user in writers:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        sessions[user.pk] = store.session_key
    # Trash: some expired (purged), some recent (kept).
    old = timezone.now() - timedelta(days=40)
    for user in writers[:3]:
        for kept in (False, True):
            e = Entry.objects.create(author=user, body="trashed", written_on=user.today())
            Entry.objects.filter(pk=e.pk).update(
                deleted_at=timezone.now() - timedelta(days=1) if kept else old)

    procs: list[subprocess.Popen] = []
    try:
        ports = [free_port(), free_port()]
        for port in ports:
            procs.append(subprocess.Popen(
                [str(Path(py).parent / "gunicorn"), "--workers", "2", "--bind",
                 f"127.0.0.1:{port}", "--log-level", "warning", "reflect.wsgi"],
                cwd=ROOT, env=env))
        for i in range(2):
            procs.append(subprocess.Popen(
                [py, "manage.py", "db_worker", "--no-reload", "--interval", "0.2",
                 "--worker-id", f"worker{i}", "-v", "0"], cwd=ROOT, env=env))
        for port in ports:
            wait_for_port(port, until)

        # Writes from both web processes at once, dated in the last complete week.
        monday = last_complete_week(timezone.now().date())
        jobs = []
        for user in writers:
            for k in range(ENTRIES_EACH):
                day = (monday + timedelta(days=k % 7)).isoformat()
                body = f"Entry {user.pk}-{k}: I decided to ask the team what if."
                jobs.append((ports[k % 2], sessions[user.pk], body, day))
        t0 = time.time()
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda j: (j[2], Browser(j[0], j[1]).save(j[2], j[3])),
                                     jobs))
        write_s = time.time() - t0
        saved = [body for body, status in statuses if status == 302]

        # A simulated analyzer upgrade: every analysis is now stale. An upgrade's analyses
        # differ in their digest too (it includes the version), so a save that finds its
        # stored digest equal keeps the row, version and all (store_analysis): clear it.
        Framing.objects.update(analyzer_version="1999.1.1", evidence_digest="")
        for _ in range(2):
            # Small re-analysis batches, so the chain of batches spreads over both workers.
            for command in (["send_team_summaries"], ["purge_trash"],
                            ["reanalyze", "--batch-size", "20"]):
                subprocess.run([py, "manage.py", *command], cwd=ROOT, env=env, check=True,
                               stdout=subprocess.DEVNULL)
        while DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists():
            if time.time() > until:
                raise SystemExit("tasks still queued at the deadline")
            time.sleep(0.3)
        tasks_s = time.time() - t0 - write_s
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()

    checks = {}
    bodies = Counter(Entry.objects.exclude(body="trashed").values_list("body", flat=True))
    checks["every write answered 302"] = len(saved) == len(jobs)
    checks["every saved entry stored exactly once"] = (
        set(bodies) == set(saved) and set(bodies.values()) == {1})
    before = list(WeeklyFraming.objects.order_by("author_id", "week").values_list(
        "author_id", "week", "entries", "words"))
    rebuild_weekly_totals()
    after = list(WeeklyFraming.objects.order_by("author_id", "week").values_list(
        "author_id", "week", "entries", "words"))
    checks["weekly totals equal a recount"] = before == after and sum(r[2] for r in after) == len(
        saved)
    messages = []
    for f in mail_dir.iterdir():
        messages += re.findall(r"^To: (.+)$", f.read_text(), re.M)
    checks["one summary email per manager and week"] = sorted(messages) == [
        "manager0@example.com", "manager1@example.com"]
    checks["expired trash purged, recent kept"] = (
        Entry.objects.filter(body="trashed").count() == 3)
    checks["nothing left to reanalyse"] = (
        not stale_entries().exists()
        and set(Framing.objects.values_list("analyzer_version", flat=True))
        == {framing.ANALYZER_VERSION})
    results = list(DBTaskResult.objects.values_list("status", "worker_ids", "task_path"))
    checks["every task succeeded, claimed by one worker"] = all(
        s == "SUCCESSFUL" and len(w) == 1 for s, w, _ in results)
    by_worker = Counter(w[0] for _, w, _ in results if w)
    by_task = Counter(p.rsplit(".", 1)[-1] for _, _, p in results)

    print(f"scale: 2 gunicorn web processes (2 sync workers each), 2 db_worker processes, "
          f"PostgreSQL {DB_NAME}, {os.cpu_count()} cores")
    print(f"  {len(jobs)} writes by {len(writers)} people in {write_s:.1f} s "
          f"({len(saved)} saved); periodic jobs run twice; tasks drained in {tasks_s:.1f} s")
    print(f"  tasks: {dict(by_task)}; by worker: {dict(by_worker)}; "
          f"mail: {len(messages)} messages")
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    print(f"  total {time.time() - started:.1f} s")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
