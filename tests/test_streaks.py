"""Writing streaks: a pure function of the days written and today, no database."""

from datetime import date, timedelta

from reflect.lib.streaks import streaks

TODAY = date(2026, 3, 10)


def days_ago(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in offsets]


def test_it_has_no_streak_without_entries():
    assert streaks([], TODAY) == (0, 0)


def test_it_counts_today_alone():
    assert streaks(days_ago(0), TODAY) == (1, 1)


def test_it_counts_a_run_up_to_today():
    assert streaks(days_ago(0, 1, 2, 3), TODAY) == (4, 4)


def test_it_keeps_the_streak_while_today_is_unwritten():
    assert streaks(days_ago(1, 2, 3), TODAY) == (3, 3)


def test_it_ends_the_streak_after_a_missed_day():
    assert streaks(days_ago(2, 3, 4), TODAY) == (0, 3)


def test_it_finds_the_longest_run_in_the_past():
    written = days_ago(0, 1) + days_ago(10, 11, 12, 13, 14) + days_ago(20)
    assert streaks(written, TODAY) == (2, 5)


def test_it_counts_several_entries_on_one_day_once():
    assert streaks(days_ago(0, 0, 0, 1, 1), TODAY) == (2, 2)


def test_it_accepts_days_in_any_order_and_any_iterable():
    assert streaks(iter(days_ago(3, 0, 2, 1)), TODAY) == (4, 4)


def test_it_lets_a_back_dated_entry_fill_a_gap():
    before = days_ago(0, 1, 3, 4)
    assert streaks(before, TODAY) == (2, 2)
    assert streaks([*before, TODAY - timedelta(days=2)], TODAY) == (5, 5)


def test_it_crosses_month_and_year_ends_and_leap_days():
    written = [date(2023, 12, 30), date(2023, 12, 31), date(2024, 1, 1), date(2024, 2, 28),
               date(2024, 2, 29), date(2024, 3, 1)]
    assert streaks(written, date(2024, 3, 2)) == (3, 3)
    assert streaks([date(2025, 2, 28), date(2025, 3, 1)], date(2025, 3, 1)) == (2, 2)


def test_it_counts_a_day_after_today_into_the_run_it_touches():
    # Written in Tokyo on what was already the 11th, then read from London on the 10th.
    written = days_ago(-1, 0, 1)
    assert streaks(written, TODAY) == (3, 3)


def test_it_depends_on_the_writers_today():
    written = [date(2026, 3, 8), date(2026, 3, 9)]
    assert streaks(written, date(2026, 3, 10)) == (2, 2)  # London, late evening of the 10th
    assert streaks(written, date(2026, 3, 11)) == (0, 2)  # Tokyo, already the 11th


def test_it_handles_decades_of_daily_entries_quickly():
    written = [TODAY - timedelta(days=n) for n in range(365 * 40) if n % 400 != 399]
    current, longest = streaks(written, TODAY)
    assert current == 399 and longest == 399


def _streaks_before(days, today):
    """streaks as it was before it counted runs by ordinal less index."""
    ordered = sorted(set(days))
    if not ordered:
        return 0, 0
    longest = run = 1
    run_of = {}
    run_start = 0
    for i in range(1, len(ordered) + 1):
        if i < len(ordered) and ordered[i] - ordered[i - 1] == timedelta(days=1):
            run += 1
            continue
        for day in ordered[run_start:i]:
            run_of[day] = run
        longest = max(longest, run)
        run, run_start = 1, i
    return run_of.get(today) or run_of.get(today - timedelta(days=1)) or 0, longest


def test_it_counts_as_before_on_random_days():
    import random

    rng = random.Random(14)
    for _ in range(2_000):
        today = date(2026, 1, 1) + timedelta(days=rng.randint(-400, 400))
        span = rng.choice([3, 10, 60, 800])
        days = [today + timedelta(days=rng.randint(-span, 3)) for _ in range(rng.randint(0, 90))]
        assert streaks(days, today) == _streaks_before(days, today), (days, today)
