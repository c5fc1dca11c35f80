"""One editor page is one writing session: it makes one entry, its own saves never conflict
with each other, it never saves into another account, and a session that expires while it
is open loses nothing."""

import threading
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from reflect.journal.models import Entry
from reflect.lib.owner import owner_key
from tests.conftest import PASSWORD


def _post(client, name, user, **fields):
    data = {
        "body": "I chose to run the handover myself.",
        "written_on": user.today().isoformat(),
        "version": 0,
        "owner": owner_key(user.pk),
        **fields,
    }
    return client.post(reverse(name), data)


def test_it_gives_every_editor_page_its_own_writing_session_and_owner(alice_client, alice):
    first = alice_client.get(reverse("entry_new"))
    second = alice_client.get(reverse("entry_new"))
    session = first.context["form"].initial["writing_session"]
    assert session != second.context["form"].initial["writing_session"]
    assert f'name="writing_session" value="{session}"' in first.content.decode()
    assert f'data-owner="{owner_key(alice.pk)}"' in first.content.decode()
    # The editor must never come back from a cache: a stale one makes false conflicts.
    assert "no-store" in first["Cache-Control"]


def test_it_makes_one_entry_when_save_comes_before_the_first_autosave_answers(
    alice_client, alice
):
    session = str(uuid.uuid4())
    saved = _post(alice_client, "entry_save", alice, writing_session=session, body="Final text")
    assert saved.status_code == 302
    # The autosave the page sent when it was hidden, without the entry id it never received.
    late = _post(alice_client, "entry_autosave", alice, writing_session=session, body="Final te")
    assert late.status_code == 200
    entries = Entry.objects.filter(author=alice)
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.body, entry.is_draft) == ("Final text", False)


def test_it_publishes_the_autosaved_draft_when_save_follows_without_the_entry_id(
    alice_client, alice
):
    session = str(uuid.uuid4())
    _post(alice_client, "entry_autosave", alice, writing_session=session, body="First words")
    response = _post(alice_client, "entry_save", alice, writing_session=session,
                     body="First words and more")
    entry = Entry.objects.get(author=alice)
    assert response.status_code == 302 and response.url == reverse("entry", args=[entry.pk])
    assert (entry.body, entry.is_draft, entry.version) == ("First words and more", False, 2)


def test_it_saves_right_after_its_own_autosave_with_the_version_it_had_before(
    alice_client, alice
):
    entry = Entry.objects.create(author=alice, body="Old text", written_on=alice.today())
    session = str(uuid.uuid4())
    page = {"entry": entry.pk, "version": entry.version, "writing_session": session}
    assert _post(alice_client, "entry_autosave", alice, body="Old text, edited", **page)\
        .status_code == 200
    response = _post(alice_client, "entry_save", alice, body="Old text, edited more", **page)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.body == "Old text, edited more"


def test_it_still_refuses_a_save_over_another_sessions_newer_version(alice_client, alice):
    entry = Entry.objects.create(author=alice, body="Old text", written_on=alice.today())
    mine, other = str(uuid.uuid4()), str(uuid.uuid4())
    base = {"entry": entry.pk, "version": entry.version}
    _post(alice_client, "entry_save", alice, body="From the phone", writing_session=other, **base)
    response = _post(alice_client, "entry_save", alice, body="From the laptop",
                     writing_session=mine, **base)
    assert response.status_code == 409
    entry.refresh_from_db()
    assert entry.body == "From the phone"
    assert entry.revisions.filter(body="From the laptop", reason="conflict").exists()


