"""Specification of reflect.lib.stats: uncertainty, smoothing and change on pooled counts."""

import math
from statistics import NormalDist

import pytest

from reflect.lib.stats import (
    Change,
    Pooled,
    Sufficiency,
    baseline,
    beta_cdf,
    beta_ppf,
    change_headline,
    change_statement,
    detect_change,
    detect_mean_change,
    detect_rate_change,
    ewma,
    gamma_ppf,
    is_sufficient,
    mover_text,
    pool,
    proportion_interval,
    rate_interval,
    t_ppf,
    top_movers,
)

QUANTILES = [1e-6, 0.001, 0.025, 0.05, 0.3, 0.5, 0.77, 0.95, 0.975, 0.999, 1 - 1e-6]
SHAPES = [0.5, 1.0, 2.5, 7.0, 40.0, 1500.0]


# --- Beta and Gamma quantiles -------------------------------------------------


@pytest.mark.parametrize("q", QUANTILES)
def test_it_gives_q_itself_for_the_uniform_beta_1_1(q):
    assert beta_ppf(q, 1, 1) == pytest.approx(q, abs=1e-9)


@pytest.mark.parametrize("a", SHAPES)
@pytest.mark.parametrize("q", QUANTILES)
def test_it_matches_the_closed_form_of_beta_a_1(q, a):
    assert beta_ppf(q, a, 1) == pytest.approx(q ** (1 / a), abs=1e-8)


@pytest.mark.parametrize("b", SHAPES)
@pytest.mark.parametrize("q", QUANTILES)
def test_it_matches_the_closed_form_of_beta_1_b(q, b):
    assert beta_ppf(q, 1, b) == pytest.approx(1 - (1 - q) ** (1 / b), abs=1e-8)


@pytest.mark.parametrize("a, b", [(0.5, 3.5), (4.5, 14.5), (15.5, 3.5), (2.25, 9.0), (300, 120)])
@pytest.mark.parametrize("q", QUANTILES)
def test_it_is_symmetric_when_the_shapes_swap(q, a, b):
    assert beta_ppf(q, a, b) == pytest.approx(1 - beta_ppf(1 - q, b, a), abs=1e-8)


@pytest.mark.parametrize("q", QUANTILES)
def test_it_matches_the_arcsine_law_for_beta_half_half(q):
    assert beta_ppf(q, 0.5, 0.5) == pytest.approx(math.sin(math.pi * q / 2) ** 2, abs=1e-8)


@pytest.mark.parametrize("a, b", [(1, 1), (0.5, 0.5), (4.5, 14.5), (2000.5, 1000.5)])
@pytest.mark.parametrize("q", QUANTILES)
def test_it_inverts_the_incomplete_beta_function(q, a, b):
    assert beta_cdf(beta_ppf(q, a, b), a, b) == pytest.approx(q, abs=1e-9)


def test_it_agrees_with_the_binomial_sum_for_integer_shapes():
    # I_x(a, b) = P(Binomial(a + b - 1, x) >= a) for integer shapes.
    a, b, x = 4, 7, 0.37
    n = a + b - 1
    binomial_tail = sum(math.comb(n, k) * x**k * (1 - x) ** (n - k) for k in range(a, n + 1))
    assert beta_cdf(x, a, b) == pytest.approx(binomial_tail, abs=1e-12)


def test_it_returns_the_ends_of_the_support_for_q_0_and_1():
    assert beta_ppf(0, 3, 4) == 0.0
    assert beta_ppf(1, 3, 4) == 1.0


def test_it_rejects_shapes_that_are_not_positive():
    with pytest.raises(ValueError):
        beta_ppf(0.5, 0, 1)
    with pytest.raises(ValueError):
        beta_ppf(0.5, 1, -2)


@pytest.mark.parametrize("q", QUANTILES)
def test_it_matches_the_exponential_law_for_gamma_1(q):
    assert gamma_ppf(q, 1) == pytest.approx(-math.log1p(-q), rel=1e-9)


@pytest.mark.parametrize("q", QUANTILES)
def test_it_matches_the_chi_square_law_for_gamma_half(q):
    z = NormalDist().inv_cdf((1 + q) / 2)
    assert gamma_ppf(q, 0.5) == pytest.approx(z * z / 2, rel=1e-7, abs=1e-12)


# --- Intervals ----------------------------------------------------------------


