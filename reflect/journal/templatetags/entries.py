"""Entry text in lists: plain words, no Markdown marks.

A list's items are written in Python (journal_items, search_items): a page of twenty entries
made about 300 template nodes (an address reversed, two date filters, pluralize,
truncatechars per entry), a third of the journal list's time. The HTML is the same."""

import re
import unicodedata
from datetime import date
from functools import lru_cache
from html import escape as html_escape

from django import template
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, pgettext

from reflect.journal.templatetags.header import link_around
from reflect.lib.kept import keep
from reflect.lib.markdown import TITLE_CHARS, is_plain_prose, plain_text

register = template.Library()

EXCERPT_SHOWN_CHARS = 200


# Line breaks that str.splitlines (first_line) knows and Markdown does not (it splits lines at
# \n, \r\n and \r only).
_OTHER_BREAKS = re.compile(r"[\v\f\x1c-\x1e\x85\u2028\u2029]")


def list_text(entry) -> str:
    """plain_text(entry.excerpt). Plain prose (most entries) is read once for both the list's
    text and the entry's opening_line (its heading when untitled), which first_line would
    read again line by line: its lines are plain prose too, so each line's plain words are
    its words."""
    text = _read_prose(entry)
    if text is None:
        return plain_text(entry.excerpt or "")
    return " ".join(text.split())


def _read_prose(entry) -> str | None:
    """The entry's excerpt (without NUL) when it is plain prose split into lines only where
    Markdown splits them, its opening_line set from it; None for any other text."""
    text = (entry.excerpt or "").replace("\x00", "")
    if not is_plain_prose(text) or _OTHER_BREAKS.search(text):
        return None
    if "opening_line" not in entry.__dict__:
        entry.__dict__["opening_line"] = _first_prose_line(text)
    return text


