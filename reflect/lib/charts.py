"""Geometry for the server-drawn SVG trend charts: Python computes, the template draws.

In the manner of the SVG badges of healthchecks, every coordinate, path and tick
is computed here by pure functions, so the template is only markup
(``<path d="{{ chart.path_d }}">``, a loop over ``chart.dots``) and the geometry
can be unit-tested without a browser or a database.

Conventions:

* SVG's y axis grows downward, so a larger value gets a *smaller* y.
* Values outside ``y_min..y_max`` are clamped to the edge (and flagged on dots).
* Coordinates are rounded to one decimal place, which is invisible on screen and
  keeps the markup compact.
* A missing value (None or NaN) breaks a line: the path starts a new ``M``
  segment after it rather than drawing through a period we know nothing about.
  An isolated point becomes a zero-length segment (``M x y h0``), which SVG
  renders as a dot when ``stroke-linecap="round"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

__all__ = [
    "Dot",
    "LineChart",
    "Padding",
    "Point",
    "XTick",
    "YTick",
    "line_chart",
    "sparkline",
]


@dataclass(frozen=True)
class Point:
    """One period of a series, as the trends view hands it to the chart.

    ``x`` is the period's index on the time axis (consecutive periods have
    consecutive indices; a missing index is a gap). ``value`` is the pooled
    score, ``low``/``high`` its uncertainty band, ``smoothed`` the smoothed line.
    An insufficient point is drawn faint; ``title`` is its hover text (say why).
    """

    label: str
    x: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    smoothed: float | None = None
    sufficient: bool = True
    href: str | None = None
    title: str = ""


@dataclass(frozen=True)
class Padding:
    """Room around the plot area for the axis labels (left: y ticks, bottom: x ticks)."""

    top: float = 8
    right: float = 8
    bottom: float = 18
    left: float = 26


@dataclass(frozen=True)
class Dot:
    """A point's marker: a circle, faint when the period had too little writing."""

    cx: float
    cy: float
    r: float
    faint: bool
    href: str | None
    title: str
    label: str
    value: float
    clipped: bool  # the value lay outside the axis range and was clamped
    low_y: float | None  # ends of the point's own interval, for an error bar
    high_y: float | None


@dataclass(frozen=True)
class YTick:
    value: float
    y: float
    label: str


@dataclass(frozen=True)
class XTick:
    label: str
    x: float
    anchor: str  # SVG text-anchor: "start", "middle" or "end", keeping text inside

    def extent(self, char_width: float) -> tuple[float, float]:
        """Where the label's text begins and ends, for labels ``char_width`` per character."""
        text_width = len(self.label) * char_width
        start = {"start": self.x, "middle": self.x - text_width / 2, "end": self.x - text_width}
        return start[self.anchor], start[self.anchor] + text_width


@dataclass(frozen=True)
class LineChart:
    """Everything the template needs to draw one trend chart."""

    width: float
    height: float
    view_box: str
    path_d: str  # smoothed line, one "M … L …" segment per unbroken run
    band_d: str  # uncertainty band, one closed polygon per unbroken run
    dots: tuple[Dot, ...]
    zero_y: float | None  # horizontal line at value 0, when 0 is on the axis
    baseline_y: float | None  # the person's own baseline, when given
    y_ticks: tuple[YTick, ...]
    x_ticks: tuple[XTick, ...]
    plot_left: float
    plot_top: float
    plot_right: float
    plot_bottom: float
    dots_d: str = ""  # every sufficient dot in one path of round zero-length strokes
    faint_d: str = ""  # the same for the periods with too little writing
    pole_ticks: tuple[YTick, ...] = ()  # the scale's ends named in words, above and below

    @property
    def viewBox(self) -> str:  # noqa: N802 - the SVG attribute's own spelling
        return self.view_box

    @property
    def is_empty(self) -> bool:
        """Nothing to draw: no dot and no line (show guidance instead of a chart)."""
        return not self.dots and not self.path_d


def _r(value: float) -> float:
    """Round to one decimal place, without a negative zero."""
    rounded = round(float(value), 1)
    return 0.0 if rounded == 0 else rounded


