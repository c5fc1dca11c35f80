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
