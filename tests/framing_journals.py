"""Journals built from labelled corpus passages, read by the real trends page (issue 10).

Does the trends page tell a person their framing moved when it really did, and stay quiet
when it did not? Each journal is 24 weeks of entries, a few a week on spread-out days, whose
texts are corpus passages (tests/data/corpus, loaded by ``tests.framing_eval``; a passage's
label is the mean of its two blind labels):

- **moving** journals, five per dimension (seeds): weeks 1-12 drawn from passages labelled
  on the low side of that dimension, weeks 13-24 from passages labelled on the high side
  (ripple, one-sided: none, then some). Their other dimensions are whatever those passages
  say.
- **steady** journals: passages drawn at random, without regard to any label (one per seed).

Each journal is written by a new person through the app's own ``create_entry`` (so the
analysis is stored as on any save) and read back from GET /trends/ with no options, the
default unit and range for that much writing (24 weeks, about four entries a week: by week,
everything). A moving journal is read right when its dimension's chart states a change the
way the labels moved, and a dimension moved when most of its moving journals are read right
(one journal is a coin toss of which passages it drew); a steady journal's false alarms are
every chart that states a change. Beside each dimension: the analyzer's own pooled reading of
all the low and all the high passages, so a miss can be told apart (a reading that barely
moves, or a change detection that does not see a moving one). Only aggregates are printed,
never a passage.

    .venv/bin/python -m tests.framing_journals                       # development writers
    .venv/bin/python -m tests.framing_journals --writers w13,w14,w15  # a fresh set, once

Run as a script, it works in a throwaway SQLite database of its own;
tests/test_framing_journals.py runs ``evaluate`` inside the test database.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from tests.framing_eval import DEV_WRITERS

# The writers anyone may run this on while developing (tests.framing_eval's development set).
DEV_JOURNAL_WRITERS = DEV_WRITERS
WEEKS = 24
PER_WEEK = 4  # the corpus's passages average about 80 words: four make a readable week
STEADY_SEEDS = (1, 2, 3, 4, 5)
MOVING_SEEDS = (0, 1, 2, 3, 4)
TIME_ZONE = "Europe/London"

_CHART = re.compile(
    r'<h3 id="trend-(?P<key>\w+)">[^<]*</h3>\s*'
    r'<p class="statement(?P<changed> changed)?">(?P<text>[^<]*)</p>'
)
_HEADLINE = re.compile(r'<p class="headline" id="trends-headline">(?P<text>[^<]*)</p>')
_CURRENT = re.compile(r'data-(?P<what>unit|range)="(?P<key>\w+)" aria-current="true"')


# ---------------------------------------------------------------------------
# Building journals (no database)
# ---------------------------------------------------------------------------


def is_low(dimension: str, label: float) -> bool:
    """The first half's passages: labelled below the scale's neutral point (ripple, which has
    nothing below it: at it, no outward influence)."""
    return label == 0 if dimension == "ripple" else label < 0


def is_high(dimension: str, label: float) -> bool:
    """The second half's: labelled above the neutral point."""
    return label > 0


@dataclass(frozen=True)
class Journal:
    """24 weeks of entries: (week 0-23, weekday 0-6, text), and the dimension that moves
    (None for a steady journal)."""

    name: str
    dimension: str | None
    entries: tuple[tuple[int, int, str], ...]
    reused: int = 0  # passages written twice because the pool was smaller than the journal


def _draw(pool: list[str], count: int, rng: random.Random) -> tuple[list[str], int]:
    """`count` passages from `pool`, each once while the pool lasts (then again, shuffled
    anew), and how many were repeats."""
    if not pool:
        raise ValueError("no passages to draw from")
    drawn: list[str] = []
    while len(drawn) < count:
        round_ = pool[:]
        rng.shuffle(round_)
        drawn += round_[: count - len(drawn)]
    return drawn, max(0, count - len(pool))


def _days(rng: random.Random, weeks: int, per_week: int) -> list[tuple[int, int]]:
    """`per_week` different days in each week, chosen at random, in order."""
    return [(w, d) for w in range(weeks) for d in sorted(rng.sample(range(7), per_week))]


def moving_journal(
    items: list[dict], dimension: str, seed: int = 0, per_week: int = PER_WEEK
) -> Journal:
    rng = random.Random(f"{seed}-{dimension}")
    half = WEEKS // 2 * per_week
    low = [i["text"] for i in items if is_low(dimension, i["labels"][dimension])]
    high = [i["text"] for i in items if is_high(dimension, i["labels"][dimension])]
    first, reused_low = _draw(low, half, rng)
    second, reused_high = _draw(high, half, rng)
    days = _days(rng, WEEKS, per_week)
    entries = tuple((w, d, text) for (w, d), text in zip(days, first + second, strict=True))
    return Journal(f"moving {dimension} seed {seed}", dimension, entries, reused_low + reused_high)


def steady_journal(items: list[dict], seed: int, per_week: int = PER_WEEK) -> Journal:
    rng = random.Random(f"{seed}-steady")
    texts, reused = _draw([i["text"] for i in items], WEEKS * per_week, rng)
    days = _days(rng, WEEKS, per_week)
    entries = tuple((w, d, text) for (w, d), text in zip(days, texts, strict=True))
    return Journal(f"steady seed {seed}", None, entries, reused)