def test_it_maps_the_jeffreys_interval_onto_the_score_scale():
    low, high = proportion_interval(15, 3, level=0.9)
    assert low == pytest.approx(2 * beta_ppf(0.05, 15.5, 3.5) - 1)
    assert high == pytest.approx(2 * beta_ppf(0.95, 15.5, 3.5) - 1)


@pytest.mark.parametrize(
    "positive, negative", [(15, 3), (3, 14), (5, 5), (0, 4), (6, 0), (2.5, 1.5)]
)
def test_it_contains_the_point_estimate(positive, negative):
    score = (positive - negative) / (positive + negative)
    low, high = proportion_interval(positive, negative)
    assert -1 <= low <= score <= high <= 1


def test_it_narrows_as_counts_grow():
    widths = [
        high - low for low, high in (proportion_interval(3 * k, 2 * k) for k in (1, 4, 16, 64))
    ]
    assert widths == sorted(widths, reverse=True)
    assert widths[-1] < widths[0] / 4


def test_it_widens_with_a_higher_level():
    low_90, high_90 = proportion_interval(8, 4, level=0.9)
    low_99, high_99 = proportion_interval(8, 4, level=0.99)
    assert low_99 < low_90 and high_99 > high_90


def test_it_admits_knowing_nothing_when_there_are_no_cues():
    assert proportion_interval(0, 0) == (-1.0, 1.0)


def test_it_reaches_the_pole_when_all_cues_point_one_way():
    assert proportion_interval(0, 6)[0] == -1.0
    assert proportion_interval(6, 0)[1] == 1.0


def test_it_accepts_fractional_cue_weights():
    low, high = proportion_interval(2.5, 1.25)
    assert -1 < low < 1 / 3 < high < 1


def test_it_rejects_negative_counts_and_impossible_levels():
    with pytest.raises(ValueError):
        proportion_interval(-1, 3)
    with pytest.raises(ValueError):
        proportion_interval(1, 3, level=1.0)


def test_it_gives_a_rate_interval_per_thousand_words_around_the_observed_rate():
    low, high = rate_interval(6, 2000, level=0.9)
    assert low < 3.0 < high  # 6 cues in 2000 words = 3 per 1000
    assert low == pytest.approx(gamma_ppf(0.05, 6.5) / 2)
    assert high == pytest.approx(gamma_ppf(0.95, 6.5) / 2)


def test_it_narrows_the_rate_interval_as_writing_grows():
    small = rate_interval(3, 1000)
    large = rate_interval(300, 100_000)
    assert large[1] - large[0] < (small[1] - small[0]) / 5


def test_it_starts_the_rate_interval_at_zero_when_no_cue_was_seen():
    low, high = rate_interval(0, 1000)
    assert low == 0.0 and 0 < high < 3


def test_it_admits_knowing_nothing_about_a_rate_without_words():
    assert rate_interval(0, 0) == (0.0, math.inf)


def test_it_scales_rates_to_the_requested_unit():
    per_thousand = rate_interval(6, 2000)
    per_word = rate_interval(6, 2000, per=1)
    assert per_word[1] == pytest.approx(per_thousand[1] / 1000)


# --- Smoothing ----------------------------------------------------------------


def test_it_smooths_with_the_stated_weight():
    assert ewma([0.0, 1.0], alpha=0.4) == [0.0, pytest.approx(0.4)]


def test_it_says_nothing_before_the_first_value():
    assert ewma([None, None, 0.5]) == [None, None, 0.5]


def test_it_skips_a_withheld_point_without_pulling_toward_zero():
    smoothed = ewma([0.8, None, 0.8])
    assert smoothed == [0.8, 0.8, pytest.approx(0.8)]


def test_it_continues_from_the_last_value_after_a_gap():
    with_gap = ewma([0.0, None, None, 1.0])
    without_gap = ewma([0.0, 1.0])
    assert with_gap[-1] == pytest.approx(without_gap[-1])


def test_it_ends_the_line_after_a_long_break_when_asked():
    assert ewma([1.0, None, None, None, 0.0], max_gap=2) == [1.0, 1.0, 1.0, None, 0.0]


def test_it_smooths_nothing_to_nothing():
    assert ewma([]) == []
    assert ewma([None, None]) == [None, None]


def test_it_rejects_a_weight_outside_zero_to_one():
    with pytest.raises(ValueError):
        ewma([1.0], alpha=0)


# --- Sufficiency and baseline -------------------------------------------------


def test_it_accepts_a_period_with_enough_words_and_cues():
    assert is_sufficient(250, 3) == (True, None)


