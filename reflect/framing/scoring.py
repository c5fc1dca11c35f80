"""Scores and confidences from summed cue weights: what trends and team summaries compute on
SQL sums. Reads only the [scoring] numbers of rules.toml, so it imports without the lexicon.
"""

import math
import tomllib
from functools import cache

from .lexicon import DIMENSIONS, LEXICON_DIR


@cache
def _scoring() -> dict:
    rules = tomllib.loads((LEXICON_DIR / "rules.toml").read_text(encoding="utf-8"))
    return rules["scoring"]


@cache
def _c() -> dict[str, float]:
    """Each dimension's ``c``: rules.toml's, times the learned layer's scale for it. The layer
    (learned.py) rescales its weights so that a passage's total is on the rules' scale of about
    one per cue (trends' statistics count cues); the same factor on ``c`` keeps every score what
    the fitted model says."""
    from .learned import layer  # reads one TOML file; compiles nothing

    fitted = layer()
    return {
        dim: rules_c(dim) * (fitted[dim].c_factor if dim in fitted else 1.0)
        for dim in DIMENSIONS
    }


def rules_c(dimension: str) -> float:
    """The dimension's ``c`` in rules.toml [scoring]."""
    scoring = _scoring()
    if dimension == "ripple":
        return scoring["c_ripple"]
    return scoring["c_by_dimension"].get(dimension, scoring["c_bipolar"])


def score_from_counts(
    dimension: str, positive: float, negative: float, words: int, c: float | None = None
) -> float | None:
    """Turn summed cue weights into a score; the trends page calls this on SQL sums.

    Bipolar dimensions: ``(a·pos - b·neg) / (a·pos + b·neg + c)``, with each pole's factor
    (a, b) from rules.toml [scoring.pole_factors] (1 when not listed). It depends only on the
    cue sums, so pooling a week's entries (summing their cues) gives the same
    answer as scoring one long entry; ``c`` makes one cue a moderate lean
    (1 / (1 + c)) and many agreeing cues approach ±1, while mixed cues cancel.
    It deliberately does not divide by word count: a long entry with one "had
    to" still frames that one thing as obligation, and dividing would make long
    writing look neutral.

    ``ripple`` is one-sided (0..1): ``pos / (pos + neg + c)``, saturating. Cues
    against ripple ("kept it to myself") pull it toward 0 but never below.

    ``None`` when no cue fired: "not mentioned" is not a neutral 0. The one
    exception is ripple over a long enough text (``ripple_zero_min_words``):
    having written at length without reaching beyond one's own work is itself
    the low end of a one-sided scale.
    """
    total = positive + negative
    if dimension == "ripple":
        if total <= 0:
            min_words = _scoring()["ripple_zero_min_words"]
            if min_words and words >= min_words:
                return 0.0
            return None
        return round(positive / (total + (_c()[dimension] if c is None else c)), 4)
    if total <= 0:
        return None
    c = _c()[dimension] if c is None else c
    factors = _scoring().get("pole_factors", {}).get(dimension)
    if factors:
        positive, negative = positive * factors[0], negative * factors[1]
    return round((positive - negative) / (positive + negative + c), 4)


def confidence_from_counts(dimension: str, positive: float, negative: float, words: int) -> float:
    """How much the score can be trusted: more cue weight, agreement and words."""
    total = positive + negative
    if total <= 0:
        return 0.0 if dimension != "ripple" else (0.3 if words >= 60 else 0.0)
    strength = 1.0 - math.exp(-total / 1.5)
    agreement = 0.5 + 0.5 * abs(positive - negative) / total
    length = min(1.0, math.sqrt(max(words, 1) / 40.0))
    return round(strength * agreement * length, 3)
