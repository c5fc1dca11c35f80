"""Accounts: sign up, log in and out, change and reset a password, time zone and name."""

import re

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

User = get_user_model()


def _signup(client, email="dana@example.com", password=PASSWORD, **extra):
    data = {
        "email": email,
        "password1": password,
        "display_name": "Dana",
        "time_zone": "Europe/Paris",
    }
    data.update(extra)
    return client.post(reverse("signup"), data)


def _log_in(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"login": email, "password": password})


def confirm_link(message) -> str:
    """The path of the sign-up link in a mail."""
    return re.search(r"https?://[^/\s]+(/confirm-email/\S+/)", message.body).group(1)


def test_it_signs_up_by_the_link_in_the_email_and_logs_in(db, settings):
    from reflect.settings import PASSWORD_HASHERS

    settings.PASSWORD_HASHERS = PASSWORD_HASHERS  # the production list, Argon2 first
    client = Client()
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    # Until its owner opens the link, the journal stays closed, even with the password.
    assert client.get(reverse("home")).status_code == 302
    assert Client().get(reverse("home")).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dana@example.com"]
    link = confirm_link(mail.outbox[0])
    assert b"Open my journal" in client.get(link).content
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(email="dana@example.com")
    assert user.time_zone == "Europe/Paris" and user.display_name == "Dana"
    assert user.password.startswith("argon2") and user.check_password(PASSWORD)
    assert EmailAddress.objects.filter(user=user, email="dana@example.com", verified=True).exists()
    page = client.get(reverse("home"))
    assert b"Today" in page.content and b"Dana" in page.content
    # The link works once.
    assert b"expired or was already used" in Client().get(link).content


def test_it_keeps_an_unconfirmed_sign_up_out_of_the_journal(db):
    _signup(Client())
    mail.outbox.clear()
    client = Client()
    response = _log_in(client, "dana@example.com")
    # The right password only sends the link again: no session for an unproven address.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("home")).status_code == 302
    assert [m.to for m in mail.outbox] == [["dana@example.com"]]


def test_it_refuses_a_forged_sign_up_link(db, settings):
    client = Client()
    _signup(client)
    link = confirm_link(mail.outbox[0])
    forged = reverse("account_confirm_email", args=["MQ:1abcde:not-a-signature"])
    assert b"expired or was already used" in client.get(forged).content
    assert client.post(forged).status_code == 404
    settings.SECRET_KEY = "another-" + settings.SECRET_KEY  # signed by someone else
    assert b"expired or was already used" in client.get(link).content
    assert client.post(link).status_code == 404
    assert not EmailAddress.objects.filter(verified=True).exists()
    assert client.get(reverse("home")).status_code == 302


def test_it_mails_the_owner_when_their_address_signs_up_again(alice):
    response = _signup(Client(), email="ALICE@example.com")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.com"]
    assert "already has a journal" in mail.outbox[0].body
    assert "/confirm-email/" not in mail.outbox[0].body
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)  # the attempt changed nothing


def test_it_applies_the_password_validators(db):
    response = _signup(Client(), password="password")
    assert response.status_code == 200
    assert b"too common" in response.content
    assert not User.objects.filter(email="dana@example.com").exists()
    assert mail.outbox == []


def test_it_refuses_an_unknown_time_zone(db):
    response = _signup(Client(), time_zone="Mars/Olympus")
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not User.objects.exists()


def test_it_logs_in_with_any_case_of_email_and_logs_out_by_post(alice):
    client = Client()
    response = _log_in(client, "Alice@Example.com")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_it_refuses_a_wrong_password(alice):
    client = Client()
    response = _log_in(client, "alice@example.com", "nope")
    assert response.status_code == 200
    assert b"email address and/or password you specified are not correct" in response.content
    assert client.get(reverse("home")).status_code == 302


def test_it_still_accepts_a_login_form_posted_with_the_old_field_name(alice):
    # A login page opened before the upgrade posts `username`: it logs in all the same.
    client = Client()
    old_form = {"username": "alice@example.com", "password": PASSWORD}
    response = client.post(reverse("login"), old_form)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_it_changes_the_password(alice_client, alice):
    response = alice_client.post(
        reverse("password_change"),
        {
            "oldpassword": PASSWORD,
            "password1": "another-fine-passphrase-7",
            "password2": "another-fine-passphrase-7",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-fine-passphrase-7")


def test_it_resets_a_forgotten_password_by_email(alice):
    client = Client()
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.com"]
    link = re.search(r"http://testserver(/password/reset/key/\S+/)", mail.outbox[0].body)
    link = link.group(1)
    page = client.get(link, follow=True)
    assert page.status_code == 200 and b"Choose a new password" in page.content
    response = client.post(
        page.redirect_chain[-1][0],
        {"password1": "brand-new-passphrase-9", "password2": "brand-new-passphrase-9"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand-new-passphrase-9")
    # The link works once.
    assert b"expired" in client.get(link, follow=True).content


def test_it_does_not_reveal_whether_an_email_has_an_account(alice):
    client = Client()
    known = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_it_saves_name_and_time_zone(alice_client, alice):
    response = alice_client.post(
        reverse("profile"), {"display_name": "Al", "time_zone": "Asia/Kolkata"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone) == ("Al", "Asia/Kolkata")


def test_it_offers_the_browser_time_zone_on_signup(db):
    html = Client().get(reverse("signup")).content.decode()
    assert "data-browser-time-zone" in html
    assert '<option value="Europe/Paris"' in html
