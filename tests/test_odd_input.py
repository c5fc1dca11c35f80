"""Odd input is a clear 4xx, never a 500 (issue 9, item 5): each finding reproduced here.

Each test failed on the code before the fix (on PostgreSQL, and on SQLite where the
overflow is Python's own), with a 500 or an exception."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reflect.journal.models import Entry, Prompt, Revision
from tests.test_journal_export import _valid_export, upload

HUGE = 2**70


@pytest.fixture
def anon() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def alice_raw(alice) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    return client


# URLs and cookies ---------------------------------------------------------------------------


def test_it_answers_a_nul_in_the_path_with_a_clear_400(alice_raw):
    response = alice_raw.get("/teams/join/%00/")
    assert response.status_code == 400
    assert "characters no page here can use" in response.content.decode()


def test_it_answers_a_nul_in_the_query_string_with_a_clear_400(anon):
    response = anon.get(reverse("login"), {"next": "/home/\x00"})
    assert response.status_code == 400


def test_it_ignores_a_session_cookie_of_nul_characters(anon, alice):
    # 32 NULs: long enough to be looked up as a session key (PostgreSQL then refused it).
    nuls = {"HTTP_COOKIE": "sessionid=" + "\x00" * 32}
    response = anon.get(reverse("login"), **nuls)
    assert response.status_code == 200
    assert "Log in" in response.content.decode()
    # A private page sends the visitor to log in, as with no cookie at all.
    response = anon.get(reverse("home"), **nuls)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_keeps_the_calendar_within_the_months_it_can_show(alice_raw):
    response = alice_raw.get(reverse("calendar"), {"month": "9999-12"})
    assert response.status_code == 200
    assert "between 1900 and 9998: showing this month" in response.content.decode()
    assert response.context["month"] == response.context["today"].replace(day=1)
    response = alice_raw.get(reverse("calendar"), {"month": "1900-01"})
    assert response.status_code == 200 and response.context["previous_url"] is None


@pytest.mark.parametrize("unit,day", [
    ("week", "9999-12-31"), ("month", "0001-01-01"), ("week", "0001-01-01"),
    ("month", "9999-12-31"), ("week", "9999-12-27"), ("month", "9999-12-01"),
    ("week", "1899-12-31"), ("month", "99999-01-01"), ("week", "2026-W01-1"),
])
def test_it_answers_far_trend_periods_with_404(alice_raw, unit, day):
    response = alice_raw.get(reverse("trends_period", args=[unit, day]))
    assert response.status_code == 404


@pytest.mark.parametrize("unit,day", [("week", "1900-01-01"), ("month", "9998-12-31")])
def test_it_shows_the_edge_periods_without_links_past_them(alice_raw, unit, day):
    response = alice_raw.get(reverse("trends_period", args=[unit, day]))
    assert response.status_code == 200
    html = response.content.decode()
    if day.startswith("1900"):
        assert "Previous" not in html and "Next" in html
    else:
        assert "Next" not in html and "Previous" in html


@pytest.mark.parametrize("logged_in", [True, False])
def test_it_answers_a_latin1_form_with_a_clear_400(alice, logged_in):
    # Under CSRF checks, as in production: Django refuses to read the form and its own
    # 400 handler then failed reading it again (500).
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    if logged_in:
        client.force_login(alice)
    response = client.post(
        reverse("entry_save"), b"body=caf%E9&written_on=2026-01-01",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400
    assert "Reflect reads forms sent as UTF-8" in response.content.decode()


# The editor ---------------------------------------------------------------------------------


@pytest.fixture
def entry(alice):
    return Entry.objects.create(
        author=alice, body="First text.", written_on=alice.today(), created_at=timezone.now()
    )


@pytest.mark.parametrize("field,value", [
    ("version", 2**31), ("version", HUGE), ("prompt", HUGE), ("prompt", 2**63),
])
def test_it_keeps_the_text_of_a_save_with_an_out_of_range_number(
    alice_raw, alice, entry, field, value
):
    data = {
        "entry": entry.pk, "version": 1, "prompt": "", "written_on": alice.today().isoformat(),
        "body": "Words the conflict page exists to keep.", field: value,
    }
    response = alice_raw.post(reverse("entry_save"), data)
    assert response.status_code == 422
    assert "Words the conflict page exists to keep." in response.content.decode()
    entry.refresh_from_db()
    assert entry.body == "First text." and entry.version == 1
    assert not Revision.objects.filter(entry=entry).exists()


@pytest.mark.parametrize("name", ["entry_save", "entry_autosave"])
def test_it_answers_an_out_of_range_entry_id_without_500(alice_raw, alice, name):
    data = {
        "entry": HUGE, "version": 1, "written_on": alice.today().isoformat(), "body": "Mine.",
    }
    response = alice_raw.post(reverse(name), data)
    assert 400 <= response.status_code < 500
    assert not Entry.objects.exists()


# Import -------------------------------------------------------------------------------------


def _import(client: Client, content: dict | str):
    text = content if isinstance(content, str) else json.dumps(content)
    response = client.post(reverse("import"), upload(text))
    if response.status_code == 302:  # checked: confirm the preview, as a person does
        response = client.post(response["Location"])
    html = response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    return response, html


def _pages_still_work(client: Client) -> None:
    for name in ("journal", "home", "calendar", "trends"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("search"), {"q": "fine"}).status_code == 200
    assert client.get(reverse("export_download", args=["json"])).status_code == 200


def _tomorrow_plus(alice, days: int) -> str:
    return (alice.today() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize("changes,message", [
    ({"body": "half a pair \ud800"}, "Entry 1: its body contains a NUL character or a broken"),
    ({"prompt_id": 7, "prompt_text": "Why \udfff?"}, "Entry 1: its prompt text contains"),
    ({"version": HUGE}, "Entry 1: version is not a whole number between 1 and 2,147,483,647"),
    ({"updated_at": "9999-12-31T23:59:59-14:00"}, "Entry 1: updated at is not a date and time"),
    ({"updated_at": "9999-12-31T23:59:59+00:00"}, "Entry 1: updated at 9999-12-31T23:59:59"),
    ({"created_at": "0001-01-01T00:00:00+00:00"}, "is not between 1900 and now"),
    ({"deleted_at": "3000-01-01T00:00:00+00:00"}, "Entry 1: deleted at 3000-01-01"),
    ({"written_on": "9999-12-31"}, "Entry 1: written on 9999-12-31 is not between 1900-01-01"),
    ({"written_on": "1899-12-31"}, "Entry 1: written on 1899-12-31 is not between"),
    ({"prompt_id": HUGE, "prompt_text": "Why?"}, "Entry 1: prompt id is not a number"),
    ({"revisions": [{
        "body": "old \ud800", "written_on": "2025-05-01", "version": 1,
        "created_at": "2025-05-01T20:00:00+00:00",
    }]}, "Entry 1, earlier version 1: its body contains a NUL character or a broken"),
    ({"revisions": [{
        "body": "old", "written_on": "2025-05-01", "version": 2**31,
        "created_at": "2025-05-01T20:00:00+00:00",
    }]}, "Entry 1, earlier version 1: version is not a whole number"),
])
def test_it_refuses_an_import_of_values_it_cannot_store_naming_the_entry(
    alice_raw, alice, changes, message
):
    response, html = _import(alice_raw, _valid_export(**changes))
    assert response.status_code == 400
    assert message in html, html[-2000:]
    assert "Nothing was imported." in html
    assert not Entry.objects.filter(author=alice).exists()
    _pages_still_work(alice_raw)


def test_it_refuses_an_entry_dated_after_the_persons_today(alice_raw, alice):
    response, html = _import(alice_raw, _valid_export(written_on=_tomorrow_plus(alice, 1)))
    assert response.status_code == 400
    assert "Entry 1: written on" in html and "is not between 1900-01-01 and today" in html
    assert not Entry.objects.exists()


def test_it_refuses_a_hidden_prompt_hidden_in_the_far_future(alice_raw, alice):
    data = _valid_export()
    data["hidden_prompts"] = [
        {"prompt_id": None, "prompt_text": "Why?", "hidden_at": "9999-12-31T23:59:59-14:00"}
    ]
    response, html = _import(alice_raw, data)
    assert response.status_code == 400
    assert "Hidden prompt 1: hidden at is not a date and time" in html


def _entries(n: int, changes=lambda i: {}) -> list[dict]:
    base = _valid_export()["entries"][0]
    return [
        {**base, "uuid": f"00000000-0000-4000-8000-{i:012d}", **changes(i)} for i in range(n)
    ]


def test_it_caps_the_inactive_prompts_one_import_creates(alice_raw, alice):
    data = _valid_export()
    data["entries"] = _entries(201, changes=lambda i: {"prompt_text": f"Question {i}?"})
    response, html = _import(alice_raw, data)
    assert response.status_code == 400
    assert "This file names 201 prompts this Reflect does not have" in html
    assert "at most 200" in html
    assert not Prompt.objects.filter(text__startswith="Question ").exists()
    assert not Entry.objects.exists()
    # 200 are fine, created at once.
    data["entries"] = data["entries"][:200]
    response, _ = _import(alice_raw, data)
    assert response.status_code == 302
    assert Prompt.objects.filter(text__startswith="Question ", is_active=False).count() == 200
    assert Entry.objects.filter(author=alice, prompt__text__startswith="Question ").count() == 200


def test_it_refuses_more_entries_than_one_import_takes_and_says_how_to_split(alice_raw, alice):
    data = _valid_export()
    data["entries"] = _entries(4_001)
    response, html = _import(alice_raw, data)
    assert response.status_code == 400
    assert "This file has 4,001 entries; one import takes at most 4,000." in html
    assert "Split the \"entries\" list into files of at most 4,000 entries" in html
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    "url", [f"/entries/{HUGE}/", f"/teams/{HUGE}/", f"/entries/{HUGE}/framing/wrong/"]
)
def test_it_answers_an_id_past_64_bits_in_the_url_with_404(alice_raw, url):
    # SQLite can't bind it (OverflowError, a 500 before); no row can have it.
    assert alice_raw.get(url).status_code == 404
    assert alice_raw.post(url).status_code == 404
