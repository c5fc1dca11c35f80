"""The year at a glance on the calendar (issue 13.8): entries per day as a grid whose days
with entries are links, with a text equivalent per month; one query; another person's
entries never counted."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from reflect.journal.heatmap import WEEKDAYS, Cell, Month, YearMap, year_map
from reflect.journal.models import Entry
from reflect.lib.bounded import FIRST_DAY, LAST_DAY


def _write(author, day: date, n: int = 1):
    for _ in range(n):
        Entry.objects.create(author=author, body="Words.", written_on=day,
                             created_at=timezone.now())


def test_it_lays_a_year_out_in_weeks_from_monday():
    grid = year_map(2025, {date(2025, 1, 1): 2, date(2025, 3, 4): 5}, today=date(2025, 12, 31))
    assert [name for name, _ in grid.rows] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    monday = grid.rows[0][1][0]
    assert monday.day is None  # 30 December 2024 belongs to the year before
    wednesday = grid.rows[2][1][0]
    assert (wednesday.day, wednesday.count, wednesday.level) == (date(2025, 1, 1), 2, 2)
    assert (grid.days, grid.entries) == (2, 7)
    assert [(m.days, m.entries) for m in grid.months[:3]] == [(1, 2), (0, 0), (1, 5)]
    assert max(cell.level for _, row in grid.rows for cell in row) == 4


def test_it_shows_the_year_with_links_and_a_text_equivalent(alice_client, alice, bob):
    year = alice.today().year
    _write(alice, date(year, 1, 5), 3)
    _write(bob, date(year, 1, 6), 2)
    html = alice_client.get(reverse("calendar"), {"year": year}).content.decode()
    assert f"In {year} you wrote 3 entries on 1 day." in html
    assert f'?from={year}-01-05&amp;to={year}-01-05"' in html
    assert "3 entries</span></a>" in html
    assert f"?from={year}-01-06" not in html  # Bob's day is not Alice's
    assert f"{year} month by month" in html


def test_it_says_when_a_year_is_empty(alice_client, alice):
    html = alice_client.get(reverse("calendar"), {"year": 1990}).content.decode()
    assert "Nothing written in 1990: try" in html


@pytest.mark.parametrize("year", ["1899", "99999", "x", "-1"])
def test_it_ignores_a_year_out_of_range(alice_client, alice, year):
    response = alice_client.get(reverse("calendar"), {"year": year})
    assert response.status_code == 200
    assert f"{alice.today().year} at a glance" in response.content.decode()


@pytest.mark.parametrize("size", [3, 300])
def test_it_counts_the_days_and_the_year_in_one_query(alice_client, alice, size):
    today = alice.today()
    Entry.objects.bulk_create([
        Entry(author=alice, body="x", written_on=date(today.year, 1, 1 + n % 28),
              created_at=timezone.now())
        for n in range(size)
    ])
    with CaptureQueriesContext(connection) as captured:
        assert alice_client.get(reverse("calendar")).status_code == 200
    ours = [q["sql"] for q in captured.captured_queries if '"journal_entry"' in q["sql"]]
    assert len(ours) == 1, ours  # entries per day ever written: streaks, month and year


# The section as templates/journal/_heatmap.html wrote it, before YearMap.section_html.
HEATMAP_TEMPLATE = """{% with map=heatmap %}
<section class="year-map" aria-labelledby="year-heading">
  <nav class="month-nav" aria-label="Years">
    {% if map.previous %}<a href="{% url 'calendar' %}?year={{ map.previous }}" rel="prev">← {{ map.previous }}</a>{% else %}<span></span>{% endif %}
    <h2 id="year-heading">{{ map.year }} at a glance</h2>
    {% if map.following %}<a href="{% url 'calendar' %}?year={{ map.following }}" rel="next">{{ map.following }} →</a>{% else %}<span></span>{% endif %}
  </nav>
  {% if map.entries %}
  <p id="year-summary">In {{ map.year }} you wrote {{ map.entries }} entr{{ map.entries|pluralize:"y,ies" }} on {{ map.days }} day{{ map.days|pluralize }}. Each square is a day, darker for more entries; a day with entries is a link to them (use Tab to move between them).</p>
  <div class="heatmap-scroll" tabindex="0" role="region" aria-labelledby="year-heading" aria-describedby="year-summary">
    <table class="heatmap">
      <caption class="visually-hidden">Entries per day in {{ map.year }}, a column per week</caption>
      <tbody>
        {% for name, cells in map.row_cells_html %}
        <tr>
          <th scope="row">{{ name }}</th>
          {{ cells }}
        </tr>
        {% endfor %}
      </tbody>
    </table>
  </div>
  <p class="heatmap-key" aria-hidden="true">Fewer <span class="level-0"></span><span class="level-1"></span><span class="level-2"></span><span class="level-3"></span><span class="level-4"></span> More</p>
  <table class="year-months">
    <caption>{{ map.year }} month by month</caption>
    <thead><tr><th scope="col">Month</th><th scope="col">Days written</th><th scope="col">Entries</th></tr></thead>
    <tbody>
      {{ map.months_html }}
    </tbody>
  </table>
  {% else %}
  <p>Nothing written in {{ map.year }}{% if map.previous %}: try <a href="{% url 'calendar' %}?year={{ map.previous }}">{{ map.previous }}</a>{% endif %}.</p>
  {% endif %}
