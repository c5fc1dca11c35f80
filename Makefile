# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: bench-identity screenshots bench-http bench-search bench-cold bench-save fuzz run test serve worker bench-scale install migrate test-browser lint migrations-check deploy-check bench bench-journal bench-trends bench-teams bench-slow bench-journals clean

# Find Python >= 3.12: the .python-version interpreter from pyenv first, then what is on PATH.
define FIND_PYTHON
for c in "$$(pyenv root 2>/dev/null)/versions/$$(cat .python-version 2>/dev/null)/bin/python" \
         $$HOME/.pyenv/versions/3.13*/bin/python $$HOME/.pyenv/versions/3.12*/bin/python \
         python3.13 python3.12 python3; do \
  if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
    echo "$$c"; exit 0; fi; \
done; exit 1
endef
export FIND_PYTHON

$(VENV)/.installed: pyproject.toml
	@py=$$(sh -c "$$FIND_PYTHON") || { \
	  echo "Reflect needs Python 3.12 or newer (3.13 preferred, see .python-version)."; \
	  echo "None was found: install it (e.g. 'pyenv install 3.13') and run make again."; exit 1; }; \
	echo "Using $$py ($$($$py --version))"; \
	[ -x $(PY) ] || $$py -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# axe-core for the browser tests' accessibility checks (tests/package.json), pinned by its lock.
tests/node_modules/.installed: tests/package.json tests/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the browser tests that need tests/node_modules will say so (install Node.js 20+ to run them)"; fi

# The OpenID Connect provider the single sign-on tests run on 127.0.0.1 (tests/oidc/).
tests/oidc/node_modules/.installed: tests/oidc/package.json tests/oidc/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/oidc --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the browser tests that need tests/oidc/node_modules will say so (install Node.js 20+ to run them)"; fi

install: $(VENV)/.installed tests/node_modules/.installed tests/oidc/node_modules/.installed

# The framing lexicon's compiled artefact (reflect/framing/lexicon.py): checked without starting
# Django (0.1 s), compiled only when missing or stale (about 9 s on a fresh clone).
LEXICON_CURRENT = $(PY) -c 'import sys; from reflect.framing import lexicon; sys.exit(not lexicon.artefact_path().exists())'

migrate: install
	$(PY) manage.py migrate --no-input
	@$(LEXICON_CURRENT) || $(PY) manage.py compile_lexicon

# No page needs the lexicon, only the first analysis: on a fresh clone it compiles beside
# migrate and the server start instead of before them, at low priority so that they go first
# on a busy machine (on an idle one it has a core of its own). runserver's checks follow
# migrate at once, so migrate skips its own. The shell loop is runserver's reloader: Django's
# would start Django in a parent process only to run the server in a child, and restart that
# child whenever it exits with status 3 (code changed); the loop does the same without the
# extra start.
run: install
	@{ $(LEXICON_CURRENT) || nice -n 15 $(PY) manage.py compile_lexicon; } & \
	$(PY) manage.py migrate --no-input --skip-checks && \
	while RUN_MAIN=true $(PY) manage.py runserver 127.0.0.1:$(PORT); [ $$? -eq 3 ]; do :; done

# Production serving: nginx on 127.0.0.1:$(PORT) (HOST= to change) buffering for gunicorn's
# sync workers; refuses to start unless check --deploy passes (README, Serving).
serve: install
	PORT=$(PORT) deploy/serve.sh

# The task worker (README, Background work): runs queued tasks from the database, for servers
# and for TASKS_IN_PROCESS=false in development. Start as many as you like, on any machine.
worker: migrate
	TASKS_IN_PROCESS=false $(PY) manage.py db_worker --no-reload

test: install
	$(PY) -m pytest

# The request-level fuzz test alone: every URL pattern x GET/POST x hostile values, no 500.
fuzz: install
	$(PY) -m pytest tests/test_fuzz.py -q

test-browser: install
	$(PY) -m pytest -m browser

# Every page a journaler, a manager and a visitor can reach, at 1280x800 and 390x844, checked by
# axe-core and saved as PNGs in one folder, so anyone can look at the whole product in a minute.
screenshots: install
	$(PY) -m pytest tests/test_pages_browser.py -q
	@echo "Screenshots are in $(CURDIR)/tests/screenshots/"

# Dead code too (vulture); `obj`, `view_func` and friends are names Django's hooks require.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/vulture reflect bench --min-confidence 80 --exclude "reflect/*/migrations" \
	  --ignore-names "obj,view_func,view_args,view_kwargs,exc_type,exc_value,traceback"

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

deploy-check: install
	DEBUG=false SECRET_KEY=deploy-check-$$(date +%s)-not-a-real-key-but-long-enough-for-the-check \
	ALLOWED_HOSTS=reflect.example.com SITE_URL=https://reflect.example.com EMAIL_HOST=smtp.example.com \
	$(PY) manage.py check --deploy --fail-level WARNING

# Benchmarks print their figures with the conditions. The last three need PostgreSQL on
# 127.0.0.1:5432 and seed their own databases (reflect_bench*) the first time.
bench: install
	$(PY) bench/analyzer.py

# Speed work on the analyzer: this tree's output against HEAD's (BASE=REV), bit for bit.
bench-identity: install
	$(PY) bench/analyzer_identity.py --base $(or $(BASE),HEAD)

bench-save: install
	$(PY) bench/save.py

bench-journal: install
	$(PY) bench/journal.py

bench-trends: install
	$(PY) bench/trends.py

bench-worst: install
	$(PY) bench/worst_texts.py

bench-teams: install
	$(PY) bench/teams.py

# Does the trends page state a change when a journal's framing really moves, and only then?
# 24-week journals from the labelled corpus (tests/framing_journals.py), development writers
# by default; WRITERS=w10,w11,w12 for a fresh set's one claim (about a minute, SQLite).
bench-journals: install
	$(PY) -m tests.framing_journals $(if $(WRITERS),--writers $(WRITERS))

# Slow clients against make serve's stack and against bare gunicorn (about 50 s, 127.0.0.1).
bench-slow: install
	$(PY) bench/slow_clients.py

bench-scale: install
	$(PY) bench/scale.py

# Every page over HTTP (nginx + gunicorn, PostgreSQL) beside a minimal Django project's
# logged-in page (bench/ceiling), wrk interleaved, 127.0.0.1 only (about 4 minutes).
bench-http: install
	$(PY) bench/http_pages.py

# Search at ten years of daily entries, PostgreSQL and SQLite side by side.
bench-search: install
	$(PY) bench/search.py

# Cold start: import, check, gunicorn's first answer, a fresh clone's first page (about 1 min).
bench-cold: install
	$(PY) bench/cold_start.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
