"""The framing analyzer: how an entry frames the writer's own leadership.

Pure Python with no Django imports, so it can be unit-tested and benchmarked
without a database. See ``lexicons/README.md`` for how to edit the word lists.
"""

from .analyzer import (
    ANALYZER_VERSION,
    DIMENSION_LABELS,
    LEAN_PHRASES,
    LEXICON_DIGEST,
    Analysis,
    DimensionResult,
    Evidence,
    Ignored,
    analyze,
    confidence_from_counts,
    lexicon_digest,
    score_from_counts,
)
from .lexicon import DIMENSIONS

__all__ = [
    "ANALYZER_VERSION",
    "DIMENSIONS",
    "DIMENSION_LABELS",
    "LEAN_PHRASES",
    "LEXICON_DIGEST",
    "Analysis",
    "DimensionResult",
    "Evidence",
    "Ignored",
    "analyze",
    "confidence_from_counts",
    "lexicon_digest",
    "score_from_counts",
]
