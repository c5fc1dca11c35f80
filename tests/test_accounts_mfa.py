"""Two-factor sign-in (allauth.mfa): an authenticator app (TOTP) with recovery codes, enrolled
and used in Chromium as a person would, codes computed here from the secret (RFC 6238)."""

import base64
import hashlib
import hmac
import re
import struct
import time

from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import PASSWORD, log_in


def totp(secret: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows for a base32 secret (SHA-1, 30 s)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _password_step(page, live_server, email: str) -> None:
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def test_it_enrols_an_authenticator_app_and_then_asks_for_its_code(page, live_server, alice):
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("mfa_activate_totp"))
    # Changing how one signs in asks for the password again, even just after logging in.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill("000000" if totp(secret) != "000000" else "1")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Incorrect code")).to_be_visible()  # a wrong code enrols nothing
    assert not Authenticator.objects.filter(user=alice).exists()
    page.get_by_label("Authenticator code").fill(totp(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("body")).not_to_contain_text("Activate Authenticator App")
    types = set(Authenticator.objects.filter(user=alice).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}

    page.get_by_role("button", name="Log out").click()
    _password_step(page, live_server, alice.email)
    # The password alone is not enough now.
    expect(page.get_by_label("Code")).to_be_visible()
    page.goto(live_server.url + reverse("home"))  # half signed in is not signed in
    expect(page).to_have_url(re.compile(r"/2fa/authenticate/"))
    expect(page.get_by_text("Today’s prompt")).to_have_count(0)
    page.get_by_label("Code").fill(totp(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Today’s prompt")).to_be_visible()


def _enrol_totp(user) -> tuple[str, list[str]]:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, codes


def test_it_lets_a_recovery_code_in_once(alice):
    _secret, codes = _enrol_totp(alice)
    client = Client()
    response = client.post(reverse("login"), {"login": alice.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302  # half signed in is not signed in
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200

    again = Client()
    again.post(reverse("login"), {"login": alice.email, "password": PASSWORD})
    response = again.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200 and b"Incorrect code" in response.content
    assert again.get(reverse("home")).status_code == 302


def test_it_refuses_a_wrong_code_and_a_code_for_another_secret(alice, bob):
    secret, _codes = _enrol_totp(alice)
    bob_secret, _ = _enrol_totp(bob)
    client = Client()
    client.post(reverse("login"), {"login": alice.email, "password": PASSWORD})
    for code in ("123", totp(bob_secret) if totp(bob_secret) != totp(secret) else "999999"):
        response = client.post(reverse("mfa_authenticate"), {"code": code})
        assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def _virtual_authenticator(page) -> None:
    """A platform passkey in Chromium itself (DevTools' WebAuthn domain): it answers the
    browser's navigator.credentials calls as a phone or a laptop's fingerprint reader would."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_it_adds_a_passkey_and_logs_in_with_it_alone(page, live_server, alice):
    _virtual_authenticator(page)
    log_in(page, live_server, alice.email)
    page.goto(live_server.url + reverse("mfa_add_webauthn"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Name").fill("My laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("body")).not_to_contain_text("Add Security Key")
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.WEBAUTHN).count() == 1

    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + reverse("login"))
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_text("Today’s prompt")).to_be_visible()
    assert "Alice" in page.get_by_role("navigation", name="Main").inner_text()


def test_it_never_shows_a_second_factor_s_secret_to_operators(alice, django_user_model):
    from allauth.usersessions.models import UserSession

    Client().post(reverse("login"), {"login": alice.email, "password": PASSWORD})  # a session
    secret, codes = _enrol_totp(alice)
    operator = django_user_model.objects.create_superuser("ops@example.com", PASSWORD)
    admin = Client()
    admin.force_login(operator)
    pages = ["/admin/mfa/authenticator/", "/admin/usersessions/usersession/"]
    pages += [f"/admin/mfa/authenticator/{a.pk}/change/" for a in Authenticator.objects.all()]
    pages += [f"/admin/usersessions/usersession/{s.pk}/change/" for s in UserSession.objects.all()]
    keys = [s.session_key for s in UserSession.objects.all()]
    assert keys and len(pages) == 2 + 2 + len(keys)
    seed = Authenticator.objects.get(type=Authenticator.Type.RECOVERY_CODES).data["seed"]
    for url in pages:
        response = admin.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret_text in (secret, seed, *codes, *keys):
            assert secret_text not in html, url
    assert admin.get("/admin/mfa/authenticator/add/").status_code == 403


def test_it_limits_code_guessing_like_password_guessing_without_locking_out_the_owner(alice):
    from reflect.accounts import throttle

    secret, _codes = _enrol_totp(alice)
    wrong = "000000" if totp(secret) != "000000" else "111111"
    # Alice's own browser knows her account (a login before two-factor was on).
    own = Client(REMOTE_ADDR="192.0.2.10")
    own.cookies.load({throttle.DEVICE_COOKIE: _device_cookie(alice)})
    # Someone who has her password guesses codes from elsewhere.
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    attacker.post(reverse("login"), {"login": alice.email, "password": PASSWORD})
    answers = [
        attacker.post(reverse("mfa_authenticate"), {"code": wrong}).content for _ in range(8)
    ]
    limit = throttle.LOGIN_PER_ACCOUNT.count
    assert sum(b"Too many attempts: try again in" in a for a in answers) == 8 - limit
    refused = attacker.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert b"Too many attempts" in refused.content  # even the right code, for now
    assert attacker.get(reverse("home")).status_code == 302
    # Alice, from her own browser, still gets in.
    own.post(reverse("login"), {"login": alice.email, "password": PASSWORD})
    response = own.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert response.status_code == 302 and own.get(reverse("home")).status_code == 200


def _device_cookie(user) -> str:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from reflect.accounts import throttle

    response = HttpResponse()
    throttle.remember_device(RequestFactory().get("/"), response, user.email)
    return response.cookies[throttle.DEVICE_COOKIE].value
