"""django-htmx's {% htmx_script %}, written around the page's nonce from parts made once.

The tag looks up the htmx file's static address (the manifest's hashed name) and builds its
<script> with format_html on every page, though the address cannot change while a process
runs. ``htmx_script(context)`` writes exactly what ``django_htmx``'s tag writes with its
defaults (htmx 2, minified, no extensions, the debug script when DEBUG is on), the parts
kept per URL prefix and forgotten when a setting changes.
"""

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString

HTMX_FILE = "django_htmx/htmx-2.min.js"
DEBUG_FILE = "django_htmx/django-htmx.js"


@cache
def _script_parts(_prefix: str) -> tuple[tuple[str, str], str]:
    """The htmx script as (before the nonce, after it) and without a nonce."""
    src = escape(static(HTMX_FILE))
    parts = (f'<script src="{src}" defer nonce="', '"></script>')
    plain = f'<script src="{src}" defer></script>'
    if settings.DEBUG:
        debug = f'<script src="{escape(static(DEBUG_FILE))}" data-debug="True" defer'
        parts = (parts[0], f'{parts[1]}{debug} nonce="', '"></script>')
        plain += f"{debug}></script>"
    return parts, plain


@receiver(setting_changed)
def _forget_script_parts(**kwargs) -> None:
    _script_parts.cache_clear()


def htmx_script(context: Context | dict) -> SafeString:
    """{% htmx_script %}: the page's nonce (``csp_nonce``) in each script, when it has one."""
    parts, plain = _script_parts(get_script_prefix())
    nonce = context.get("csp_nonce")
    if nonce is None:
        return SafeString(plain)
    return SafeString(escape(nonce).join(parts))
