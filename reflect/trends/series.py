"""What the trends page draws, computed from pooled period rows: pure functions, no ORM.

The views fetch a person's pooled sums per week or month in SQL (``pooled_by``); this
module turns them into per-dimension series (value, uncertainty band, smoothed line,
sufficiency), picks the stretches a change statement compares, names them in words and
builds the sentences. Every period value is the analyzer's ``score_from_counts`` applied
to the period's pooled sums, so an entry's score and a period's value always agree.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from reflect.framing import DIMENSIONS, score_from_counts
from reflect.framing.dimensions import REGISTRY, Dimension
from reflect.lib.stats import (
    Change,
    Mover,
    Sufficiency,
    baseline,
    change_headline,
    detect_change,
    detect_mean_change,
    detect_rate_change,
    ewma,
    mover_text,
    proportion_interval,
    rate_interval,
    top_movers,
)

UNITS = {"week": "By week", "month": "By month"}
RANGES = {"3m": "3 months", "1y": "1 year", "all": "Everything"}
DEFAULT_UNIT, DEFAULT_RANGE = "week", "3m"
RANGE_OPENINGS = {"3m": "Over the past three months", "1y": "Over the past year"}
# A week-by-week chart of more than three years has dots under 2 px apart on a phone and
# costs a second of interval arithmetic; longer histories are shown by month.
MAX_WEEKS = 156
BAND_LEVEL = 0.9  # the band around each point
# A change statement needs the two stretches' 84 % intervals apart: two intervals that just
# touch at 84 % are a difference at about the 5 % level (two-sided), where two 95 % intervals
# apart ask for about 0.5 %. At 95 %, journals built from labelled passages whose framing
# really moved were told so on 38 of 70 (tests/framing_journals.py, 10 per dimension, four
# entries a week, development writers w01-w12), at 84 % on 62 of 70; steady journals were told
# of a change on none of 280 charts at either level (1 of 280 at 84 % with two entries a week).
CHANGE_LEVEL = 0.84
# A change is also stated when the two stretches' periods, read one by one, differ beyond
# their own spread (stats.detect_mean_change: Student's t intervals at this level apart, four
# periods with cues on each side at least; windows() then compares them even when the
# pooled points are thin). Pooled weights taken as counts (above) left the dimensions whose
# cues weigh little nearly mute. Journals built from labelled passages whose framing really
# moved (development writers w01-w24; an offline run of tests/framing_journals.py's
# journals, 30 per dimension, 150 steady ones): pooled alone, 26-30 of 30 on five
# dimensions, 11 on fixed and growth, 2 on ripple; with this test beside it, 28-30 of 30 on
# the six bipolar ones and 10 on ripple, and no change told on 1,050 steady charts (at 98 %:
# 17 on ripple, 1 false alarm; at 95 %, 1 of 140; at 84 %, 11 of 70). Through the app
# (python -m tests.framing_journals): 7 of 7 dimensions moved, 0 false alarms of 35.
PERIOD_CHANGE_LEVEL = 0.99
# Ripple's periods are read as cues per 1,000 words, which a week of short entries makes
# skewed (most weeks none or one, a few many): at 99 % its period test told 0-2 of 5 journals
# whose ripple really rose (development writers w25-w33, python -m tests.framing_journals),
# at 98 % 3 of 5 (4 of 5 on w01-w33), with no change told on 130 steady journals' ripple
# charts (30 of w25-w33, 100 of w01-w33; third session of 2026-12-07). The bipolar scales keep
# 99 % (at 98 %, one false alarm in 1,050 charts: above).
RIPPLE_PERIOD_CHANGE_LEVEL = 0.98
# The pooled tests read a stretch's summed cue weights as counts of cues (a Poisson rate for
# ripple, a proportion of the two poles for the others), but cues weigh 0.03-0.08 on average
# (most are the learned layer's words), so weights counted as cues made every interval several
# times too wide: a stretch of many light cues read as a handful. Each scale counts its weights
# in units of POOLED_UNIT_FACTOR times its cues' mean squared weight over their mean weight
# (WEIGHT_SPREAD: Kish's effective count of weighted cues is the sum of the weights over that;
# measured on w01-w48's passages, evidence and what it carries across, with the analyzer as it
# is; tests/test_framing_quality.py checks it still is). The factor of 5 allows for cues that
# come together (a writer's phrases repeat within a week): at 1, 19 changes were told on 140
# steady journals' charts. Chosen on journals (tests/framing_journals.py, aggregates only; fifth
# session of 2026-12-07): on w49-w54, writers the learned layer was not fitted on, 10 journals
# per scale whose framing moved and 20 steady ones, told of the move (action_vision,
# position_choice, self_collective, obligation_agency, ripple, fixed_growth, tone):
#   weights as counts (ripple in thirds, as before):  10  2 9  6 7  8  8 of 10
#   every scale in thirds:                             10  6 10 10 7 10 10
#   factor 4:                                          10  7 10 10 10 10 10
#   factor 5:                                          10  6 10  8 7 10  9
# and on steady journals of w01-w54 (random passages, four entries a week unless said), changes
# told on their 7 charts each: in thirds, 3 of 280 (obligation_agency) and 1 of 700 (tone);
# factor 4, 2 of 700 (ripple; 2 of 100 ripple charts at a quarter in the fourth session too);
# factor 5, none on 140 (w49-w54), 280, 700, nor 280 at two entries a week. On w49-w54's
# moving journals the other scales' charts stated 182 changes (109 as weights), each the way
# that scale's labels moved between the halves, by at least 0.25 (ripple 0.5): none against.
POOLED_UNIT_FACTOR = 5
# Measured again on w01-w72's passages in the third session of 2026-12-08, after the layer was
# refitted keeping 800 phrases per scale (lighter cues: each spread 15-28 % under the one
# before, .0778 .0699 .0918 .1184 .0617 .0558 .1201); journals checked with it (README).
WEIGHT_SPREAD: dict[str, float] = {
    "action_vision": 0.0658,
    "position_choice": 0.0504,
    "self_collective": 0.0744,
    "obligation_agency": 0.0983,
    "ripple": 0.0486,
    "fixed_growth": 0.0459,
    "tone": 0.0970,
}
POOLED_UNIT: dict[str, float] = {d: POOLED_UNIT_FACTOR * WEIGHT_SPREAD[d] for d in DIMENSIONS}
# Periods read one by one can all read alike (a writer whose every week mixes the same
# phrases): their interval is then narrow whatever the weights, so a change told from them
# must also be at least this large on the -1..1 scale (twice the pooled test's MIN_EFFECT).
PERIOD_MIN_EFFECT = 0.2
PERIOD_MIN_READINGS = 4  # periods with cues on each side, for detect_mean_change
SMOOTHING = 0.4  # each period counts 40 %, everything before it 60 %
MAX_GAP = {"week": 4, "month": 2}  # a longer silence ends the smoothed line
BASELINE_PERIODS = 4  # the first four weeks with enough writing
BASELINE_SEARCH_WEEKS = 26
MAX_STRETCH = {"week": 13, "month": 3}  # a change statement compares at most a season
RULE = Sufficiency(min_words=250, min_cues=3)


DIMENSION_INFO: dict[str, Dimension] = {key: REGISTRY[key] for key in DIMENSIONS}


# ---------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------


def as_date(value: date | datetime) -> date:
    """TruncWeek/TruncMonth give a date on SQLite and may give a datetime elsewhere."""
    return value.date() if isinstance(value, datetime) else value


def period_start(day: date, unit: str) -> date:
    """Monday of the day's week, or the first of its month (weeks run Monday to Sunday)."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: date, unit: str) -> date:
    if unit == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