def test_it_explains_a_period_with_too_few_words():
    assert is_sufficient(120, 5, period="this week") == (
        False,
        "only 120 words this week; 250 needed",
    )


def test_it_explains_a_period_with_too_few_cues():
    ok, reason = is_sufficient(400, 2, period="this week")
    assert not ok
    assert reason.startswith("only 2 cues")


def test_it_explains_both_shortfalls_at_once_and_in_the_singular():
    ok, reason = is_sufficient(1, 1, period="this month")
    assert not ok
    assert reason == "only 1 word and 1 cue this month; 250 words and 3 cues needed"


def test_it_says_no_writing_rather_than_only_zero_words():
    assert is_sufficient(0, 0, period="this week") == (False, "no writing this week")


def test_it_applies_custom_thresholds():
    rule = Sufficiency(min_words=100, min_cues=1)
    assert rule.check(100, 1) == (True, None)
    assert is_sufficient(99, 1, min_words=100, min_cues=1)[0] is False


def _period(positive, negative, words):
    return {"positive": positive, "negative": negative, "words": words, "entries": 1}


def test_it_pools_counts_rather_than_averaging_scores():
    pooled = pool([_period(9, 1, 900), _period(0, 1, 300)])
    assert pooled == Pooled(9, 2, 1200)
    # The average of the two scores would be (0.8 + -1) / 2 = -0.1; pooled it is 7/11.
    assert (pooled.positive - pooled.negative) / (pooled.positive + pooled.negative) > 0.6


def test_it_takes_the_baseline_from_the_first_sufficient_periods_only():
    periods = [
        _period(1, 0, 40),  # too little writing: passed over
        _period(2, 4, 300),
        _period(3, 3, 300),
        _period(1, 1, 300),  # too few cues (2 < 3): passed over
        _period(4, 2, 300),
        _period(5, 1, 300),
        _period(99, 0, 9000),  # after the first four sufficient ones: not used
    ]
    assert baseline(periods, first_n=4) == Pooled(14, 10, 1200)


def test_it_reads_baseline_periods_from_objects_too():
    class Row:
        def __init__(self, positive, negative, words):
            self.positive, self.negative, self.words = positive, negative, words

    assert baseline([Row(3, 1, 300)], first_n=4) == Pooled(3, 1, 300)


def test_it_has_no_baseline_without_a_sufficient_period():
    assert baseline([_period(1, 0, 40)]) is None
    assert baseline([]) is None


# --- Change -------------------------------------------------------------------


def test_it_detects_a_clear_move_toward_the_second_pole():
    change = detect_change(before=(4, 14), after=(15, 3))
    assert isinstance(change, Change)
    assert change.direction == 1
    assert change.before_score == pytest.approx(-10 / 18)
    assert change.after_score == pytest.approx(12 / 18)
    assert change.before_interval[1] < change.after_interval[0]


def test_it_detects_a_clear_move_toward_the_first_pole():
    change = detect_change(before=(15, 3), after=(4, 14))
    assert change is not None and change.direction == -1
    assert change.difference < 0


@pytest.mark.parametrize(
    "before, after",
    [
        ((1, 0), (0, 1)),
        ((0, 2), (2, 0)),  # fully reversed, but two cues a side prove nothing
        ((0, 3), (3, 0)),
        ((1, 3), (3, 1)),
        ((0, 0), (9, 1)),
    ],
)
def test_it_does_not_fire_on_tiny_samples(before, after):
    assert detect_change(before, after) is None


@pytest.mark.parametrize("scale", [1, 10, 1000])
def test_it_does_not_fire_on_equal_proportions(scale):
    assert detect_change((6 * scale, 4 * scale), (12 * scale, 8 * scale)) is None


def test_it_does_not_fire_on_a_difference_within_noise():
    assert detect_change((10, 10), (13, 7)) is None


def test_it_ignores_a_statistically_detectable_but_negligible_drift():
    assert detect_change((50_000, 50_000), (51_500, 48_500)) is None
    assert detect_change((50_000, 50_000), (51_500, 48_500), min_effect=0.0) is not None


def test_it_detects_a_real_change_in_a_cue_rate():
    change = detect_rate_change(before=(3, 3000), after=(30, 3000))
    assert change is not None and change.direction == 1
    assert change.before_score == pytest.approx(1.0)
    assert change.after_score == pytest.approx(10.0)


