"""Trends: how a person's framing of their own leadership moves, explained down to the words.

The page's queries (at most ten at any size, with the session and the user): a summary of
the person's analyses (how many, since when, how many by an older analyzer, the latest);
the shared cache. Only when the cache has no charts for that summary: the
pooled sums per period with the weeks of the person's baseline (one query), the cue phrases
behind any change, the answers to each prompt pooled by half of the range, and the cache
write. Everything else is pure computation in ``reflect.trends.series`` and ``reflect.lib``.
"""

import csv
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from reflect import framing
from reflect.framing import DIMENSIONS
from reflect.framing.explain import highlight_html
from reflect.framing.models import Cue, Framing, monday
from reflect.journal.models import Entry, EntryTag
from reflect.journal.tags import normalise
from reflect.lib.bounded import in_bounds, parse_day
from reflect.lib.charts import LineChart, Padding, Point, line_chart
from reflect.lib.stats import mover_counts
from reflect.trends import series as s
from reflect.trends import sql as trends_sql

FRAMING_KEYS = [key for key in DIMENSIONS if key != "tone"]
MIN_ENTRIES_HINT = 10  # "trends appear after about two weeks of writing"


def _summary_sql() -> str:
    table = connections[Framing.objects.db].ops.quote_name(Framing._meta.db_table)
    return (
        "SELECT COUNT(*), MIN(written_on), "
        "COUNT(CASE WHEN analyzer_version <> %s THEN 1 END), MAX(computed_at) "
        f"FROM {table} WHERE author_id = %s"
    )


_SUMMARY_SQL = _summary_sql()


def _summary(user) -> dict:
    """How many analysed entries and since when, how many of them were read by an older
    analyzer, and the time of the latest analysis, in one query on the analyses alone (every
    saved entry has one: drafts and the trash have none). The statement is written out: it
    is `Framing.objects.for_user(user).live().aggregate(count=Count("pk"),
    first=Min("written_on"), stale=Count("pk", filter=~Q(analyzer_version=...)),
    analysed=Max("computed_at"))`, whose compilation cost more CPU than running it on
    every view of the page."""
    with connections[Framing.objects.db].cursor() as cursor:
        cursor.execute(_SUMMARY_SQL, [framing.ANALYZER_VERSION, user.pk])
        count, first, stale, analysed = cursor.fetchone()
    if isinstance(first, str):  # SQLite gives text
        first = date.fromisoformat(first)
    if isinstance(analysed, str):
        analysed = parse_datetime(analysed)
    if analysed is not None and analysed.tzinfo is None:
        analysed = analysed.replace(tzinfo=UTC)
    return {"count": count, "first": first, "stale": stale, "analysed": analysed}


def _options(request: HttpRequest, summary: dict, today: date) -> tuple[str, str, str]:
    """unit, range and tag from the query string; a missing or unknown unit or range comes
    from the person's own default (how much and how long they have written); a tag that is
    not one ("#", "a b") is no filter ("" is all writing)."""
    unit, range_key = s.default_view(summary["count"], summary["first"], today)
    asked_unit, asked_range = request.GET.get("unit"), request.GET.get("range")
    return (
        asked_unit if asked_unit in s.UNITS else unit,
        asked_range if asked_range in s.RANGES else range_key,
        normalise(request.GET.get("tag", "")) or "",
    )


def _tagged(queryset, user, tag: str, field: str = "entry_id"):
    """Only what belongs to the person's entries tagged `tag` (no tag: everything), as a
    subquery: no query of its own."""
    if not tag:
        return queryset
    tagged = EntryTag.objects.filter(author=user, name=tag).values("entry_id")
    return queryset.filter(**{f"{field}__in": tagged})


def _query(unit: str, range_key: str, tag: str = "") -> str:
    return urlencode({"unit": unit, "range": range_key, **({"tag": tag} if tag else {})})


def _period_rows(
    user, unit: str, first: date, last: date, tag: str = "", moods: bool = False
) -> dict[date, dict]:
    rows = (
        _tagged(Framing.objects.for_user(user).live(), user, tag)
        .filter(written_on__range=(first, last))
        .pooled_by(unit)
    )
    if moods:
        rows = rows.annotate(mood_total=Sum("entry__mood"), moods=Count("entry__mood"))
    return {s.as_date(row["period"]): row for row in rows}


