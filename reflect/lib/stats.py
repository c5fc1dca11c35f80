"""Statistics for pooled framing-cue counts: uncertainty, smoothing and change.

The trends page pools each period's cue weights and words in SQL, so every point
on a chart is a pair of counts (positive and negative cue weight for a bipolar
dimension, or a cue weight and a word count for the one-sided ``ripple``), not an
average of entry scores.  This module turns those counts into what a reader can
trust:

* an uncertainty band (Jeffreys intervals, from the Beta and Gamma quantiles
  implemented here with the standard library only),
* a sufficiency rule that withholds a point with too little writing and says why
  in plain words,
* an exponentially weighted average a reader can understand ("each period counts
  40 %, the past 60 %"), which steps over withheld points,
* the person's own baseline (never anyone else's),
* a conservative change test, and the phrases that moved most behind a change,
  and the sentence that reports it.

The score itself comes from the analyzer's ``score_from_counts``; this module only
needs the fact that a bipolar score is ``(pos - neg) / (pos + neg)``, that is
``2p - 1`` with ``p = pos / (pos + neg)``.

Nothing here imports Django: every function is pure and unit-tested on its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

__all__ = [
    "Change",
    "Mover",
    "Pooled",
    "Sufficiency",
    "baseline",
    "beta_cdf",
    "beta_ppf",
    "change_headline",
    "change_statement",
    "detect_change",
    "detect_mean_change",
    "detect_rate_change",
    "ewma",
    "gamma_cdf",
    "gamma_ppf",
    "is_sufficient",
    "mover_counts",
    "mover_text",
    "pool",
    "proportion_interval",
    "rate_interval",
    "t_ppf",
    "top_movers",
]

# ---------------------------------------------------------------------------
# Distributions
# ---------------------------------------------------------------------------

_EPS = 1e-15  # relative convergence of the continued fractions and series
_TINY = 1e-300  # Lentz's guard against division by zero
_MAX_ITER = 10_000  # the continued fraction needs O(sqrt(max(a, b))) terms
_X_TOL = 1e-15  # quantiles are located to about machine precision (1e-6 would do)


def _check_shape(**shapes: float) -> None:
    for name, value in shapes.items():
        if not (value > 0 and math.isfinite(value)):
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1 (exclusive), got {level!r}")


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction for I_x(a, b), evaluated with the modified Lentz method.

    It converges quickly for ``x < (a + 1) / (a + b + 2)``; ``beta_cdf`` uses the
    symmetry ``I_x(a, b) = 1 - I_{1-x}(b, a)`` to stay in that region.
    """
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_ITER + 1):
        m2 = 2 * m
        # Even step.
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        # Odd step.
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta did not converge (a={a}, b={b}, x={x})")


def beta_cdf(x: float, a: float, b: float) -> float:
    """Regularized incomplete beta function I_x(a, b), the Beta(a, b) CDF.

    Shapes may be any positive floats, because cue weights are not always integers.
    """
    _check_shape(a=a, b=b)
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = a * math.log(x) + b * math.log1p(-x) - _log_beta(a, b)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def _beta_pdf(x: float, a: float, b: float) -> float:
    if x <= 0.0 or x >= 1.0:
        return 0.0
    return math.exp((a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x) - _log_beta(a, b))


def _invert(
    cdf: Callable[[float], float],
    pdf: Callable[[float], float],
    q: float,
    lo: float,
    hi: float,
    start: float,
) -> float:
    """Find x in [lo, hi] with cdf(x) = q: Newton steps, bisection when Newton strays.

    The bracket always shrinks, so this converges even where the density is
    extreme (shapes below 1 put infinite density at the edges); Newton makes it
    fast everywhere else.
    """
    x = min(max(start, lo), hi)
    for _ in range(400):
        f = cdf(x) - q
        if f == 0.0:
            return x
        if f < 0.0:
            lo = x
        else:
            hi = x
        if hi - lo <= _X_TOL * max(1.0, abs(x)):
            break
        density = pdf(x)
        candidate = x - f / density if density > 0.0 else math.nan
        if not lo < candidate < hi:  # also false for nan
            candidate = 0.5 * (lo + hi)
        if candidate == x:  # no float left between the ends of the bracket
            break
        x = candidate
    return x


