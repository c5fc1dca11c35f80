"""Specification of reflect.lib.charts: SVG geometry computed in Python, drawn by templates."""

import re

import pytest

from reflect.lib.charts import LineChart, Padding, Point, line_chart, sparkline


def _series(values, overrides=None):
    """Points with value = smoothed, a ±0.2 band, all sufficient unless overridden."""
    points = []
    for i, v in enumerate(values):
        fields = {
            "label": f"W{i + 1}",
            "x": i,
            "value": v,
            "low": None if v is None else v - 0.2,
            "high": None if v is None else v + 0.2,
            "smoothed": v,
            "href": f"/entries/?week={i + 1}",
        }
        fields.update((overrides or {}).get(i, {}))
        points.append(Point(**fields))
    return points


def _segments(path_d):
    return [segment.strip() for segment in re.split(r"(?=M)", path_d) if segment.strip()]


def _coordinates(path_d):
    return [(float(x), float(y)) for x, y in re.findall(r"[ML](-?[\d.]+) (-?[\d.]+)", path_d)]


# --- Scale --------------------------------------------------------------------


def test_it_draws_a_higher_value_higher_up():
    chart = line_chart(_series([-0.5, 0.5]))
    low_dot, high_dot = chart.dots
    assert high_dot.cy < low_dot.cy


def test_it_maps_the_ends_of_the_range_to_the_edges_of_the_plot():
    chart = line_chart(_series([1.0, -1.0]), height=120, padding=Padding(top=8, bottom=18))
    assert [d.cy for d in chart.dots] == [8.0, 102.0]
    assert chart.zero_y == 55.0


def test_it_spreads_the_periods_across_the_plot_from_left_to_right():
    chart = line_chart(_series([0.0, 0.0, 0.0]), width=320, padding=Padding(left=26, right=8))
    assert [d.cx for d in chart.dots] == [26.0, 169.0, 312.0]


def test_it_sorts_points_by_their_period_index():
    chart = line_chart(list(reversed(_series([-0.5, 0.5]))))
    assert [d.label for d in chart.dots] == ["W1", "W2"]


def test_it_clamps_values_outside_the_range_and_says_so():
    chart = line_chart(_series([3.0, -7.0, 0.5]))
    top, bottom, inside = chart.dots
    assert top.cy == chart.plot_top and top.clipped
    assert bottom.cy == chart.plot_bottom and bottom.clipped
    assert not inside.clipped


def test_it_rounds_coordinates_to_one_decimal_place():
    chart = line_chart(_series([0.123456, -0.654321, 0.3333]), width=301)
    numbers = re.findall(r"-?\d+(?:\.\d+)?", chart.path_d + " " + chart.band_d)
    assert numbers
    assert all(len(n.split(".")[1]) == 1 for n in numbers if "." in n)
    assert all(d.cy == round(d.cy, 1) and d.cx == round(d.cx, 1) for d in chart.dots)


def test_it_supports_a_one_sided_zero_to_one_scale():
    chart = line_chart(_series([0.0, 1.0]), y_min=0, y_max=1)
    assert chart.dots[0].cy == chart.plot_bottom
    assert chart.dots[1].cy == chart.plot_top
    assert [t.label for t in chart.y_ticks] == ["1", "0.5", "0"]


def test_it_rejects_an_empty_value_range():
    with pytest.raises(ValueError):
        line_chart([], y_min=1, y_max=1)


# --- Line and band ------------------------------------------------------------


def test_it_draws_the_smoothed_line_as_one_segment_without_gaps():
    chart = line_chart(_series([0.1, 0.2, 0.3, 0.4]))
    assert len(_segments(chart.path_d)) == 1
    assert chart.path_d.startswith("M") and chart.path_d.count(" L") == 3


def test_it_breaks_the_line_where_the_smoothed_value_is_missing():
    chart = line_chart(_series([0.1, 0.2, None, 0.4, 0.5]))
    assert len(_segments(chart.path_d)) == 2
    assert chart.path_d.count("M") == 2


def test_it_breaks_the_line_where_a_period_is_left_out():
    points = [p for p in _series([0.1, 0.2, 0.3, 0.4]) if p.x != 2]
    chart = line_chart(points)
    assert len(_segments(chart.path_d)) == 2


def test_it_draws_an_isolated_point_of_the_line_as_a_round_dot():
    chart = line_chart(_series([0.1, None, 0.3, 0.4]))
    first, second = _segments(chart.path_d)
    assert first.endswith("h0")
    assert " L" in second


def test_it_closes_the_band_around_the_values():
    chart = line_chart(_series([0.0, 0.5, 0.0]))
    (polygon,) = _segments(chart.band_d)
    assert polygon.endswith("Z")
    corners = _coordinates(polygon)
    assert len(corners) == 6  # along the highs, back along the lows
    for dot in chart.dots:
        ys = [y for x, y in corners if x == dot.cx]
        assert min(ys) < dot.cy < max(ys)


def test_it_breaks_the_band_at_gaps_too():
    chart = line_chart(_series([0.1, 0.2, None, 0.4, 0.5]))
    assert len(_segments(chart.band_d)) == 2
    assert chart.band_d.count("Z") == 2