_FORMATTED: dict[float, str] = {}


def _fmt(value: float) -> str:
    """Compact number for path data and attributes: 12.0 -> "12", 12.25 -> "12.2", never
    "-0". Formatting with one decimal rounds as `round(value, 1)` does (both round the
    exact binary value, ties to even). A chart prints thousands of these, nearly all
    coordinates already rounded to a tenth within a few hundred units: each is formatted
    once per process (at most 65,536 kept)."""
    text = _FORMATTED.get(value)
    if text is None:
        text = f"{value:.1f}"
        if text.endswith(".0"):
            text = text[:-2]
        if text == "-0":
            text = "0"
        if len(_FORMATTED) < 65536:
            _FORMATTED[value] = text
    return text


def _tick_label(value: float) -> str:
    rounded = round(value, 2)
    if rounded == 0:
        return "0"
    return f"{rounded:.2f}".rstrip("0").rstrip(".")


def _has_nan(p: Point) -> bool:
    """A point holding a NaN anywhere (NaN is the only float not equal to itself)."""
    for v in (p.value, p.low, p.high, p.smoothed):
        if v is not None and v != v:
            return True
    return False


def _clean(value: float | None) -> float | None:
    """None for a missing value; NaN (e.g. 0/0 upstream) is missing too."""
    if value is None or math.isnan(value):
        return None
    return float(value)


class _YScale:
    def __init__(self, y_min: float, y_max: float, top: float, bottom: float) -> None:
        if not y_max > y_min:
            raise ValueError(f"y_max ({y_max}) must be greater than y_min ({y_min})")
        self.y_min, self.y_max, self.top, self.bottom = y_min, y_max, top, bottom

    def clamp(self, value: float) -> float:
        return min(max(value, self.y_min), self.y_max)

    def __call__(self, value: float) -> float:
        # clamp and _r inlined, the arithmetic unchanged: called for every point of a chart.
        y_max = self.y_max
        share = (y_max - min(max(value, self.y_min), y_max)) / (y_max - self.y_min)
        rounded = round(float(self.top + share * (self.bottom - self.top)), 1)
        return 0.0 if rounded == 0 else rounded


def _runs[T](items: Sequence[tuple[int, T | None]]) -> list[list[T]]:
    """Split (index, item-or-None) into runs of consecutive indices without a None."""
    runs: list[list[T]] = []
    previous: int | None = None
    for index, item in items:
        if item is None:
            previous = None
            continue
        if previous is None or index - previous > 1:
            runs.append([])
        runs[-1].append(item)
        previous = index
    return runs


def _line_path(runs: list[list[tuple[float, float]]]) -> str:
    """Path data, one "M … L …" per run; a lone point is "M x y h0" (a round dot)."""
    parts = []
    for run in runs:
        (x0, y0), rest = run[0], run[1:]
        segment = f"M{_fmt(x0)} {_fmt(y0)}"
        segment += "".join(f" L{_fmt(x)} {_fmt(y)}" for x, y in rest) if rest else " h0"
        parts.append(segment)
    return " ".join(parts)


def _polygon(outline: list[tuple[float, float]]) -> str:
    (x0, y0), rest = outline[0], outline[1:]
    return f"M{_fmt(x0)} {_fmt(y0)}" + "".join(f" L{_fmt(x)} {_fmt(y)}" for x, y in rest) + " Z"


