"""Dates, months and whole numbers read from a request, kept inside what the app can store
and compute with. One helper per job, shared by every view that parses a URL or a form:
a value outside the bounds is treated like a malformed one (None), never an overflow.

Why these bounds: entries are dated from 1900 (EntryForm refuses earlier days) and Python's
dates end on 9999-12-31, so a page about 9999-12 would overflow when it links to the next
month. Integer columns are 32-bit (version numbers, counts) or 64-bit (ids) in PostgreSQL.
"""

import re
from datetime import date

FIRST_DAY = date(1900, 1, 1)
# A year short of Python's last date: room for "next week/month" links and period ends.
LAST_DAY = date(9998, 12, 31)
MAX_INT = 2**31 - 1  # PostgreSQL integer: versions, counts
MAX_ID = 2**63 - 1  # PostgreSQL bigint: primary keys

_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_RE = re.compile(r"\d{4}-\d{2}")
_INT_RE = re.compile(r"-?\d{1,19}")
# NUL can't be stored in PostgreSQL text and a lone surrogate can't be encoded as UTF-8:
# neither is ever meaningful in a URL, a cookie or an imported text.
_UNUSABLE = re.compile("[\x00\ud800-\udfff]")


def has_unusable_characters(value: str) -> bool:
    return _UNUSABLE.search(value) is not None


def in_bounds(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def parse_day(value: object) -> date | None:
    """A day written 2026-11-27 between 1900 and 9998, or None."""
    if not isinstance(value, str) or not _DAY_RE.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if in_bounds(day) else None


def parse_month(value: object) -> date | None:
    """The first day of a month written 2026-11, between 1900 and 9998, or None."""
    if not isinstance(value, str) or not _MONTH_RE.fullmatch(value):
        return None
    year, month = int(value[:4]), int(value[5:])
    if not 1 <= month <= 12:
        return None
    first = date(year, month, 1) if year >= 1 else None
    return first if first is not None and in_bounds(first) else None


def parse_int(value: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """A whole number written in digits within [minimum, maximum], or None. The length is
    checked before converting, so a million digits cost nothing."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if minimum <= number <= maximum else None
