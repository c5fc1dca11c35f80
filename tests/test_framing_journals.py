"""A journal whose framing really moves gets a change statement on its trends page; a writer
whose framing does not move gets none (issue 10). The journals are built from labelled corpus
passages by tests/framing_journals.py, written through the app and read from GET /trends/.

Issue 10's bar is a statement on at least 6 of the 7 dimensions and none on steady writers.
On the development writers today (w01-w24, 5 moving journals per dimension, 4 entries a week,
the trends page's change test at 84 % intervals): 5/7 dimensions, 0 false alarms. Ripple misses
(0 of 5 journals): the analyzer reads its low passages at 3.5 cues per 1,000 words and the high
ones at 6.6, and 8 weeks of a one-sided rate rarely clear the noise. fixed_growth misses (0 of
5) although its pools read -0.27 -> +0.44: since the lexicon lines readers rejected as marks
("next week", "first time", "yet", "practice") were turned off, a journal has few growth cues,
too few for the intervals. With the change test at 95 % (before the third session of
2026-12-06) the development journals of w01-w12 gave 4/7, at 84 % 6/7 (before those lines
were turned off). Fresh claims, each run once: w13-w15 3/7 (action_vision 3/5,
obligation_agency 4/5, tone 5/5); w16-w18 0/7 (the analyzer reads their low and high pools
only -0.22 -> +0.20 to -0.15 -> +0.35 apart); w19-w21 2/7 (action_vision 4/5,
self_collective 3/5; pools -0.28 -> +0.32 for action_vision, -0.11 -> +0.30 for
fixed_growth, -0.13 -> +0.25 for tone); w22-w24 3/7 (action_vision, self_collective and
obligation_agency 5/5 each; position_choice, ripple and fixed_growth 0/5, tone 2/5); w25-w27
(fifth session, after the layer learned to weigh each dimension's rule evidence in the others)
2/7 (action_vision and obligation_agency 5/5; tone 2/5, self_collective 1/5, the rest 0/5;
position_choice pools read -0.19 -> +0.41 but only 19 low passages); w28-w30 (the same
analyzer's scores) 3/7 (action_vision 3/5, obligation_agency 5/5, tone 4/5). 0 false alarms in
every run.
"""

from datetime import date, timedelta

import pytest

from reflect.framing import DIMENSIONS
from reflect.trends import series as s
from tests import framing_journals as fj

# ---------------------------------------------------------------------------
# How journals are built (synthetic passages: no corpus text)
# ---------------------------------------------------------------------------


def _items(n=120):
    """Passages labelled -1, 0 or 1 in turn on every dimension (ripple 0 or 2)."""
    items = []
    for i in range(n):
        label = (i % 3) - 1
        labels = {d: label for d in DIMENSIONS}
        labels["ripple"] = 2 if label > 0 else 0
        items.append({"text": f"passage {i} {label}", "labels": labels})
    return items