@lru_cache(maxsize=8192)
def period_end(start: date, unit: str) -> date:
    return next_period(start, unit) - timedelta(days=1)


def period_starts(first: date, last: date, unit: str) -> list[date]:
    """Every period from the one holding ``first`` to the one holding ``last``."""
    starts, current, stop = [], period_start(first, unit), period_start(last, unit)
    while current <= stop:
        starts.append(current)
        current = next_period(current, unit)
    return starts


def default_view(entries: int, first_day: date | None, today: date) -> tuple[str, str]:
    """The unit and range a person sees first, from how much and how long they have written.

    Under three months of writing: the last three months by week (a new person sees what
    to do). Under about ten months: all of it, by week. Under three years: the latest year,
    so a year of writing shows its year. Longer: everything by month. A sparse writer
    (fewer than one and a half entries a week on average) gets months instead of weeks,
    where their weeks would mostly be too thin to show.
    """
    if first_day is None or first_day > today:
        return DEFAULT_UNIT, DEFAULT_RANGE
    span = (today - first_day).days
    if span < 91:
        return DEFAULT_UNIT, DEFAULT_RANGE
    unit = "month" if entries / (span / 7) < 1.5 else "week"
    if span < 300:
        return unit, "all"
    if span < 3 * 365:
        return unit, "1y"
    return "month", "all"