</section>
{% endwith %}
"""  # noqa: E501


@pytest.mark.parametrize("year,counts,today", [
    (2025, {date(2025, 1, 1): 2, date(2025, 3, 4): 5, date(2025, 3, 5): 1}, date(2025, 12, 31)),
    (2026, {date(2026, 6, 1): 1}, date(2026, 6, 3)),  # this year: no following year
    (2024, {}, date(2026, 6, 3)),  # nothing written, an earlier year to try
    (1900, {}, date(2026, 6, 3)),  # the first year: no previous
    (1900, {date(1900, 1, 1): 1}, date(2026, 6, 3)),
])
def test_it_writes_the_year_section_as_the_template_did(db, year, counts, today):
    grid = year_map(year, counts, today)
    assert grid.section_html == Template(HEATMAP_TEMPLATE).render(Context({"heatmap": grid}))


# year_map as it was before it walked the cells by ordinal and the counts once.
def _year_map_before(year: int, counts: dict[date, int], today: date) -> YearMap:
    first, last = date(year, 1, 1), date(year, 12, 31)
    start = first - timedelta(days=first.weekday())
    weeks = (last - start).days // 7 + 1
    rows = []
    for weekday in range(7):
        cells = []
        for week in range(weeks):
            day = start + timedelta(days=week * 7 + weekday)
            inside = first <= day <= last and day <= today
            cells.append(Cell(day, counts.get(day, 0)) if inside else Cell(None))
        rows.append((WEEKDAYS[weekday], cells))
    months = []
    for month in range(1, 13):
        days = [n for day, n in counts.items() if day.month == month]
        first_day = date(year, month, 1)
        months.append(Month(first_day, len(days), sum(days), past=first_day <= today))
    return YearMap(
        year=year, rows=rows, months=months, days=len(counts), entries=sum(counts.values()),
        previous=year - 1 if year - 1 >= FIRST_DAY.year else None,
        following=year + 1 if year + 1 <= min(today.year, LAST_DAY.year) else None,
    )


@pytest.mark.parametrize("year,today", [
    (2024, date(2026, 1, 2)), (2025, date(2025, 7, 9)), (2025, date(2025, 1, 1)),
    (2026, date(2025, 12, 31)), (2023, date(2023, 12, 31)), (1900, date(2026, 6, 3)),
])
def test_it_builds_the_year_as_before(year, today):
    counts = {date(year, m, d): (m * d) % 5 + 1 for m in range(1, 13) for d in (1, 7, 28)}
    counts = {day: n for day, n in counts.items() if day <= today}
    assert year_map(year, counts, today) == _year_map_before(year, counts, today)


# cells_html and months_html as they were before a day's cell and the months' names were
# worked out once per process.
def _cells_html_before(cells: list[Cell], journal_url: str) -> str:
    names = [""] + [date(2000, month, 1).strftime("%B") for month in range(1, 13)]
    parts, weekday = [], ""
    for cell in cells:
        day = cell.day
        if day is None:
            parts.append('<td class="level-none"></td>')
            continue
        month = names[day.month]
        if cell.count:
            weekday = weekday or day.strftime("%A")
            entries = f"{cell.count} entr{'y' if cell.count == 1 else 'ies'}"
            label = f"{weekday} {day.day} {month} {day.year}: {entries}"
            iso = day.isoformat()
            parts.append(
                f'<td class="level-{min(cell.count, 4)}"><a href="{journal_url}?from={iso}'
                f'&amp;to={iso}" title="{label}"><span class="visually-hidden">{label}</span>'
                "</a></td>"
            )
        else:
            parts.append(f'<td class="level-0"><span class="visually-hidden">{day.day} {month}: '
                         "nothing</span></td>")
    return "".join(parts)


def _months_html_before(grid: YearMap) -> str:
    from django.utils.dates import MONTHS
    from django.utils.html import escape

    rows = []
    for month in grid.months:
        name = escape(MONTHS[month.first.month])
        if month.past:
            name = f'<a href="/calendar/?month={month.first:%Y-%m}">{name}</a>'
        rows.append(f'<tr><th scope="row">{name}</th><td>{month.days}</td>'
                    f"<td>{month.entries}</td></tr>")
    return "".join(rows)


@pytest.mark.parametrize("year,today", [
    (2024, date(2026, 1, 2)), (2025, date(2025, 7, 9)), (1900, date(2026, 6, 3)),
])
def test_it_writes_the_cells_and_months_as_before(year, today):
    from django.utils import translation

    from reflect.journal.heatmap import cells_html

    counts = {date(year, m, d): (m * d) % 7 for m in range(1, 13) for d in range(1, 29, 3)}
    counts = {day: n for day, n in counts.items() if day <= today and n}
    grid = year_map(year, counts, today)
    for _, cells in grid.rows:
        assert cells_html(cells, "/journal/") == _cells_html_before(cells, "/journal/")
    # The months' names are looked up once per language: each language gets its own.
    for language in ("en-gb", "de", "en-gb"):
        with translation.override(language):
            assert grid.months_html == _months_html_before(grid)
    with translation.override("de"):
        assert "März" in grid.months_html


@pytest.mark.parametrize("seed", range(6))
def test_it_writes_the_rows_from_the_counts_as_from_the_cells(seed):
    """row_cells_html's fast path (the empty rows kept, the days written put in their places)
    writes what cells_html writes from the rows, for any year, today and counts."""
    import random

    from reflect.journal.heatmap import cells_html

    rng = random.Random(seed)
    for _ in range(20):
        year = rng.choice([1900, 2000, 2023, 2024, 2025, 2026])
        today = date(year, 1, 1) + timedelta(days=rng.randint(-40, 400))
        counts = {
            date(year, 1, 1) + timedelta(days=rng.randint(0, 365)): rng.randint(0, 9)
            for _ in range(rng.randint(0, 300))
        }
        counts = {day: n for day, n in counts.items() if day.year == year}
        grid = year_map(year, counts, today)
        before = YearMap(**{**grid.__dict__, "made_from": None})
        assert grid.rows == _year_map_before(year, counts, today).rows
        assert grid.row_cells_html == before.row_cells_html
        assert grid.section_html == before.section_html
        assert [cells for _, cells in grid.row_cells_html] == [
            cells_html(cells, "/journal/") for _, cells in grid.rows
        ]


@pytest.mark.parametrize("seed", range(3))
def test_it_writes_the_month_from_kept_cells_as_from_its_days(seed):
    """The calendar's month grid from the cells kept per month equals month_grid_html of the
    month's days (written or not, today or not), in English and German, under any address."""
    import random

    from django.utils import translation

    from reflect.journal.browse import Day, _month_days, _month_html, month_grid_html

    rng = random.Random(seed)
    for _ in range(40):
        first = date(rng.choice([1900, 2024, 2025, 2026, 9998]), rng.randint(1, 12), 1)
        today = first + timedelta(days=rng.randint(-10, 40))
        written = {first + timedelta(days=rng.randint(-7, 37)) for _ in range(rng.randint(0, 30))}
        journal = rng.choice(["/journal/", "/sub&dir/journal/"])
        weeks = [
            [Day(d, in_month, d in written, d == today, url) for d, in_month, url in week]
            for week in _month_days(first, journal)
        ]
        for language in ("en-gb", "de"):
            with translation.override(language):
                html, days = _month_html(first, written, today, escape(journal))
                assert html == month_grid_html(weeks)
        assert days == sum(1 for d in written if (d.year, d.month) == (first.year, first.month))
