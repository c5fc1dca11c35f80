"""A year at a glance: entries per day as a grid of weeks (the calendar page's heatmap), with
a text equivalent per month. One query (the counts per day, shared with the month's grid),
then pure Python."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.db import connection
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from reflect.journal.models import Entry
from reflect.journal.templatetags.header import link
from reflect.lib.bounded import FIRST_DAY, LAST_DAY

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass(slots=True)
class Cell:
    day: date | None  # None: a day of the previous or next year, drawn empty
    count: int = 0

    @property
    def level(self) -> int:
        """0 (nothing written) to 4 (four entries or more) for the shade."""
        return min(self.count, 4)


@dataclass
class Month:
    first: date
    days: int
    entries: int
    past: bool  # begun by today: a month to link to


@dataclass
class YearMap:
    year: int
    rows: list[tuple[str, list[Cell]]]  # a row per weekday, a cell per week
    months: list[Month]
    days: int
    entries: int
    previous: int | None
    following: int | None
    # What year_map made the rows from (its counts and today), for row_cells_html's fast
    # path; None for a YearMap made otherwise.
    made_from: tuple[dict[date, int], date] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def row_cells_html(self) -> list[tuple[str, SafeString]]:
        """Each weekday's name and its cells' markup (see cells_html)."""
        journal = link("journal")
        if self.made_from is not None:
            counts, today = self.made_from
            return list(zip(WEEKDAYS, _rows_html(self.year, counts, today, journal), strict=True))
        return [(name, cells_html(cells, journal)) for name, cells in self.rows]


    @property
    def months_html(self) -> SafeString:
        """The month-by-month table's rows, written in Python like the cells (a date filter
        and an address per month through the template engine cost more than the table)."""
        calendar = link("calendar")
        names = _month_names(get_language())
        rows = []
        for month in self.months:
            first = month.first
            name = names[first.month]
            if month.past:  # years 1900 to 9998: four digits, as %Y writes them
                name = f'<a href="{calendar}?month={first.year:04d}-{first.month:02d}">{name}</a>'
            rows.append(
                f'<tr><th scope="row">{name}</th><td>{month.days}</td>'
                f"<td>{month.entries}</td></tr>"
            )
        return mark_safe("".join(rows))  # noqa: S308 (numbers, month names, our address)


    @property
    def section_html(self) -> SafeString:
        """The calendar's "year at a glance" section (what templates/journal/_heatmap.html
        wrote through the template engine: its nodes cost more than the cells): the years
        around it, the grid, the key and the month-by-month table. Numbers, names and our
        own addresses only; nothing of the person's text."""
        calendar = link("calendar")
        year = self.year
        if self.previous:
            previous = f'<a href="{calendar}?year={self.previous}" rel="prev">← {self.previous}</a>'
        else:
            previous = "<span></span>"
        if self.following:
            following = (
                f'<a href="{calendar}?year={self.following}" rel="next">{self.following} →</a>'
            )
        else:
            following = "<span></span>"
        parts = [
            '\n<section class="year-map" aria-labelledby="year-heading">\n'
            '  <nav class="month-nav" aria-label="Years">\n'
            f"    {previous}\n"
            f'    <h2 id="year-heading">{year} at a glance</h2>\n'
            f"    {following}\n"
            "  </nav>\n  "
        ]
        if self.entries:
            rows = "".join(
                "\n        <tr>\n"
                f'          <th scope="row">{escape(name)}</th>\n'
                f"          {cells}\n"
                "        </tr>\n        "
                for name, cells in self.row_cells_html
            )
            parts.append(
                f'\n  <p id="year-summary">In {year} you wrote {_entries(self.entries)} on '
                f"{self.days} day{'' if self.days == 1 else 's'}. Each square is a day, darker "
                "for more entries; a day with entries is a link to them (use Tab to move "
                "between them).</p>\n"
                '  <div class="heatmap-scroll" tabindex="0" role="region" '
                'aria-labelledby="year-heading" aria-describedby="year-summary">\n'
                '    <table class="heatmap">\n'
                f'      <caption class="visually-hidden">Entries per day in {year}, a column per '
                "week</caption>\n"
                f"      <tbody>\n        {rows}\n"
                "      </tbody>\n    </table>\n  </div>\n"
                '  <p class="heatmap-key" aria-hidden="true">Fewer <span class="level-0"></span>'
                '<span class="level-1"></span><span class="level-2"></span>'
                '<span class="level-3"></span><span class="level-4"></span> More</p>\n'
                '  <table class="year-months">\n'
                f"    <caption>{year} month by month</caption>\n"
                '    <thead><tr><th scope="col">Month</th><th scope="col">Days written</th>'
                '<th scope="col">Entries</th></tr></thead>\n'
                f"    <tbody>\n      {self.months_html}\n    </tbody>\n  </table>\n  "
            )
        else:
            again = (
                f': try <a href="{calendar}?year={self.previous}">{self.previous}</a>'
                if self.previous else ""
            )
            parts.append(f"\n  <p>Nothing written in {year}{again}.</p>\n  ")
        parts.append("\n</section>\n\n")
        return mark_safe("".join(parts))  # noqa: S308 (numbers, names, our own addresses)