def range_bounds(
    range_key: str, unit: str, today: date, first_day: date | None
) -> tuple[date, date, bool]:
    """(first period start, last period end, clipped) for a range, ending with today's period.

    ``clipped`` says a week chart of everything was cut to the last ``MAX_WEEKS`` weeks.
    """
    last = period_end(period_start(today, unit), unit)
    if range_key == "3m":
        first = period_start(today - timedelta(days=90), unit)
    elif range_key == "1y":
        first = period_start(today - timedelta(days=364), unit)
    else:
        first = period_start(min(first_day or today, today), unit)
    clipped = False
    if unit == "week":
        earliest = period_start(today, unit) - timedelta(weeks=MAX_WEEKS - 1)
        if first < earliest:
            first, clipped = earliest, True
    return first, last, clipped


@lru_cache(maxsize=8192)
def period_label(start: date, unit: str, with_year: bool = False) -> str:
    """Short axis label: "3 Mar" or "Mar" (with the year when the chart spans years)."""
    if unit == "week":
        text = f"{start.day} {start:%b}"
        return f"{text} {start:%y}" if with_year else text
    return f"{start:%b} {start:%y}" if with_year else f"{start:%b}"


@lru_cache(maxsize=8192)
def period_name(start: date, unit: str) -> str:
    """"the week of 3 March 2026" or "March 2026", for titles and sentences."""
    if unit == "week":
        return f"the week of {start.day} {start:%B %Y}"
    return f"{start:%B %Y}"


def span_name(first: date, last: date, today: date) -> str:
    """A stretch of days in words: "March", "March–April 2025", "23 February–22 March"."""
    year = "" if first.year == last.year == today.year else f" {last.year}"
    whole_months = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%B}{year}"
    if first.year != last.year:
        if whole_months:
            return f"{first:%B %Y}–{last:%B %Y}"
        return f"{first.day} {first:%B %Y}–{last.day} {last:%B %Y}"
    if whole_months:
        return f"{first:%B}–{last:%B}{year}"
    return f"{first.day} {first:%B}–{last.day} {last:%B}{year}"


# ---------------------------------------------------------------------------
# Values and bands
# ---------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _proportion_band(positive: float, negative: float, level: float) -> tuple[float, float]:
    # Memoised: the Beta quantile is exact but costs ~0.1 ms, and pooled weights repeat.
    return proportion_interval(positive, negative, level)


@lru_cache(maxsize=65536)
def _rate_band(count: float, words: float, level: float) -> tuple[float, float]:
    return rate_interval(count, words, level)


