"""Entry text in lists: plain words, no Markdown marks."""

from django import template

from reflect.lib.markdown import plain_text

register = template.Library()


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