def pool_sizes(items: list[dict], dimensions) -> dict[str, tuple[int, int]]:
    return {
        d: (
            sum(is_low(d, i["labels"][d]) for i in items),
            sum(is_high(d, i["labels"][d]) for i in items),
        )
        for d in dimensions
    }


def pooled_reading(dimension: str, analyses: list) -> float | None:
    """The analyzer's reading of many passages pooled, on the scale the change detection
    compares: (pos - neg) / (pos + neg), or for ripple cues per 1,000 words."""
    positive = sum(a.dimensions[dimension].positive for a in analyses)
    negative = sum(a.dimensions[dimension].negative for a in analyses)
    if dimension == "ripple":
        words = sum(a.word_count for a in analyses)
        return positive / words * 1000 if words else None
    total = positive + negative
    return (positive - negative) / total if total else None


def pool_readings(items: list[dict], dimensions) -> dict[str, tuple[float | None, float | None]]:
    """Per dimension, the analyzer's pooled reading of its low and of its high passages."""
    from reflect.framing import analyze

    read = [(i["labels"], analyze(i["text"])) for i in items]
    return {
        d: tuple(
            pooled_reading(d, [a for labels, a in read if side(d, labels[d])])
            for side in (is_low, is_high)
        )
        for d in dimensions
    }


# ---------------------------------------------------------------------------
# Writing them and reading the trends page (needs a database)
# ---------------------------------------------------------------------------


@dataclass
class Reading:
    """What the trends page said: each chart's statement, whether it states a change, and the
    page's headline."""

    headline: str
    statements: dict[str, str] = field(default_factory=dict)
    changed: dict[str, bool] = field(default_factory=dict)
    unit: str = ""
    range_key: str = ""


def parse_page(page: str) -> Reading:
    headline = _HEADLINE.search(page)
    reading = Reading(headline=html.unescape(headline["text"]) if headline else "")
    for match in _CHART.finditer(page):
        reading.statements[match["key"]] = html.unescape(match["text"])
        reading.changed[match["key"]] = bool(match["changed"])
    current = {m["what"]: m["key"] for m in _CURRENT.finditer(page)}
    reading.unit, reading.range_key = current.get("unit", ""), current.get("range", "")
    return reading


def direction(dimension: str, text: str) -> int:
    """+1 when a statement says more of the dimension's high pole, -1 for its low pole (or
    less of a one-sided one), 0 when it states no change."""
    from reflect.framing.dimensions import REGISTRY

    low, high = REGISTRY[dimension].poles
    if text.startswith(f"More {high} language"):
        return 1
    if (low and text.startswith(f"More {low} language")) or text.startswith(
        f"Less {high} language"
    ):
        return -1
    return 0


