"""Tags and mood in a real Chromium (issue 13.3, 13.4): the mood is chosen with the keyboard
alone, each choice is at least 24 px square, and #tags and the tag field are saved."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from reflect.journal.models import Entry, tag_names
from tests.conftest import log_in


def test_it_rates_the_day_and_tags_it_with_the_keyboard(page: Page, live_server, alice):
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("entry_new"))
    page.get_by_label("Your reflection").fill("I asked the team about the #offsite.")
    page.get_by_label("Tags").fill("vision")
    for box in page.locator(".mood-option span").all():
        size = box.bounding_box()
        assert size["width"] >= 24 and size["height"] >= 24
    page.get_by_label("Tags").focus()
    page.keyboard.press("Tab")  # into the mood group, on its checked choice ("Not said")
    expect(page.get_by_label("Not said")).to_be_focused()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Good", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("(4 of 5)")).to_be_visible()
    entry = Entry.objects.get(author=alice)
    assert entry.mood == 4 and set(tag_names(entry)) == {"offsite", "vision"}
    page.get_by_role("link", name="#offsite").click()
    expect(page.get_by_label("Tag")).to_have_value("offsite")  # the journal, filtered
    expect(page.locator(".journal-item")).to_have_count(1)
    expect(page.locator(".journal-item")).to_contain_text("I asked the team about the")
