"""The site header's current section."""

from django import template

register = template.Library()

# Sections by the first segment of the path: one rule for every page, so that no page is
# shown under another section (the sharing pages used to light up Teams).
SECTIONS = {
    "home": "home", "write": "write", "entries": "journal", "journal": "journal",
    "search": "journal", "calendar": "journal", "on-this-day": "journal", "trash": "journal",
    "prompts": "prompts", "trends": "trends", "teams": "teams", "sharing": "sharing",
    "account": "account",
}


@register.simple_tag(takes_context=True)
def current_section(context) -> str:
    request = context.get("request")
    if request is None:
        return ""
    return SECTIONS.get(request.path.strip("/").split("/", 1)[0], "")