def line_chart(
    points: Sequence[Point],
    *,
    width: float = 320,
    height: float = 120,
    y_min: float = -1,
    y_max: float = 1,
    padding: Padding | None = None,
    baseline: float | None = None,
    y_ticks: Sequence[float] | None = None,
    max_x_labels: int = 6,
    char_width: float = 6.0,
    dot_radius: float = 3.0,
    x_domain: tuple[int, int] | None = None,
    band_for_insufficient: bool = False,
    poles: tuple[str, str] | None = None,
    with_dots: bool = True,
) -> LineChart:
    """Geometry of a trend chart: smoothed line, uncertainty band, dots and ticks.

    ``points`` are the periods in any order (sorted by ``x`` here). The x axis
    spans ``x_domain`` (default: the points' first to last index); a single
    index sits in the middle. The band skips insufficient points unless
    ``band_for_insufficient``: a withheld period's huge interval would otherwise
    dominate the chart. ``baseline`` (a value on the y scale) gives
    ``baseline_y``. ``y_ticks`` default to both ends and 0 (or the middle).
    At most ``max_x_labels`` x labels are kept, fewer when the labels
    (``char_width`` pixels per character) would overlap; the latest period is
    always labelled, and the others every k-th period back from it; a label that
    would still touch its neighbour (edge labels are shifted inside) is dropped.

    ``poles`` names the scale's (low, high) ends in words: ``pole_ticks`` then puts the
    high name in the top padding row, above the plot, and the low one just under the
    plot (leave room for it and the x labels in ``padding.bottom``). Every dot is also
    drawn as one path (``dots_d``, ``faint_d``); ``with_dots=False`` skips the per-dot
    objects for a chart that never needs them one by one.
    """
    pad = padding or Padding()
    left, top = pad.left, pad.top
    right, bottom = width - pad.right, height - pad.bottom
    if right <= left or bottom <= top:
        raise ValueError("the chart is too small for its padding")
    y_scale = _YScale(y_min, y_max, top, bottom)
    y_span, y_height = y_max - y_min, bottom - top

    def y_of(value: float) -> float:
        """y_scale(value) as a closure (called for every point): the same arithmetic."""
        share = (y_max - min(max(value, y_min), y_max)) / y_span
        rounded = round(float(top + share * y_height), 1)
        return 0.0 if rounded == 0 else rounded
    ordered = [
        replace(
            p,
            value=_clean(p.value),
            low=_clean(p.low),
            high=_clean(p.high),
            smoothed=_clean(p.smoothed),
        )
        if _has_nan(p)
        else p
        for p in sorted(points, key=lambda p: p.x)
    ]

    if x_domain is not None:
        x_lo, x_hi = x_domain
    elif ordered:
        x_lo, x_hi = ordered[0].x, ordered[-1].x
    else:
        x_lo = x_hi = 0
    per_unit = (right - left) / (x_hi - x_lo) if x_hi > x_lo else 0.0

    xs: dict[int, float] = {}

    def x_of(index: int) -> float:
        x = xs.get(index)
        if x is None:
            if x_hi <= x_lo:
                x = _r((left + right) / 2)
            else:
                x = _r(left + (index - x_lo) * per_unit)
            xs[index] = x
        return x

    # Smoothed line.
    path_d = _line_path(
        _runs(
            [
                (p.x, (x_of(p.x), y_of(p.smoothed)) if p.smoothed is not None else None)
                for p in ordered
            ]
        )
    )

    # Band: one polygon per run, along the highs and back along the lows.
    band_parts = []
    for run in _runs(
        [
            (p.x, p if p.low is not None and p.high is not None else None)
            for p in ordered
            if p.sufficient or band_for_insufficient
        ]
    ):
        highs = [(x_of(p.x), y_of(max(p.low, p.high))) for p in run]  # type: ignore[type-var]
        lows = [(x_of(p.x), y_of(min(p.low, p.high))) for p in run]  # type: ignore[type-var]
        if len(run) == 1:  # a lone interval gets the width of a dot, to stay visible
            (x, y_high), (_, y_low) = highs[0], lows[0]
            highs = [(x - dot_radius, y_high), (x + dot_radius, y_high)]
            lows = [(x - dot_radius, y_low), (x + dot_radius, y_low)]
        band_parts.append(_polygon(highs + lows[::-1]))
    band_d = " ".join(band_parts)

    # Dots: as objects (each with its title and link) and as two compact paths.
    dots = []
    dot_runs: tuple[list[str], list[str]] = ([], [])
    for p in ordered:
        if p.value is None:
            continue
        dot_runs[0 if p.sufficient else 1].append(f"M{_fmt(x_of(p.x))} {_fmt(y_of(p.value))}h0")
        if not with_dots:
            continue
        has_interval = p.low is not None and p.high is not None
        dots.append(
            Dot(
                cx=x_of(p.x),
                cy=y_of(p.value),
                r=dot_radius,
                faint=not p.sufficient,
                href=p.href,
                title=p.title or f"{p.label}: {_tick_label(p.value)}",
                label=p.label,
                value=p.value,
                clipped=p.value != y_scale.clamp(p.value),
                low_y=y_of(p.low) if has_interval else None,  # type: ignore[arg-type]
                high_y=y_of(p.high) if has_interval else None,  # type: ignore[arg-type]
            )
        )

    # Y ticks.
    if y_ticks is None:
        middle = 0.0 if y_min < 0 < y_max else (y_min + y_max) / 2
        y_ticks = (y_max, middle, y_min)
    ticks_y = tuple(
        YTick(value=float(v), y=y_of(v), label=_tick_label(v))
        for v in y_ticks
        if y_min <= v <= y_max
    )

    pole_ticks: tuple[YTick, ...] = ()
    if poles is not None:
        low_name, high_name = poles
        pole_ticks = (
            YTick(value=float(y_max), y=_r(top - 6), label=high_name),
            YTick(value=float(y_min), y=_r(bottom + char_width * 2), label=low_name),
        )

    return LineChart(
        width=width,
        height=height,
        view_box=f"0 0 {_fmt(width)} {_fmt(height)}",
        path_d=path_d,
        band_d=band_d,
        dots=tuple(dots),
        zero_y=y_of(0.0) if y_min <= 0 <= y_max else None,
        baseline_y=y_of(baseline) if _clean(baseline) is not None else None,  # type: ignore[arg-type]
        y_ticks=ticks_y,
        x_ticks=_x_ticks(ordered, x_of, per_unit, width, max_x_labels, char_width),
        plot_left=_r(left),
        plot_top=_r(top),
        plot_right=_r(right),
        plot_bottom=_r(bottom),
        dots_d="".join(dot_runs[0]),
        faint_d="".join(dot_runs[1]),
        pole_ticks=pole_ticks,
    )