def beta_ppf(q: float, a: float, b: float) -> float:
    """Quantile of the Beta(a, b) distribution: the x with I_x(a, b) = q.

    Used for Jeffreys intervals on pooled cue counts. Accurate to far better than
    1e-6 (the bracket is closed to ~1e-15); ``q <= 0`` gives 0 and ``q >= 1`` gives 1.
    """
    _check_shape(a=a, b=b)
    if q <= 0.0:
        return 0.0
    if q >= 1.0:
        return 1.0
    return _invert(
        lambda x: beta_cdf(x, a, b),
        lambda x: _beta_pdf(x, a, b),
        q,
        0.0,
        1.0,
        a / (a + b),
    )


@lru_cache(maxsize=1024)
def t_ppf(q: float, df: float) -> float:
    """Quantile of Student's t with ``df`` degrees of freedom, for q in (0.5, 1): from the
    Beta quantile, since df / (df + T^2) is Beta(df/2, 1/2) and P(|T| > t) = I_x(df/2, 1/2)
    at x = df / (df + t^2)."""
    if not 0.5 < q < 1.0:
        raise ValueError("t_ppf takes q in (0.5, 1)")
    _check_shape(df=df)
    x = beta_ppf(2.0 * (1.0 - q), df / 2.0, 0.5)
    return math.sqrt(df * (1.0 - x) / x)


def gamma_cdf(x: float, a: float) -> float:
    """Regularized lower incomplete gamma P(a, x), the Gamma(a, scale=1) CDF.

    Series below ``x < a + 1``, Lentz continued fraction above (both standard).
    """
    _check_shape(a=a)
    if x <= 0.0:
        return 0.0
    if math.isinf(x):
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        ap = a
        for _ in range(_MAX_ITER):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * _EPS:
                return min(1.0, total * math.exp(log_front))
        raise ArithmeticError(f"incomplete gamma series did not converge (a={a}, x={x})")
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_ITER + 1):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = b + an / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return max(0.0, 1.0 - math.exp(log_front) * h)
    raise ArithmeticError(f"incomplete gamma fraction did not converge (a={a}, x={x})")


def gamma_ppf(q: float, a: float) -> float:
    """Quantile of the Gamma(a, scale=1) distribution; ``q >= 1`` gives infinity."""
    _check_shape(a=a)
    if q <= 0.0:
        return 0.0
    if q >= 1.0:
        return math.inf
    hi = max(1.0, 2.0 * a)
    while gamma_cdf(hi, a) < q:
        hi *= 2.0

    def pdf(x: float) -> float:
        if x <= 0.0:
            return 0.0
        return math.exp((a - 1.0) * math.log(x) - x - math.lgamma(a))

    return _invert(lambda x: gamma_cdf(x, a), pdf, q, 0.0, hi, a)


# ---------------------------------------------------------------------------
# Intervals
# ---------------------------------------------------------------------------


def _check_counts(**counts: float) -> None:
    for name, value in counts.items():
        if not (value >= 0 and math.isfinite(value)):
            raise ValueError(f"{name} must be a non-negative finite number, got {value!r}")


def _jeffreys(positive: float, negative: float, level: float) -> tuple[float, float]:
    """Jeffreys interval for p = pos / (pos + neg), on the 0..1 scale.

    With the usual boundary rule (Brown, Cai & DasGupta 2001): when one side has
    no cues at all, that end of the interval is the bound itself, so the interval
    always contains the observed proportion.
    """
    tail = (1.0 - level) / 2.0
    a, b = positive + 0.5, negative + 0.5
    low = 0.0 if positive <= 0 else beta_ppf(tail, a, b)
    high = 1.0 if negative <= 0 else beta_ppf(1.0 - tail, a, b)
    return low, high


