"""Sessions end by themselves (idle timeout, absolute lifetime, both from the environment), and
a person sees where they are signed in and can sign out everywhere else."""

import os
import subprocess
import sys

from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from reflect.accounts.middleware import LOGIN_AT, SEEN_AT
from tests.conftest import PASSWORD


def _log_in(client: Client, email: str = "alice@example.com"):
    response = client.post(reverse("login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _age(client: Client, key: str, seconds: int) -> None:
    """Move one of the session's clocks into the past, as time passing would."""
    session = client.session
    session[key] -= seconds
    session.save()


def test_it_ends_a_session_left_idle_too_long(alice, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client = Client()
    _log_in(client)
    assert client.get(reverse("home")).status_code == 200
    _age(client, SEEN_AT, 29 * 60)
    assert client.get(reverse("home")).status_code == 200  # still within the idle time
    _age(client, SEEN_AT, 31 * 60)
    response = client.get(reverse("journal"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302  # logged out, not only refused


def test_it_ends_a_session_at_its_absolute_lifetime_however_busy(alice, settings):
    settings.SESSION_MAX_HOURS = 8
    client = Client()
    _log_in(client)
    _age(client, LOGIN_AT, 7 * 3600)
    assert client.get(reverse("home")).status_code == 200
    _age(client, LOGIN_AT, 3600 + 1)  # busy to the last minute: the idle clock is fresh
    assert client.get(reverse("home")).status_code == 302


def test_it_answers_an_expired_autosave_as_signed_out_so_the_editor_keeps_the_text(alice, settings):
    client = Client()
    _log_in(client)
    client.get(reverse("home"))
    _age(client, SEEN_AT, settings.SESSION_IDLE_MINUTES * 60 + 1)
    response = client.post(reverse("entry_autosave"), {"body": "Half a thought."})
    assert response.status_code == 401


def test_it_reads_both_lifetimes_from_the_environment():
    code = "from django.conf import settings as s; "
    code += "print(s.SESSION_IDLE_MINUTES, s.SESSION_MAX_HOURS)"
    env = {**os.environ, "SESSION_IDLE_MINUTES": "45", "SESSION_MAX_HOURS": "12"}
    env["DJANGO_SETTINGS_MODULE"] = "reflect.settings"
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    assert out.stdout.split() == ["45", "12"]
    env["SESSION_IDLE_MINUTES"] = "an hour"
    bad = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
    )
    assert bad.returncode != 0 and "SESSION_IDLE_MINUTES='an hour'" in bad.stderr


def test_it_lists_my_sessions_and_signs_out_everywhere_else(alice, bob):
    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone")
    _log_in(laptop)
    _log_in(phone)
    _log_in(Client(HTTP_USER_AGENT="Bob's browser"), "bob@example.com")
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Laptop browser" in html and "Phone" in html
    assert "Bob" not in html  # only my own sessions
    assert html.count("<strong>This browser</strong>") == 1

    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert phone.get(reverse("home")).status_code == 302  # signed out there
    assert laptop.get(reverse("home")).status_code == 200  # still here
    assert "Phone" not in laptop.get(reverse("usersessions_list")).content.decode()