def test_it_leaves_insufficient_periods_out_of_the_band_by_default():
    points = _series([0.1, 0.2, 0.3], {1: {"sufficient": False, "low": -1.0, "high": 1.0}})
    assert line_chart(points).band_d.count("Z") == 2
    assert line_chart(points, band_for_insufficient=True).band_d.count("Z") == 1


def test_it_gives_a_lone_interval_the_width_of_a_dot():
    chart = line_chart(_series([0.5]), dot_radius=3)
    xs = sorted({x for x, _ in _coordinates(chart.band_d)})
    assert xs[1] - xs[0] == pytest.approx(6)


# --- Dots ---------------------------------------------------------------------


def test_it_draws_faint_dots_for_insufficient_periods():
    points = _series([0.1, 0.2], {1: {"sufficient": False, "title": "only 120 words"}})
    chart = line_chart(points)
    assert [d.faint for d in chart.dots] == [False, True]
    assert chart.dots[1].title == "only 120 words"


def test_it_links_every_dot_to_its_entries_and_gives_it_a_title():
    chart = line_chart(_series([0.25]))
    (dot,) = chart.dots
    assert dot.href == "/entries/?week=1"
    assert dot.title == "W1: 0.25"


def test_it_draws_no_dot_for_a_withheld_value():
    chart = line_chart(_series([0.1, None, 0.3]))
    assert [d.label for d in chart.dots] == ["W1", "W3"]


def test_it_treats_nan_as_missing():
    chart = line_chart(_series([0.1, float("nan"), 0.3]))
    assert len(chart.dots) == 2
    assert len(_segments(chart.path_d)) == 2


def test_it_gives_each_dot_its_own_error_bar():
    (dot,) = line_chart(_series([0.0])).dots
    assert dot.high_y < dot.cy < dot.low_y


# --- Axes and baseline --------------------------------------------------------


def test_it_marks_the_baseline_on_the_same_scale():
    chart = line_chart(_series([0.0, 0.5]), baseline=0.5)
    assert chart.baseline_y == chart.dots[1].cy
    assert line_chart(_series([0.0])).baseline_y is None


def test_it_ticks_the_ends_and_the_middle_of_a_bipolar_axis():
    chart = line_chart(_series([0.0]))
    assert [(t.value, t.label) for t in chart.y_ticks] == [(1, "1"), (0, "0"), (-1, "-1")]
    assert chart.y_ticks[0].y < chart.y_ticks[1].y < chart.y_ticks[2].y


def test_it_labels_every_period_when_there_are_few():
    chart = line_chart(_series([0.0] * 4))
    assert [t.label for t in chart.x_ticks] == ["W1", "W2", "W3", "W4"]


def test_it_thins_the_period_labels_to_at_most_six_always_keeping_the_latest():
    chart = line_chart(_series([0.0] * 13))
    labels = [t.label for t in chart.x_ticks]
    assert 2 <= len(labels) <= 6
    assert labels[-1] == "W13"


def test_it_thins_long_labels_further_so_they_do_not_overlap():
    points = [Point(label=f"2025-W{i:02}", x=i, value=0.0) for i in range(52)]
    ticks = line_chart(points, width=320).x_ticks
    label_width = len("2025-W00") * 6.0
    gaps = [b.x - a.x for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) <= 6
    assert min(gaps) >= label_width


def test_it_keeps_edge_labels_inside_the_chart():
    points = [Point(label=f"2025-W{i:02}", x=i, value=0.0) for i in range(52)]
    ticks = line_chart(points).x_ticks
    assert ticks[-1].anchor == "end"


def test_it_gives_the_svg_its_view_box():
    chart = line_chart([], width=320, height=120)
    assert chart.viewBox == chart.view_box == "0 0 320 120"


# --- Edge cases ---------------------------------------------------------------


def test_it_draws_nothing_but_the_axes_for_no_points():
    chart = line_chart([])
    assert isinstance(chart, LineChart)
    assert chart.is_empty
    assert (chart.path_d, chart.band_d, chart.dots, chart.x_ticks) == ("", "", (), ())
    assert chart.y_ticks


def test_it_draws_nothing_when_every_value_is_missing():
    chart = line_chart(_series([None, None, None]))
    assert chart.is_empty and chart.band_d == ""


def test_it_centres_a_single_point():
    chart = line_chart(_series([0.0]), width=320, padding=Padding(left=20, right=20))
    (dot,) = chart.dots
    assert dot.cx == 160.0
    assert chart.path_d == f"M160 {dot.cy:g} h0"


# --- Sparkline ----------------------------------------------------------------


def test_it_draws_a_sparkline_across_the_box():
    d = sparkline([-1.0, 0.0, 1.0], width=120, height=24)
    assert d == "M2 22 L60 12 L118 2"


def test_it_breaks_the_sparkline_at_gaps():
    d = sparkline([0.1, 0.2, None, 0.3, 0.4])
    assert d.count("M") == 2


def test_it_clamps_the_sparkline_to_its_box():
    d = sparkline([5.0, -5.0], width=120, height=24)
    assert d == "M2 2 L118 22"


def test_it_draws_an_empty_or_missing_sparkline_as_nothing():
    assert sparkline([]) == ""
    assert sparkline([None, None]) == ""


def test_it_draws_a_single_sparkline_value_as_a_dot_in_the_middle():
    assert sparkline([0.0], width=120, height=24) == "M60 12 h0"