def proportion_interval(
    positive: float, negative: float, level: float = 0.9
) -> tuple[float, float]:
    """Uncertainty of a bipolar score, as (low, high) on the score's −1..1 scale.

    Jeffreys interval: the central ``level`` part of Beta(pos + 0.5, neg + 0.5),
    mapped with ``2p − 1``. It is the standard interval for a proportion with good
    coverage even for a handful of cues, it never leaves the scale, and it accepts
    the fractional cue weights the analyzer produces. No cues at all gives the
    whole scale (−1, 1): nothing is known.
    """
    _check_counts(positive=positive, negative=negative)
    _check_level(level)
    low, high = _jeffreys(positive, negative, level)
    return 2.0 * low - 1.0, 2.0 * high - 1.0


def rate_interval(
    count: float, words: float, level: float = 0.9, per: float = 1000
) -> tuple[float, float]:
    """Uncertainty of a cue rate, as (low, high) cues per ``per`` words.

    For the one-sided ``ripple`` dimension, whose evidence is how often its cues
    occur in the writing. Cues are treated as a Poisson count over ``words`` of
    exposure, and the interval is the Jeffreys interval for a Poisson rate: the
    central ``level`` part of Gamma(count + 0.5) divided by the words (computed
    exactly with the incomplete gamma function, not approximated), with a lower
    end of 0 when there were no cues. No writing at all gives (0, inf): nothing
    is known. Map the ends through the analyzer's (monotone) score function to
    draw the band on the 0..1 score scale.
    """
    _check_counts(count=count, words=words)
    _check_level(level)
    if words <= 0:
        return 0.0, math.inf
    tail = (1.0 - level) / 2.0
    scale = per / words
    low = 0.0 if count <= 0 else gamma_ppf(tail, count + 0.5) * scale
    high = gamma_ppf(1.0 - tail, count + 0.5) * scale
    return low, high


# ---------------------------------------------------------------------------
# Smoothing
# ---------------------------------------------------------------------------


def ewma(
    values: Sequence[float | None], alpha: float = 0.4, max_gap: int | None = None
) -> list[float | None]:
    """Exponentially weighted moving average that steps over withheld points.

    Each period counts ``alpha`` (40 %), everything before it ``1 − alpha``: simple
    enough to explain under a chart. A withheld period (None) is skipped, not
    read as zero, so a quiet week does not drag the line toward the middle; the
    line carries the last smoothed value across it. Before the first value there
    is nothing to say, so the output is None there.

    With ``max_gap``, a run of more than that many withheld periods ends the line
    (None) and the average restarts from the next value, so a long break is not
    drawn as a flat, confident line.
    """
    if not 0.0 < alpha <= 1.0:
        raise ValueError(f"alpha must be in (0, 1], got {alpha!r}")
    smoothed: list[float | None] = []
    state: float | None = None
    gap = 0
    for value in values:
        if value is None:
            gap += 1
            if max_gap is not None and gap > max_gap:
                state = None
            smoothed.append(state)
            continue
        gap = 0
        state = value if state is None else alpha * value + (1.0 - alpha) * state
        smoothed.append(state)
    return smoothed


# ---------------------------------------------------------------------------
# Sufficiency and baseline
# ---------------------------------------------------------------------------