@lru_cache(maxsize=32)
def _month_names(_language: str | None) -> tuple[str, ...]:
    """The months' names, escaped, in the active language (`_language` keys the cache)."""
    return ("", *(escape(str(MONTHS[month])) for month in range(1, 13)))


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


# Month names as strftime writes them, looked up instead of formatted per cell.
_MONTH_NAMES = [""] + [date(2000, month, 1).strftime("%B") for month in range(1, 13)]


def cells_html(cells: list[Cell], journal_url: str) -> SafeString:
    """One weekday's row of cells, written in Python: a year is 371 cells, and the template
    engine spent about 0.1 ms on each (date filters, an address reversed, pluralize), most
    of the calendar page's time. Nothing in a cell comes from the person's text."""
    parts = []
    for cell in cells:
        day = cell.day
        if day is None:
            parts.append('<td class="level-none"></td>')
            continue
        nothing, named, iso = _day_cell(day)
        count = cell.count
        if count:
            label = f"{named}: {_entries(count)}"
            parts.append(
                f'<td class="level-{min(count, 4)}"><a href="{journal_url}?from={iso}'
                f'&amp;to={iso}" title="{label}"><span class="visually-hidden">{label}</span>'
                "</a></td>"
            )
        else:
            parts.append(nothing)
    return mark_safe("".join(parts))  # noqa: S308 (dates, numbers and our own address only)


