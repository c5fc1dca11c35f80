"""On the phone, in a real Chromium: the app installs (manifest, icons, a service worker that
controls the page), Write opens offline and what is typed there reaches the journal once the
connection is back, and what the device keeps belongs to one account and leaves at logout."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from reflect.journal.models import Entry
from tests.browser_support import assert_accessible
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CACHE_PREFIX = "reflect-v1:"


def _owner(page: Page) -> str:
    return page.evaluate("document.body.dataset.owner || ''")


def _cache_names(page: Page) -> list[str]:
    return page.evaluate("caches.keys()")


def _controlled(page: Page) -> None:
    """Wait until the service worker controls this page and keeps this account's editor."""
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    kept = """name => caches.has(name).then(has => has && caches.open(name)
        .then(c => c.match('/write/offline/')).then(r => !!r))"""
    for _ in range(100):
        if page.evaluate(kept, CACHE_PREFIX + _owner(page)):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the editor was not kept for offline use within 10 s")


def _wait_until_no_cache_is_left(page: Page) -> None:
    for _ in range(100):
        if not [name for name in _cache_names(page) if name.startswith(CACHE_PREFIX)]:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"caches left after logout: {_cache_names(page)}")


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()


def test_it_offers_a_valid_manifest_whose_icons_load_at_their_sizes(page: Page, live_server):
    page.goto(live_server.url + reverse("landing"))
    href = page.locator("link[rel=manifest]").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    for field in ("name", "short_name", "start_url", "scope", "theme_color", "background_color"):
        assert manifest[field], field
    assert manifest["display"] == "standalone"
    purposes = set()
    for icon in manifest["icons"]:
        width, height = page.evaluate(
            """src => new Promise((ok, fail) => {
                const img = new Image();
                img.onload = () => ok([img.naturalWidth, img.naturalHeight]);
                img.onerror = () => fail(new Error("icon did not load: " + src));
                img.src = src;
            })""",
            icon["src"],
        )
        assert f"{width}x{height}" == icon["sizes"], icon
        assert icon["type"] == "image/png"
        purposes.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_it_is_installable_in_chromium(page: Page, live_server, alice):
    log_in(page, live_server, alice.email)
    _controlled(page)
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith(reverse("manifest"))
    assert manifest["errors"] == []
    # Chromium's own install check; a test profile is incognito, where nothing installs.
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []


def test_it_opens_write_offline_and_sends_what_was_typed_when_back_online(
    page: Page, live_server, alice
):
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    log_in(page, live_server, alice.email)
    _controlled(page)

    page.context.set_offline(True)
    page.goto(live_server.url + reverse("entry_new"))
    box = page.get_by_label("Your reflection")
    expect(box).to_be_visible()
    expect(box).to_have_value("")
    # Its styles came from the device too: the skip link is out of sight.
    assert page.evaluate("getComputedStyle(document.querySelector('.skip')).position") == "absolute"
    assert_accessible(page, "the editor, offline")
    box.press_sequentially("Written on the train, offline")
    expect(page.locator("#save-status")).to_contain_text("kept on this device", timeout=10_000)
    assert not Entry.objects.exists()
    stored = json.dumps(page.evaluate("Object.assign({}, localStorage)"))
    assert "Written on the train" in stored and _owner(page) in stored

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=10_000)
    entry = Entry.objects.get(author=alice)
    assert entry.body == "Written on the train, offline"
    assert entry.written_on == alice.today()
    assert not violations, violations


def test_it_gives_two_offline_openings_two_writing_sessions(page: Page, live_server, alice):
    log_in(page, live_server, alice.email)
    _controlled(page)
    page.context.set_offline(True)
    sessions = set()
    for _ in range(2):
        page.goto(live_server.url + reverse("entry_new"))
        sessions.add(page.locator("input[name=writing_session]").input_value())
    assert len(sessions) == 2


def test_it_shows_a_plain_offline_notice_for_pages_it_does_not_keep(
    page: Page, live_server, alice
):
    Entry.objects.create(author=alice, body="Never kept on the device", written_on=alice.today())
    log_in(page, live_server, alice.email)
    _controlled(page)
    page.goto(live_server.url + reverse("journal"))
    expect(page.get_by_text("Never kept on the device")).to_be_visible()
    page.context.set_offline(True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("journal"))
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_text("Never kept on the device")).to_have_count(0)
    expect(page.get_by_role("link", name="Write")).to_be_visible()
    # In the site's own (kept) styles.
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    assert_accessible(page, "the offline notice")
    # The device keeps the empty editor and static files, never a page with journal text.
    kept = page.evaluate(
        """() => caches.keys()
            .then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))
            .then(lists => lists.flat().map(r => new URL(r.url).pathname))"""
    )
    assert [p for p in kept if not p.startswith("/static/")] == [reverse("entry_offline")]