def test_it_counts_summed_cue_weights_in_the_unit_one_cue_weighs():
    """Ripple's weekly sums are cue weights, not counts: 4.5 of weight in 3,000 words made of
    cues weighing a third each is 13.5 cues, so its interval is a count of 13.5's, given back
    in the weights' unit like the rates."""
    before, after = (4.5, 3000), (13.5, 3000)
    assert detect_rate_change(before, after) is None  # read as 4.5 and 13.5 cues: noise
    change = detect_rate_change(before, after, unit=1 / 3)  # 13.5 and 40.5 cues: a change
    assert change is not None and change.direction == 1
    assert change.before_score == pytest.approx(1.5)
    assert change.after_score == pytest.approx(4.5)
    low, high = change.before_interval
    counted = rate_interval(13.5, 3000, 0.95, 1000)
    assert low < 1.5 < high
    assert (low, high) == pytest.approx((counted[0] / 3, counted[1] / 3))


def test_a_bipolar_change_counts_summed_cue_weights_in_the_unit_one_cue_weighs():
    """The trends' weekly sums are cue weights: 6 of weight for and 3 against, from cues
    weighing a third each, are 18 and 9 cues. Read as 6 and 3 cues, a turn from 6:3 to 3:6 is
    within the noise at 84 %; as 18:9 against 9:18 it is a change. The scores are ratios of the
    sums, the same in any unit; the intervals are the counted cues'."""
    before, after = (6, 3), (3, 6)
    assert detect_change(before, after, level=0.84) is None
    change = detect_change(before, after, level=0.84, unit=1 / 3)
    assert change is not None and change.direction == -1
    assert change.before_score == pytest.approx(1 / 3)
    assert change.after_score == pytest.approx(-1 / 3)
    assert change.before_interval == pytest.approx(proportion_interval(18, 9, 0.84))
    assert detect_change((6, 4), (4, 6), level=0.84, unit=1 / 3) is None  # 18:12, 12:18


def test_it_does_not_fire_on_a_rate_change_within_noise():
    assert detect_rate_change(before=(3, 1000), after=(5, 1000)) is None
    assert detect_rate_change(before=(30, 1000), after=(60, 2000)) is None
    assert detect_rate_change(before=(0, 0), after=(5, 1000)) is None


@pytest.mark.parametrize(("q", "df", "expected"), [
    # Tables (e.g. NIST/SEMATECH's), to their printed digits.
    (0.975, 10, 2.228138852), (0.995, 7, 3.499483297), (0.9, 30, 1.310415025),
    # Closed forms: df = 1 is Cauchy's tan(pi (q - 1/2)); df = 2 is (2q - 1) / sqrt(2q(1 - q)).
    (0.92, 1, math.tan(math.pi * 0.42)), (0.995, 2, 0.99 / math.sqrt(2 * 0.995 * 0.005)),
])
def test_it_computes_students_t_quantiles(q, df, expected):
    assert t_ppf(q, df) == pytest.approx(expected, rel=1e-8)


def test_the_t_quantile_approaches_the_normal_one():
    assert t_ppf(0.975, 100_000) == pytest.approx(NormalDist().inv_cdf(0.975), rel=1e-4)
    with pytest.raises(ValueError):
        t_ppf(0.4, 5)


def test_it_detects_a_change_between_stretches_read_period_by_period():
    """Weeks that each lean the same way, on cues too light to fill a pooled interval."""
    before = [-0.5, -0.4, -0.6, -0.3, -0.5, -0.45]
    after = [0.4, 0.3, 0.5, 0.2, 0.6, 0.35]
    change = detect_mean_change(before, after, level=0.99)
    assert change is not None and change.direction == 1
    assert change.before_score == pytest.approx(-0.4583333, abs=1e-6)
    lo, hi = change.before_interval
    assert lo < change.before_score < hi < change.after_interval[0]
    assert detect_mean_change(after, before, level=0.99).direction == -1


def test_periods_that_disagree_among_themselves_are_no_change():
    # The same means as a clear change, but each stretch's weeks swing both ways.
    before = [-1.0, 0.6, -1.0, 0.5, -1.0, -0.35]
    after = [1.0, -0.5, 1.0, -0.6, 1.0, 1.0]
    assert detect_mean_change(before, after, level=0.99) is None


