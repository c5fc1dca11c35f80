"""Every page over HTTP as `make serve` serves it, beside the stack's ceiling, in one run.

    make bench-http                                   # about 4 minutes
    .venv/bin/python bench/http_pages.py --seconds 3 --rounds 1 --pages home,search

Two sites are started with deploy/serve.sh (nginx in front of gunicorn, deploy/gunicorn.conf.py,
DEBUG=false, production settings), both on PostgreSQL at 127.0.0.1:5432, both on 127.0.0.1:

- Reflect on `reflect_bench_http` (created, migrated and seeded the first time:
  `seed_demo`, whose demo account has a year of entries and manages the demo team, and
  `seed_demo --users 50 --days 365` around it), logged in as the demo account;
- the ceiling, `bench/ceiling/` on `reflect_bench_ceiling`: a minimal Django project with
  Reflect's middleware, context processors and database settings and one logged-in page that
  loads the session and the user and runs one query. No logged-in page of Reflect can be
  faster than it on this stack.

For each page, wrk (Debian's; installed with apt-get if missing) runs against the ceiling and
the page in turn, ceiling, page, ceiling, page (--rounds pairs), each --seconds long with
--connections connections. Printed per page: requests per second, p50 and p99 latency, the
ratio to the ceiling's requests per second in the runs beside it (the figure that matters on
a shared machine), the CPU time of the app's gunicorn workers and of its PostgreSQL backends
per request (from /proc, over the same runs), the HTML size, non-2xx/3xx answers, and the
1-minute load average before the page's runs. Autosave and save POST a 300-word entry whose
text changes on every request (a real save with its analysis each time).
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
REFLECT_DB = "postgres://postgres@127.0.0.1:5432/reflect_bench_http"
CEILING_DB = "postgres://postgres@127.0.0.1:5432/reflect_bench_ceiling"
# Fixed writing sessions: the entries autosave and save write into are made once, reused.
# Autosave: a published entry (written in one editor page) edited in another editor page, as
# when someone reopens an entry; each autosave changes the text, so each is analysed.
AUTOSAVE_SESSION = "6f1c2a52-6d0e-4a4e-9d0a-0c0ffee00001"
AUTOSAVE_EDITOR = "6f1c2a52-6d0e-4a4e-9d0a-0c0ffee00003"
SAVE_SESSION = "6f1c2a52-6d0e-4a4e-9d0a-0c0ffee00002"
WRITERS = 8
CSRF = "benchCSRFsecret0123456789abcdefX"  # 32 characters: Django's unmasked secret length
TARGET = {"autosave POST": 0.50, "save POST": 0.50}


# Preparing each site (run in a subprocess under that site's settings) ---------------------


def _session_for(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(60 * 60 * 6)
    store.save()
    return store.session_key


def prepare_reflect() -> dict:
    from uuid import UUID, uuid5

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from reflect.journal.management.commands.seed_demo import DEMO_EMAIL
    from reflect.journal.models import Entry, create_entry
    from reflect.lib.owner import owner_key
    from reflect.teams.models import Team

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        call_command("seed_demo", stdout=open(os.devnull, "w"))
        call_command("seed_demo", users=50, days=365, stdout=open(os.devnull, "w"))
        user = get_user_model().objects.get(email=DEMO_EMAIL)
    live = Entry.objects.for_user(user).live()
    words = []
    for body in live.order_by("pk").values_list("body", flat=True):
        words.extend(body.split())
        if len(words) >= 300:
            break
    text = " ".join(words[:300])
    # Autosave and save: WRITERS people at once, each editing their own entries (one person's
    # saves queue behind each other by design: reflect.framing.models.lock_authors).
    writers = {"autosave": [], "save": []}
    people = get_user_model().objects.filter(email__startswith="bench-").order_by("email")
    for person in people[:WRITERS]:
        for name, session, editor in (("autosave", AUTOSAVE_SESSION, AUTOSAVE_EDITOR),
                                      ("save", SAVE_SESSION, SAVE_SESSION)):
            created = uuid5(UUID(session), str(person.pk))
            entry = Entry.objects.filter(author=person, created_in_session=created).first()
            if entry is None:
                entry = create_entry(author=person, body=text, written_on=person.today(),
                                     prompt=None, draft=False, session=created)
            writers[name].append({
                "cookie": f"sessionid={_session_for(person)}; csrftoken={CSRF}",
                "entry": entry.pk, "version": entry.version, "prompt": "",
                "written_on": entry.written_on.isoformat(),
                "writing_session": str(uuid5(UUID(editor), str(person.pk))),
                "owner": owner_key(person.pk),
            })
    shown = live
    team = Team.objects.managed_by(user).order_by("pk").first()
    # For the pages asked for something else on every request: each of the demo's entries,
    # and each word of its texts (four letters or more, in the order first written).
    entry_ids = list(live.order_by("-written_on", "-id").values_list("pk", flat=True))
    search_words = list(dict.fromkeys(
        w.lower() for w in re.findall(r"[A-Za-z]{4,}", " ".join(live.order_by("pk").values_list(
            "body", flat=True)[:200]))
    ))[:300]
    return {
        "session": _session_for(user),
        "owner": owner_key(user.pk),
        "entry": shown.order_by("-written_on", "-id").first().pk,
        "team": team.pk,
        "entry_ids": entry_ids,
        "search_words": search_words,
        "text": text,
        "writers": writers,
        "entries": Entry.objects.count(),
        "users": get_user_model().objects.count(),
        "own_entries": live.count(),
    }


def prepare_ceiling() -> dict:
    from datetime import date, timedelta

    from ceiling.models import Note, User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    user, created = User.objects.get_or_create(username="ceiling")
    if created:
        Note.objects.bulk_create(
            Note(author=user, text=f"Note {i}", written_on=date(2026, 1, 1) + timedelta(days=i))
            for i in range(365)
        )
    return {"session": _session_for(user)}


def prepare_main(which: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    data = prepare_reflect() if which == "reflect" else prepare_ceiling()
    # The planner's statistics, as autovacuum keeps them on a production server (this
    # machine's PostgreSQL runs without it: a table never analysed is planned as one row).
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print("PREPARED " + json.dumps(data))


# The sites ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_env(which: str, port: int) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DEBUG="false", SECRET_KEY=f"bench-{secrets.token_urlsafe(40)}", ALLOWED_HOSTS="127.0.0.1",
        EMAIL_HOST="127.0.0.1", EMAIL_PORT="9", LOG_LEVEL="WARNING", PORT=str(port),
        HOST="127.0.0.1", PYTHONDONTWRITEBYTECODE="1", SITE_URL="http://127.0.0.1",
    )
    if which == "reflect":
        env.update(DATABASE_URL=REFLECT_DB, DJANGO_SETTINGS_MODULE="reflect.settings")
    else:
        env.update(
            DATABASE_URL=CEILING_DB, DJANGO_SETTINGS_MODULE="ceiling.settings",
            WSGI_APP="ceiling.wsgi", PYTHONPATH=str(ROOT / "bench" / "ceiling"),
        )
    return env


def prepare(which: str, env: dict) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from machine import ensure_database

    ensure_database(env["DATABASE_URL"])
    done = subprocess.run([PY, __file__, "--prepare", which], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"preparing {which} failed:\n{done.stderr[-3000:]}")
    out = done.stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("PREPARED "))
    return json.loads(line.removeprefix("PREPARED "))


def start(env: dict, log: Path) -> subprocess.Popen:
    """deploy/serve.sh in its own process group; its messages go to `log` (a pipe left
    unread would fill and stall the server)."""
    proc = subprocess.Popen(["deploy/serve.sh"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=log.open("w"), start_new_session=True)
    proc.log = log
    return proc


def fetch(port: int, path: str, cookie: str) -> tuple[int, int]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    response = conn.getresponse()
    return response.status, len(response.read())


def wait_until_up(proc: subprocess.Popen, port: int, cookie: str, path: str) -> float:
    started = time.monotonic()
    # The first start of a checkout may compile the analyzer's lexicon (the preflight).
    while time.monotonic() - started < 600:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.log.read_text()[-2000:]}")
        try:
            status, _ = fetch(port, path, cookie)
            if status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"no answer on {port} after 600 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# CPU from /proc ----------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))):
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            found.append(child)
            todo.append(child)
    return found


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each process that still exists."""
    found = {}
    for pid in pids:
        if fields := _stat(pid):
            found[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return found


def cpu_used(before: dict[int, float], pids: list[int]) -> float:
    """CPU seconds these processes used since `before` (a process born since counts whole)."""
    return sum(now - before.get(pid, 0.0) for pid, now in cpu_by_pid(pids).items())


def gunicorn_pids(proc: subprocess.Popen) -> list[int]:
    pids = []
    for pid in descendants(proc.pid):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"gunicorn" in cmd:
            pids.append(pid)
    return pids


def backend_pids(database: str) -> list[int]:
    import psycopg

    with psycopg.connect(REFLECT_DB.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s",
                            [database]).fetchall()
    return [row[0] for row in rows]


# wrk ---------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing Debian's package (apt-get install wrk)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=True)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


# Each wrk thread numbered (tid), so that threads start from different places in a list.
LUA_THREADS = r"""
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  tid = tid or 0
end
"""

LUA_POST = LUA_THREADS + r"""
local forms = {%(forms)s}
local cookies = {%(cookies)s}
request = function()
  counter = counter + 1
  local k = (tid * 5 + counter) %% #forms + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Cookie"] = cookies[k]
  local body = forms[k] .. "&body=" .. [==[%(text)s]==] .. "+r" .. tid .. "n" .. counter
  return wrk.format("POST", "%(path)s", headers, body)
end
"""


def post_script(workdir: Path, name: str, path: str, writers: list[dict], text: str) -> Path:
    """A wrk script cycling through the writers, each request with new text."""
    def lua(value: str) -> str:
        return "[==[" + value + "]==]"

    forms = [urllib.parse.urlencode({k: v for k, v in w.items() if k != "cookie"})
             for w in writers]
    script = workdir / f"{name.split()[0]}.lua"
    script.write_text(LUA_POST % {
        "forms": ", ".join(map(lua, forms)),
        "cookies": ", ".join(lua(w["cookie"]) for w in writers),
        "text": urllib.parse.quote_plus(text), "path": path,
    })
    return script


LUA_GET = LUA_THREADS + r"""
local paths = {%(paths)s}
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(tid * 7919 + counter) %% #paths + 1])
end
"""


def get_script(workdir: Path, name: str, paths: list[str]) -> Path:
    """A wrk script asking for each of `paths` in turn (per thread, from its own place)."""
    script = workdir / f"{name.split()[0]}-in-turn.lua"
    script.write_text(LUA_GET % {"paths": ", ".join(f'"{path}"' for path in paths)})
    return script


def post_setup(workdir: Path, name: str, path: str, writers: list[dict], r: dict,
               origin: str) -> tuple[list[str], Path]:
    headers = ["X-Forwarded-Proto: https", f"X-CSRFToken: {CSRF}", f"Origin: {origin}",
               "HX-Request: true", "Content-Type: application/x-www-form-urlencoded"]
    return headers, post_script(workdir, name, path, writers, r["text"])


def warm_up(wrk: str, port: int, path: str, headers: list[str], script: Path, workers: int):
    """POST until every worker answers quickly (at most a minute)."""
    settings = argparse.Namespace(threads=1, connections=workers, seconds=3)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            run = run_wrk(wrk, port, path, headers, settings, script, timeout=30)
        except SystemExit:  # no request finished in this run yet
            continue
        if run["requests"] >= 4 * workers and run["p99"] < 1000:
            return


def parse_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(wrk: str, port: int, path: str, headers: list[str], args, script: Path | None,
            timeout: int = 10):
    cmd = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
           "--timeout", f"{timeout}s"]
    for header in headers:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", str(script)]
    done = subprocess.run([*cmd, f"http://127.0.0.1:{port}{path}"], capture_output=True,
                          text=True)
    out = done.stdout
    if done.returncode or "Requests/sec" not in out:
        raise SystemExit(f"wrk failed on {path}:\n{out}\n{done.stderr}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if "99" not in latency:
        raise SystemExit(f"wrk gave no latency distribution on {path}:\n{out}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)$", out, re.M)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": parse_ms(latency["50"]),
        "p99": parse_ms(latency["99"]),
        "bad": int(bad.group(1)) if bad else 0,
        "errors": errors.group(1) if errors else "",
    }