def _rows_and_baseline(
    user, unit: str, first: date, last: date, first_day: date | None, tag: str = ""
) -> tuple[dict[date, dict], list[dict]]:
    """The pooled rows per period of the range, and the person's weeks of their first half
    year (where their own baseline is found, from the weekly totals), in one query. With a
    tag, only the tagged entries' rows, and no baseline (it is of all the writing)."""
    weeks = None
    if first_day is not None and not tag:
        since = monday(first_day)
        weeks = (since, since + timedelta(weeks=s.BASELINE_SEARCH_WEEKS))
    # The statement is written out in reflect.trends.sql (the ORM's union of two grouped
    # queries took longer to build and compile than to run).
    rows = trends_sql.rows_and_baseline(user.pk, unit, first, last, weeks, tag)
    periods, baseline = {}, []
    for row in rows:
        if row.pop("kind"):
            baseline.append(row)
        else:
            periods[s.as_date(row["period"])] = row
    baseline.sort(key=lambda row: row["period"])
    return periods, baseline


def _cue_counts(user, stretches: dict[str, tuple[s.Window, s.Window]], tag: str = "") -> dict:
    """{dimension: {(side, phrase, pole): count}} over each dimension's two stretches, in
    one grouped query (side 0: the earlier stretch, 1: the later one)."""
    if not stretches:
        return {}
    # Cues are of saved, untrashed entries only. The statement (a CASE of one condition per
    # stretch) is written out in reflect.trends.sql.
    rows = trends_sql.cue_counts(
        user.pk,
        [(key, side, window.first, window.last)
         for key, (before, after) in stretches.items()
         for side, window in enumerate((before, after))],
        tag,
    )
    counts: dict[str, dict] = {}
    for dimension, side, phrase, pole, uses in rows:
        counts.setdefault(dimension, {})[(side, phrase, pole)] = uses
    return counts


def _prompt_rows(user, first: date, middle: date, last: date, tag: str = "") -> list[dict]:
    """Per prompt answered in both halves of the range: answers, words and cue sums of each
    half (``then_<column>``, ``now_<column>``), most answered now first, at most ten.

    One query grouped by prompt and half: 16 plain sums, where filtered sums per half
    would be 64 aggregates for the ORM to compile on every request."""
    rows = trends_sql.prompt_rows(user.pk, first, middle, last, tag)
    merged: dict[int, dict] = {}
    for row in rows:
        half = "now" if row.pop("half") else "then"
        item = merged.setdefault(row["prompt_id"], {"prompt_id": row["prompt_id"]})
        item["prompt_text"] = row.pop("prompt_text")
        item.update({f"{half}_{key}": value for key, value in row.items() if key != "prompt_id"})
    both = [r for r in merged.values() if r.get("then_answers") and r.get("now_answers")]
    both.sort(key=lambda r: (-r["now_answers"], r["prompt_id"]))
    return both[:10]


@dataclass
class Chart:
    """One dimension on the page: its periods, geometry and the sentence about it."""

    dimension: s.Dimension
    periods: list[s.PeriodValue]
    geometry: LineChart
    baseline: float | None
    statement: str
    changed: bool
    headline: str = ""
    movers: list[str] | None = None
    mood_d: str = ""  # the person's own ratings, on the feelings chart
    mood_notes: list[str] | None = None
    change: object = None
    before: s.Window | None = None
    after: s.Window | None = None
    svg: str = ""  # the drawing, written by _svg once the statement is known


# The chart is drawn for a phone first: 600 units wide, its labels 20 units high (about
# 11 px on a 390 px screen); on a wider screen the CSS makes them smaller, never wider, so
# labels thinned for the phone never touch anywhere (tests/test_trends.py checks them all).
CHART_WIDTH, CHART_HEIGHT = 600, 280
LABEL_SIZE = 20
CHAR_WIDTH = LABEL_SIZE * 0.62  # a generous average for the system fonts' letters and digits
ROW = LABEL_SIZE + 6


