import os
import shutil

import pytest
from django.test import Client

# Playwright's sync API runs an event loop in the test thread, and Django then refuses ORM
# calls from it. Lifted here, for the test process only; never set it in the environment
# (`check --deploy` fails with async.E001 when it is).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher.
    tests/test_accounts.py checks that real sign-ups get Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth's few remaining limits (password change, email and session management) count
    in the cache: every test starts with none counted. Our own login, two-factor and mail
    limits are rows, rolled back."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def alice(db, django_user_model):
    """Alice writes."""
    return django_user_model.objects.create_user(
        "alice@example.com", PASSWORD, display_name="Alice", time_zone="Europe/London"
    )


@pytest.fixture
def bob(db, django_user_model):
    """Bob manages Alice's team."""
    return django_user_model.objects.create_user(
        "bob@example.com", PASSWORD, display_name="Bob", time_zone="America/New_York"
    )


@pytest.fixture
def charlie(db, django_user_model):
    """Charlie is an outsider."""
    return django_user_model.objects.create_user(
        "charlie@example.com", PASSWORD, display_name="Charlie", time_zone="Asia/Tokyo"
    )


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob) -> Client:
    client = Client()
    client.force_login(bob)
    return client


@pytest.fixture
def charlie_client(charlie) -> Client:
    client = Client()
    client.force_login(charlie)
    return client


@pytest.fixture
def csrf_client(alice) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def log_in(page, live_server, email: str) -> None:
    """Log in through the real form, as a person would, and land on today's page."""
    from django.urls import reverse
    from playwright.sync_api import expect

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_text("Today’s prompt")).to_be_visible()


def ensure_article_prompts() -> None:
    """The article's prompts come from a data migration, and a transactional test (every
    browser test's live server is one) empties the tables when it ends: put them back."""
    from reflect.journal.article_prompts import PROMPTS
    from reflect.journal.models import Prompt

    for position, (text, source, category, passage) in enumerate(PROMPTS):
        Prompt.objects.get_or_create(text=text, defaults={
            "source": source, "category": category, "passage": passage, "position": position,
        })


@pytest.fixture(autouse=True)
def article_prompts_for_the_live_server(request):
    """A browser test sees the article's prompts, whatever ran before it."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        ensure_article_prompts()


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser (it cannot be downloaded here)."""
    path = chromium_path()
    if path is None:
        message = "No Chromium on PATH: install Debian's 'chromium' package to run browser tests"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (REQUIRE_BROWSER=1)")
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def quiet_browser_teardown(request):
    """Closing a page fires `visibilitychange`, and the editor then sends its unsaved text (as
    it should for a person). In tests that request would reach a live server whose database is
    already gone: abort the pages' requests before they close."""
    browser_fixtures = {"page", "browser"} & set(request.fixturenames)
    if not browser_fixtures:
        yield
        return
    if "page" in browser_fixtures:
        request.getfixturevalue("page")
    browser = request.getfixturevalue("browser")
    yield
    for context in browser.contexts:
        context.route("**/*", lambda route: route.abort())
        context.close()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