def score_band(
    dimension: str,
    positive: float,
    negative: float,
    words: float,
    level: float = BAND_LEVEL,
    score: Callable[..., float | None] = score_from_counts,
) -> tuple[float | None, float | None]:
    """The uncertainty of a pooled score, on the score's own scale.

    Bipolar: the Jeffreys interval for p = pos / (pos + neg), with the total kept, put
    through the score function, so the band always holds the drawn value. Ripple (one
    sided): the Jeffreys interval for the rate of its cues per word, turned back into
    counts over the period's words and put through the score function. (None, None)
    when nothing is known (no cues, or for ripple no words).
    """
    positive, negative = round(positive, 4), round(negative, 4)
    if dimension == "ripple":
        if words <= 0:
            return None, None
        low_rate, high_rate = _rate_band(positive, float(words), level)
        low = score(dimension, low_rate * words / 1000, negative, words) or 0.0
        high = score(dimension, high_rate * words / 1000, negative, words) or 0.0
        return low, high
    total = positive + negative
    if total <= 0:
        return None, None
    low, high = _proportion_band(positive, negative, level)
    p_low, p_high = (low + 1) / 2, (high + 1) / 2
    return (
        score(dimension, total * p_low, total * (1 - p_low), words),
        score(dimension, total * p_high, total * (1 - p_high), words),
    )


def _number(row: Mapping | None, key: str) -> float:
    return float((row or {}).get(key) or 0)


@dataclass(frozen=True)
class PeriodValue:
    """One period of one dimension, as drawn and as listed in the table and the CSV."""

    start: date
    end: date
    index: int
    label: str
    name: str
    entries: int
    words: float
    positive: float
    negative: float
    value: float | None
    low: float | None
    high: float | None
    smoothed: float | None
    sufficient: bool
    reason: str | None

    @property
    def cues(self) -> float:
        return self.positive + self.negative


def build_periods(
    dimension: str,
    rows: Mapping[date, Mapping],
    starts: Sequence[date],
    unit: str,
    *,
    rule: Sufficiency = RULE,
    score: Callable[..., float | None] = score_from_counts,
) -> list[PeriodValue]:
    """One PeriodValue per period start: pooled value, band, sufficiency and smoothing.

    ``rows`` maps a period start to its pooled row (``words``, ``entries``,
    ``<dimension>_pos``, ``<dimension>_neg``); a period with no row had no writing.
    A withheld period keeps its value (drawn faint) and says why; it does not move the
    smoothed line.
    """
    with_year = len({s.year for s in starts}) > 1
    this = "this week" if unit == "week" else "this month"
    pos_key, neg_key = f"{dimension}_pos", f"{dimension}_neg"
    no_cues = f"no {DIMENSION_INFO[dimension].name.lower()} cues {this}"
    nothing = rule.check(0.0, 0.0, this)  # a period with no row: no writing
    drafts = []
    for index, start in enumerate(starts):
        row = rows.get(start)
        if row:
            words = float(row.get("words") or 0)
            positive, negative = float(row.get(pos_key) or 0), float(row.get(neg_key) or 0)
            value = score(dimension, positive, negative, int(words))
            low, high = score_band(dimension, positive, negative, words, score=score)
            entries = int(float(row.get("entries") or 0))
            sufficient, reason = rule.check(words, positive + negative, this)
        else:
            words = positive = negative = 0.0
            value = low = high = None
            entries = 0
            sufficient, reason = nothing
        if sufficient and value is None:
            sufficient, reason = False, no_cues
        drafts.append({
            "start": start, "end": period_end(start, unit), "index": index,
            "label": period_label(start, unit, with_year), "name": period_name(start, unit),
            "entries": entries, "words": words, "positive": positive, "negative": negative,
            "value": value, "low": low, "high": high, "smoothed": None,
            "sufficient": sufficient, "reason": reason,
        })
    smoothed = ewma(
        [d["value"] if d["sufficient"] else None for d in drafts],
        alpha=SMOOTHING,
        max_gap=MAX_GAP[unit],
    )
    periods = []
    for fields, line in zip(drafts, smoothed, strict=True):
        fields["smoothed"] = line
        periods.append(_period_value(fields))
    return periods