def _chart(dimension: s.Dimension, periods: list[s.PeriodValue], base) -> LineChart:
    low, high = dimension.poles
    points = [
        Point(
            label=p.label, x=p.index, value=p.value, low=p.low, high=p.high,
            smoothed=p.smoothed, sufficient=p.sufficient,
        )
        for p in periods
    ]
    return line_chart(
        points, width=CHART_WIDTH, height=CHART_HEIGHT, y_min=dimension.y_min,
        y_max=dimension.y_max, padding=Padding(top=ROW, right=8, bottom=2 * ROW + 6, left=8),
        baseline=base, x_domain=(0, max(len(periods) - 1, 0)), char_width=CHAR_WIDTH,
        dot_radius=5.0 if len(periods) <= 60 else 3.5, poles=(low or "none", high),
        with_dots=False,
    )


def _n(value) -> str:
    """A number as the template printed it (`localize`): `str` for an int or a float without
    an exponent in this project's formats."""
    text = str(value)
    return localize(value) if "e" in text or "E" in text else text


def _svg(chart: Chart, unit_label: str, first: date, last: date) -> SafeString:
    """One chart's <svg>, as the template's chart partial drew it, every text escaped as the
    template did (conditional_escape): its
    few dozen numbers, localised one by one in the template, were most of the page's
    rendering time."""
    esc = conditional_escape
    g, d = chart.geometry, chart.dimension
    key, name = esc(d.key), esc(d.name)
    left, right = _n(g.plot_left), _n(g.plot_right)
    top, bottom = _n(g.plot_top), _n(g.plot_bottom)
    dense = " dense" if len(chart.periods) > 60 else ""
    mood = " Squares: your own ratings of your days." if chart.mood_d else ""
    low = "none" if d.one_sided else esc(d.low_label)
    span = f"{esc(date_format(first, 'M Y'))} to {esc(date_format(last, 'M Y'))}"
    tick_y = _n(int(g.height) - 6)
    lines = [
        f'<svg class="chart{dense}" viewBox="{esc(g.view_box)}" role="img" tabindex="0" '
        f'aria-labelledby="trend-{key}-title trend-{key}-desc">',
        f'<title id="trend-{key}-title">{name} {esc(unit_label)}, {span}</title>',
        f'<desc id="trend-{key}-desc">{esc(chart.statement)} Up: {esc(d.high_label)}; '
        f'down: {low}.{mood} The numbers follow the chart.</desc>',
        f'<line class="axis" x1="{left}" y1="{top}" x2="{right}" y2="{top}"/>',
        f'<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>',
        f'<line class="zero" x1="{left}" y1="{_n(g.zero_y)}" x2="{right}" y2="{_n(g.zero_y)}"/>'
        if g.zero_y is not None and not d.one_sided else "",
        "".join(
            f'<text class="pole" x="{left}" y="{_n(tick.y)}">{"▼" if i else "▲"} '
            f'{esc(tick.label)}</text>'
            for i, tick in enumerate(g.pole_ticks)
        ),
        "".join(
            f'<text class="tick" x="{_n(tick.x)}" y="{tick_y}" '
            f'text-anchor="{esc(tick.anchor)}">{esc(tick.label)}</text>'
            for tick in g.x_ticks
        ),
        f'<path class="band" d="{esc(g.band_d)}"/>' if g.band_d else "",
        f'<line class="baseline" x1="{left}" y1="{_n(g.baseline_y)}" x2="{right}" '
        f'y2="{_n(g.baseline_y)}"/>' if g.baseline_y is not None else "",
        f'<path class="line" d="{esc(g.path_d)}"/>' if g.path_d else "",
        f'<path class="dots faint" d="{esc(g.faint_d)}"/>' if g.faint_d else "",
        f'<path class="dots" d="{esc(g.dots_d)}"/>' if g.dots_d else "",
        f'<path class="dots mood" d="{esc(chart.mood_d)}"/>' if chart.mood_d else "",
    ]
    return SafeString("\n    ".join(lines) + "\n  </svg>")


def _mood_path(dimension: s.Dimension, periods: list[s.PeriodValue], ratings: list) -> str:
    """The person's own ratings as square marks on the feelings chart's own scale."""
    points = [
        Point(label=p.label, x=p.index, value=None if r is None else s.mood_scale(r))
        for p, r in zip(periods, ratings, strict=True)
    ]
    return line_chart(
        points, width=CHART_WIDTH, height=CHART_HEIGHT, y_min=dimension.y_min,
        y_max=dimension.y_max, padding=Padding(top=ROW, right=8, bottom=2 * ROW + 6, left=8),
        x_domain=(0, max(len(periods) - 1, 0)), max_x_labels=0, with_dots=False,
    ).dots_d