def _number(value: float) -> str:
    """12 -> "12", 1200 -> "1,200", 2.5 -> "2.5" (cue weights may be fractional)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _plural(value: float, singular: str, plural: str) -> str:
    return f"{_number(value)} {singular if value == 1 else plural}"


@dataclass(frozen=True)
class Sufficiency:
    """When a period has enough writing for its point to be shown.

    A point pooled from a few sentences swings wildly and would be read as a
    real movement, so it is withheld (drawn faint or left out), with the reason
    given in plain words instead of a bare gap.
    """

    min_words: float = 250
    min_cues: float = 3

    def check(
        self, words: float, cues: float, period: str = "in this period"
    ) -> tuple[bool, str | None]:
        """(True, None) when sufficient, else (False, reason a person understands)."""
        short_words = words < self.min_words
        short_cues = cues < self.min_cues
        if not (short_words or short_cues):
            return True, None
        if words <= 0:
            return False, f"no writing {period}"
        if short_words and short_cues:
            return False, (
                f"only {_plural(words, 'word', 'words')} and {_plural(cues, 'cue', 'cues')}"
                f" {period}; {_number(self.min_words)} words and"
                f" {_number(self.min_cues)} cues needed"
            )
        if short_words:
            return False, (
                f"only {_plural(words, 'word', 'words')} {period}; {_number(self.min_words)} needed"
            )
        if cues <= 0:
            return False, f"no cues {period}; {_number(self.min_cues)} needed"
        return False, (
            f"only {_plural(cues, 'cue', 'cues')} {period}; {_number(self.min_cues)} needed"
        )


def is_sufficient(
    words: float,
    cues: float,
    min_words: float = 250,
    min_cues: float = 3,
    *,
    period: str = "in this period",
) -> tuple[bool, str | None]:
    """Whether a period's pooled writing is enough to show its point.

    Returns ``(True, None)`` or ``(False, reason)``, e.g. ``"only 120 words this
    week; 250 needed"`` with ``period="this week"``. ``cues`` is the dimension's
    cue weight (positive + negative) in the period.
    """
    return Sufficiency(min_words=min_words, min_cues=min_cues).check(words, cues, period)


class Pooled(NamedTuple):
    """Counts summed over periods: the unit every estimate here is made from."""

    positive: float
    negative: float
    words: float


def _get(point: Any, name: str) -> float:
    if isinstance(point, Mapping):
        return float(point[name] or 0)
    return float(getattr(point, name) or 0)


def pool(points: Iterable[Any]) -> Pooled:
    """Sum the counts of several periods (dicts from ``.values()`` or objects).

    Pooling counts, rather than averaging scores, weighs each period by how much
    was written in it, which is what "pooled from the period's words" means.
    """
    positive = negative = words = 0.0
    for point in points:
        positive += _get(point, "positive")
        negative += _get(point, "negative")
        words += _get(point, "words")
    return Pooled(positive, negative, words)


def baseline(
    points: Iterable[Any], first_n: int = 4, rule: Sufficiency | None = None
) -> Pooled | None:
    """The person's own baseline: their first ``first_n`` sufficient periods, pooled.

    ``points`` are periods in time order, each with ``positive``, ``negative`` and
    ``words`` (mapping keys or attributes). Withheld periods are passed over, so a
    thin first week does not become the reference; counts are summed (not scores
    averaged). Fewer sufficient periods than ``first_n`` pool what there is; none
    gives None. A person is only ever compared with themselves.
    """
    if first_n < 1:
        raise ValueError("first_n must be at least 1")
    rule = rule or Sufficiency()
    chosen = []
    for point in points:
        positive, negative = _get(point, "positive"), _get(point, "negative")
        if rule.check(_get(point, "words"), positive + negative)[0]:
            chosen.append(point)
            if len(chosen) == first_n:
                break
    return pool(chosen) if chosen else None


# ---------------------------------------------------------------------------
# Change
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A change larger than the uncertainty, between two pooled stretches of time.

    ``direction`` is +1 toward the dimension's second pole (the scale's high end)
    and −1 toward the first. Scores are on the dimension's scale (−1..1 for a
    bipolar dimension, cues per 1000 words for a rate); the intervals are the
    ones that were compared.
    """

    direction: int
    before_score: float
    after_score: float
    before_interval: tuple[float, float]
    after_interval: tuple[float, float]
    level: float

    @property
    def difference(self) -> float:
        return self.after_score - self.before_score


