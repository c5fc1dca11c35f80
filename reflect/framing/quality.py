"""How well the analyzer reads each dimension, as measured on the fresh writers
(quality.json, written by tests/framing_eval.py --write and checked against the analyzer by
tests/test_framing_quality.py), and what that means for the confidence words a reader sees.
Pure: no ORM, no request."""

import json
from functools import cache
from pathlib import Path

QUALITY_FILE = Path(__file__).with_name("quality.json")
LEVELS = ("low", "medium", "high")


@cache
def measured() -> dict:
    return json.loads(QUALITY_FILE.read_text(encoding="utf-8"))


def measured_level(rho: float | None) -> int:
    """How far the reading of a dimension can be trusted at best, from its fresh-set rho
    against careful readers: 2 (high) from 0.6, 1 (medium) from 0.4, else 0 (low)."""
    if rho is None or rho < 0.4:
        return 0
    return 2 if rho >= 0.6 else 1


def cue_level(confidence: float) -> int:
    """What the entry's own cues support: 2 from 0.66, 1 from 0.33, else 0."""
    return 2 if confidence >= 0.66 else 1 if confidence >= 0.33 else 0


def confidence_word(dimension: str, confidence: float, figures: dict | None = None) -> str:
    """The confidence word for one entry's reading of a dimension: what its cues support,
    never more than the measured accuracy of that dimension allows."""
    figures = measured() if figures is None else figures
    rho = figures["dimensions"].get(dimension, {}).get("rho")
    return LEVELS[min(cue_level(confidence), measured_level(rho))]