def test_it_ignores_an_autosave_that_arrives_after_its_own_sessions_save(alice_client, alice):
    entry = Entry.objects.create(author=alice, body="Old text", written_on=alice.today())
    session = str(uuid.uuid4())
    page = {"entry": entry.pk, "version": entry.version, "writing_session": session}
    _post(alice_client, "entry_save", alice, body="What I saved", **page)
    _post(alice_client, "entry_autosave", alice, body="What I had typed before", **page)
    entry.refresh_from_db()
    assert entry.body == "What I saved"


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_entry_when_autosave_and_save_race(alice):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (run with DATABASE_URL=postgres://…)")
    clients = [Client(raise_request_exception=False) for _ in range(2)]
    for client in clients:
        client.force_login(alice)
    def send(barrier, codes, client, name, session, body):
        barrier.wait()
        codes.append(_post(client, name, alice, writing_session=session, body=body).status_code)
        connection.close()

    for round_ in range(10):
        session = str(uuid.uuid4())
        barrier = threading.Barrier(2)
        codes = []
        threads = [
            threading.Thread(target=send, args=(barrier, codes, c, n, session, f"Round {round_}"))
            for c, n in zip(clients, ["entry_autosave", "entry_save"], strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(codes) == [200, 302]
        made = Entry.objects.filter(author=alice, created_in_session=session)
        assert made.count() == 1
        assert made.get().is_draft is False


def test_it_never_autosaves_into_an_account_that_signed_in_after_the_page_opened(
    charlie_client, alice, charlie
):
    # Alice's editor is still open when Charlie signs in on the same browser.
    response = _post(charlie_client, "entry_autosave", alice, body="Alice's private words")
    assert response.status_code == 403
    assert "another account is signed in" in response.content.decode()
    assert not Entry.objects.filter(body__contains="private words").exists()
    response = _post(charlie_client, "entry_save", alice, body="Alice's private words")
    assert response.status_code == 403
    assert "private words" not in response.content.decode()
    assert not Entry.objects.filter(body__contains="private words").exists()


def test_it_tells_an_open_editor_who_is_signed_in_now(client, alice):
    assert client.get(reverse("session_status")).json() == {"authenticated": False}
    client.force_login(alice)
    status = client.get(reverse("session_status"))
    assert status.json()["authenticated"] is True
    assert status.json()["owner"] == owner_key(alice.pk)
    assert status.json()["csrf"]
    assert "no-store" in status["Cache-Control"]
    assert "alice" not in status.content.decode()


def _expire_sessions() -> None:
    Session.objects.all().delete()


def test_it_brings_back_a_save_sent_after_the_session_expired(alice_client, alice):
    _expire_sessions()
    response = _post(alice_client, "entry_save", alice, body="Written while logged out")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "next=" + reverse("entry_resume") in response.url.replace("%2F", "/")
    assert not Entry.objects.exists()
    logged_in = alice_client.post(
        response.url, {"username": alice.email, "password": PASSWORD}, follow=True
    )
    assert logged_in.redirect_chain[-1][0] == reverse("entry_resume")
    assert "Written while logged out" in logged_in.content.decode()
    assert logged_in.context["form"]["body"].value() == "Written while logged out"
    saved = alice_client.post(reverse("entry_save"), {
        **{k: v for k, v in logged_in.context["form"].data.items()},
    })
    assert saved.status_code == 302
    assert Entry.objects.get(author=alice).body == "Written while logged out"


def test_it_never_shows_text_left_by_one_account_to_the_next(alice_client, alice, charlie):
    _expire_sessions()
    response = _post(alice_client, "entry_save", alice, body="Alice's unsent words")
    # Charlie logs in on the same browser instead.
    page = alice_client.post(
        response.url, {"username": charlie.email, "password": PASSWORD}, follow=True
    )
    assert "unsent words" not in page.content.decode()
    assert "belonged to another account" in page.content.decode()
    assert not Entry.objects.exists()


def test_it_brings_back_a_save_whose_csrf_token_went_stale_at_a_new_login(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.post(reverse("login"))  # no token yet: refused, but nothing happens
    editor_token = "x" * 32  # a token from before the login rotated it
    browser.force_login(alice)
    browser.cookies["csrftoken"] = "y" * 32
    response = browser.post(reverse("entry_save"), {
        "csrfmiddlewaretoken": editor_token,
        "body": "Kept across the new login",
        "written_on": alice.today().isoformat(), "version": 0, "owner": owner_key(alice.pk),
    })
    assert response.status_code == 302 and response.url == reverse("entry_resume")
    page = browser.get(response.url)
    assert "Kept across the new login" in page.content.decode()
    assert not Entry.objects.exists()  # nothing is saved by a request whose origin is unproven


def test_it_shows_the_plain_csrf_page_for_a_forged_save(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    response = browser.post(reverse("entry_save"), {
        "body": "Forged text", "written_on": alice.today().isoformat(), "version": 0,
    })
    assert response.status_code == 403
    assert "Forged text" not in browser.get(reverse("entry_resume"), follow=True)\
        .content.decode()