def test_it_removes_the_accounts_caches_at_logout_and_never_shows_them_to_the_next(
    page: Page, live_server, alice, charlie
):
    log_in(page, live_server, alice.email)
    _controlled(page)
    alice_owner = _owner(page)
    assert any(alice_owner in name for name in _cache_names(page))
    page.goto(live_server.url + reverse("entry_new"))
    page.get_by_label("Your reflection").press_sequentially("Alice's words before leaving")
    _log_out(page)
    _wait_until_no_cache_is_left(page)
    assert Entry.objects.get(author=alice).body == "Alice's words before leaving"

    # Signed out and offline, Write shows no one's editor.
    page.context.set_offline(True)
    page.goto(live_server.url + reverse("entry_new"))
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_text("Alice")).to_have_count(0)
    page.context.set_offline(False)

    log_in(page, live_server, charlie.email)
    _controlled(page)
    assert not [name for name in _cache_names(page) if alice_owner in name]
    page.context.set_offline(True)
    page.goto(live_server.url + reverse("entry_new"))
    expect(page.get_by_label("Your reflection")).to_have_value("")
    assert page.evaluate("document.body.dataset.owner") == _owner(page) != alice_owner
    expect(page.get_by_role("link", name="Charlie")).to_be_visible()
    assert "Alice" not in page.content()


def test_it_never_serves_one_accounts_kept_editor_to_the_next_after_an_expired_session(
    page: Page, live_server, alice, charlie
):
    from django.contrib.sessions.models import Session

    log_in(page, live_server, alice.email)
    _controlled(page)
    alice_owner = _owner(page)
    Session.objects.all().delete()  # no logout: Alice's session simply ends
    log_in(page, live_server, charlie.email)
    assert not [name for name in _cache_names(page) if alice_owner in name]
    _controlled(page)
    page.context.set_offline(True)
    page.goto(live_server.url + reverse("entry_new"))
    expect(page.get_by_role("link", name="Charlie")).to_be_visible()
    assert "Alice" not in page.content()


def test_it_refreshes_an_hour_old_editor_and_forgets_files_it_no_longer_needs(
    page: Page, live_server, alice
):
    log_in(page, live_server, alice.email)
    _controlled(page)
    name = CACHE_PREFIX + _owner(page)
    # As if kept two hours ago, beside a stylesheet an earlier deploy named differently.
    page.evaluate(
        """name => caches.open(name).then(c => c.match('/write/offline/')
            .then(r => r.text())
            .then(html => Promise.all([
                c.put('/write/offline/', new Response(html.replace('<main', '<main data-old'), {
                    headers: {'Date': new Date(Date.now() - 7.2e6).toUTCString()},
                })),
                c.put('/static/css/reflect.0ld.css', new Response('body{}')),
            ])))""",
        name,
    )
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    kept = """name => caches.open(name).then(c => c.match('/write/offline/').then(r => r.text())
        .then(html => c.keys().then(rs => [html.includes('data-old'), rs.map(r => r.url)])))"""
    for _ in range(100):
        old, urls = page.evaluate(kept, name)
        if not old:
            break
        page.wait_for_timeout(100)
    assert not old, "the hour-old editor was not fetched again"
    assert not [url for url in urls if "0ld" in url]
    assert any(url.endswith("/write/offline/") for url in urls)


def test_it_serves_no_kept_editor_when_it_cannot_tell_whose_it_is(page: Page, live_server, alice):
    log_in(page, live_server, alice.email)
    _controlled(page)
    # Another account's copy appears beside Alice's (as if left by a page that never finished):
    # the worker cannot tell which account is signed in, so it serves neither.
    page.evaluate(
        """() => caches.open('reflect-v1:someone-else').then(c => c.put('/write/offline/',
            new Response('<!doctype html><title>x</title><body>Someone else</body>',
                         {headers: {'Content-Type': 'text/html'}})))"""
    )
    page.context.set_offline(True)
    page.goto(live_server.url + reverse("entry_new"))
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_text("Someone else")).to_have_count(0)
    expect(page.get_by_label("Your reflection")).to_have_count(0)
