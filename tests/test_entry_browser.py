"""The entry page in Chromium: a 150-word entry with its reading fits in about one and a half
screens at 1280x800, and the highlights are numbered in the text."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from reflect.journal.models import create_entry
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRY_150 = (
    "Monday's planning went sideways again. I had to redo the rota because they told me to, "
    "and for an hour I felt like a clerk. Then I decided to stop waiting for permission. I "
    "asked the team what if we shared the rota and let each person swap their own shifts. "
    "Grace led the huddle today and we backed her up as a team. Nobody asked me, but I wrote "
    "the new rule on the board myself.\n\n"
    "I used to think leading meant having the title; now I see it is a choice I make each "
    "morning. Next time I'll ask the quiet people first, because Tom had the best idea and "
    "almost didn't say it. I'm proud of how we handled it together, though honestly I was "
    "drained by five. How might we make Monday planning shorter for everyone? I'll bring "
    "that question tomorrow and listen more than I talk."
)


def test_it_fits_a_150_word_entry_in_about_one_and_a_half_screens(page: Page, live_server,
                                                                  alice):
    assert 145 <= len(ENTRY_150.split()) <= 155
    entry = create_entry(author=alice, body=ENTRY_150, written_on=alice.today(), prompt=None,
                         draft=False)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("entry", args=[entry.pk]))
    expect(page.locator(".entry-body mark.cue").first).to_be_visible()
    page.screenshot(path="/tmp/hentry/e150.png", full_page=True)
    # The entry and its reading, up to the end of "How you framed this" (the images section
    # below it is another page's part).
    bottom = page.evaluate(
        "() => document.querySelector('section.framing').getBoundingClientRect().bottom"
    )
    assert bottom <= 1.5 * 800, bottom
    # The panel leads with at most three insights; the rest is folded away.
    assert page.locator(".insights > li").count() <= 3
    expect(page.locator("details.framing-more")).not_to_have_attribute("open", "")