def _pair(counts: Sequence[float]) -> tuple[float, float]:
    first, second = counts[0], counts[1]
    _check_counts(first=first, second=second)
    return float(first), float(second)


def detect_change(
    before: Sequence[float],
    after: Sequence[float],
    level: float = 0.95,
    min_effect: float = 0.1,
    unit: float = 1.0,
) -> Change | None:
    """A real change in a bipolar dimension between two pooled (positive, negative).

    The test: the two Jeffreys intervals at ``level`` do not overlap. Chosen over
    a two-proportion z-test because (a) it is exactly "the change is larger than
    the uncertainty", the rule a reader sees in the bands; (b) it behaves on tiny
    samples where the normal approximation does not (2 cues against 2 cues,
    even fully reversed, never fires; the z-test does at 3 against 3); (c) it
    accepts fractional cue weights. It is conservative — two non-overlapping 95 %
    intervals mean roughly p < 0.01 — which is what we want before telling a
    person their framing moved: a missed subtle drift costs little, a false
    claim costs trust. (Draw the chart's band at the same ``level`` if the page
    should show exactly the intervals that were compared.)

    With very large samples almost any drift is "significant", so the scores
    must also differ by at least ``min_effect`` on the −1..1 scale.

    ``unit``: what one counted cue weighs when the pairs are sums of cue weights (the
    intervals are those of ``positive / unit`` and ``negative / unit`` cues; the scores,
    ratios of the sums, are the same in any unit).

    Returns None when the difference is within noise (or either side has no cues).
    """
    _check_level(level)
    before_pos, before_neg = _pair(before)
    after_pos, after_neg = _pair(after)
    if before_pos + before_neg <= 0 or after_pos + after_neg <= 0 or unit <= 0:
        return None
    before_score = (before_pos - before_neg) / (before_pos + before_neg)
    after_score = (after_pos - after_neg) / (after_pos + after_neg)
    before_interval = proportion_interval(before_pos / unit, before_neg / unit, level)
    after_interval = proportion_interval(after_pos / unit, after_neg / unit, level)
    return _compare(before_score, after_score, before_interval, after_interval, level, min_effect)


def detect_rate_change(
    before: Sequence[float],
    after: Sequence[float],
    level: float = 0.95,
    min_ratio: float = 1.25,
    per: float = 1000,
    unit: float = 1.0,
) -> Change | None:
    """A real change in a cue rate (one-sided ``ripple``) between (count, words) pairs.

    Same rule as ``detect_change``: the Jeffreys rate intervals at ``level`` must
    not overlap, and the larger rate must be at least ``min_ratio`` times the
    smaller one. Scores are cues per ``per`` words. ``unit``: what one counted cue
    weighs when the counts are sums of cue weights (the intervals are those of
    ``count / unit`` cues, given back, like the rates, in the weights' own unit).
    """
    _check_level(level)
    before_count, before_words = _pair(before)
    after_count, after_words = _pair(after)
    if before_words <= 0 or after_words <= 0 or unit <= 0:
        return None
    before_rate = before_count / before_words * per
    after_rate = after_count / after_words * per
    small, large = sorted((before_rate, after_rate))
    if large < small * min_ratio:
        return None
    return _compare(
        before_rate,
        after_rate,
        _scaled(rate_interval(before_count / unit, before_words, level, per), unit),
        _scaled(rate_interval(after_count / unit, after_words, level, per), unit),
        level,
        0.0,
    )


def _scaled(interval: tuple[float, float], factor: float) -> tuple[float, float]:
    return interval[0] * factor, interval[1] * factor


def mean_interval(values: Sequence[float], level: float) -> tuple[float, float]:
    """Student's t interval at ``level`` around the mean of ``values`` (at least two)."""
    n = len(values)
    mean = math.fsum(values) / n
    spread = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_ppf(0.5 + level / 2.0, n - 1) * spread / math.sqrt(n)
    return mean - half, mean + half