def _period_value(fields: dict) -> PeriodValue:
    """`PeriodValue(**fields)` without the frozen dataclass's __init__ (fifteen
    object.__setattr__ calls, about a tenth of a ten-year page's time when it built
    thousands): the same instance, its attributes set in one step."""
    value = object.__new__(PeriodValue)
    value.__dict__.update(fields)
    return value


# ---------------------------------------------------------------------------
# Baseline and change
# ---------------------------------------------------------------------------


def baseline_value(
    dimension: str,
    week_rows: Iterable[Mapping],
    score: Callable[..., float | None] = score_from_counts,
) -> float | None:
    """The person's own baseline: their first four sufficient weeks, pooled, then scored."""
    points = [
        {
            "positive": _number(r, f"{dimension}_pos"),
            "negative": _number(r, f"{dimension}_neg"),
            "words": _number(r, "words"),
        }
        for r in week_rows
    ]
    pooled = baseline(points, first_n=BASELINE_PERIODS, rule=RULE)
    if pooled is None:
        return None
    return score(dimension, pooled.positive, pooled.negative, int(pooled.words))


@dataclass(frozen=True)
class Window:
    """A stretch of periods pooled for a change statement."""

    first: date
    last: date
    positive: float
    negative: float
    words: float
    name: str
    # Each period's own reading for detect_mean_change: its score (pos - neg) / (pos + neg)
    # where it has cues, and its cues per 1,000 words (ripple's) where it has writing.
    scores: tuple[float, ...] = ()
    rates: tuple[float, ...] = ()


