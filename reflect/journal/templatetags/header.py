"""The site header: its addresses and the current section."""

from functools import cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

# Sections by the first segment of the path: one rule for every page, so that no page is
# shown under another section (the sharing pages used to light up Teams).
SECTIONS = {
    "home": "home", "write": "write", "entries": "journal", "journal": "journal",
    "search": "journal", "calendar": "journal", "on-this-day": "journal", "trash": "journal",
    "prompts": "prompts", "trends": "trends", "teams": "teams", "sharing": "sharing",
    "account": "account",
}

LINKS = (
    "landing", "home", "entry_new", "journal", "prompts", "trends", "teams", "sharing",
    "profile", "logout", "login", "signup", "manifest", "entry_autosave", "session_status",
)


@register.simple_tag(takes_context=True)
def current_section(context) -> str:
    request = context.get("request")
    if request is None:
        return ""
    return SECTIONS.get(request.path.strip("/").split("/", 1)[0], "")


@cache
def _links(_prefix: str, urlconf: str | None, _root_urlconf: str) -> dict[str, str]:
    return {name: reverse(name, urlconf=urlconf) for name in LINKS}


@register.simple_tag
def site_links() -> dict[str, str]:
    """The header's addresses by URL name, reversed once per process (and URL prefix and
    configuration): the same on every page, and fifteen reversals were a third of the
    header's time. Addresses only, nothing of anyone's."""
    return _links(get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
