"""ANALYZER_VERSION follows what decides the analyzer's behaviour, by itself.

It is a digest of the data files (``lexicons/*.txt`` and ``rules.toml``) and of the modules
that apply them, so an edit to a lexicon never touches Python, and no change can be stored
under an old version by forgetting a bump: entries analysed by another version are re-read by
``manage.py reanalyze`` (enqueued after every migrate and by the deploy preflight). Cheap to
import: it reads about a hundred kilobytes and compiles nothing. A refactor that keeps the
behaviour (tests/test_framing_golden.py) still changes the version: re-reading every entry
costs about a millisecond each, and a wrong "same" would cost more.
"""

import hashlib
from pathlib import Path

from .lexicon import compute_digest

# The stored column is 32 characters; "a" + 16 hex digits leaves room.
_CODE = tuple(
    Path(__file__).with_name(name)
    for name in ("analyzer.py", "learned.py", "lexicon.py", "scoring.py")
)


def analyzer_version() -> str:
    sha = hashlib.sha256(compute_digest().encode())
    for path in _CODE:
        sha.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return "a" + sha.hexdigest()[:16]


ANALYZER_VERSION = analyzer_version()
