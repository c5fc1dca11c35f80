"""The framing analyzer: how an entry frames the writer's own leadership.

Pure Python with no Django imports, so it can be unit-tested and benchmarked
without a database. See ``lexicons/README.md`` for how to edit the word lists.

Importing this package is cheap: what pages need (dimension keys and labels, scores from
summed cue weights, the version) comes from small modules, and the analyzer, whose lexicon
takes seconds to compile (a tenth of a second to read from its artefact, see lexicon.py), is
imported on first use of one of its names (`analyze`, `Analysis`…). So `django.setup()`,
every `manage.py` command and every worker start skip that cost until an entry is analysed.
"""

from importlib import import_module

from .dimensions import DIMENSION_LABELS, LEAN_PHRASES
from .lexicon import DIMENSIONS
from .scoring import confidence_from_counts, score_from_counts
from .version import ANALYZER_VERSION

_FROM_ANALYZER = frozenset({
    "Analysis",
    "DimensionResult",
    "Evidence",
    "Ignored",
    "analyze",
})


def __getattr__(name: str):
    if name in _FROM_ANALYZER:
        value = getattr(import_module(".analyzer", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ANALYZER_VERSION",
    "DIMENSIONS",
    "DIMENSION_LABELS",
    "LEAN_PHRASES",
    "confidence_from_counts",
    "score_from_counts",
    *sorted(_FROM_ANALYZER),
]