def _series(
    user, unit: str, range_key: str, today: date, summary: dict, tag: str = ""
) -> dict:
    """The charts of one person for a unit and range: two queries, then pure computation."""
    first, last, clipped = s.range_bounds(range_key, unit, today, summary["first"])
    rows, week_rows = _rows_and_baseline(user, unit, first, last, summary["first"], tag)
    starts = s.period_starts(first, last, unit)
    charts = []
    for key in DIMENSIONS:
        dimension = s.DIMENSION_INFO[key]
        periods = s.build_periods(key, rows, starts, unit)
        base = s.baseline_value(key, week_rows)
        stretch = s.windows(periods, today)
        charts.append(
            Chart(
                dimension=dimension,
                periods=periods,
                geometry=_chart(dimension, periods, base),
                baseline=base, statement="", changed=False,
                before=stretch[0] if stretch else None, after=stretch[1] if stretch else None,
            )
        )
    ratings = s.mood_ratings(rows, starts)
    if any(r is not None for r in ratings):
        feelings = next(c for c in charts if c.dimension.is_feeling)
        feelings.mood_d = _mood_path(feelings.dimension, feelings.periods, ratings)
        feelings.mood_notes = s.mood_disagreements(feelings.periods, ratings, today)
    entries_in_range = sum(int(row["entries"] or 0) for row in rows.values())
    shown = any(p.sufficient for chart in charts for p in chart.periods)
    return {
        "charts": charts,
        "first": first,
        "last": last,
        "clipped": clipped,
        "entry_count": summary["count"],
        "stale": summary["stale"],
        "entries_in_range": entries_in_range,
        "first_day": summary["first"],
        "has_charts": shown,
    }


def _explain(user, data: dict, tag: str = "") -> None:
    """Change statements, with the phrases behind each change (one query for all of them)."""
    changes = {}
    for chart in data["charts"]:
        if chart.before and chart.after:
            change = s.detect(chart.dimension.key, chart.before, chart.after)
            if change:
                changes[chart.dimension.key] = change
    stretches = {
        c.dimension.key: (c.before, c.after) for c in data["charts"] if c.dimension.key in changes
    }
    counts = _cue_counts(user, stretches, tag)
    for chart in data["charts"]:
        change = changes.get(chart.dimension.key)
        movers = []
        if change:
            phrases = counts.get(chart.dimension.key, {})
            movers = s.movers_for(change, chart.before, chart.after, phrases)
        chart.changed = change is not None
        chart.change = change
        chart.statement = s.statement(chart.dimension, change, chart.before, chart.after, movers)
        chart.headline = s.statement(chart.dimension, change, chart.before, chart.after)
        chart.movers = [mover_counts(m) for m in movers]


def _headline(data: dict, range_key: str, tag: str) -> str:
    """The page in a sentence, from the charts' own changes."""
    compared = [(c.dimension, c.change) for c in data["charts"] if c.before and c.after]
    opening = s.range_opening(range_key, data["first"])
    if tag:
        opening += f", in your #{tag} entries,"
    return s.page_headline(opening, compared)


def _links(unit: str, range_key: str, tag: str) -> dict:
    base = reverse("trends")
    return {
        "units": [
            {"key": k, "label": t, "href": f"{base}?{_query(k, range_key, tag)}",
             "current": k == unit}
            for k, t in s.UNITS.items()
        ],
        "ranges": [
            {"key": k, "label": t, "href": f"{base}?{_query(unit, k, tag)}",
             "current": k == range_key}
            for k, t in s.RANGES.items()
        ],
        "csv_href": f"{reverse('trends_csv')}?{_query(unit, range_key, tag)}",
        "numbers_href": f"{reverse('trends_numbers')}?{_query(unit, range_key, tag)}",
        "month_all_href": f"{base}?{_query('month', 'all', tag)}",
        "all_href": f"{base}?{_query(unit, 'all', tag)}",
        "untagged_href": f"{base}?{_query(unit, range_key)}",
    }


