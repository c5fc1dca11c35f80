"""Starting a process (manage.py, a worker, a test subprocess) must not compile the lexicon:
only analysing an entry does. Checked in a fresh interpreter, as a process starts."""

import subprocess
import sys

from django.conf import settings

PROBE = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "reflect.settings"
import django
django.setup()
from django.urls import resolve
resolve("/trends/")                     # every URLconf and view module imported
import reflect.framing
reflect.framing.score_from_counts("tone", 1.0, 0.0, 10)
reflect.framing.DIMENSION_LABELS["tone"]
print("analyzer" if "reflect.framing.analyzer" in sys.modules else "lean")
reflect.framing.analyze("I chose to lead.")
print("analyzer" if "reflect.framing.analyzer" in sys.modules else "lean")
"""


def test_it_starts_without_compiling_the_lexicon_until_an_entry_is_analysed():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=settings.BASE_DIR,
        check=True,
    )
    assert result.stdout.split() == ["lean", "analyzer"]


# The first analysis reads the compiled lexicon from its artefact instead of compiling it:
# recorded as work done (the size of every regex parsed), not as a time.
FIRST_ANALYSIS = """
import re._parser as parser
sizes = []
parse = parser.parse
def recording(source, *args, **kwargs):
    sizes.append(len(source))
    return parse(source, *args, **kwargs)
parser.parse = recording
import reflect.framing
reflect.framing.analyze("Short shift today. I ran the handover anyway.")
print(max(sizes), len(sizes))
"""


def test_it_analyses_first_from_the_artefact_without_compiling_the_lexicon():
    from reflect.framing import lexicon
    from reflect.framing.analyzer import _LEX  # noqa: F401  (writes the artefact if missing)

    assert lexicon.artefact_path().exists()
    result = subprocess.run(
        [sys.executable, "-c", FIRST_ANALYSIS], capture_output=True, text=True,
        cwd=settings.BASE_DIR, check=True,
    )
    largest, count = map(int, result.stdout.split())
    # The combined lexicon regex is about a million characters; the rules' own regexes
    # (negations, speakers…) are small and compiled at import of the analyzer.
    assert largest < 20_000
    assert count < 80


def test_it_keeps_the_artefact_equal_to_what_the_data_files_compile_to():
    import marshal

    from reflect.framing import lexicon

    on_disk = marshal.loads(lexicon.artefact_path().read_bytes())
    assert on_disk == marshal.loads(lexicon.dump(lexicon.build()))


def test_it_names_the_artefact_after_the_data_files(monkeypatch):
    from reflect.framing import lexicon

    current = lexicon.artefact_path()
    monkeypatch.setattr(lexicon, "compute_digest", lambda: "an edited lexicon")
    assert lexicon.artefact_path() != current  # a stale artefact is never read


def test_it_compiles_the_artefact_ahead_with_a_command(monkeypatch, tmp_path):
    import io

    from django.core.management import call_command

    from reflect.framing import lexicon

    monkeypatch.setattr(lexicon, "ARTEFACT_DIR", tmp_path)
    out = io.StringIO()
    call_command("compile_lexicon", stdout=out)
    assert "Compiled the lexicon" in out.getvalue()
    assert lexicon.undump(lexicon.artefact_path().read_bytes()).digest == lexicon.compute_digest()
    call_command("compile_lexicon", stdout=out)
    assert "is current" in out.getvalue()