# Main --------------------------------------------------------------------------------------


def pages(r: dict) -> list[tuple[str, str, list | dict | None]]:
    """(name, path, the writers for a POST, the paths asked for in turn, or None) for every
    page of issue 14's table. The entry page and search are also asked for another entry or
    word on every request ("in turn"): what a page keeps per process (reflect.lib.kept) is
    then rarely asked for again, as when a person reads back through their journal."""
    return [
        ("home", "/home/", None),
        ("journal list", "/journal/", None),
        ("entry page", f"/entries/{r['entry']}/", None),
        ("entry page, each in turn", "/entries/",
         {"paths": [f"/entries/{pk}/" for pk in r["entry_ids"]]}),
        ("search (common word)", "/search/?q=team", None),
        ("search, words in turn", "/search/",
         {"paths": [f"/search/?q={word}" for word in r["search_words"]]}),
        ("calendar", "/calendar/", None),
        ("trends (default)", "/trends/", None),
        ("trends month/everything", "/trends/?unit=month&range=all", None),
        ("team summary (manager)", f"/teams/{r['team']}/summary/", None),
        ("autosave POST", "/write/autosave/", r["writers"]["autosave"]),
        ("save POST", "/write/save/", r["writers"]["save"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prepare", choices=["reflect", "ceiling"], help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=int, default=5, help="each wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=2, help="ceiling/page pairs per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pages", default="", help="comma-separated start of page names")
    args = parser.parse_args()
    if args.prepare:
        prepare_main(args.prepare)
        return 0
    if not 1 <= args.seconds <= 60 or not 1 <= args.rounds <= 5:
        parser.error("--seconds 1..60 and --rounds 1..5 keep a run bounded")

    wrk = ensure_wrk()
    ports = {"reflect": free_port(), "ceiling": free_port()}
    envs = {which: site_env(which, port) for which, port in ports.items()}
    print("Preparing the databases (the first run seeds Reflect's: a few minutes)…", flush=True)
    data = {which: prepare(which, env) for which, env in envs.items()}
    procs = {}
    workdir = Path(tempfile.mkdtemp(prefix="reflect-bench-http-"))
    try:
        cookies = {}
        for which in ("ceiling", "reflect"):
            cookies[which] = f"sessionid={data[which]['session']}; csrftoken={CSRF}"
            procs[which] = start(envs[which], workdir / f"{which}.log")
            first = "/page/" if which == "ceiling" else "/home/"
            up = wait_until_up(procs[which], ports[which], cookies[which], first)
            print(f"  {which}: first answer {up:.1f} s after deploy/serve.sh started", flush=True)
        r = data["reflect"]
        selected = [p for p in pages(r) if not args.pages
                    or any(p[0].startswith(s.strip()) for s in args.pages.split(","))]
        ceiling_headers = [f"Cookie: {cookies['ceiling']}", "X-Forwarded-Proto: https"]
        origin = f"https://127.0.0.1:{ports['reflect']}"
        # Every worker booted (the first answer may come from the first one), then their pids.
        expected = int(os.getenv("WEB_CONCURRENCY") or 2 * os.cpu_count() + 1) + 1
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(
            len(gunicorn_pids(procs[w])) < expected for w in procs
        ):
            time.sleep(0.2)
        gunicorn = {w: gunicorn_pids(procs[w]) for w in procs}
        workers = len(gunicorn["reflect"]) - 1
        # Warm up both: every worker opens its database connection and fills what it keeps
        # per process on its first requests of a page (and the analyzer may load its lexicon:
        # a save may take seconds then), which is not what a page costs. A second of wrk per
        # page, with at least as many connections as workers, reaches every worker; one fetch
        # reached one of them, and the others paid in the page's first measured run.
        brief = argparse.Namespace(threads=1, connections=max(args.connections, workers),
                                   seconds=1)
        reflect_headers = [f"Cookie: {cookies['reflect']}", "X-Forwarded-Proto: https"]
        for name, path, fields in selected:
            if fields is None:
                run_wrk(wrk, ports["reflect"], path, reflect_headers, brief, None)
            elif isinstance(fields, dict):
                run_wrk(wrk, ports["reflect"], path, reflect_headers, brief,
                        get_script(workdir, name, fields["paths"]))
        run_wrk(wrk, ports["ceiling"], "/page/", ceiling_headers, args, None)
        for name, path, fields in selected:
            if isinstance(fields, list):
                headers, script = post_setup(workdir, name, path, fields, r, origin)
                warm_up(wrk, ports["reflect"], path, headers, script, workers)

        rows = []
        for name, path, fields in selected:
            headers = [f"Cookie: {cookies['reflect']}", "X-Forwarded-Proto: https"]
            script = None
            size = "–"
            if fields is None:
                status, length = fetch(ports["reflect"], path, cookies["reflect"])
                size = f"{length / 1024:.1f} KB" + ("" if status == 200 else f" (HTTP {status})")
            elif isinstance(fields, dict):
                script = get_script(workdir, name, fields["paths"])
                status, length = fetch(ports["reflect"], fields["paths"][0], cookies["reflect"])
                size = f"{length / 1024:.1f} KB" + ("" if status == 200 else f" (HTTP {status})")
            else:
                headers, script = post_setup(workdir, name, path, fields, r, origin)
            load = os.getloadavg()[0]
            ceiling_runs, page_runs = [], []
            app_cpu = db_cpu = 0.0
            for _ in range(args.rounds):
                ceiling_runs.append(run_wrk(wrk, ports["ceiling"], "/page/", ceiling_headers,
                                            args, None))
                app_before = cpu_by_pid(gunicorn["reflect"])
                db_before = cpu_by_pid(backend_pids("reflect_bench_http"))
                page_runs.append(run_wrk(wrk, ports["reflect"], path, headers, args, script))
                app_cpu += cpu_used(app_before, gunicorn["reflect"])
                db_cpu += cpu_used(db_before, backend_pids("reflect_bench_http"))
            rps = sum(x["rps"] for x in page_runs) / len(page_runs)
            ceiling = sum(x["rps"] for x in ceiling_runs) / len(ceiling_runs)
            n = sum(x["requests"] for x in page_runs)
            row = {
                "page": name, "rps": rps, "ceiling": ceiling, "ratio": rps / ceiling,
                "p50": max(x["p50"] for x in page_runs), "p99": max(x["p99"] for x in page_runs),
                "app_ms": 1000 * app_cpu / max(n, 1), "db_ms": 1000 * db_cpu / max(n, 1),
                "html": size, "bad": sum(x["bad"] for x in page_runs),
                "errors": "; ".join(x["errors"] for x in page_runs if x["errors"]), "load": load,
            }
            rows.append(row)
            print(f"  measured {name}: {rps:.0f} req/s, ceiling {ceiling:.0f}", flush=True)

        # The ceiling's own CPU per request, for scale.
        before = cpu_by_pid(gunicorn["ceiling"])
        db_before = cpu_by_pid(backend_pids("reflect_bench_ceiling"))
        ceiling_run = run_wrk(wrk, ports["ceiling"], "/page/", ceiling_headers, args, None)
        ceiling_ms = 1000 * cpu_used(before, gunicorn["ceiling"]) / ceiling_run["requests"]
        ceiling_db_ms = (1000 * cpu_used(db_before, backend_pids("reflect_bench_ceiling"))
                         / ceiling_run["requests"])
        # A worker restarted mid-run (killed by the timeout) would leave its CPU uncounted.
        restarted = {w: sorted(set(gunicorn_pids(procs[w])) ^ set(gunicorn[w])) for w in procs}
        for which, pids in restarted.items():
            if pids:  # say why, from the server's own log
                lines = procs[which].log.read_text().splitlines()
                print(f"  {which}'s log, last lines:", *lines[-12:], sep="\n    ")
        status, ceiling_html = fetch(ports["ceiling"], "/page/", cookies["ceiling"])
        if status != 200:
            raise SystemExit(f"the ceiling answered HTTP {status} at the end: not comparable")
    finally:
        for proc in procs.values():
            stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)

    print_report(rows, r, args, wrk, workers, (ceiling_ms, ceiling_db_ms), ceiling_html)
    if any(restarted.values()):
        print(f"  !! gunicorn processes changed during the run: {restarted}")
    return 0


def versions(wrk: str) -> str:
    import django

    nginx = subprocess.run(["/usr/sbin/nginx", "-v"], capture_output=True, text=True).stderr
    gunicorn = subprocess.run([str(ROOT / ".venv/bin/gunicorn"), "--version"],
                              capture_output=True, text=True).stdout
    wrk_version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split()[:2]
    import psycopg

    with psycopg.connect(REFLECT_DB, autocommit=True) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return (f"Python {platform.python_version()}, Django {django.get_version()}, "
            f"{gunicorn.strip()}, {nginx.strip().removeprefix('nginx version: ')}, "
            f"PostgreSQL {pg}, {' '.join(wrk_version)}")


def print_report(rows, r, args, wrk, workers, ceiling_cpu, ceiling_html) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from machine import cpu_model

    print()
    print("Conditions")
    print(f"  machine   {cpu_model()}, {os.cpu_count()} cores, Linux {platform.release()}, "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    print(f"  software  {versions(wrk)}")
    print(f"  serving   deploy/serve.sh for both (nginx -> gunicorn, {workers} sync workers, "
          "DEBUG=false), PostgreSQL on the same host, 127.0.0.1")
    print(f"  data      reflect_bench_http: {r['users']} users, {r['entries']:,} entries; the "
          f"demo account has {r['own_entries']} live entries and manages the demo team")
    print(f"  load      wrk -t{args.threads} -c{args.connections}, {args.seconds} s per run, "
          f"ceiling/page x {args.rounds} per page, logged in, on the same 2 cores")
    print(f"  ceiling   bench/ceiling (session + user + one query): {ceiling_cpu[0]:.1f} ms app "
          f"CPU and {ceiling_cpu[1]:.1f} ms DB CPU per request, {ceiling_html / 1024:.1f} KB")
    print()
    head = (f"  {'page':<25}{'req/s':>7}{'ceiling':>8}{'ratio':>7}{'goal':>6}{'p50 ms':>8}"
            f"{'p99 ms':>8}{'app CPU':>9}{'DB CPU':>8}{'HTML':>10}{'load':>6}")
    print(head)
    print("  " + "-" * (len(head) - 2))
    for row in rows:
        goal = TARGET.get(row["page"], 0.70)
        mark = "ok" if row["ratio"] >= goal else "LOW"
        print(f"  {row['page']:<25}{row['rps']:>7.0f}{row['ceiling']:>8.0f}{row['ratio']:>7.2f}"
              f"{mark:>6}{row['p50']:>8.1f}{row['p99']:>8.1f}{row['app_ms']:>7.1f}ms"
              f"{row['db_ms']:>6.1f}ms{row['html']:>10}{row['load']:>6.2f}")
        if row["bad"] or row["errors"]:
            print(f"    !! {row['bad']} answers not 2xx/3xx {row['errors']}")
    print()
    print("  req/s, ratio: means over the runs; p50/p99: the worse of the runs; CPU: per request, "
          "the app's gunicorn processes and its PostgreSQL backends over the page's runs.")


if __name__ == "__main__":
    sys.exit(main())
