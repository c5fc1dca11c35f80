"""The account is not an oracle and private pages are never cached (issue 9, item 6):
no-store on every response to a signed-in person, a sign-up that answers the same for a new
and a known address, failed logins throttled per account and per client without locking the
owner out, and reset mail capped per address, silently."""

import re
from datetime import timedelta

import pytest
from allauth.account import adapter as allauth_adapter
from django.contrib.auth import forms as auth_forms
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone

from reflect.accounts import throttle
from reflect.journal.models import Prompt, Revision
from reflect.teams.models import SharedEntry
from tests.conftest import PASSWORD
from tests.test_access import _patterns, route_params
from tests.test_teams_support import join, make_team, write

ATTACKER = "203.0.113.66"


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand: no test sleeps."""

    class Clock:
        at = timezone.now()

        def advance(self, **delta) -> None:
            self.at += timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(throttle, "now", lambda: clock.at)
    return clock


@pytest.fixture
def hashing(monkeypatch):
    """Counts the logins that reached authenticate(), that is, a password hash."""
    calls = []
    real = auth_forms.authenticate

    def counted(*args, **kwargs):
        calls.append(kwargs.get("email") or kwargs.get("username"))
        return real(*args, **kwargs)

    monkeypatch.setattr(allauth_adapter, "authenticate", counted)  # allauth's login
    monkeypatch.setattr(auth_forms, "authenticate", counted)  # the admin's
    return calls


def _log_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"login": email, "password": password})


def _refused(response) -> bool:
    return response.status_code == 200 and b"Too many attempts: try again in" in response.content


# No-store


def _sweep_objects(alice, bob):
    team = make_team(bob)
    join(team, alice, level="named")
    entry = write(alice, alice.today(), body="I chose to ask first.")
    revision = Revision.objects.create(
        entry=entry, body="Before.", written_on=entry.written_on, version=1
    )
    shared = SharedEntry.objects.create(entry=entry, team=team, shared_by=alice, version=1)
    prompt = Prompt.objects.first() or Prompt.objects.create(text="What did I choose today?")
    return {
        "entries": {"pk": entry.pk, "revision_pk": revision.pk},
        "prompts": {"pk": prompt.pk},
        "teams": {"pk": team.pk, "user_pk": alice.pk, "shared_pk": shared.pk},
        "sharing": {"team_pk": team.pk, "entry_pk": entry.pk, "pk": shared.pk},
        "account": {"fmt": "json"},
        "trends": {"unit": "week", "day": alice.today().isoformat()},
    }


def _sweep_urls(objects) -> list[str]:
    urls = []
    for namespace, name, route, _pattern in _patterns(get_resolver()):
        if namespace == "admin" or name == "logout":
            continue
        # A real object of alice's where the route names one; any other value is a 404.
        area = objects.get(route.split("/")[0], {})
        kwargs = {
            key: area.get(key, 1 if kind == "int" else "x1")
            for key, kind in route_params(route).items()
        }
        urls.append(reverse(name, kwargs=kwargs))
    return urls


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_it_never_lets_a_cache_keep_a_private_page(request, alice, bob, persona):
    objects = _sweep_objects(alice, bob)
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    urls = _sweep_urls(objects) + ["/no-such-page/", reverse("logout")]
    statuses = set()
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            statuses.add(response.status_code)
            cache_control = response.get("Cache-Control", "")
            assert "no-store" in cache_control and "private" in cache_control, (url, headers)
    # The sweep saw real pages, redirects, 404s and refusals of a GET, not only one kind.
    assert {200, 302, 404, 405} <= statuses
    # Logging out (the last signed-in response) is no-store too, and so is what follows.
    response = client.post(reverse("logout"))
    assert "no-store" in response["Cache-Control"]


def test_it_keeps_public_static_files_cacheable_for_a_signed_in_person(alice_client, settings):
    # A guard on the middleware above (WhiteNoise answers before it), not a change of today.
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ without collectstatic
    client = Client()
    client.cookies = alice_client.cookies
    response = client.get("/static/css/reflect.css")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]


def test_it_keeps_forms_with_a_csrf_token_out_of_shared_caches(db):
    for name in ("login", "signup", "password_reset"):
        response = Client().get(reverse(name))
        assert "no-store" in response["Cache-Control"], name
        assert "private" in response["Cache-Control"], name


# Sign-up


def _signup(email: str):
    client = Client()
    data = {"email": email, "password1": PASSWORD, "display_name": "D", "time_zone": "UTC"}
    response = client.post(reverse("signup"), data)
    return client, response


def _without_tokens(html: bytes) -> bytes:
    return re.sub(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+', rb"\1", html)


def test_it_answers_a_sign_up_the_same_for_a_new_and_a_known_address(alice):
    new_client, new = _signup("dana@example.com")
    known_client, known = _signup("alice@example.com")
    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"] == reverse("account_email_verification_sent")
    assert new.content == known.content
    assert sorted(new.cookies) == sorted(known.cookies)
    new_page = new_client.get(new["Location"])
    known_page = known_client.get(known["Location"])
    assert new_page.status_code == known_page.status_code == 200
    assert _without_tokens(new_page.content) == _without_tokens(known_page.content)
    assert b"Check your email" in new_page.content
    # Neither is signed in; only the mail differs, and only the address's owner reads it.
    assert known_client.get(reverse("home")).status_code == 302
    to = {message.to[0]: message for message in mail.outbox}
    assert set(to) == {"dana@example.com", "alice@example.com"}
    assert "already has a journal" in to["alice@example.com"].body
    assert "/confirm-email/" in to["dana@example.com"].body


def test_it_hashes_the_password_for_a_known_address_as_for_a_new_one(alice, monkeypatch):
    # The known address's path only mails its owner; skipping the hash would make it answer
    # faster (Argon2 takes tens of milliseconds) and tell who has an account.
    from django.contrib.auth.hashers import MD5PasswordHasher

    hashed = []
    real = MD5PasswordHasher.encode

    def counted(self, password, salt):
        hashed.append(password)
        return real(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counted)
    _signup("dana@example.com")
    new = len(hashed)
    _signup("alice@example.com")
    assert new >= 1 and len(hashed) - new == new


# Failed logins


def test_it_stops_unlimited_password_guessing(alice, clock, hashing):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    answers = [_log_in(attacker, "alice@example.com", f"guess-{n}") for n in range(84)]
    assert sum(_refused(a) for a in answers) == 84 - throttle.LOGIN_PER_ACCOUNT.count
    assert len(hashing) == throttle.LOGIN_PER_ACCOUNT.count  # refused before any hashing
    # Now even the right password is refused, with the wait in words...
    response = _log_in(attacker, "alice@example.com")
    assert _refused(response) and b"try again in 15 minutes" in response.content
    clock.advance(minutes=10)
    assert b"try again in 5 minutes" in _log_in(attacker, "alice@example.com").content
    # ...until the window has passed.
    clock.advance(minutes=5, seconds=1)
    assert _log_in(attacker, "alice@example.com").status_code == 302


def test_it_throttles_an_unknown_address_exactly_like_a_known_one(alice, clock):
    for email in ("alice@example.com", "nobody@example.com"):
        client = Client(REMOTE_ADDR=f"198.51.100.{len(email)}")
        for n in range(throttle.LOGIN_PER_ACCOUNT.count):
            assert not _refused(_log_in(client, email, f"guess-{n}"))
        assert _refused(_log_in(client, email, "guess-last"))


def test_it_lets_alice_in_from_her_own_browser_while_her_account_is_attacked(alice, clock):
    browser = Client(REMOTE_ADDR="192.0.2.10")
    assert _log_in(browser, "alice@example.com").status_code == 302
    assert throttle.DEVICE_COOKIE in browser.cookies
    browser.post(reverse("logout"))
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(30):
        _log_in(attacker, "alice@example.com", f"guess-{n}")
    assert _refused(_log_in(attacker, "alice@example.com"))
    assert _refused(_log_in(Client(), "alice@example.com"))  # any browser she never used
    # Her own browser: a typo, then the right password.
    assert not _refused(_log_in(browser, "alice@example.com", "typo"))
    assert _log_in(browser, "alice@example.com").status_code == 302
    # A stolen or copied device cookie still gets only a few guesses.
    browser.post(reverse("logout"))
    answers = [_log_in(browser, "alice@example.com", f"g{n}") for n in range(15)]
    assert sum(not _refused(a) for a in answers) == throttle.LOGIN_PER_DEVICE.count - 1


def test_it_does_not_trust_a_device_cookie_for_another_account(alice, charlie, clock):
    browser = Client()
    _log_in(browser, "charlie@example.com")
    browser.post(reverse("logout"))
    for n in range(throttle.LOGIN_PER_ACCOUNT.count):
        _log_in(Client(REMOTE_ADDR=ATTACKER), "alice@example.com", f"guess-{n}")
    assert _refused(_log_in(browser, "alice@example.com"))


def test_it_limits_failed_logins_per_client_address(alice, charlie, clock, hashing):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(throttle.LOGIN_PER_CLIENT.count):
        # One guess for each of many addresses: no account limit is ever reached.
        assert not _refused(_log_in(attacker, f"person{n}@example.com", "guess"))
    assert _refused(_log_in(attacker, "charlie@example.com"))
    assert len(hashing) == throttle.LOGIN_PER_CLIENT.count
    assert _log_in(Client(REMOTE_ADDR="192.0.2.44"), "charlie@example.com").status_code == 302


def test_it_reads_the_client_address_behind_trusted_proxies_only(settings):
    factory = RequestFactory()
    spoofed = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert throttle.client_network(spoofed) == "10.0.0.2"  # trusting nothing by default
    settings.TRUSTED_PROXY_COUNT = 1
    assert throttle.client_network(spoofed) == "5.6.7.8"  # what our proxy saw, not the claim
    settings.TRUSTED_PROXY_COUNT = 2
    assert throttle.client_network(spoofed) == "1.2.3.4"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: the header is not ours
    assert throttle.client_network(spoofed) == "10.0.0.2"
    six = factory.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    settings.TRUSTED_PROXY_COUNT = 0
    assert throttle.client_network(six) == "2001:db8:1:2::/64"


# Reset and sign-up mail


def test_it_caps_password_reset_mail_per_address_silently(alice, clock):
    answers = [
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(
            reverse("password_reset"), {"email": "alice@example.com"}
        )
        for n in range(15)
    ]
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert len(mail.outbox) == throttle.MAIL_PER_ADDRESS.count
    clock.advance(hours=1, seconds=1)
    Client().post(reverse("password_reset"), {"email": "alice@example.com"})
    assert len(mail.outbox) == throttle.MAIL_PER_ADDRESS.count + 1


def test_it_caps_reset_mail_per_client_address(alice, clock):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(throttle.MAIL_PER_CLIENT.count):
        attacker.post(reverse("password_reset"), {"email": f"person{n}@example.com"})
    response = attacker.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
    Client().post(reverse("password_reset"), {"email": "alice@example.com"})
    assert len(mail.outbox) == 1


def test_it_caps_sign_up_mail_per_address(alice, clock):
    for _ in range(6):
        _signup("alice@example.com")
        _signup("dana@example.com")
    to = [message.to[0] for message in mail.outbox]
    assert to.count("alice@example.com") == to.count("dana@example.com") == 3


def test_it_throttles_the_admin_login_too(alice, clock):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(throttle.LOGIN_PER_ACCOUNT.count):
        attacker.post("/admin/login/", {"username": "alice@example.com", "password": f"g{n}"})
    response = attacker.post("/admin/login/", {"username": "alice@example.com", "password": "x"})
    assert b"Too many attempts: try again in" in response.content
    assert _refused(_log_in(attacker, "alice@example.com"))