def read_journal(journal: Journal, email: str) -> Reading:
    """A new person writes the journal, entry by entry, through the app's own create_entry
    (analysis stored as on any save), and opens their trends page with no options."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from reflect.journal.models import create_entry

    user = get_user_model().objects.create_user(
        email, "a-long-and-unusual-passphrase-42", display_name="Journal", time_zone=TIME_ZONE
    )
    this_monday = user.today() - timedelta(days=user.today().weekday())
    first_monday = this_monday - timedelta(weeks=WEEKS)  # 24 whole weeks, ending last week
    for week, weekday, text in journal.entries:
        day: date = first_monday + timedelta(weeks=week, days=weekday)
        create_entry(author=user, body=text, written_on=day, prompt=None, draft=False)
    client = Client()
    client.force_login(user)
    response = client.get("/trends/")
    assert response.status_code == 200, response.status_code
    return parse_page(response.content.decode())


@dataclass
class Result:
    writers: tuple[str, ...]
    passages: int
    per_week: int
    pools: dict[str, tuple[int, int]]
    readings: dict[str, tuple[float | None, float | None]]
    moving: dict[str, list[Reading]]
    steady: dict[int, Reading]
    reused: dict[str, int]
    seconds: float = 0.0

    def read_right(self, dimension: str) -> int:
        """How many of the dimension's moving journals its chart told the change, the way
        the labels moved (up)."""
        return sum(
            r.changed.get(dimension, False) and direction(dimension, r.statements[dimension]) == 1
            for r in self.moving[dimension]
        )

    @property
    def moved(self) -> dict[str, bool]:
        """Per dimension: most of its moving journals were read right."""
        return {d: 2 * self.read_right(d) > len(rs) for d, rs in self.moving.items()}

    @property
    def wrong_way(self) -> dict[str, int]:
        """Per dimension: moving journals whose chart stated the opposite change."""
        return {
            d: n
            for d, rs in self.moving.items()
            if (n := sum(r.changed.get(d, False) and direction(d, r.statements[d]) == -1
                         for r in rs))
        }

    @property
    def false_alarms(self) -> dict[int, list[str]]:
        """Per steady journal: the dimensions whose chart stated a change."""
        return {seed: [d for d, c in r.changed.items() if c] for seed, r in self.steady.items()}


def evaluate(
    writers: tuple[str, ...] = DEV_JOURNAL_WRITERS,
    seeds: tuple[int, ...] = STEADY_SEEDS,
    per_week: int = PER_WEEK,
    moving_seeds: tuple[int, ...] = MOVING_SEEDS,
) -> Result:
    """Build, write and read every journal (needs a database: the test's, or the script's)."""
    from reflect.framing.lexicon import DIMENSIONS
    from tests.framing_eval import corpus_items

    started = time.perf_counter()
    items = corpus_items(writers)
    result = Result(
        writers=writers, passages=len(items), per_week=per_week,
        pools=pool_sizes(items, DIMENSIONS), readings=pool_readings(items, DIMENSIONS),
        moving={}, steady={}, reused={},
    )
    for n, dimension in enumerate(DIMENSIONS):
        result.moving[dimension] = []
        if not all(result.pools[dimension]):
            continue  # no passages on one side: no journal can move (the table says so)
        for seed in moving_seeds:
            journal = moving_journal(items, dimension, seed, per_week=per_week)
            email = f"moving{n}-{seed}@journals.example.com"
            result.moving[dimension].append(read_journal(journal, email))
            result.reused[journal.name] = journal.reused
    for seed in seeds:
        journal = steady_journal(items, seed, per_week=per_week)
        result.steady[seed] = read_journal(journal, f"steady{seed}@journals.example.com")
        result.reused[journal.name] = journal.reused
    result.seconds = time.perf_counter() - started
    return result


def _figure(dimension: str, value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}/1000w" if dimension == "ripple" else f"{value:+.2f}"


def format_result(result: Result) -> str:
    """The table: aggregates only (counts, the analyzer's pooled readings, never a passage)."""
    runs = max(map(len, result.moving.values()))
    first = [*result.steady.values(), *(r for rs in result.moving.values() for r in rs)][0]
    lines = [
        f"journals from {', '.join(result.writers)} ({result.passages} passages): {WEEKS} "
        f"weeks, {result.per_week} entries a week on random days, read from GET /trends/ "
        f"(default view: by {first.unit}, range {first.range_key})",
        f"{'dimension':18s} {'pools low/high':>14s} {'analyzer reads low -> high':>27s} "
        f"{'stated':>7s}  moved",
    ]
    moved = result.moved
    for dimension in result.moving:
        low, high = result.pools[dimension]
        read_low, read_high = result.readings[dimension]
        reads = f"{_figure(dimension, read_low)} -> {_figure(dimension, read_high)}"
        stated = f"{result.read_right(dimension)}/{runs}"
        lines.append(
            f"{dimension:18s} {f'{low}/{high}':>14s} {reads:>27s} {stated:>7s}  "
            f"{'yes' if moved[dimension] else 'no'}"
        )
    lines.append(
        f"moved: {sum(moved.values())}/{len(moved)} dimensions (stated: of {runs} moving "
        "journals each, how many the chart told the change, the right way; moved: most)"
    )
    if result.wrong_way:
        said = ", ".join(f"{d} {n}" for d, n in result.wrong_way.items())
        lines.append(f"stated the opposite way: {said}")
    others = sum(
        c for d, rs in result.moving.items() for r in rs for k, c in r.changed.items() if k != d
    )
    charts = sum(len(r.changed) - 1 for rs in result.moving.values() for r in rs)
    lines.append(
        f"other dimensions' statements on the moving journals (not scored): {others} of {charts}"
    )
    alarms = result.false_alarms
    total = sum(len(d) for d in alarms.values())
    named = sorted({d for dims in alarms.values() for d in dims})
    charts = sum(len(r.changed) for r in result.steady.values())
    lines.append(
        f"false alarms: {total} change statements on {charts} charts of {len(alarms)} steady "
        f"journals{' (' + ', '.join(named) + ')' if named else ''}"
    )
    reused = {k: v for k, v in result.reused.items() if v}
    if reused:
        lines.append(
            f"passages written twice (a pool smaller than half a journal): {len(reused)} "
            f"journals, {sum(reused.values())} entries"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# As a script: a throwaway SQLite database
# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", default=",".join(DEV_JOURNAL_WRITERS))
    parser.add_argument("--per-week", type=int, default=PER_WEEK)
    parser.add_argument("--seeds", type=int, default=len(STEADY_SEEDS))
    args = parser.parse_args(argv)
    writers = tuple(w.strip() for w in args.writers.split(",") if w.strip())

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    folder = tempfile.mkdtemp(prefix="reflect-journals-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/journals.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflect.settings")
    os.environ["DEBUG"] = "true"

    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    load = os.getloadavg()
    result = evaluate(writers, tuple(range(1, args.seeds + 1)), args.per_week)
    print(format_result(result))
    print(
        f"{result.seconds:.0f} s for {sum(map(len, result.moving.values())) + len(result.steady)}"
        " journals "
        f"(load average {load[0]:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    for path in Path(folder).iterdir():
        path.unlink()
    os.rmdir(folder)


if __name__ == "__main__":
    main()
