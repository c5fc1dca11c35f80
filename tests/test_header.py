"""The site header: the current section is right on every page, one row on a desktop, compact on
a phone, every link a target of at least 24x24 px with a visible focus."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, RequestContext, Template
from django.test import RequestFactory, override_settings
from django.urls import reverse
from playwright.sync_api import Page

from reflect.journal.models import create_entry
from tests.conftest import log_in


def _current(html: str) -> list[str]:
    header = html.split("</header>")[0]
    return re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', header)


@pytest.mark.parametrize("url_name,section", [
    ("sharing", "Sharing"), ("teams", "Teams"), ("journal", "Journal"), ("trends", "Trends"),
    ("entry_new", "Write"), ("prompts", "Prompts"), ("calendar", "Journal"),
])
def test_it_marks_the_section_of_the_page_and_only_it(alice_client, url_name, section):
    response = alice_client.get(reverse(url_name))
    assert _current(response.content.decode()) == [section]


def test_it_shows_an_entry_under_journal(alice, alice_client):
    entry = create_entry(author=alice, body="I chose.", written_on=alice.today(), prompt=None,
                         draft=False)
    response = alice_client.get(reverse("entry", args=[entry.pk]))
    assert _current(response.content.decode()) == ["Journal"]


def test_it_marks_the_account_page_with_the_persons_name(alice_client):
    response = alice_client.get(reverse("profile"))
    assert _current(response.content.decode()) == ["Alice"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width,height,max_height", [(1280, 800, 60), (390, 844, 100)])
def test_it_keeps_the_header_compact_with_large_enough_targets(
    browser, live_server, alice, width, height, max_height
):
    page: Page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("sharing"))
    header = page.locator("header.site").bounding_box()
    assert header["height"] <= max_height
    links = page.locator("header.site a, header.site button")
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, links.nth(i).inner_text()
        # Every link is on screen: nothing is pushed out of a phone's width.
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, links.nth(i).inner_text()
    if width >= 1280:  # one row: every link shares the brand's line
        tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
        assert max(tops) - min(tops) <= 8
    # The focus ring is drawn, and in the focus colour, not the warning colour.
    for _ in range(6):  # by keyboard, as :focus-visible is for keyboard focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent") == "Journal":
            break
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle + ' '"
        " + getComputedStyle(document.activeElement).outlineColor"
    )
    assert outline.startswith("solid") and "138, 28, 28" not in outline


# The header as base.html wrote it with template tags, before site_header wrote it in Python.
TEMPLATE_HEADER = """{% load header %}{% site_links as links %}<body hx-headers='{"X-CSRFToken": "{{ csrf_token }}"}'{% if owner_key %} data-owner="{{ owner_key }}" data-autosave-url="{{ links.entry_autosave }}" data-session-url="{{ links.session_status }}"{% endif %}>
  <a class="skip" href="#main">Skip to content</a>
  <header class="site">
    {% current_section as section %}
    <nav aria-label="Main">
      <a class="brand" href="{% if user.is_authenticated %}{{ links.home }}{% else %}{{ links.landing }}{% endif %}"{% if section == "home" %} aria-current="page"{% endif %}>Reflect</a>
      {% if user.is_authenticated %}
      <ul class="sections">
        <li><a href="{{ links.entry_new }}"{% if section == "write" %} aria-current="page"{% endif %}>Write</a></li>
        <li><a href="{{ links.journal }}"{% if section == "journal" %} aria-current="page"{% endif %}>Journal</a></li>
        <li><a href="{{ links.prompts }}"{% if section == "prompts" %} aria-current="page"{% endif %}>Prompts</a></li>
        <li><a href="{{ links.trends }}"{% if section == "trends" %} aria-current="page"{% endif %}>Trends</a></li>
        <li><a href="{{ links.teams }}"{% if section == "teams" %} aria-current="page"{% endif %}>Teams</a></li>
        <li><a href="{{ links.sharing }}"{% if section == "sharing" %} aria-current="page"{% endif %}>Sharing</a></li>
      </ul>
      <ul class="account">
        <li><a class="who" href="{{ links.profile }}"{% if section == "account" %} aria-current="page"{% endif %}>{{ user.name }}</a></li>
        <li>
          <form method="post" action="{{ links.logout }}" class="inline" data-logout>{% csrf_token %}
            <button type="submit" class="link">Log out</button>
            <span class="logout-status" role="status" aria-live="polite" data-logout-status></span>
          </form>
        </li>
      </ul>
      {% else %}
      <ul class="account">
        <li><a href="{{ links.login }}">Log in</a></li>
        {% if SIGNUP_OPEN %}<li><a href="{{ links.signup }}">Sign up</a></li>{% endif %}
      </ul>
      {% endif %}
    </nav>
  </header>"""  # noqa: E501


@pytest.mark.parametrize("path", ["/home/", "/journal/", "/entries/3/", "/account/", "/", "/x/"])
@pytest.mark.parametrize("signed_in", [True, False])
@pytest.mark.parametrize("signup_open", [True, False])
def test_it_writes_the_header_as_the_template_did(alice, path, signed_in, signup_open):
    alice.display_name = 'Al <i>"ice"</i> & co'
    request = RequestFactory().get(path)
    request.user = alice if signed_in else AnonymousUser()
    extra = {"SIGNUP_OPEN": signup_open}
    if signed_in:
        extra["owner_key"] = '<k"ey>'
    old = RequestContext(request, extra)
    new = RequestContext(request, extra)
    token = "tok3n" + "x" * 59
    old["csrf_token"] = new["csrf_token"] = token
    header = Template("{% load header %}{% site_header %}").render(new)
    assert header == Template(TEMPLATE_HEADER).render(old)
    assert ("Al &lt;i&gt;&quot;ice&quot;&lt;/i&gt; &amp; co" in header) == signed_in
    assert (token in header) and "<i>" not in header and '<k"ey>' not in header


def test_it_writes_the_header_without_a_request_or_token_as_the_template_did(alice):
    context = {"user": alice}
    with override_settings(DEBUG=False):
        assert Template("{% load header %}{% site_header %}").render(Context(context)) == (
            Template(TEMPLATE_HEADER).render(Context(context))
        )
    assert Template("{% load header %}{% site_header %}").render(Context({})) == (
        Template(TEMPLATE_HEADER).render(Context({}))
    )


HEAD_TEMPLATE = """{% load static django_htmx header %}{% site_links as links %}  <link rel="icon" href="data:,">
  <link rel="manifest" href="{{ links.manifest }}">
  <link rel="apple-touch-icon" href="{% static 'icons/apple-touch-icon.png' %}">
  <meta name="theme-color" content="#2f5d50">
  <meta name="mobile-web-app-capable" content="yes">
  <meta name="apple-mobile-web-app-title" content="Reflect">
  <link rel="stylesheet" href="{% static 'css/reflect.css' %}">
  <link rel="stylesheet" href="{% static 'css/areas.css' %}">
  {% htmx_script %}
  <script src="{% static 'js/pwa.js' %}" defer></script>
  <script src="{% static 'js/reflect.js' %}" defer></script>"""  # noqa: E501


@pytest.mark.parametrize("nonce", [None, "n0nce"])
def test_it_writes_the_head_assets_as_the_template_did(nonce):
    context = {} if nonce is None else {"csp_nonce": nonce}
    new = Template("{% load header %}{% head_assets %}").render(Context(context))
    assert new == Template(HEAD_TEMPLATE).render(Context(context))
    assert (f'nonce="{nonce}"' in new) == (nonce is not None)
    with override_settings(STATIC_URL="/elsewhere/"):  # addresses follow the settings
        moved = Template("{% load header %}{% head_assets %}").render(Context(context))
        assert moved == Template(HEAD_TEMPLATE).render(Context(context))
        assert "/elsewhere/css/reflect" in moved
    assert Template("{% load header %}{% head_assets %}").render(Context(context)) == new
