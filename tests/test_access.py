"""Deny by default: every page needs a login, except a short, explicit public list."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

PUBLIC = {
    "landing",
    # Signing in, up and out, and a forgotten password (allauth's pages; the short names
    # "login", "signup"... name the same views).
    "login",
    "logout",
    "signup",
    "password_reset",
    "password_reset_done",
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    # Single sign-on: the way to the provider and back.
    "openid_connect_login",
    "openid_connect_callback",
    "socialaccount_login_cancelled",
    # Autosave answers 401 itself, so that an expired session never loses text (see journal tests).
    "entry_autosave",
    # A signed link in the weekly email: it works without logging in, and only unsubscribes.
    "team_unsubscribe",
    # Signed links in reminder emails: pause for a week or stop, for that person only.
    "reminder_link",
    # Tells an open editor whether anyone is signed in again; anonymously, only "no".
    "session_status",
    # What the analyzer reads and how well (measured figures only, nobody's entries).
    "how_reading_works",
    # The phone app's manifest and service worker script: the same for everyone, nothing personal.
    "manifest",
    "service_worker",
}
# Saving checks the login itself, so that a Save sent after the session expired keeps its text
# for the login that follows (tests/test_journal_sessions.py); it still only answers a POST.
SAVES_ACROSS_LOGIN = {"entry_save"}


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace, pattern.name, prefix + str(pattern.pattern), pattern


def route_params(route: str) -> dict[str, str]:
    """Each parameter of a full route (prefixes included: allauth puts some in its includes)
    and its kind, "int" or "str", from path converters or, in a regular-expression route
    (allauth has a few), named groups (digits only: "int")."""
    params = {}
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", re.sub(r"\(\?P<", "(", route)):
        params[name] = "int" if converter == "int" else "str"
    for name, group in re.findall(r"\(\?P<(\w+)>([^)]*)\)", route):
        params[name] = "int" if group == "[0-9]+" else "str"
    return params


def _dummy_url(namespace, name, route) -> str | None:
    kwargs = {}
    for key, kind in route_params(route).items():
        kwargs[key] = 1 if kind == "int" else "x1"
    full = f"{namespace}:{name}" if namespace else name
    try:
        return reverse(full, kwargs=kwargs)
    except Exception:
        return None


def app_urls():
    for namespace, name, route, _pattern in _patterns(get_resolver()):
        if namespace == "admin":
            continue
        url = _dummy_url(namespace, name, route)
        if url:
            yield pytest.param(name, url, id=name)


@pytest.mark.parametrize("name,url", list(app_urls()))
def test_it_sends_anonymous_visitors_to_login(db, name, url):
    client = Client()
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if name in SAVES_ACROSS_LOGIN and method == "get":
            assert response.status_code == 405, name
        elif name in PUBLIC:
            assert response.status_code != 302 or "/login/" not in response["Location"], name
            assert response.status_code < 500
        else:
            assert response.status_code == 302, (name, method, response.status_code)
            assert response["Location"].startswith(reverse("login")), (name, response["Location"])


def test_it_covers_every_area(db):
    names = {name for name, _ in (p.values for p in app_urls())}
    assert {"home", "entry_new", "journal", "prompts", "profile"} <= names


def test_it_keeps_the_admin_behind_its_login(db):
    response = Client().get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_it_refuses_a_post_without_csrf_token_and_changes_nothing(csrf_client, alice):
    response = csrf_client.post(reverse("profile"), {"display_name": "Mallory", "time_zone": "UTC"})
    assert response.status_code == 403
    assert b"expired" in response.content
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_it_refuses_a_logout_by_get(alice_client):
    response = alice_client.get(reverse("logout"))
    assert response.status_code == 405
    assert alice_client.get(reverse("home")).status_code == 200


def test_it_shows_a_friendly_404(alice_client):
    response = alice_client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Nothing here" in response.content


def test_it_sends_a_strict_content_security_policy(alice_client):
    response = alice_client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    html = response.content.decode()
    assert "<style" not in html and " style=" not in html
    assert "<script>" not in html  # every script is a file from our own origin
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html
    assert "/static/django_htmx/htmx-2" in html  # served from the package, no CDN


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom)]
handler500 = "reflect.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_it_shows_a_friendly_500_page(alice):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
