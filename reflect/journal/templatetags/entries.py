"""Entry text in lists: plain words, no Markdown marks.

A list item is written in Python (journal_item, search_item): a page of twenty entries made
about 300 template nodes (an address reversed, two date filters, pluralize, truncatechars
per entry), a third of the journal list's time. The HTML is the same."""

import unicodedata

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length

from reflect.lib.markdown import plain_text

register = template.Library()

EXCERPT_SHOWN_CHARS = 200


@register.filter
def excerpt(entry) -> str:
    """The entry's opening words in plain text, after what its heading already shows (an
    untitled entry is named by its first line)."""
    text = plain_text(entry.excerpt or "")
    if entry.title:
        return text
    shown = entry.opening_line
    if shown.endswith("…"):
        return "…" + text[len(shown) - 1 :]
    return text[len(shown) :].lstrip()


def truncated(text: str, length: int = EXCERPT_SHOWN_CHARS) -> str:
    """Django's truncatechars without its per-character loop when no combining character
    (which it does not count) is among the characters that decide where to cut."""
    text = unicodedata.normalize("NFC", text)
    if any(map(unicodedata.combining, text[: length + 1])):
        return Truncator(text).chars(length)
    if len(text) <= length:
        return text
    return add_truncation_text(text[: calculate_truncate_chars_length(length, None)], None)


def _item(entry, body: str) -> SafeString:
    words = entry.word_count
    day = entry.written_on
    return format_html(
        '\n  <li class="journal-item">\n    <article>\n'
        '      <h2 class="journal-item-title" dir="auto"><a href="{}">{}</a></h2>\n'
        '      <p class="eyebrow"><time datetime="{}">{}</time> · {} word{}</p>\n'
        "      {}\n    </article>\n  </li>",
        reverse("entry", args=[entry.pk]), entry.heading, day.isoformat(),
        dateformat.format(day, "D j M Y"), words, "" if words == 1 else "s", body,
    )


@register.filter
def journal_item(entry) -> SafeString:
    """An entry in the journal list: its heading, day, length and opening words."""
    text = excerpt(entry)
    body = format_html('<p class="excerpt" dir="auto">{}</p>', truncated(text)) if text else ""
    return _item(entry, body)


@register.filter
def search_item(hit) -> SafeString:
    """A search result: as in the journal list, with the highlighted fragment."""
    snippet = format_html('<p class="excerpt snippet" dir="auto">{}</p>', hit.snippet)
    return _item(hit.entry, snippet)
