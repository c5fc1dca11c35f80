"""Entry text in lists: plain words, no Markdown marks."""

from django import template

from reflect.lib.markdown import plain_text

register = template.Library()


@register.filter
def plain(text: str) -> str:
    """`- item`, `# heading`, `**bold**` and link addresses read as the words they mark."""
    return plain_text(text or "")