def _first_prose_line(text: str) -> str:
    """first_line of plain prose."""
    for line in text.splitlines():
        words = " ".join(line.split())
        if words:
            if len(words) <= TITLE_CHARS:
                return words
            return words[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
    return ""


@register.filter
def excerpt(entry) -> str:
    """The entry's opening words in plain text, after what its heading already shows (an
    untitled entry is named by its first line)."""
    text = list_text(entry)
    if entry.title:
        return text
    shown = entry.opening_line
    if shown.endswith("…"):
        return "…" + text[len(shown) - 1 :]
    return text[len(shown) :].lstrip()


def truncated(text: str, length: int = EXCERPT_SHOWN_CHARS) -> str:
    """Django's truncatechars without its per-character loop when no combining character
    (which it does not count) is among the characters that decide where to cut (none can be
    in ASCII text, which NFC leaves as it is), and with its translated ellipsis looked up
    once per language rather than twice per excerpt."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        if any(map(unicodedata.combining, text[: length + 1])):
            return Truncator(text).chars(length)
    if len(text) <= length:
        return text
    ellipsis = _ellipsis(get_language())
    return add_truncation_text(
        text[: calculate_truncate_chars_length(length, ellipsis)], ellipsis
    )


@lru_cache(maxsize=32)
def _ellipsis(_language: str | None) -> str:
    """What truncatechars appends in the active language (`_language` keys the cache)."""
    return str(pgettext("String to return when truncating text", "%(truncated_text)s…"))


@lru_cache(maxsize=32)
def _day_names(_language: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The date filter's weekday ('D') and month ('M') abbreviations, escaped, in the active
    language (`_language` keys the cache)."""
    return (
        tuple(escape(str(WEEKDAYS_ABBR[n])) for n in range(7)),
        ("", *(escape(MONTHS_3[n].title()) for n in range(1, 13))),
    )


@lru_cache(maxsize=32)
def _long_names(_language: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The date filter's weekday ('l') and month ('F') names in the active language
    (`_language` keys the cache)."""
    return (
        tuple(str(WEEKDAYS[n]) for n in range(7)),
        ("", *(str(MONTHS[n]) for n in range(1, 13))),
    )


@register.filter
def day(value: date, format_string: str) -> str:
    """The date filter for a day, in the formats the journal's pages write it ('l j F Y',
    'l j F', 'j F Y', 'F Y', 'Y-m-d': day and month names, day, month and year numbers),
    with the names looked up once per language: the date filter cost about 40 µs each, a
    localised format and a DateFormat per call. Its output is escaped by the template, as
    the date filter's is."""
    if value in (None, ""):
        return ""
    weekdays, months = _long_names(get_language())
    parts = {
        "l": weekdays[value.weekday()], "j": str(value.day), "F": months[value.month],
        "Y": f"{value.year:04d}", "m": f"{value.month:02d}", "d": f"{value.day:02d}",
    }
    return "".join(parts.get(char, char) for char in _day_format(format_string))


@lru_cache(maxsize=16)
def _day_format(format_string: str) -> str:
    """`format_string`, refused if it asks for anything day() does not write as the date
    filter would (another letter, an escape)."""
    for char in format_string:
        if (char.isalpha() and char not in "ljFYmd") or char == "\\":
            raise ValueError(f"day: {format_string!r} is not one of its formats")
    return format_string


class _Items:
    """What every item of one list shares, worked out once: the entry address around its
    number, and the day and month names in the active language (as the date filter's
    'D j M Y' writes them)."""

    def __init__(self):
        self.url_start, self.url_end = link_around("entry")
        self.language = get_language()
        self.weekdays, self.months = _day_names(self.language)

    def url(self, entry) -> str:
        return f"{self.url_start}{entry.pk:d}{self.url_end}"

    def short_day(self, day: date) -> str:
        """The date filter's 'D j M'."""
        return f"{self.weekdays[day.weekday()]} {day.day} {self.months[day.month]}"

    def day(self, day: date) -> str:
        """'D j M Y'."""
        return f"{self.short_day(day)} {day.year:04d}"

    def item(self, entry, body: str) -> str:
        words = entry.word_count
        day = entry.written_on
        url = self.url(entry)
        return (
            '\n  <li class="journal-item">\n    <article>\n'
            '      <h2 class="journal-item-title" dir="auto">'
            f'<a href="{url}">{html_escape(entry.heading)}</a></h2>\n'
            f'      <p class="eyebrow"><time datetime="{day.isoformat()}">{self.day(day)}</time>'
            f' · {words:d} word{"" if words == 1 else "s"}</p>\n'
            f"      {body}\n    </article>\n  </li>"
        )


def _journal_item(items: _Items, entry) -> str:
    text = excerpt(entry)
    body = f'<p class="excerpt" dir="auto">{html_escape(truncated(text))}</p>' if text else ""
    return items.item(entry, body)


def _item_key(items: _Items, entry) -> tuple | None:
    """Everything a list item is written from but its fragment (see journal_items); None for
    an entry whose prompt or first characters were not read with it."""
    prompt_id = entry.prompt_id
    if prompt_id is None:
        prompt_text = None
    elif (prompt := entry._state.fields_cache.get("prompt")) is not None:
        prompt_text = prompt.text
    else:
        return None
    excerpt = entry.__dict__.get("excerpt", _NO_EXCERPT)
    if excerpt is _NO_EXCERPT:  # not read as the lists read it: its heading reads the body
        return None
    return (
        items.url_start, items.url_end, items.language, entry.pk, entry.title,
        excerpt, prompt_id, prompt_text, entry.written_on, entry.word_count,
    )


_NO_EXCERPT = object()


# Journal list items by everything they are written from (see journal_items).
_JOURNAL_ITEMS: dict[tuple, str] = {}
JOURNAL_ITEMS_KEPT = 2048


@register.filter
def journal_items(entries) -> SafeString:
    """The journal list's entries: each one's heading, day, length and opening words.

    An item is a pure function of the entry's number, title, first characters (`excerpt`,
    as the list reads them), prompt (its words name an entry with neither title nor text),
    day and length, the entry address and the language: kept per process under all of
    those (at most JOURNAL_ITEMS_KEPT items, the first kept forgotten first), since the
    same entries are listed again and again (the first page on every visit). An entry
    whose prompt was not read with it is written as before, not kept (its prompt is read
    only if its heading needs it)."""
    items = _Items()
    rows = []
    for entry in entries:
        key = _item_key(items, entry)
        if key is None:
            rows.append(_journal_item(items, entry))
        else:
            rows.append(_kept_item(key, _journal_item, items, entry))
    return mark_safe("".join(rows))  # noqa: S308 (the heading and excerpt are escaped)


def _kept_item(key: tuple, make, *args) -> str:
    """The list item kept under ``key`` in _JOURNAL_ITEMS, or ``make(*args)``'s, then kept (at
    most JOURNAL_ITEMS_KEPT, the first kept forgotten first)."""
    item = _JOURNAL_ITEMS.get(key)
    if item is None:
        item = keep(_JOURNAL_ITEMS, key, make(*args), JOURNAL_ITEMS_KEPT)
    return item


def _search_item(items: _Items, hit) -> str:
    if not hit.entry.title:  # named by its first line: read it as list_text does
        _read_prose(hit.entry)
    snippet = f'<p class="excerpt snippet" dir="auto">{conditional_escape(hit.snippet)}</p>'
    return items.item(hit.entry, snippet)


@register.filter
def search_items(hits) -> SafeString:
    """Search results: as in the journal list, with each one's highlighted fragment; each
    item kept as journal_items keeps them, its fragment (escaped or safe) in the key too."""
    items = _Items()
    rows = []
    for hit in hits:
        key = _item_key(items, hit.entry)
        if key is None:
            rows.append(_search_item(items, hit))
            continue
        snippet = hit.snippet
        key = (*key, "search", snippet, hasattr(snippet, "__html__"))
        rows.append(_kept_item(key, _search_item, items, hit))
    return mark_safe("".join(rows))  # noqa: S308 (the heading escaped, the fragment is safe)


# The home page's lists, written the same way (their template loops were a quarter of the
# page's own template time).


@register.filter
def draft_items(entries) -> SafeString:
    """Unfinished drafts: a link to the editor, and when each was last saved ('D j M, H:i'
    in the person's time zone, as the date filter writes it)."""
    items = _Items()
    edit_start, edit_end = link_around("entry_edit")
    rows = []
    for entry in entries:
        saved = template_localtime(entry.updated_at)
        rows.append(
            f'<li><a href="{edit_start}{entry.pk:d}{edit_end}"><span dir="auto">'
            f"{escape(entry.heading)}</span></a> <span class=\"muted\">· last saved "
            f"{items.short_day(saved)}, {saved.hour:02d}:{saved.minute:02d}</span></li>"
        )
    return mark_safe("".join(rows))  # noqa: S308 (the heading escaped)


@register.filter
def earlier_items(entries) -> SafeString:
    """On this day in earlier years: 'j F Y' and the heading."""
    items = _Items()
    rows = []
    for entry in entries:
        day = entry.written_on
        rows.append(
            f'<li><a href="{items.url(entry)}">{day.day} {escape(MONTHS[day.month])} '
            f'{day.year:04d}: <span dir="auto">{escape(entry.heading)}</span></a></li>'
        )
    return mark_safe("".join(rows))  # noqa: S308 (the heading escaped)


@register.filter
def recent_items(entries) -> SafeString:
    """The latest entries: heading, 'D j M' and length."""
    items = _Items()
    rows = [
        f'<li><a href="{items.url(entry)}"><span dir="auto">{escape(entry.heading)}</span></a>'
        f' <span class="muted">· {items.short_day(entry.written_on)} · {entry.word_count:d}'
        " words</span></li>"
        for entry in entries
    ]
    return mark_safe("".join(rows))  # noqa: S308 (the heading escaped)
