"""Imports run one way: views import models and helpers; nothing but a URLconf imports a
views module (the house habit that keeps apps from tangling)."""

import re
from pathlib import Path

from django.conf import settings

VIEWS_IMPORT = re.compile(
    r"^\s*(from\s+reflect(\.\w+)*\.views\s+import|import\s+reflect(\.\w+)*\.views"
    r"|from\s+reflect(\.\w+)*\s+import\s+(\w+,\s*)*views\b)",
    re.M,
)


def test_it_imports_views_modules_only_from_urlconfs():
    offenders = []
    for path in Path(settings.BASE_DIR, "reflect").rglob("*.py"):
        if path.name == "urls.py":
            continue
        if VIEWS_IMPORT.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []
