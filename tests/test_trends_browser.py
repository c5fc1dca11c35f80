"""Trends in a real Chromium: switch the unit with htmx, then follow a dot to its entries."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import log_in
from tests.test_trends import _moving_writer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_switches_the_unit_in_place_and_follows_a_dot_to_its_entries(
    page: Page, live_server, alice
):
    _moving_writer(alice)
    violations = []
    page.on("console", lambda m: "Content Security" in m.text and violations.append(m.text))

    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("trends"))
    expect(page.locator("#trend-obligation_agency")).to_have_text("Obligation and choice")
    page.evaluate("window.notReloaded = true")  # lost if the page reloads instead of swapping

    page.get_by_role("link", name="By month").click()

    expect(page).to_have_url(re.compile(r"/trends/\?unit=month&range=3m$"))
    expect(page.get_by_role("link", name="By month")).to_have_attribute("aria-current", "true")
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("table").first).to_contain_text("Month")

    page.locator("#charts svg a[href*='dimension=obligation_agency']").last.click()

    expect(page).to_have_url(re.compile(r"/trends/month/\d{4}-\d{2}-01/\?dimension=obligation_agency"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^\w+ \d{4}$"))
    expect(page.locator("mark.cue").first).to_be_visible()
    assert violations == []
