"""Single sign-on through a real OpenID Connect provider (panva's oidc-provider, its own node
process on 127.0.0.1, tests/oidc/), configured only as an operator would: issuer, client id,
secret, allowed domains and the name on the button."""

import os
import select
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from reflect.accounts.adapter import record_sso_configuration
from reflect.audit.models import AuditEvent
from reflect.settings import sso_form_action, sso_providers

User = get_user_model()
PROVIDER_DIR = Path(__file__).parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "reflect-tests", "a-secret-only-these-tests-know"


def _unavailable(message: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (REQUIRE_BROWSER=1)")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    """The provider, started on a free port for this test session and stopped after it."""
    node = shutil.which("node")
    if node is None:
        _unavailable("No node on PATH: the single sign-on tests run a real provider with it")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        npm = shutil.which("npm")
        if npm:  # what `make install` does
            subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=PROVIDER_DIR)
        if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
            _unavailable("tests/oidc is not installed: run `make install`")
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URIS": live_server.url + "/oidc/sso/login/callback/",
    }
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [node, "server.js"], cwd=PROVIDER_DIR, env=env, stdout=subprocess.PIPE, stderr=log
    )
    deadline = time.monotonic() + 30
    line = b""
    while time.monotonic() < deadline and not line.startswith(b"ready"):
        ready, _, _ = select.select([process.stdout], [], [], 1)
        if ready:
            line = process.stdout.readline()
            if not line:
                break
    if not line.startswith(b"ready"):
        process.kill()
        log.seek(0)
        pytest.fail("The OIDC test provider did not start: " + log.read().decode()[-2000:])
    yield SimpleNamespace(issuer=f"http://127.0.0.1:{port}")
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def sso(settings, oidc_provider):
    """Reflect configured for the provider, as the environment would (OIDC_* variables)."""
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_ALLOWED_DOMAINS = ["example.com"]
    settings.SOCIALACCOUNT_PROVIDERS = sso_providers(
        oidc_provider.issuer, CLIENT_ID, CLIENT_SECRET, "Example Corp"
    )
    csp = {**settings.SECURE_CSP}
    csp["form-action"] = [*csp["form-action"], sso_form_action(oidc_provider.issuer)]
    settings.SECURE_CSP = csp
    return oidc_provider


def _sign_in_at_the_provider(page, live_server, sso, email: str) -> None:
    """Reflect's button, then the provider's own pages (its login, then its consent)."""
    page.goto(live_server.url + reverse("login"))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue with Example Corp").click()
    for _ in range(3):  # a second visit: the provider may remember its own session
        page.wait_for_load_state()
        if not page.url.startswith(sso.issuer):
            break
        with page.expect_navigation():
            if page.locator("input[name=login]").count():
                page.locator("input[name=login]").fill(email)
                page.locator("input[name=password]").fill("anything")
                page.get_by_role("button", name="Sign-in").click()
            else:
                page.get_by_role("button", name="Continue").click()


def test_it_creates_the_account_on_first_sign_in_and_returns_to_it(page, live_server, sso):
    _sign_in_at_the_provider(page, live_server, sso, "dana@example.com")
    expect(page.get_by_text("Today’s prompt")).to_be_visible()
    dana = User.objects.get(email="dana@example.com")
    assert EmailAddress.objects.filter(user=dana, email="dana@example.com", verified=True).exists()
    assert SocialAccount.objects.filter(user=dana, provider="sso").count() == 1

    page.get_by_role("button", name="Log out").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    _sign_in_at_the_provider(page, live_server, sso, "dana@example.com")
    expect(page.get_by_text("Today’s prompt")).to_be_visible()
    assert User.objects.filter(email="dana@example.com").count() == 1
    assert SocialAccount.objects.filter(provider="sso").count() == 1
    assert SocialAccount.objects.get(provider="sso").user == dana
    # The configuration used was recorded for the operators, once.
    assert AuditEvent.objects.filter(kind="sso_config", detail__issuer=sso.issuer).count() == 1


def test_it_reaches_the_existing_account_of_the_same_address(page, live_server, sso, alice):
    _sign_in_at_the_provider(page, live_server, sso, "alice@example.com")
    expect(page.get_by_text("Today’s prompt")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Alice")).to_be_visible()
    assert User.objects.count() == 1
    assert SocialAccount.objects.get(provider="sso").user == alice


def test_it_refuses_an_address_outside_the_allowed_domains(page, live_server, sso):
    _sign_in_at_the_provider(page, live_server, sso, "mallory@elsewhere.test")
    expect(page.get_by_text("Reflect accepts only @example.com")).to_be_visible()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    page.goto(live_server.url + reverse("home"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_it_records_each_single_sign_on_configuration_in_the_audit_log(settings, db):
    def configure(secret: str, domains: list[str]) -> None:
        settings.OIDC_ALLOWED_DOMAINS = domains
        settings.SOCIALACCOUNT_PROVIDERS = sso_providers(
            "https://id.example.com", CLIENT_ID, secret, "Example Corp"
        )

    configure("first-secret", ["example.com"])
    record_sso_configuration()
    record_sso_configuration()  # the same configuration: recorded once
    configure("first-secret", ["example.com", "example.org"])
    record_sso_configuration()
    configure("rotated-secret", ["example.com", "example.org"])
    record_sso_configuration()
    events = list(AuditEvent.objects.filter(kind="sso_config").order_by("at", "id"))
    assert [e.detail["allowed_domains"] for e in events] == [
        ["example.com"],
        ["example.com", "example.org"],
        ["example.com", "example.org"],
    ]
    assert events[1].detail["secret_digest"] != events[2].detail["secret_digest"]
    assert {e.actor_label for e in events} == {"system"}
    assert all(e.detail["issuer"] == "https://id.example.com" for e in events)
    for event in events:  # the secret itself is never kept
        assert "first-secret" not in str(event.detail)
        assert "rotated-secret" not in str(event.detail)


def test_it_refuses_a_sign_on_unless_every_address_is_in_an_allowed_domain(settings, rf, db):
    from allauth.core.exceptions import ImmediateHttpResponse
    from django.contrib.messages.storage.fallback import FallbackStorage

    from reflect.accounts.adapter import SocialAccountAdapter

    settings.OIDC_ALLOWED_DOMAINS = ["example.com"]

    def attempt(primary: str, *others: str) -> bool:
        request = rf.get("/")
        request.session = {}
        request._messages = FallbackStorage(request)
        login = SimpleNamespace(
            user=SimpleNamespace(email=primary),
            email_addresses=[SimpleNamespace(email=e) for e in (primary, *others)],
        )
        try:
            SocialAccountAdapter().pre_social_login(request, login)
        except ImmediateHttpResponse:
            return False
        return True

    assert attempt("dana@example.com")
    assert attempt("dana@EXAMPLE.com")
    assert not attempt("dana@example.com.evil.test")
    assert not attempt("mallory@evil.test", "dana@example.com")
    assert not attempt("dana@example.com", "mallory@evil.test")
    assert not attempt("")