def windows(
    periods: Sequence[PeriodValue], today: date
) -> tuple[Window, Window] | None:
    """The first and the last third of the chart's writing (from its first period with
    writing to its last), at most a season each, to compare.

    Each stretch pools all its periods, thin ones too: the writing is real, only too little
    on its own. Stretches of time, not of sufficient periods: when early periods are thin,
    "the first few sufficient ones" reached into the middle of the chart, where the change
    itself is, and compared it with itself. None with fewer than three sufficient periods,
    or when a stretch holds less writing than one point needs, unless each stretch has
    PERIOD_MIN_READINGS periods with cues, enough to read them one by one
    (detect_mean_change): a dimension whose cues weigh little seldom fills a point, however
    often it is written about.
    """
    written = [i for i, p in enumerate(periods) if p.words > 0]
    if not written:
        return None
    start, end = written[0], written[-1]
    unit = "week" if (periods[0].end - periods[0].start).days == 6 else "month"
    k = max(1, min((end - start + 1) // 3, MAX_STRETCH[unit]))

    def pooled(chosen: Sequence[PeriodValue]) -> Window:
        first, last = chosen[0], chosen[-1]
        return Window(
            first=first.start,
            last=last.end,
            positive=sum(p.positive for p in chosen),
            negative=sum(p.negative for p in chosen),
            words=sum(p.words for p in chosen),
            name=span_name(first.start, min(last.end, today), today),
            scores=tuple(
                score for p in chosen if (score := _raw_score(p.positive, p.negative)) is not None
            ),
            rates=tuple(p.positive / p.words * 1000 for p in chosen if p.words > 0),
        )

    before, after = pooled(periods[start : start + k]), pooled(periods[end - k + 1 : end + 1])
    if min(len(before.scores), len(after.scores)) >= PERIOD_MIN_READINGS:
        return before, after
    if sum(p.sufficient for p in periods) < 3 or not all(
        RULE.check(w.words, w.positive + w.negative)[0] for w in (before, after)
    ):
        return None
    return before, after


MIN_EFFECT = 0.1  # detect_change's default: smaller differences are never a change
MIN_RATIO = 1.25  # detect_rate_change's default: for ripple, the larger rate at least this



def _raw_score(positive: float, negative: float) -> float | None:
    total = positive + negative
    return (positive - negative) / total if total > 0 else None


@lru_cache(maxsize=16384)
def proportion_change(
    before: tuple[float, float], after: tuple[float, float], level: float = CHANGE_LEVEL,
    unit: float = 1.0,
) -> Change | None:
    """``detect_change``, skipping the interval arithmetic (up to ~1 ms for thousands of
    cues) when the scores differ by less than the minimum effect, where it returns None."""
    b, a = _raw_score(*before), _raw_score(*after)
    if b is None or a is None or abs(a - b) < MIN_EFFECT:
        return None
    return detect_change(before, after, level, MIN_EFFECT, unit)


def detect(dimension: str, before: Window, after: Window) -> Change | None:
    """A change beyond noise between two stretches: their pooled CHANGE_LEVEL intervals
    apart, or their periods' readings' PERIOD_CHANGE_LEVEL intervals apart."""
    if dimension == "ripple":
        pooled = detect_rate_change(
            (before.positive, before.words), (after.positive, after.words), CHANGE_LEVEL,
            MIN_RATIO, unit=POOLED_UNIT[dimension],
        )
        return pooled or detect_mean_change(
            before.rates, after.rates, RIPPLE_PERIOD_CHANGE_LEVEL, 0.0, MIN_RATIO,
            PERIOD_MIN_READINGS,
        )
    pooled = proportion_change(
        (round(before.positive, 4), round(before.negative, 4)),
        (round(after.positive, 4), round(after.negative, 4)),
        unit=POOLED_UNIT[dimension],
    )
    return pooled or detect_mean_change(
        before.scores, after.scores, PERIOD_CHANGE_LEVEL, PERIOD_MIN_EFFECT,
        min_periods=PERIOD_MIN_READINGS,
    )


def movers_for(
    change: Change,
    before: Window,
    after: Window,
    counts: Mapping[tuple[int, str, int], float],
    n: int = 3,
) -> list[Mover]:
    """The phrases behind a change. ``counts`` maps (side, phrase, pole) to a count, side
    0 for the earlier stretch and 1 for the later one; only phrases that pushed the way
    the change went are kept.
    """
    sides: tuple[dict[str, float], dict[str, float]] = ({}, {})
    totals: dict[str, dict[int, float]] = {}
    for (side, phrase, pole), count in counts.items():
        sides[side][(phrase, pole)] = sides[side].get((phrase, pole), 0) + count  # type: ignore[index]
        totals.setdefault(phrase, {}).setdefault(pole, 0)
        totals[phrase][pole] += count
    # A phrase seen with both poles (negated sometimes) is named after its usual pole.
    polarity = {phrase: max(poles, key=lambda p: (poles[p], p)) for phrase, poles in totals.items()}
    before_counts: dict[str, float] = {}
    after_counts: dict[str, float] = {}
    for target, side in ((before_counts, sides[0]), (after_counts, sides[1])):
        for (phrase, pole), count in side.items():  # type: ignore[misc]
            if pole == polarity[phrase]:
                target[phrase] = target.get(phrase, 0) + count
    return top_movers(
        before_counts, after_counts, before.words, after.words, n,
        polarity=polarity, direction=change.direction,
    )


def statement(
    dimension: Dimension,
    change: Change | None,
    before: Window | None,
    after: Window | None,
    movers: Sequence[Mover] = (),
) -> str:
    """"More choice language since March. 'had to': 14 times in March, 3 times in May."."""
    if before is None or after is None:
        return "Not enough writing in this range yet to compare its start with now."
    headline = change_headline(change, dimension.poles, before.name)
    if change is None or not movers:
        return headline + "."
    details = "; ".join(mover_text(m, before.name, after.name) for m in movers)
    return f"{headline}. {details}."


def _joined(words: Sequence[str]) -> str:
    """"choice", "choice and team", "vision, choice and team"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def page_headline(
    opening: str, compared: Sequence[tuple[Dimension, Change | None]]
) -> str:
    """The whole page in one sentence, from the same change detection as each chart.

    ``opening`` names the range ("Over the past year", "Since March 2025"); ``compared``
    holds each dimension whose start and end could be compared, with its change (None:
    no change beyond noise). "Over the past year you used more choice and team language;
    your feelings held steady."
    """
    framing = [(d, c) for d, c in compared if not d.is_feeling]
    feelings = [(d, c) for d, c in compared if d.is_feeling]
    more, less = [], []
    for dimension, change in framing:
        if change is None:
            continue
        low, high = dimension.poles
        if change.direction > 0:
            more.append(high)
        elif low:
            more.append(low)
        else:
            less.append(high)
    feeling_changed = any(c is not None for _, c in feelings)
    if not more and not less and framing and feelings and not feeling_changed:
        return (
            f"{opening} the way you frame your leadership held steady, and so did your feelings."
        )
    parts = []
    if more or less:
        ways = (("more", more), ("less", less))
        said = [f"{way} {_joined(words)} language" for way, words in ways if words]
        parts.append(f"{opening} you used {' and '.join(said)}")
    elif framing:
        parts.append(f"{opening} the way you frame your leadership held steady")
    for dimension, change in feelings:
        if change is None:
            text = "your feelings held steady"
        else:
            low, high = dimension.poles
            text = f"your words sounded more {high if change.direction > 0 else low}"
        parts.append(text if parts else f"{opening} {text}")
    if not parts:
        return "Not enough writing in this range yet to compare its start with now."
    return "; ".join(parts) + "."


def range_opening(range_key: str, first: date) -> str:
    """How the headline names the range: "Over the past year", "Since March 2025"."""
    return RANGE_OPENINGS.get(range_key) or f"Since {first:%B %Y}"


# ---------------------------------------------------------------------------
# The person's own rating beside the reading
# ---------------------------------------------------------------------------

MOOD_GAP = 0.75  # on the -1..1 scale: a rating of 4 (0.5) against a reading below -0.25
MOOD_RUN = 3  # periods in a row before a disagreement is worth saying


def mood_ratings(rows: Mapping[date, Mapping], starts: Sequence[date]) -> list[float | None]:
    """The average of the person's own ratings (1-5) in each period, None without any."""
    ratings = []
    for start in starts:
        row = rows.get(start) or {}
        count = row.get("moods") or 0
        ratings.append(row["mood_total"] / count if count else None)
    return ratings


def mood_scale(rating: float) -> float:
    """A 1-5 rating on the feelings chart's scale: 1 at -1, 3 at 0, 5 at 1."""
    return (rating - 3) / 2


def mood_disagreements(
    tone: Sequence[PeriodValue], ratings: Sequence[float | None], today: date
) -> list[str]:
    """Plain sentences for each stretch where the person's own rating and the feeling read
    in their words part ways: at least ``MOOD_RUN`` periods in a row, the same way, each at
    least ``MOOD_GAP`` apart on one scale (periods whose reading is withheld break a run)."""
    runs: list[list[tuple[PeriodValue, float]]] = []
    previous = 0
    for period, rating in zip(tone, ratings, strict=True):
        way = 0
        if rating is not None and period.sufficient and period.value is not None:
            gap = mood_scale(rating) - period.value
            way = (gap >= MOOD_GAP) - (gap <= -MOOD_GAP)
        if way and way == previous:
            runs[-1].append((period, rating))
        elif way:
            runs.append([(period, rating)])
        previous = way
    lean_heavy, lean_light = DIMENSION_INFO["tone"].lean
    sentences = []
    for run in runs:
        if len(run) < MOOD_RUN:
            continue
        first, last = run[0][0], run[-1][0]
        rating = sum(r for _, r in run) / len(run)
        reading = sum(p.value for p, _ in run) / len(run)  # type: ignore[misc]
        lean = lean_heavy if reading < mood_scale(rating) else lean_light
        span = span_name(first.start, min(last.end, today), today)
        sentences.append(
            f"{span[0].upper()}{span[1:]}: you rated your days {rating:.1f} of 5 on average, "
            f"but {lean}."
        )
    return sentences


# ---------------------------------------------------------------------------
# Then and now, by prompt
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PromptShift:
    dimension: Dimension
    then_value: float
    now_value: float
    change: Change | None

    @property
    def words(self) -> str:
        if self.change is None:
            return "no change beyond noise"
        headline = change_headline(self.change, self.dimension.poles, "then")
        return headline.split(" since")[0].lower()


@dataclass(frozen=True)
class PromptComparison:
    prompt_id: int
    text: str
    then_answers: int
    now_answers: int
    shifts: list[PromptShift] = field(default_factory=list)


def compare_prompt(
    row: Mapping, score: Callable[..., float | None] = score_from_counts, limit: int = 3
) -> PromptComparison:
    """How one prompt's answers moved from the first half of the range to the second.

    ``row`` holds ``then_<dim>_pos``, ``now_<dim>_pos`` … and the words and answer
    counts of each half; the dimensions with cues in both halves are listed, largest
    movement first, each with "no change beyond noise" unless the intervals part.
    """
    shifts = []
    for key in DIMENSIONS:
        if key == "ripple":
            continue  # a rate over a handful of answers says little
        then_pos, then_neg = _number(row, f"then_{key}_pos"), _number(row, f"then_{key}_neg")
        now_pos, now_neg = _number(row, f"now_{key}_pos"), _number(row, f"now_{key}_neg")
        then_value = score(key, then_pos, then_neg, int(_number(row, "then_words")))
        now_value = score(key, now_pos, now_neg, int(_number(row, "now_words")))
        if then_value is None or now_value is None:
            continue
        # Weights read as counts here, not in POOLED_UNIT: with the scales' units, 1 of 360
        # comparisons on 40 steady journals answering three prompts at random told a change
        # (none as counts; fifth session of 2026-12-07), and a prompt's answers are few.
        change = proportion_change(
            (round(then_pos, 4), round(then_neg, 4)), (round(now_pos, 4), round(now_neg, 4))
        )
        shifts.append(PromptShift(DIMENSION_INFO[key], then_value, now_value, change))
    shifts.sort(key=lambda s: (s.change is None, -abs(s.now_value - s.then_value)))
    return PromptComparison(
        prompt_id=row["prompt_id"],
        text=row["prompt_text"],
        then_answers=int(_number(row, "then_answers")),
        now_answers=int(_number(row, "now_answers")),
        shifts=shifts[:limit],
    )


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------

CSV_HEADER = (
    "period", "dimension", "dimension_name", "value", "low", "high", "smoothed", "words", "cues",
    "sufficient", "reason",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> object:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading '.

    Numbers stay numbers (a negative score is data, not a formula).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_number(value: float | None, digits: int = 4) -> object:
    return "" if value is None else round(value, digits)


def csv_rows(series: Iterable[tuple[str, Sequence[PeriodValue]]]) -> Iterable[list[object]]:
    yield list(CSV_HEADER)
    for key, periods in series:
        for p in periods:
            yield [
                csv_cell(value)
                for value in (
                    p.start.isoformat(), key, REGISTRY[key].name, _csv_number(p.value),
                    _csv_number(p.low), _csv_number(p.high), _csv_number(p.smoothed), int(p.words),
                    round(p.cues, 2), "yes" if p.sufficient else "no", p.reason or "",
                )
            ]
