"""The editor in Chromium: its save status stays in view while writing, the focus ring is not
the warning colour, and a resumed draft puts the cursor at the end of its text."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reflect.journal.models import Entry
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_it_keeps_the_save_status_in_view_while_typing(browser, live_server, alice, width, height):
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("entry_new"))
    body = page.get_by_label("Your reflection")
    body.press_sequentially("I chose to speak first in the meeting. " * 3)
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=10_000)
    box = page.locator("#save-status").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= height
    save = page.get_by_role("button", name="Save entry").bounding_box()
    assert save["y"] + save["height"] <= height
    # The writing field's focus ring is the focus colour, never the warning red.
    outline = body.evaluate("el => getComputedStyle(el).outlineColor + ' ' + "
                            "getComputedStyle(el).outlineStyle")
    assert "solid" in outline and "138, 28, 28" not in outline


def test_it_puts_the_cursor_at_the_end_of_a_resumed_draft(page, live_server, alice):
    text = "Started writing about the huddle, then got called away. What if we"
    Entry.objects.create(author=alice, body=text, written_on=alice.today(), is_draft=True)
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("entry_new"))
    body = page.get_by_label("Your reflection")
    expect(body).to_have_value(text)
    expect(body).to_be_focused()
    assert body.evaluate("el => [el.selectionStart, el.selectionEnd]") == [len(text), len(text)]
