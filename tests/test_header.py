"""The site header: the current section is right on every page, one row on a desktop, compact on
a phone, every link a target of at least 24x24 px with a visible focus."""

import re

import pytest
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
