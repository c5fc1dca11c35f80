"""Trends in a real Chromium: switch the unit with htmx, keep focus, reach a chart's numbers and
a period's entries by keyboard alone; axe-core on every trends page and state at a desktop
and a phone size, with screenshots (tests/screenshots/trends-*.png)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser_support import assert_accessible, screenshot
from tests.conftest import log_in
from tests.test_trends import _moving_writer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csp_watch(page: Page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda m: "Content Security" in m.text and violations.append(m.text))
    return violations


def test_it_switches_the_unit_in_place_and_follows_a_period_to_its_entries(
    page: Page, live_server, alice
):
    _moving_writer(alice)
    violations = _csp_watch(page)

    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("trends"))
    expect(page.locator("#trend-obligation_agency")).to_have_text("Obligation and choice")
    page.evaluate("window.notReloaded = true")  # lost if the page reloads instead of swapping

    page.get_by_role("link", name="By month").click()

    expect(page).to_have_url(re.compile(r"/trends/\?unit=month&range=3m$"))
    expect(page.get_by_role("link", name="By month")).to_have_attribute("aria-current", "true")
    assert page.evaluate("window.notReloaded") is True

    chart = page.locator("section.trend", has=page.locator("#trend-obligation_agency"))
    chart.locator("summary").click()
    table = chart.locator("table")
    expect(table).to_contain_text("Month")  # loaded into the chart when opened
    table.locator("a[href*='dimension=obligation_agency']").first.click()

    expect(page).to_have_url(re.compile(r"/trends/month/\d{4}-\d{2}-01/\?dimension=obligation_agency"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^\w+ \d{4}$"))
    expect(page.locator("mark.cue").first).to_be_visible()
    assert violations == []


def test_it_keeps_focus_after_a_swap_and_walks_one_stop_per_chart(page: Page, live_server, alice):
    _moving_writer(alice)
    violations = _csp_watch(page)
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("trends") + "?unit=week&range=3m")
    page.evaluate("window.notReloaded = true")

    page.locator("#unit-month").focus()
    page.keyboard.press("Enter")

    expect(page.locator("#unit-month")).to_have_attribute("aria-current", "true")
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == "unit-month"  # focus kept
    assert page.evaluate("document.activeElement.getAttribute('aria-current')") == "true"

    # From the tag filter's button, Tab reaches the first chart, then its numbers, then the
    # next chart: no stop per dot.
    page.locator(".tag-filter button").focus()
    stops = []
    for _ in range(5):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(
            "(() => { const e = document.activeElement;"
            " return e.tagName.toLowerCase() + ':' + (e.getAttribute('aria-labelledby')"
            " || e.textContent.trim().slice(0, 40)); })()"
        ))
    assert stops[0].startswith("svg:trend-action_vision-title")
    assert stops[1].startswith("summary:The numbers")
    assert stops[2].startswith("svg:trend-position_choice-title")

    # Open the numbers by keyboard: the table arrives in place; its periods link onwards.
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("The numbers")
    page.keyboard.press("Enter")
    numbers = page.locator("section.trend").first.locator("table")
    expect(numbers).to_be_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    link = page.evaluate("document.activeElement.getAttribute('href')")
    assert re.match(r"/trends/month/\d{4}-\d{2}-01/\?dimension=action_vision&range=3m", link)
    assert violations == []


def test_it_shows_the_numbers_on_their_own_page_without_javascript(browser, live_server, alice):
    _moving_writer(alice)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("trends") + "?unit=week&range=3m")

    page.locator("section.trend").first.locator("summary").click()
    page.get_by_role("link", name="Open the table of tasks and vision").click()

    expect(page).to_have_url(re.compile(r"/trends/numbers/\?unit=week&range=3m&dimension=action_vision"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tasks and vision: the numbers")
    expect(page.locator("table a").first).to_have_attribute("href", re.compile(r"^/trends/week/"))
    context.close()


SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.mark.parametrize("size", list(SIZES))
def test_it_passes_axe_on_every_trends_page(page: Page, live_server, alice, size):
    _moving_writer(alice)
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, alice.email)

    page.goto(live_server.url + reverse("trends"))
    page.locator("section.trend").first.locator("summary").click()
    page.locator("section.trend").first.locator("table").wait_for()
    assert_accessible(page, f"trends ({size})")
    screenshot(page, f"trends-{size}")
    page.locator("#trend-obligation_agency").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot(page, f"trends-{size}-chart")))  # what one screen shows

    page.goto(live_server.url + reverse("trends") + "?unit=month&range=all")
    assert_accessible(page, f"trends by month ({size})")
    screenshot(page, f"trends-month-all-{size}")

    page.goto(live_server.url + reverse("trends_numbers") + "?dimension=tone")
    assert_accessible(page, f"a chart's numbers ({size})")
    screenshot(page, f"trends-numbers-{size}")

    page.locator("table a").first.click()
    page.wait_for_load_state()
    assert_accessible(page, f"a period's entries ({size})")
    screenshot(page, f"trends-period-{size}")