def detect_mean_change(
    before: Sequence[float],
    after: Sequence[float],
    level: float = 0.98,
    min_effect: float = 0.1,
    min_ratio: float | None = None,
    min_periods: int = 4,
) -> Change | None:
    """A change between two stretches read period by period: each stretch's periods' own
    scores (or rates), their means' Student's t intervals at ``level`` apart.

    ``detect_change`` pools a stretch's cue weights and treats them as counts, so its
    intervals depend on the unit the weights are in: a dimension whose cues weigh little
    (position, growth, ripple) seldom gets a change stated however clearly it moved. Here the
    spread comes from the periods themselves, whatever the weights' unit: a stretch whose
    weeks all read alike has a narrow interval, one whose weeks disagree a wide one. Each side
    needs ``min_periods`` periods with a reading. The scores must differ by ``min_effect``,
    and with ``min_ratio`` (rates) the larger mean must be that many times the smaller.
    """
    _check_level(level)
    if len(before) < min_periods or len(after) < min_periods:
        return None
    before_score = math.fsum(before) / len(before)
    after_score = math.fsum(after) / len(after)
    if abs(after_score - before_score) < min_effect:
        return None
    if min_ratio is not None:
        small, large = sorted((before_score, after_score))
        if large < small * min_ratio:
            return None
    return _compare(
        before_score, after_score, mean_interval(before, level), mean_interval(after, level),
        level, min_effect,
    )


def _compare(
    before_score: float,
    after_score: float,
    before_interval: tuple[float, float],
    after_interval: tuple[float, float],
    level: float,
    min_effect: float,
) -> Change | None:
    if abs(after_score - before_score) < min_effect:
        return None
    if after_interval[0] > before_interval[1]:
        direction = 1
    elif after_interval[1] < before_interval[0]:
        direction = -1
    else:
        return None
    return Change(direction, before_score, after_score, before_interval, after_interval, level)


# ---------------------------------------------------------------------------
# Movers and statements
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mover:
    """A phrase whose rate moved between two periods, with its raw counts."""

    phrase: str
    before_count: float
    after_count: float
    before_words: float
    after_words: float
    per: float = 1000

    @property
    def before_rate(self) -> float:
        """Uses per ``per`` words before (0 when there was no writing)."""
        return _rate(self.before_count, self.before_words, self.per)

    @property
    def after_rate(self) -> float:
        return _rate(self.after_count, self.after_words, self.per)

    @property
    def change(self) -> float:
        """Change in uses per ``per`` words (positive: used more often now)."""
        return self.after_rate - self.before_rate


def _rate(count: float, words: float, per: float) -> float:
    return count / words * per if words > 0 else 0.0


def top_movers(
    before: Mapping[str, float],
    after: Mapping[str, float],
    words_before: float,
    words_after: float,
    n: int = 3,
    *,
    polarity: Mapping[str, int] | None = None,
    direction: int | None = None,
    min_count: float = 1,
    per: float = 1000,
) -> list[Mover]:
    """The phrases whose rate per ``per`` words moved most between two periods.

    Rates, not raw counts, are compared, so writing twice as much in May does
    not make every phrase look like it grew; the counts are kept for the
    sentence ("'had to': 14 times in March, 3 times in May"). A period without
    words counts as rate 0.

    Given the phrases' ``polarity`` (+1 for the high pole's cues, −1 for the low
    pole's) and a change's ``direction``, only the phrases that pushed that way
    are returned: a high-pole phrase used more, or a low-pole phrase used less.
    Phrases seen fewer than ``min_count`` times in both periods are ignored.
    Ties break by the larger count, then alphabetically, so output is stable.
    """
    _check_counts(words_before=words_before, words_after=words_after)
    movers = []
    for phrase in set(before) | set(after):
        b, a = float(before.get(phrase, 0)), float(after.get(phrase, 0))
        if max(a, b) < min_count:
            continue
        mover = Mover(phrase, b, a, float(words_before), float(words_after), per)
        if mover.change == 0:
            continue
        if direction is not None and polarity is not None:
            push = polarity.get(phrase, 0) * (1 if mover.change > 0 else -1)
            if push != direction:
                continue
        movers.append(mover)
    movers.sort(key=lambda m: (-abs(m.change), -max(m.before_count, m.after_count), m.phrase))
    return movers[:n]


