"""The site header: its addresses and the current section."""

from functools import cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString

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


@cache
def _reversed(name: str, _prefix: str, urlconf: str | None, _root_urlconf: str) -> str:
    return escape(reverse(name, urlconf=urlconf))


_NUMBER = 918273645  # a number no address of ours holds, to split one around its argument


@cache
def _reversed_around(
    name: str, _prefix: str, urlconf: str | None, _root_urlconf: str
) -> tuple[str, str]:
    start, end = escape(reverse(name, args=[_NUMBER], urlconf=urlconf)).split(str(_NUMBER))
    return start, end


@register.simple_tag
def link(name: str, number: int | None = None) -> SafeString:
    """{% url name %} (or {% url name number %}, an address with one number such as an
    entry's) as the url tag writes it, escaped, reversed once per process (and URL prefix
    and configuration): a page's url tags cost about 20 µs each, its addresses never change.
    Addresses only, nothing of anyone's."""
    key = (get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    if number is None:
        return SafeString(_reversed(name, *key))
    start, end = _reversed_around(name, *key)
    return SafeString(f"{start}{int(number):d}{end}")


def link_around(name: str) -> tuple[str, str]:
    """{% url name number %}'s address before and after the number, escaped (a list writes
    many addresses of one name), reversed once per process as link's."""
    return _reversed_around(name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


SECTION_LINKS = (
    ("entry_new", "write", "Write"), ("journal", "journal", "Journal"),
    ("prompts", "prompts", "Prompts"), ("trends", "trends", "Trends"),
    ("teams", "teams", "Teams"), ("sharing", "sharing", "Sharing"),
)


@cache
def _escaped_links(_prefix: str, urlconf: str | None, _root_urlconf: str) -> dict[str, str]:
    return {name: escape(url) for name, url in _links(_prefix, urlconf, _root_urlconf).items()}


def _current(section: str, name: str) -> str:
    return ' aria-current="page"' if section == name else ""


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    """The page's <body> tag and its header (skip link, sections, account), written here:
    through the template engine its ~40 nodes cost about half a millisecond on every page.
    The same HTML the template wrote; every value from the context escaped."""
    links = _escaped_links(get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    section = current_section(context)
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated
    token = context.get("csrf_token")
    if token is not None and not isinstance(token, str):
        # The context processor's lazy token: read through its proxy once, not at each of
        # the five uses below (each costs several proxied attribute look-ups).
        token = str(token)
    token_text = "" if token is None else conditional_escape(token)
    owner = context.get("owner_key")
    body = f"<body hx-headers='{{\"X-CSRFToken\": \"{token_text}\"}}'"
    if owner:
        body += (
            f' data-owner="{conditional_escape(owner)}" data-autosave-url="'
            f'{links["entry_autosave"]}" data-session-url="{links["session_status"]}"'
        )
    brand = links["home"] if signed_in else links["landing"]
    parts = [
        body, '>\n  <a class="skip" href="#main">Skip to content</a>\n  <header class="site">\n'
        '    \n    <nav aria-label="Main">\n'
        f'      <a class="brand" href="{brand}"{_current(section, "home")}>Reflect</a>\n      ',
    ]
    if signed_in:
        if not token:
            form_token = ""
        elif token == "NOTPROVIDED":
            form_token = ""
        else:
            form_token = (
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
            )
        parts.append('\n      <ul class="sections">\n')
        parts.extend(
            f'        <li><a href="{links[name]}"{_current(section, key)}>{label}</a></li>\n'
            for name, key, label in SECTION_LINKS
        )
        parts.append(
            '      </ul>\n      <ul class="account">\n'
            f'        <li><a class="who" href="{links["profile"]}"'
            f'{_current(section, "account")}>{conditional_escape(user.name)}</a></li>\n'
            "        <li>\n"
            f'          <form method="post" action="{links["logout"]}" class="inline" '
            f"data-logout>{form_token}\n"
            '            <button type="submit" class="link">Log out</button>\n'
            '            <span class="logout-status" role="status" aria-live="polite" '
            "data-logout-status></span>\n"
            "          </form>\n        </li>\n      </ul>\n      "
        )
    else:
        signup = (
            f'<li><a href="{links["signup"]}">Sign up</a></li>'
            if context.get("SIGNUP_OPEN") else ""
        )
        parts.append(
            '\n      <ul class="account">\n'
            f'        <li><a href="{links["login"]}">Log in</a></li>\n'
            f"        {signup}\n      </ul>\n      "
        )
    parts.append("\n    </nav>\n  </header>")
    return SafeString("".join(parts))  # every value from the context escaped above


# The <head>'s static addresses: the same for every page of a process (the manifest storage
# hashes each name once at start-up), yet {% static %} joined and looked each up again on
# every page (about a fifth of the layout's time).
HEAD_ICONS = """  <link rel="icon" href="data:,">
  <link rel="manifest" href="{manifest}">
  <link rel="apple-touch-icon" href="{icon}">
  <meta name="theme-color" content="#2f5d50">
  <meta name="mobile-web-app-capable" content="yes">
  <meta name="apple-mobile-web-app-title" content="Reflect">
  <link rel="stylesheet" href="{reflect_css}">
  <link rel="stylesheet" href="{areas_css}">
  """
HEAD_SCRIPTS = """
  <script src="{pwa_js}" defer></script>
  <script src="{reflect_js}" defer></script>"""


@cache
def _head_parts(_prefix: str, urlconf: str | None, _root_urlconf: str) -> tuple[str, str]:
    links = _escaped_links(_prefix, urlconf, _root_urlconf)
    icons = HEAD_ICONS.format(
        manifest=links["manifest"],
        icon=escape(static("icons/apple-touch-icon.png")),
        reflect_css=escape(static("css/reflect.css")),
        areas_css=escape(static("css/areas.css")),
    )
    scripts = HEAD_SCRIPTS.format(
        pwa_js=escape(static("js/pwa.js")), reflect_js=escape(static("js/reflect.js"))
    )
    return icons, scripts


@receiver(setting_changed)
def _forget_static_addresses(*, setting, **kwargs) -> None:
    if setting in {"STATIC_URL", "STORAGES", "STATIC_ROOT", "DEBUG", "FORCE_SCRIPT_NAME"}:
        _head_parts.cache_clear()


@register.simple_tag(takes_context=True)
def head_assets(context) -> SafeString:
    """The <head>'s icons, manifest, styles and scripts: the same HTML the template's
    {% static %} and {% htmx_script %} tags wrote, the static addresses looked up once per
    process (and settings); htmx's script tag is reflect.lib.htmx's (django-htmx's output, built
    once per process), with the page's own nonce."""
    from reflect.lib.htmx import htmx_script

    icons, scripts = _head_parts(get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    return SafeString(icons + htmx_script(context) + scripts)