def _charts_context(
    user, unit: str, range_key: str, today: date, summary: dict, tag: str
) -> dict:
    """Everything the charts region shows: one to three queries, then pure computation."""
    data = _series(user, unit, range_key, today, summary, tag)
    middle = data["first"] + (min(data["last"], today) - data["first"]) / 2
    comparisons = []
    headline = ""
    if data["has_charts"]:
        _explain(user, data, tag)
        headline = _headline(data, range_key, tag)
        rows = _prompt_rows(user, data["first"], middle, data["last"], tag)
        comparisons = [s.compare_prompt(row) for row in rows]
        for chart in data["charts"]:
            chart.svg = _svg(chart, s.UNITS[unit].lower(), data["first"], data["last"])
    return {
        **data,
        **_links(unit, range_key, tag),
        "headline": headline,
        "tag": tag,
        "unit": unit,
        "unit_label": s.UNITS[unit].lower(),
        "range_key": range_key,
        "range_label": s.RANGES[range_key].lower(),
        "framing_charts": [c for c in data["charts"] if not c.dimension.is_feeling],
        "feeling_charts": [c for c in data["charts"] if c.dimension.is_feeling],
        "comparisons": comparisons,
        "middle": middle,
        "min_words": s.RULE.min_words,
        "min_cues": s.RULE.min_cues,
    }


# The charts region, rendered, is kept in the shared cache (settings.CACHES["shared"], the
# database: every process sees it) under a key that changes with anything it shows: the
# person, unit, range and day, how many analysed entries they have, how many wait for the
# new analyzer, the time of their latest analysis (every save, edit, move, trash, restore
# and re-analysis writes or deletes one), and the code and template that drew it.
CACHE_SECONDS = 3600  # an hour: a person reading and re-reading; gone soon after they leave
_TEMPLATE = Path(settings.BASE_DIR) / "templates" / "trends" / "trends.html"
_HERE = Path(__file__).resolve().parent
_CODE = hashlib.sha256(
    b"".join(
        path.read_bytes()
        for path in (
            _HERE / "views.py", _HERE / "series.py", _HERE / "templatetags" / "trends.py",
            _HERE.parent / "lib" / "charts.py", _HERE.parent / "lib" / "stats.py",
            _HERE.parent / "framing" / "dimensions.py",
        )
    )
).hexdigest()[:12]


def _cache_key(user, unit: str, range_key: str, tag: str, today: date, summary: dict) -> str:
    analysed = summary["analysed"].timestamp() if summary["analysed"] else 0
    drawn = f"{_CODE}.{_TEMPLATE.stat().st_mtime_ns}"
    return (
        f"trends:{drawn}:{user.pk}:{unit}:{range_key}:{tag}:{today}:{summary['count']}:"
        f"{summary['stale']}:{analysed}:{summary['first']}"
    )


def trends(request: HttpRequest) -> HttpResponse:
    """The person's own trends; an htmx request for another unit or range gets only the
    charts region (the links keep their ids, so htmx gives focus back to the one used).

    Queries: the session and the user, a summary of the person's entries, the shared cache;
    on a miss also the pooled rows with the baseline weeks, the phrases behind any change,
    the prompt comparison, and the cache write (three) — ten at most at any size."""
    today = request.user.today()
    summary = _summary(request.user)
    unit, range_key, tag = _options(request, summary, today)
    cache = caches["shared"]
    key = _cache_key(request.user, unit, range_key, tag, today, summary)
    charts = cache.get(key)
    if charts is None:
        ctx = _charts_context(request.user, unit, range_key, today, summary, tag)
        charts = render_to_string("trends/trends.html#charts", ctx, request=request)
        cache.set(key, charts, CACHE_SECONDS)
    if request.htmx and not request.htmx.history_restore_request:
        response = HttpResponse(charts)
    else:
        response = render(
            request, "trends/trends.html", {"charts": SafeString(charts), "nav": "trends"}
        )
    patch_vary_headers(response, ("HX-Request",))
    return response