def _times(count: float) -> str:
    if count == 0:
        return "not at all"
    if count == 1:
        return "once"
    if count == 2:
        return "twice"
    return f"{_number(count)} times"


def mover_text(
    mover: Mover,
    before_name: str,
    after_name: str,
    *,
    with_rates: bool | None = None,
    words_ratio_threshold: float = 1.5,
) -> str:
    """One mover in words: "'had to': 14 times in March, 3 times in May".

    Raw counts are what a person recognises. The rates per 1,000 words are
    added when the counts alone could mislead: one period holds more than
    ``words_ratio_threshold`` times the writing of the other, or the counts
    move the other way from the rate (or not at all). ``with_rates`` forces
    this on or off.
    """
    text = (
        f"'{mover.phrase}': {_times(mover.before_count)} in {before_name}, "
        f"{_times(mover.after_count)} in {after_name}"
    )
    if with_rates is None:
        small, large = sorted((mover.before_words, mover.after_words))
        unequal_writing = small > 0 and large / small > words_ratio_threshold
        count_change = mover.after_count - mover.before_count
        counts_disagree = count_change * mover.change <= 0 and mover.change != 0
        with_rates = unequal_writing or counts_disagree
    if with_rates:
        text += (
            f" ({mover.before_rate:.1f} and {mover.after_rate:.1f} per {_number(mover.per)} words)"
        )
    return text


def mover_counts(mover: Mover) -> str:
    """One mover as a short list item: "'had to': 28 → 9 times", with the rates per 1,000
    words after it when the two stretches hold unequal writing or the counts mislead."""
    after = _plural(mover.after_count, "time", "times")
    text = f"'{mover.phrase}': {_number(mover.before_count)} → {after}"
    small, large = sorted((mover.before_words, mover.after_words))
    counts_disagree = (mover.after_count - mover.before_count) * mover.change <= 0
    if (small > 0 and large / small > 1.5) or counts_disagree:
        rates = f"{mover.before_rate:.1f} → {mover.after_rate:.1f}"
        text += f" ({rates} per {_number(mover.per)} words)"
    return text


def change_headline(
    change: Change | None,
    poles: tuple[str | None, str],
    before_name: str,
    *,
    dimension: str | None = None,
) -> str:
    """The headline: "More choice language since March" or "No change beyond noise …".

    ``poles`` are the dimension's (low, high) labels, e.g. ("obligation", "choice");
    a one-sided dimension has ``None`` as its low label and is described as
    "less ripple language". The wording describes framing and never grades it:
    more of either pole is just "more … language".
    """
    low, high = poles
    if change is None:
        about = f" in {dimension}" if dimension else ""
        return f"No change beyond noise{about} since {before_name}"
    if change.direction > 0:
        return f"More {high} language since {before_name}"
    if low:
        return f"More {low} language since {before_name}"
    return f"Less {high} language since {before_name}"


def change_statement(
    change: Change | None,
    movers: Sequence[Mover] = (),
    *,
    poles: tuple[str | None, str],
    before_name: str,
    after_name: str,
    dimension: str | None = None,
) -> str:
    """The plain-language sentence for a change and the phrases behind it.

    "More choice language since March. 'had to': 14 times in March, 3 times in
    May; 'I chose': once in March, 9 times in May." When there is no change
    beyond noise, that is said, and no phrases are listed (listing them would
    suggest a movement that the numbers do not support).
    """
    headline = change_headline(change, poles, before_name, dimension=dimension)
    if change is None or not movers:
        return headline + "."
    details = "; ".join(mover_text(m, before_name, after_name) for m in movers)
    return f"{headline}. {details}."
