"""A year at a glance: entries per day as a grid of weeks (the calendar page's heatmap), with
a text equivalent per month. One query (the year's counts per day), then pure Python."""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse

from reflect.lib.bounded import FIRST_DAY, LAST_DAY

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass
class Cell:
    day: date | None  # None: a day of the previous or next year, drawn empty
    count: int = 0

    @property
    def level(self) -> int:
        """0 (nothing written) to 4 (four entries or more) for the shade."""
        return min(self.count, 4)

    @property
    def url(self) -> str:
        day = self.day.isoformat()
        return reverse("journal") + "?" + urlencode({"from": day, "to": day})


@dataclass
class Month:
    first: date
    days: int
    entries: int
    past: bool  # begun by today: a month to link to

    @property
    def url(self) -> str:
        return reverse("calendar") + "?" + urlencode({"month": self.first.strftime("%Y-%m")})


@dataclass
class YearMap:
    year: int
    rows: list[tuple[str, list[Cell]]]  # a row per weekday, a cell per week
    months: list[Month]
    days: int
    entries: int
    previous: int | None
    following: int | None


def counts_in(entries: QuerySet, year: int) -> dict[date, int]:
    """Entries per day written in `year` (one query)."""
    rows = (
        entries.filter(written_on__year=year)
        .order_by()
        .values("written_on")
        .annotate(n=Count("id"))
        .values_list("written_on", "n")
    )
    return dict(rows)


def year_map(year: int, counts: dict[date, int], today: date) -> YearMap:
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