def trends_numbers(request: HttpRequest) -> HttpResponse:
    """One dimension's numbers, period by period, with a link to each period's entries:
    loaded into its chart when opened (htmx), or a page of its own without JavaScript."""
    today = request.user.today()
    summary = _summary(request.user)
    unit, range_key, tag = _options(request, summary, today)
    key = request.GET.get("dimension")
    if key not in DIMENSIONS:
        raise Http404("No such dimension")
    first, last, _ = s.range_bounds(range_key, unit, today, summary["first"])
    feelings = s.DIMENSION_INFO[key].is_feeling
    rows = _period_rows(request.user, unit, first, last, tag, moods=feelings)
    starts = s.period_starts(first, last, unit)
    periods = s.build_periods(key, rows, starts, unit)
    ratings = s.mood_ratings(rows, starts) if feelings else None
    ctx = {
        "dimension": s.DIMENSION_INFO[key],
        "dimensions": [
            {"dimension": s.DIMENSION_INFO[k], "current": k == key,
             "href": f"{reverse('trends_numbers')}?{_query(unit, range_key, tag)}&dimension={k}"}
            for k in DIMENSIONS
        ],
        "periods": periods,
        "ratings": ratings if ratings and any(r is not None for r in ratings) else None,
        "unit": unit,
        "unit_label": s.UNITS[unit].lower(),
        "range_key": range_key,
        "first": first,
        "last": last,
        "back_href": f"{reverse('trends')}?{_query(unit, range_key, tag)}#trend-{key}",
        "tag": tag,
        "nav": "trends",
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "trends/numbers.html#table" if partial else "trends/numbers.html"
    response = render(request, template, ctx)
    patch_vary_headers(response, ("HX-Request",))
    return response


def trends_csv(request: HttpRequest) -> HttpResponse:
    today = request.user.today()
    summary = _summary(request.user)
    unit, range_key, tag = _options(request, summary, today)
    data = _series(request.user, unit, range_key, today, summary, tag)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="reflect-trends-{unit}-{range_key}.csv"'
    )
    writer = csv.writer(response)
    writer.writerows(s.csv_rows((c.dimension.key, c.periods) for c in data["charts"]))
    return response


def _get_period(unit: str, day: str) -> tuple[date, date]:
    """The period named in the URL, or 404."""
    parsed = parse_day(day)
    if unit not in s.UNITS or parsed is None:
        raise Http404("No such period")
    start = s.period_start(parsed, unit)
    return start, s.period_end(start, unit)


def _period_href(unit: str, day: date) -> str | None:
    """The neighbouring period's page, or None past the dates Reflect can show."""
    return reverse("trends_period", args=[unit, day.isoformat()]) if in_bounds(day) else None


def trends_period(request: HttpRequest, unit: str, day: str) -> HttpResponse:
    """The entries behind one point, with the phrases that drove it highlighted."""
    start, end = _get_period(unit, day)
    dimension = request.GET.get("dimension")
    if dimension not in DIMENSIONS:
        dimension = None
    tag = normalise(request.GET.get("tag", "")) or ""
    entries = list(
        _tagged(Entry.objects.for_user(request.user).live(), request.user, tag, "pk")
        .filter(written_on__range=(start, end))
        .select_related("framing", "prompt")
        .order_by("written_on", "id")
    )
    pooled = _period_rows(request.user, unit, start, end, tag)
    keys = [dimension] if dimension else list(DIMENSIONS)
    values = []
    for key in keys:
        (period,) = s.build_periods(key, pooled, [start], unit)
        values.append({"dimension": s.DIMENSION_INFO[key], "period": period})
    cues = (
        _tagged(Cue.objects.filter(author=request.user), request.user, tag)
        .filter(written_on__range=(start, end), dimension__in=keys)
        .values("dimension", "phrase", "pole")
        .annotate(uses=Count("id"))
        .order_by("dimension", "-uses", "phrase")
    )
    items = []
    for entry in entries:
        framing = getattr(entry, "framing", None)
        evidence = framing.evidence if framing else []
        ignored = framing.ignored if framing else []
        html = highlight_html(entry.body, evidence, ignored, dimension)
        items.append({"entry": entry, "html": html})
    range_key = request.GET.get("range", s.DEFAULT_RANGE)
    back = f"{reverse('trends')}?{_query(unit, range_key, tag)}"
    ctx = {
        "unit": unit,
        "start": start,
        "end": end,
        "period_name": s.period_name(start, unit),
        "dimension": s.DIMENSION_INFO[dimension] if dimension else None,
        "dimensions": [s.DIMENSION_INFO[k] for k in DIMENSIONS],
        "values": values,
        "cues": list(cues),
        "items": items,
        "back_href": back,
        "tag": tag,
        "previous_href": _period_href(unit, start - timedelta(days=1)),
        "next_href": _period_href(unit, end + timedelta(days=1)),
        "nav": "trends",
    }
    return render(request, "trends/period.html", ctx)