def _x_ticks(
    ordered: Sequence[Point],
    x_of: Callable[[int], float],
    per_unit: float,
    width: float,
    max_labels: int,
    char_width: float,
) -> tuple[XTick, ...]:
    """Thin the x labels so they neither exceed ``max_labels`` nor overlap."""
    if not ordered or max_labels < 1:
        return ()
    first, last = ordered[0].x, ordered[-1].x
    span = last - first
    label_width = max(len(p.label) for p in ordered) * char_width + char_width  # + a gap
    step = 1
    if span > 0:
        step = math.ceil(span / (max_labels - 1)) if max_labels > 1 else span + 1
        if per_unit > 0:
            step = max(step, math.ceil(label_width / per_unit))
    ticks: list[XTick] = []
    left_edge = width  # where the label to the right of the next one begins
    for p in reversed(ordered):  # the latest first: it is always kept
        if (last - p.x) % step:
            continue
        x = x_of(p.x)
        half = len(p.label) * char_width / 2
        anchor = "start" if x - half < 0 else "end" if x + half > width else "middle"
        tick = XTick(label=p.label, x=x, anchor=anchor)
        start, end = tick.extent(char_width)
        if ticks and end + char_width > left_edge:
            continue  # it would touch its neighbour
        ticks.append(tick)
        left_edge = start
    ticks.reverse()
    return tuple(ticks)


def sparkline(
    values: Sequence[float | None],
    width: float = 120,
    height: float = 24,
    y_min: float = -1,
    y_max: float = 1,
    *,
    padding: float = 2,
) -> str:
    """Path ``d`` of a small line for the home page: the last weeks at a glance.

    Values are spread evenly across the width (a single value in the middle),
    clamped to ``y_min..y_max``, broken at None, and kept ``padding`` pixels
    inside the box so the stroke is not cut off. No values gives "".
    """
    count = len(values)
    left, right = padding, width - padding
    y_of = _YScale(y_min, y_max, padding, height - padding)
    items = []
    for i, v in enumerate(values):
        x = _r((left + right) / 2) if count == 1 else _r(left + i * (right - left) / (count - 1))
        value = _clean(v)
        items.append((i, (x, y_of(value)) if value is not None else None))
    return _line_path(_runs(items))