def test_it_builds_a_moving_journal_from_low_passages_then_high_ones():
    items = _items()
    by_text = {i["text"]: i["labels"] for i in items}

    journal = fj.moving_journal(items, "obligation_agency")

    assert len(journal.entries) == fj.WEEKS * fj.PER_WEEK
    first_half = [t for w, _, t in journal.entries if w < fj.WEEKS // 2]
    second_half = [t for w, _, t in journal.entries if w >= fj.WEEKS // 2]
    assert all(by_text[t]["obligation_agency"] < 0 for t in first_half)
    assert all(by_text[t]["obligation_agency"] > 0 for t in second_half)
    for week in range(fj.WEEKS):
        days = [d for w, d, _ in journal.entries if w == week]
        assert len(set(days)) == fj.PER_WEEK and all(0 <= d <= 6 for d in days)
    assert journal.reused == 2 * (fj.WEEKS // 2 * fj.PER_WEEK - 40)  # 40 of each pole


def test_it_builds_steady_journals_without_regard_to_labels():
    items = _items()

    one, other = fj.steady_journal(items, 1), fj.steady_journal(items, 2)

    assert one.dimension is None and len(one.entries) == fj.WEEKS * fj.PER_WEEK
    assert [t for *_, t in one.entries] != [t for *_, t in other.entries]
    assert len({t for *_, t in one.entries}) == len(one.entries)  # none twice while they last


def test_it_reads_each_charts_statement_and_its_direction_from_the_page():
    page = (
        '<p class="headline" id="trends-headline">Over the past year you used more choice'
        ' language.</p><h3 id="trend-obligation_agency">Obligation and choice</h3>\n'
        '<p class="statement changed">More choice language since June–July.</p>'
        '<h3 id="trend-ripple">Ripple</h3> <p class="statement">No change beyond noise since'
        " June–July.</p>"
    )

    reading = fj.parse_page(page)

    assert reading.changed == {"obligation_agency": True, "ripple": False}
    assert fj.direction("obligation_agency", reading.statements["obligation_agency"]) == 1
    assert fj.direction("ripple", reading.statements["ripple"]) == 0
    assert fj.direction("ripple", "Less ripple language since May.") == -1
    assert fj.direction("tone", "More drained language since May.") == -1


# ---------------------------------------------------------------------------
# Which stretches a change statement compares (reflect/trends/series.py)
# ---------------------------------------------------------------------------


def test_it_compares_the_first_and_last_third_of_the_writing_even_when_early_weeks_are_thin():
    start = date(2026, 6, 15)
    starts = [start + timedelta(weeks=i) for i in range(24)]
    # Terse early weeks: 200 words, 2 obligation cues each (too thin for a point of their
    # own) with a sufficient week now and then; then 12 weeks of choice language.
    rows = {}
    for i, monday in enumerate(starts):
        early = i < 12
        words = 400 if (early and i % 4 == 1) or not early else 200
        rows[monday] = {
            "entries": 4, "words": words,
            "obligation_agency_pos": 0 if early else 5,
            "obligation_agency_neg": (3 if words == 400 else 2) if early else 1,
        }
    periods = s.build_periods("obligation_agency", rows, starts, "week")

    before, after = s.windows(periods, date(2026, 11, 30))

    assert (before.first, before.last) == (starts[0], starts[7] + timedelta(days=6))
    assert (after.first, after.last) == (starts[16], starts[23] + timedelta(days=6))
    assert before.negative == 2 * 6 + 3 * 2 and before.positive == 0  # thin weeks pooled too
    change = s.detect("obligation_agency", before, after)
    assert change is not None and change.direction == 1


def test_it_compares_at_most_a_season_then_with_a_season_now():
    starts = [date(2025, 1, 6) + timedelta(weeks=i) for i in range(52)]
    rows = {m: {"entries": 3, "words": 400, "obligation_agency_pos": 2,
                "obligation_agency_neg": 2} for m in starts}
    periods = s.build_periods("obligation_agency", rows, starts, "week")

    before, after = s.windows(periods, date(2025, 12, 31))

    assert (before.last - before.first).days + 1 == 13 * 7
    assert (after.last - after.first).days + 1 == 13 * 7
    assert s.detect("obligation_agency", before, after) is None


# ---------------------------------------------------------------------------
# The corpus journals through the real app
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_states_a_change_when_a_journal_moves_and_none_when_it_does_not():
    result = fj.evaluate(fj.DEV_JOURNAL_WRITERS)
    print("\n" + fj.format_result(result))

    # Every journal is read as the page reads it: 24 weeks of four entries a week open by
    # week, everything.
    readings = [r for rs in result.moving.values() for r in rs] + list(result.steady.values())
    assert {(r.unit, r.range_key) for r in readings} == {("week", "all")}
    assert all(set(r.changed) == set(DIMENSIONS) for r in readings)
    # Writers whose framing does not move are never told it did.
    assert result.false_alarms == {seed: [] for seed in fj.STEADY_SEEDS}
    # A moving journal is never told it moved the other way.
    assert result.wrong_way == {}
    # Issue 10 asks 6 of 7. Since the periods are also read one by one (series.detect,
    # stats.detect_mean_change; 2026-12-07) all seven move here, ripple on 3 of 5 journals
    # (fixed_growth and ripple missed before, on 0 and 4 of 5): the floor is 6, the message
    # names what missed.
    missed = [d for d, yes in result.moved.items() if not yes]
    assert len(DIMENSIONS) - len(missed) >= 6, f"no change statement on {missed}"
