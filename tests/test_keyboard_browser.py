"""Keyboard only: a manager who writes logs in, writes an entry, reads it, opens their trends
and their team's summary with Tab, typing and Enter alone; every stop on the way shows where
the focus is."""

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_SHOWN = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "";  // past the page's end, before wrapping
    if (!el.matches(":focus-visible")) return "no :focus-visible on " + el.outerHTML.slice(0, 80);
    const own = getComputedStyle(el);
    const label = el.closest("label") ? el.closest("label").querySelector("span") : null;
    const seen = [own, label ? getComputedStyle(label) : null].filter(Boolean).some(style =>
        (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== "none");
    return seen ? "" : "no visible focus on " + el.outerHTML.slice(0, 80);
}"""


def _tab_to(page: Page, matches: str, limit: int = 120) -> None:
    """Press Tab until the focused element satisfies the JS predicate `matches` (given `el`),
    checking that the focus is visible at every stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        problem = page.evaluate(FOCUS_SHOWN)
        assert not problem, f"{page.url}: {problem}"
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({matches}); }}"):
            return
    raise AssertionError(f"{page.url}: never reached {matches} by Tab")


def _link(text: str) -> str:
    return f"el.tagName === 'A' && el.textContent.trim() === {text!r}"


def test_it_walks_from_writing_to_the_team_summary_by_keyboard(page: Page, live_server, bob):
    from reflect.teams.demo import create_demo_team

    team = create_demo_team(bob, io.StringIO())
    page.goto(live_server.url + reverse("login"))
    _tab_to(page, "el.type === 'email'")
    page.keyboard.type(bob.email)
    _tab_to(page, "el.type === 'password'")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(reverse("home") + "$"))

    # Write: the header link, then the text (focused on arrival), then Save.
    _tab_to(page, _link("Write"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(reverse("entry_new")))
    expect(page.get_by_label("Your reflection")).to_be_focused()
    page.keyboard.type("I chose to hand over the weekly planning. Nobody asked me to. What if we "
                        "rotated it?")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Save entry'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/entries/\d+/$"))
    expect(page.get_by_role("heading", name="How you framed this")).to_be_visible()

    # The entry's one report control is reachable too; Tab wraps round to the header.
    _tab_to(page, "el.id === 'report-highlight'")
    _tab_to(page, _link("Trends"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(reverse("trends")))

    # Teams, the team, its summary.
    _tab_to(page, _link("Teams"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(reverse("teams") + "$"))
    _tab_to(page, _link(team.name))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(reverse("team", args=[team.pk]) + "$"))
    _tab_to(page, f"el.tagName === 'A' && el.getAttribute('href') === "
                  f"{reverse('team_summary', args=[team.pk])!r}")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(reverse("team_summary", args=[team.pk]) + "$"))
