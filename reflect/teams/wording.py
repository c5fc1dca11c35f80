"""Team figures in words, for managers: the one wording the summary page and the weekly email
share. Each figure says where it sits on its scale (the poles from the dimension registry),
whether that is towards the article's idea, and how it changed since the previous period.
Words describe how a team framed its writing, never how good anyone is.
"""

from dataclasses import dataclass

from reflect.framing.dimensions import REGISTRY, Dimension

MINUS = "\u2212"
# Below this (either way) a bipolar figure is balanced; from CLEAR on it leans clearly. The
# entry panel's lean_sentence uses the same two steps.
BALANCED, CLEAR = 0.2, 0.6
# A change smaller than this is "about the same": week-to-week noise, not movement.
SAME = 0.05


def number(dimension: Dimension, value: float) -> str:
    """+0.31, −0.18 (a true minus sign), or 0.35 on a one-sided scale."""
    if dimension.one_sided:
        return f"{value:.2f}"
    return f"+{value:.2f}" if value >= 0.005 else (
        f"{MINUS}{abs(value):.2f}" if value <= -0.005 else "0.00"
    )


def scale(dimension: Dimension) -> str:
    low, high = dimension.poles
    if dimension.one_sided:
        return f"on a scale from 0 = no {high} to 1 = {high}"
    return f"on a scale from {MINUS}1 = {low} to +1 = {high}"


def ends(dimension: Dimension) -> tuple[str, str]:
    """The scale's ends for a column heading: ("−1 task", "+1 vision")."""
    low, high = dimension.poles
    if dimension.one_sided:
        return "0 none", f"1 {high}"
    return f"{MINUS}1 {low}", f"+1 {high}"


def _lean(dimension: Dimension, value: float) -> tuple[str, int]:
    """The lean in words and its direction: +1 towards the high pole, -1 the low, 0 neither."""
    low, high = dimension.poles
    if dimension.one_sided:
        if value < BALANCED:
            return f"little {high}", 0
        return (f"strong {high}" if value >= CLEAR else f"some {high}"), 1
    if abs(value) < BALANCED:
        return f"balanced between {low} and {high}", 0
    pole, side = (high, 1) if value > 0 else (low, -1)
    return ("leaned clearly towards " if abs(value) >= CLEAR else "leaned towards ") + pole, side


def _towards(dimension: Dimension, side: int) -> str:
    """The article's idea is each scale's high end; feelings have no side to be on."""
    if dimension.is_feeling or side == 0:
        return ""
    return ", the article's idea" if side > 0 else ", away from the article's idea"


def change(dimension: Dimension, value: float | None, previous: float | None,
           previous_label: str, previous_shown: bool = True) -> str:
    """The change since the previous period, in words ("" when there is no figure now)."""
    if value is None:
        return ""
    if not previous_shown:
        return f"No change is given: {previous_label} are withheld."
    if previous is None:
        return f"No figure for {previous_label} to compare with."
    delta = value - previous
    if abs(delta) < SAME:
        return f"About the same as {previous_label}."
    direction = "Up" if delta > 0 else "Down"
    if dimension.is_feeling:
        towards = "lighter" if delta > 0 else "heavier"
    else:
        towards = "towards the article's idea" if delta > 0 else "away from the article's idea"
    return f"{direction} {abs(delta):.2f} since {previous_label}: {towards}."


@dataclass(frozen=True)
class Reading:
    """One dimension of one figure, in words."""

    key: str
    name: str
    value: float | None
    number: str  # "+0.31", "—" when nothing was mentioned
    short: str  # for a table cell: "+0.31 vision", "−0.05 balanced"
    lean: str  # "leaned towards vision, the article's idea (+0.31 on a scale from −1 …)"
    change: str  # "Up 0.12 since the previous 4 weeks: towards the article's idea."
    idea: str  # the article's idea behind the scale

    @property
    def sentence(self) -> str:
        text = f"{self.name}: {self.lean}."
        return f"{text} {self.change}" if self.change else text


def short(key: str, value: float | None) -> str:
    """A figure for a table cell: "+0.31 vision", "−0.05 balanced", "0.35", "—"."""
    if value is None:
        return "—"
    dimension = REGISTRY[key]
    shown = number(dimension, value)
    if dimension.one_sided:
        return shown
    if abs(value) < BALANCED:
        return f"{shown} balanced"
    return f"{shown} {dimension.poles[value > 0]}"


def read(key: str, value: float | None, previous: float | None = None,
         previous_label: str = "", previous_shown: bool = True) -> Reading:
    """One figure of one dimension in words: the one function behind page and email."""
    dimension = REGISTRY[key]
    if value is None:
        return Reading(key=key, name=dimension.name, value=None, number="—", short="—",
                       lean="not mentioned in what was written", change="",
                       idea=dimension.idea)
    lean, side = _lean(dimension, value)
    shown = number(dimension, value)
    return Reading(
        key=key, name=dimension.name, value=value, number=shown, short=short(key, value),
        lean=f"{lean}{_towards(dimension, side)} ({shown} {scale(dimension)})",
        change=change(dimension, value, previous, previous_label, previous_shown)
        if previous_label else "",
        idea=dimension.idea,
    )


def readings(scores: dict[str, float | None] | None,
             previous: dict[str, float | None] | None = None, previous_label: str = "",
             previous_shown: bool = True) -> list[Reading]:
    """Every dimension of a figure, in the registry's order."""
    scores = scores or {}
    before = previous or {}
    return [
        read(key, scores.get(key), before.get(key), previous_label, previous_shown)
        for key in REGISTRY
    ]