def _rows_html(
    year: int, counts: dict[date, int], today: date, journal_url: str
) -> list[SafeString]:
    """cells_html of each row of year_map(year, counts, today), without a pass over its 371
    cells: the rows of empty cells (the same for everyone, made once per process and year)
    with the days written, and the days after today, put in their places."""
    start, empty, links = _year_html(year, journal_url)
    rows = [list(row) for row in empty]
    first, last = date(year, 1, 1), date(year, 12, 31)
    shown = min(today, last)
    for day, count in counts.items():
        if count and first <= day <= shown:
            offset = day.toordinal() - start
            link, label = links[offset]
            if count < 5:
                opening, entries = _FILLED[count]
            else:
                opening, entries = '<td class="level-4', _entries(count)
            rows[offset % 7][offset // 7] = (
                f"{opening}{link}{entries}{label}{entries}</span></a></td>"
            )
    for offset in range(max(today.toordinal() + 1, first.toordinal()) - start,
                        last.toordinal() + 1 - start):
        rows[offset % 7][offset // 7] = '<td class="level-none"></td>'
    return [mark_safe("".join(row)) for row in rows]  # noqa: S308 (as cells_html)


# A written cell's opening up to its level, and its count in words, by count (1 to 4).
_FILLED = [("", "")] + [(f'<td class="level-{n}', _entries(n)) for n in range(1, 5)]


@lru_cache(maxsize=16)
def _year_html(
    year: int, journal_url: str
) -> tuple[int, tuple[tuple[str, ...], ...], list[tuple[str, str] | None]]:
    """What the year's cells say whoever looks, made once per process, year and address:
    the ordinal of the grid's first Monday; each row's cells with nothing written
    (cells_html of Cell(day) or, outside the year, Cell(None)); and by offset from that
    Monday, a day's pieces when written: from its level to its title's count ('"><a
    href=... title="Monday 3 March 2025: ') and from there to its label's count. Dates
    and our own address only."""
    rows = tuple(
        tuple('<td class="level-none"></td>' if day is None else _day_cell(day)[0]
              for day in days)
        for days in _year_days(year)
    )
    first = date(year, 1, 1)
    start = first.toordinal() - first.weekday()
    links: list[tuple[str, str] | None] = [None] * (date(year, 12, 31).toordinal() + 1 - start)
    for ordinal in range(first.toordinal(), len(links) + start):
        _, named, iso = _day_cell(date.fromordinal(ordinal))
        links[ordinal - start] = (
            f'"><a href="{journal_url}?from={iso}&amp;to={iso}" title="{named}: ',
            f'"><span class="visually-hidden">{named}: ',
        )
    return start, rows, links


@lru_cache(maxsize=4096)
def _day_cell(day: date) -> tuple[str, str, str]:
    """What a day's cell says whoever looks (worked out once per process: a year is 371
    cells on every view of the calendar): its cell when nothing was written, its name
    ('Monday 3 March 2025') and its ISO date. A date only, nothing of anyone's."""
    month = _MONTH_NAMES[day.month]
    return (
        f'<td class="level-0"><span class="visually-hidden">{day.day} {month}: '
        "nothing</span></td>",
        f"{day.strftime('%A')} {day.day} {month} {day.year}",
        day.isoformat(),
    )


def counts_by_day(user) -> dict[date, int]:
    """The person's live entries per day written, every day ever written (one query: a few
    thousand rows after decades, written as SQL). The calendar takes its days written and a
    year's counts from it."""
    q = connection.ops.quote_name
    sql = (
        f"SELECT {q('written_on')}, COUNT(*) FROM {q(Entry._meta.db_table)} "
        f"WHERE {q('author_id')} = %s AND NOT {q('is_draft')} AND {q('deleted_at')} IS NULL "
        f"GROUP BY {q('written_on')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        rows = cursor.fetchall()
    if rows and isinstance(rows[0][0], str):  # SQLite: no converter on a plain cursor
        return {date.fromisoformat(day): n for day, n in rows}
    return dict(rows)


def counts_in(counts: dict[date, int], year: int) -> dict[date, int]:
    """The days of `year` among `counts`."""
    return {day: n for day, n in counts.items() if day.year == year}


@lru_cache(maxsize=16)
def _year_days(year: int) -> tuple[tuple[date | None, ...], ...]:
    """The year's grid of days, a row per weekday and a column per week (None for a day of
    the year before or after), the same for everyone: made once per process and year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    start = first - timedelta(days=first.weekday())
    weeks = (last - start).days // 7 + 1
    start_day, first_day, last_day = start.toordinal(), first.toordinal(), last.toordinal()
    return tuple(
        tuple(
            date.fromordinal(ordinal) if first_day <= ordinal <= last_day else None
            for ordinal in range(start_day + weekday, start_day + weekday + weeks * 7, 7)
        )
        for weekday in range(7)
    )


_OUTSIDE = Cell(None)  # shared, as the empty days' cells below: cells are never changed


@lru_cache(maxsize=16)
def _empty_rows(year: int) -> tuple[int, tuple[tuple[Cell, ...], ...]]:
    """The ordinal of the grid's first Monday, and the year's rows of cells with nothing
    written (dates only), made once per process and year."""
    rows = tuple(
        tuple(_OUTSIDE if day is None else Cell(day) for day in days)
        for days in _year_days(year)
    )
    first = date(year, 1, 1)
    return first.toordinal() - first.weekday(), rows


@lru_cache(maxsize=16)
def _month_firsts(year: int) -> tuple[date, ...]:
    return tuple(date(year, month, 1) for month in range(1, 13))


def year_map(year: int, counts: dict[date, int], today: date) -> YearMap:
    """The year's grid (a row per weekday, a cell per week; days outside the year or after
    today empty) and its months, from `counts` (the year's days written): the year's rows of
    empty cells copied, then one pass over the counts and one over the days after today.
    The kept counts and today let row_cells_html write the rows without reading the cells."""
    start, empty = _empty_rows(year)
    rows = [list(row) for row in empty]
    first, last = date(year, 1, 1), date(year, 12, 31)
    shown = min(today, last)
    days_in, entries_in = [0] * 13, [0] * 13
    for day, count in counts.items():
        days_in[day.month] += 1
        entries_in[day.month] += count
        if count and first <= day <= shown:
            offset = day.toordinal() - start
            rows[offset % 7][offset // 7] = Cell(day, count)
    for offset in range(max(today.toordinal() + 1, first.toordinal()) - start,
                        last.toordinal() + 1 - start):
        rows[offset % 7][offset // 7] = _OUTSIDE
    rows = list(zip(WEEKDAYS, rows, strict=True))
    months = [
        Month(month_first, days_in[month], entries_in[month], past=month_first <= today)
        for month, month_first in enumerate(_month_firsts(year), start=1)
    ]
    return YearMap(
        year=year, rows=rows, months=months, days=len(counts), entries=sum(counts.values()),
        previous=year - 1 if year - 1 >= FIRST_DAY.year else None,
        following=year + 1 if year + 1 <= min(today.year, LAST_DAY.year) else None,
        made_from=(counts, today),
    )
