from datetime import date, timedelta
from functools import lru_cache
from html import escape

from django import template
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.template.defaultfilters import floatformat, pluralize
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from reflect.framing.models import WeeklyFraming
from reflect.lib.charts import sparkline
from reflect.trends import series as s
from reflect.trends.links import drill_hrefs

register = template.Library()

SPARK_WEEKS = 8
SPARK_DIMENSIONS = ("obligation_agency", "action_vision")
SPARK_FIELDS = tuple(f"{key}_{pole}" for key in SPARK_DIMENSIONS for pole in ("pos", "neg"))


SPARK_COLUMNS = ("week", "entries", "words", *SPARK_FIELDS)


def _spark_range(today: date) -> tuple[date, date]:
    first = s.period_start(today, "week") - timedelta(weeks=SPARK_WEEKS - 1)
    return first, s.period_end(s.period_start(today, "week"), "week")


def spark_statement(author_id: int, today: date) -> tuple[str, list]:
    """The person's weekly totals of the sparkline's weeks: eight rows read by index,
    nothing to group; only the columns of the two dimensions drawn (build_periods reads
    words, entries and the sums). Written as SQL: Django's compiler took longer to build
    this query than it took to run; the home page sends it with its other statements."""
    quote = connection.ops.quote_name
    first, last = _spark_range(today)
    sql = (
        f"SELECT {', '.join(quote(c) for c in SPARK_COLUMNS)} "
        f"FROM {quote(WeeklyFraming._meta.db_table)} WHERE {quote('author_id')} = %s "
        f"AND {quote('week')} BETWEEN %s AND %s AND {quote('entries')} > 0"
    )
    adapt = connection.ops.adapt_datefield_value
    return sql, [author_id, adapt(first), adapt(last)]


def spark_weeks(found: list[tuple]) -> dict:
    """spark_statement's rows by week."""
    rows = {}
    for values in found:
        row = dict(zip(SPARK_COLUMNS, values, strict=True))
        if isinstance(row["week"], str):  # SQLite: no converter on a plain cursor
            row["week"] = date.fromisoformat(row["week"])
        rows[row["week"]] = row
    return rows


@register.simple_tag(takes_context=True)
def trends_sparkline(context) -> SafeString:
    """The home page card: the last eight weeks of two dimensions, in one query."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return SafeString("")
    today = user.today()
    rows = context.get("spark_weeks")  # read by the home page with its other statements
    if rows is None:
        sql, params = spark_statement(user.pk, today)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = spark_weeks(cursor.fetchall())
    weeks = tuple(sorted(tuple(row[c] for c in SPARK_COLUMNS) for row in rows.values()))
    return _sparkline(today, weeks, get_script_prefix(), get_urlconf(), get_language())


# The card is drawn from nothing but its key (the day, the weeks' totals, and what the link
# and the numbers' format are written with), so a card kept in this process is the card any
# process would draw: a person's new writing changes the totals, and so the key. Drawing it
# (two series with their bands, their smoothing and the paths) cost about 0.17 ms a view.
@lru_cache(maxsize=1024)
def _sparkline(
    today: date, weeks: tuple[tuple, ...], _prefix: str, _urlconf: str | None, _language: str
) -> SafeString:
    rows = {week[0]: dict(zip(SPARK_COLUMNS, week, strict=True)) for week in weeks}
    first, _ = _spark_range(today)
    starts = s.period_starts(first, today, "week")
    items = []
    for key in SPARK_DIMENSIONS:
        dimension = s.DIMENSION_INFO[key]
        periods = s.build_periods(key, rows, starts, "week")
        # The smoothed line: it steps over thin weeks instead of breaking into specks.
        values = [p.smoothed for p in periods]
        shown = [v for v in values if v is not None]
        if sum(p.sufficient for p in periods) >= 2:
            path_d = sparkline(values, 120, 28, dimension.y_min, dimension.y_max)
            label = f"{dimension.name}, smoothed, last {SPARK_WEEKS} weeks: " + ", ".join(
                "none yet" if v is None else f"{v:+.2f}" for v in values
            )
            items.append(
                f'<li>\n<span class="spark-name">{escape(dimension.name)}</span>\n'
                f'<svg class="sparkline" viewBox="0 0 120 28" role="img"'
                f' aria-label="{escape(label)}"><path class="line" d="{escape(path_d)}"/></svg>\n'
                f'<span class="muted small">now {floatformat(shown[-1], "2")}</span>\n</li>'
            )
    entries = sum(int(row["entries"] or 0) for row in rows.values())
    return _sparkline_card(items, entries)


@receiver(setting_changed)
def _forget_sparklines(**kwargs) -> None:
    _sparkline.cache_clear()  # the numbers' format and the link follow the settings


def _sparkline_card(items: list[str], entries: int) -> SafeString:
    """The card around the lines, written here rather than by a template: a partial rendered
    from a tag costs a template render of its own on every home page."""
    trends_href = escape(reverse("trends"))
    if items:
        body = (
            f'<ul class="sparklines">\n{"\n".join(items)}\n</ul>\n'
            f'<p><a href="{trends_href}">See your trends</a></p>'
        )
    else:
        wrote = (
            f"You wrote {entries} entr{pluralize(entries, 'y,ies')} in the last {SPARK_WEEKS}"
            " weeks. " if entries else ""
        )
        body = (
            f"<p>{wrote}Write a few lines most days, and in about two weeks you will see here"
            " how your framing moves.</p>\n"
            f'<p><a href="{trends_href}">About trends</a></p>'
        )
    return SafeString(
        '\n<section class="card trend-spark" aria-labelledby="spark-heading">\n'
        f'<h2 id="spark-heading" class="eyebrow">Your last {SPARK_WEEKS} weeks</h2>\n'
        f"{body}\n</section>\n"
    )


# Table rows repeat once per period (up to 156 in a table), where the template engine costs
# ~10 µs per variable and format_html ~40 µs per call; this tag builds that repeated markup
# with escaped f-strings.


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


@register.simple_tag
def series_rows(
    periods: list, dimension: str, unit: str, range_key: str, tag: str = "", ratings=None
) -> SafeString:
    """The table rows of one chart: the same numbers as its dots, newest first, each period
    linking to its entries; with ``ratings``, the person's own average rating of each."""
    href = drill_hrefs(unit, range_key, tag)
    rows = []
    own = ratings or [None] * len(periods)
    for p, rating in zip(reversed(periods), reversed(own), strict=True):
        label = escape(p.label)
        period = f'<a href="{escape(href(p.start, dimension))}">{label}</a>' if p.entries else label
        interval = "–" if p.low is None or p.high is None else f"{p.low:+.2f} to {p.high:+.2f}"
        status = "shown" if p.sufficient else f"withheld: {escape(p.reason)}"
        rows.append(
            f'<tr{"" if p.sufficient else " class=withheld"}><th scope="row">{period}</th>'
            f"<td>{_signed(p.value)}</td><td>{interval}</td><td>{_signed(p.smoothed)}</td>"
            f"<td>{int(p.words):,}</td><td>{p.cues:.3g}</td><td>{status}</td>"
            + ("" if ratings is None else f"<td>{'–' if rating is None else f'{rating:.1f}'}</td>")
            + "</tr>"
        )
    return SafeString("".join(rows))