def test_a_period_change_needs_enough_periods_and_a_real_size():
    assert detect_mean_change([-0.5, -0.5, -0.4], [0.5, 0.5, 0.4], level=0.99) is None
    # Weeks all alike: no spread, yet a difference below the minimum effect is no change.
    assert detect_mean_change([0.0] * 8, [0.15] * 8, level=0.99, min_effect=0.2) is None
    assert detect_mean_change([0.0] * 8, [0.25] * 8, level=0.99, min_effect=0.2) is not None
    # Rates: the larger must be min_ratio times the smaller.
    assert detect_mean_change([10, 10.1, 9.9, 10], [11, 11.1, 10.9, 11], 0.99, 0.0, 1.25) is None


# --- Movers and statements ----------------------------------------------------


def test_it_ranks_phrases_by_how_much_their_rate_moved():
    movers = top_movers(
        {"had to": 14, "I chose": 1, "we": 5, "never": 2},
        {"had to": 3, "I chose": 9, "we": 5, "never": 1},
        words_before=3000,
        words_after=3000,
        n=2,
    )
    assert [m.phrase for m in movers] == ["had to", "I chose"]
    assert (movers[0].before_count, movers[0].after_count) == (14, 3)
    assert movers[0].before_rate == pytest.approx(14 / 3)


def test_it_compares_rates_not_counts_when_the_amount_of_writing_differs():
    # Twice the writing, twice the uses: not a mover at all.
    movers = top_movers({"steady": 5, "rising": 2}, {"steady": 10, "rising": 12}, 1000, 2000)
    assert [m.phrase for m in movers] == ["rising"]


def test_it_keeps_only_the_phrases_that_pushed_in_the_direction_of_the_change():
    polarity = {"had to": -1, "I chose": 1, "I decided": 1}
    movers = top_movers(
        {"had to": 14, "I chose": 1, "I decided": 6},
        {"had to": 3, "I chose": 9, "I decided": 2},
        3000,
        3000,
        polarity=polarity,
        direction=1,
    )
    assert [m.phrase for m in movers] == ["had to", "I chose"]


def test_it_breaks_ties_between_movers_stably():
    movers = top_movers({"b": 2, "a": 2}, {}, 1000, 1000)
    assert [m.phrase for m in movers] == ["a", "b"]


def test_it_describes_a_mover_with_counts_a_person_recognises():
    mover = top_movers({"had to": 14}, {"had to": 3}, 3000, 3000)[0]
    assert mover_text(mover, "March", "May") == "'had to': 14 times in March, 3 times in May"


def test_it_says_once_twice_and_not_at_all():
    mover = top_movers({"I chose": 1}, {"I chose": 0}, 3000, 3000)[0]
    assert mover_text(mover, "March", "May") == "'I chose': once in March, not at all in May"
    mover = top_movers({"I chose": 2}, {"I chose": 9}, 3000, 3000)[0]
    assert mover_text(mover, "March", "May").startswith("'I chose': twice in March")


def test_it_adds_rates_when_the_amount_of_writing_differs_a_lot():
    mover = top_movers({"had to": 14}, {"had to": 3}, 3000, 1000)[0]
    assert mover_text(mover, "March", "May") == (
        "'had to': 14 times in March, 3 times in May (4.7 and 3.0 per 1,000 words)"
    )


def test_it_states_a_change_with_the_phrases_behind_it():
    change = detect_change((4, 14), (15, 3))
    movers = top_movers({"had to": 14, "I chose": 1}, {"had to": 3, "I chose": 9}, 3000, 3000)
    sentence = change_statement(
        change, movers, poles=("obligation", "choice"), before_name="March", after_name="May"
    )
    assert sentence == (
        "More choice language since March. 'had to': 14 times in March, 3 times in May; "
        "'I chose': once in March, 9 times in May."
    )


def test_it_names_the_first_pole_for_a_move_toward_it_without_judging():
    change = detect_change((15, 3), (4, 14))
    headline = change_headline(change, ("obligation", "choice"), "March")
    assert headline == "More obligation language since March"


def test_it_says_less_for_a_one_sided_dimension_moving_down():
    change = detect_rate_change((30, 3000), (3, 3000))
    assert change_headline(change, (None, "ripple"), "March") == "Less ripple language since March"


def test_it_says_so_when_nothing_changed_beyond_noise_and_lists_no_phrases():
    movers = top_movers({"had to": 3}, {"had to": 2}, 3000, 3000)
    sentence = change_statement(
        None,
        movers,
        poles=("obligation", "choice"),
        before_name="March",
        after_name="May",
        dimension="obligation and choice language",
    )
    assert sentence == "No change beyond noise in obligation and choice language since March."
