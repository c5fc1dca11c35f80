"""End to end in a real Chromium: the paths a person takes, with JavaScript on."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from reflect.journal.models import Entry
from tests.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_signs_up_sees_todays_prompt_opens_it_and_logs_out(page: Page, live_server):
    # The strict CSP must not block anything of ours: no inline script or style anywhere.
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Start your journal").click()
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Display name").fill("Dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my journal").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    # The live server runs in this process: its mail is in Django's test outbox.
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/confirm-email/\S+/)", message.body).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Open my journal").click()
    expect(page.get_by_text("Today’s prompt")).to_be_visible()
    prompt = page.locator(".today .prompt-text").inner_text()
    page.get_by_role("link", name="Write about this").click()
    expect(page.locator("h1.prompt-text")).to_have_text(prompt)
    expect(page.get_by_label("Your reflection")).to_be_focused()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Start your journal")).to_be_visible()
    assert violations == []


def test_it_defaults_the_time_zone_from_the_browser(browser, live_server):
    context = browser.new_context(timezone_id="Europe/Berlin")
    page = context.new_page()
    page.goto(live_server.url + reverse("signup"))
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    # The preselected zone survives the confirmation link into the new account.
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my journal").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    link = re.search(r"https?://[^/\s]+(/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Open my journal").click()
    expect(page.get_by_text("Today’s prompt")).to_be_visible()
    assert get_user_model().objects.get(email="erin@example.com").time_zone == "Europe/Berlin"
    context.close()


def test_it_autosaves_while_typing_and_resumes_the_draft(page: Page, live_server, alice):
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("entry_new"))
    page.get_by_label("Your reflection").press_sequentially(
        "I chose to speak first in the meeting."
    )
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=10_000)
    draft = Entry.objects.get(author=alice)
    assert draft.is_draft and draft.body == "I chose to speak first in the meeting."
    page.goto(live_server.url + reverse("entry_new"))
    expect(page.get_by_label("Your reflection")).to_have_value(
        "I chose to speak first in the meeting."
    )
    page.get_by_role("button", name="Save entry").click()
    expect(page).to_have_url(re.compile(r"/entries/\d+/$"))
    draft.refresh_from_db()
    assert not draft.is_draft


def test_it_shows_both_texts_when_two_pages_edit_one_entry(page: Page, live_server, alice):
    entry = Entry.objects.create(author=alice, body="The original.", written_on=alice.today())
    log_in(page, live_server, alice.email)
    other = page.context.new_page()
    url = live_server.url + reverse("entry_edit", args=[entry.pk])
    page.goto(url)
    other.goto(url)
    other.get_by_label("Your reflection").fill("Written in the second tab.")
    other.get_by_role("button", name="Save entry").click()
    expect(other).to_have_url(re.compile(r"/entries/\d+/$"))
    box = page.get_by_label("Your reflection")
    box.fill("Written in the first tab.")
    box.press("End")
    box.press_sequentially(" More.")
    expect(page.locator("#save-status")).to_contain_text("changed in another tab", timeout=10_000)
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("Written in the second tab.")).to_be_visible()
    expect(page.get_by_label("Text")).to_have_value("Written in the first tab. More.")
    page.get_by_role("button", name="Save this version").click()
    expect(page.locator(".entry-body")).to_contain_text("Written in the first tab. More.")
    entry.refresh_from_db()
    assert entry.body == "Written in the first tab. More."
    assert entry.revisions.filter(body="Written in the second tab.").exists()


def test_it_keeps_text_on_the_device_when_offline(page: Page, live_server, alice):
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("entry_new"))
    page.context.set_offline(True)
    page.get_by_label("Your reflection").press_sequentially("Written on a train.")
    expect(page.locator("#save-status")).to_contain_text(
        "Offline — kept on this device", timeout=10_000
    )
    assert not Entry.objects.exists()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=10_000)
    assert Entry.objects.get().body == "Written on a train."


def test_it_explains_the_framing_and_takes_a_wrong_highlight_report(page: Page, live_server, alice):
    from reflect.framing.models import HighlightReport
    from reflect.journal.models import create_entry

    entry = create_entry(
        author=alice,
        body="I had to stay late. Then I decided to ask the other team what if we shared the "
             "rota? Nobody asked me to. I chose to, and I decided to lead it myself.",
        written_on=alice.today(),
        prompt=None,
        draft=False,
    )
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("entry", args=[entry.pk]))
    panel = page.get_by_role("region", name="How you framed this")
    expect(panel).to_be_visible()
    expect(panel.locator(".insights li").first).to_be_visible()
    expect(page.locator(".entry-body mark.cue").first).to_be_visible()
    # Choose a highlight by clicking it in the text, then the one report control.
    first = page.locator(".entry-body mark.cue").first
    phrase = first.evaluate("m => m.lastChild.textContent")  # after its number
    first.click()
    expect(panel.get_by_label(re.compile("A wrong highlight"))).not_to_have_value("")
    panel.get_by_role("button", name="Report as wrong").click()
    expect(panel.get_by_text(re.compile("is reported as wrong"))).to_be_visible()
    # The clicked highlight is the one reported. "Had to" counts too, but leans against how the
    # entry reads obligation and agency: listed, not marked.
    assert phrase in ("decided", "ask the other")
    assert set(HighlightReport.objects.filter(entry=entry).values_list("phrase", flat=True)) == {
        phrase
    }
    assert not page.locator(".entry-body mark.cue", has_text="had to").count()
    expect(panel.get_by_text("Also counted, not marked")).to_have_count(1)  # in the <details>
    # Its list is loaded when "Everything the analysis found" is opened: "had to" is there.
    assert not panel.locator(".counted q").count()
    panel.get_by_text("Everything the analysis found").click()
    expect(panel.locator(".counted li q", has_text="had to").first).to_be_visible()
