"""Bring your old journal (issue 13.2) and export what you need (13.5): Day One, jrnl and
Markdown zips previewed then imported, idempotently and analysed; malformed files named,
never a 500; tags and mood through every export format and back; exports limited to a date
range and a tag, never holding another person's words."""

import csv
import io
import json
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from reflect.background.models import ImportJob
from reflect.framing.models import Framing
from reflect.journal import importers
from reflect.journal.models import Entry, PendingImport, create_entry, tag_names
from tests.test_journal_export import upload
from tests.test_tasks import db_tasks, run_worker  # noqa: F401 (fixture)
from tests.test_tasks_import import small_parts  # noqa: F401 (fixture)

DATA = Path(__file__).parent / "data" / "import"


def _preview(client, content: bytes, name: str = "journal.json"):
    response = client.post(reverse("import"), upload(content, name))
    assert response.status_code == 302, response.content.decode()[-3000:]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return response["Location"], page.content.decode()


def _import(client, content: bytes, name: str = "journal.json") -> str:
    url, _ = _preview(client, content, name)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _refused(client, content: bytes, name: str = "journal.zip") -> str:
    response = client.post(reverse("import"), upload(content, name))
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert "Nothing was imported." in html
    return html


def _zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# Day One ----------------------------------------------------------------------------------


def test_it_previews_a_day_one_export_then_imports_it(alice_client, alice):
    content = (DATA / "Journal.json").read_bytes()
    url, html = _preview(alice_client, content, "Journal.json")
    assert "Day One" in html and "2 new entries" in html
    assert "From 4 March 2021 to 6 March 2021" in re.sub(r"<[^>]+>", "", html)
    assert "Day One entry 2 (2021-03-05): it has no text" in html
    assert "Day One entry 3: it has no date Reflect can read" in html
    assert "1 photo is in the export not imported (only the text is)." in html
    assert not Entry.objects.exists()  # nothing before the person confirms
    alice_client.post(url)
    walk = Entry.objects.get(author=alice, body__startswith="A long walk")
    # 23:30 UTC is the evening of the 4th in New York, where it was written.
    assert walk.written_on == date(2021, 3, 4)
    assert "dayone-moment" not in walk.body
    assert set(tag_names(walk)) == {"walks", "one-to-ones", "team", "starred"}
    quiet = Entry.objects.get(author=alice, body__startswith="Quiet Saturday")
    assert quiet.written_on == date(2021, 3, 6) and "🌊" in quiet.body
    # Each imported entry is analysed, as a saved one is.
    assert Framing.objects.filter(entry__author=alice).count() == 2
    assert not PendingImport.objects.exists()


def test_it_imports_a_day_one_zip_and_twice_adds_nothing(alice_client, alice):
    content = _zip({
        "Journal.json": (DATA / "Journal.json").read_bytes(),
        "photos/3f2c1d0e9b8a.jpeg": b"\xff\xd8\xff not really a photo",
    })
    html = _import(alice_client, content, "Export.zip")
    assert "Imported 2 entries." in html
    _, again = _preview(alice_client, content, "Export.zip")
    assert "2 already in your journal" in again
    assert "Everything in this file is in your journal already" in again
    assert Entry.objects.filter(author=alice).count() == 2


def test_it_imports_the_same_day_one_file_into_two_accounts(alice_client, charlie_client,
                                                             alice, charlie):
    content = (DATA / "Journal.json").read_bytes()
    _import(alice_client, content)
    _import(charlie_client, content)
    assert Entry.objects.filter(author=alice).count() == 2
    assert Entry.objects.filter(author=charlie).count() == 2
    # Charlie's second import still adds nothing.
    _import(charlie_client, content)
    assert Entry.objects.filter(author=charlie).count() == 2


# jrnl -------------------------------------------------------------------------------------


def test_it_imports_a_jrnl_export(alice_client, alice):
    url, html = _preview(alice_client, (DATA / "jrnl.json").read_bytes())
    assert "jrnl" in html and "2 new entries" in html
    assert "jrnl entry 2 (2999-01-01): its date 2999-01-01 is not between 1900 and today" in html
    assert "jrnl entry 4: it has no date Reflect can read" in html
    alice_client.post(url)
    standup = Entry.objects.get(author=alice, written_on=date(2020, 1, 2))
    assert standup.body == "Stand-up went well. I asked the team what they need."
    assert tag_names(standup) == ["work"]
    starred = Entry.objects.get(author=alice, written_on=date(2020, 1, 3))
    assert starred.body == "Starred evening.\nA second paragraph."
    assert tag_names(starred) == ["starred"]


# Markdown files ---------------------------------------------------------------------------


def test_it_imports_a_zip_of_markdown_files(alice_client, alice):
    content = _zip({
        "notes/2022-05-01 first walk.md": "# First walk\n\nWe walked. #outside",
        "notes/with-front-matter.md": (
            "---\ndate: 2022-05-02\ntags: [Reading, vision]\nmood: 4\ntitle: Books\n---\n"
            "I read about leading.\n"
        ),
        "notes/block-list.md": "---\ndate: 2022-05-03\ntags:\n  - craft\n---\nMaking things.",
        "notes/undated.md": "No date anywhere.",
        "notes/picture.png": b"\x89PNG",
    })
    url, html = _preview(alice_client, content, "notes.zip")
    assert "Markdown files" in html and "3 new entries" in html
    assert "notes/undated.md: it has no date Reflect can read" in html
    assert "1 other file in the zip (not Markdown) are not imported" in html
    alice_client.post(url)
    first = Entry.objects.get(author=alice, written_on=date(2022, 5, 1))
    assert first.body.startswith("# First walk") and tag_names(first) == ["outside"]
    books = Entry.objects.get(author=alice, written_on=date(2022, 5, 2))
    assert (books.title, books.body, books.mood) == ("Books", "I read about leading.", 4)
    assert tag_names(books) == ["reading", "vision"]
    assert tag_names(Entry.objects.get(author=alice, written_on=date(2022, 5, 3))) == ["craft"]
    assert "Imported 0 entries. 3 were already" in _import(alice_client, content, "notes.zip")


# Malformed files ---------------------------------------------------------------------------


def test_it_names_a_damaged_zip(alice_client):
    html = _refused(alice_client, b"PK\x03\x04" + b"\x00" * 40)
    assert "This zip file is damaged or unreadable" in html


def test_it_refuses_a_zip_with_a_name_outside_the_archive(alice_client):
    html = _refused(alice_client, _zip({"../../etc/evil.md": "---\ndate: 2022-01-01\n---\nx"}))
    assert "'../../etc/evil.md', which points outside the archive" in html
    html = _refused(alice_client, _zip({"/abs/2022-01-01.md": "x"}))
    assert "points outside the archive" in html


def test_it_refuses_a_zip_bomb_before_unpacking_it(alice_client, monkeypatch):
    monkeypatch.setattr(importers, "ZIP_MAX_UNPACKED", 1024 * 1024)
    bomb = _zip({"2022-01-01.md": b"0" * (2 * 1024 * 1024)})  # 2 MB of zeros in a few KB
    assert len(bomb) < 20_000
    html = _refused(alice_client, bomb)
    assert "This zip would unpack to 2 MB; Reflect reads at most 1 MB" in html


def test_it_refuses_a_zip_of_too_many_files(alice_client, monkeypatch):
    monkeypatch.setattr(importers, "ZIP_MAX_MEMBERS", 3)
    many = _zip({f"2022-01-0{n}.md": "x" for n in range(1, 5)})
    assert "This zip holds 4 files; Reflect reads at most 3" in _refused(alice_client, many)


@pytest.mark.parametrize("files,message", [
    ({"Journal.json": b"{broken"}, "'Journal.json' in this zip is not valid JSON"),
    ({"photo.jpeg": b"\xff\xd8"}, "holds no Day One journal (Journal.json) and no Markdown"),
])
def test_it_names_what_is_wrong_inside_a_zip(alice_client, files, message):
    assert message in _refused(alice_client, _zip(files))


@pytest.mark.parametrize("content,message", [
    ({"entries": "many"}, "This JSON is not a journal export Reflect knows"),
    ({"entries": []}, "This export has no entries in it"),
    ("plain words, not a journal", "This file is not one Reflect can import"),
])
def test_it_names_a_file_of_the_wrong_shape(alice_client, content, message):
    raw = content if isinstance(content, str) else json.dumps(content)
    assert message in _refused(alice_client, raw.encode(), "journal.json")


def test_it_shows_a_preview_only_to_its_owner(alice_client, charlie_client, client):
    url, _ = _preview(alice_client, (DATA / "jrnl.json").read_bytes())
    assert charlie_client.get(url).status_code == 404
    assert charlie_client.post(url).status_code == 404
    assert not Entry.objects.exists()
    assert client.get(url).status_code == 302  # to the login page
    assert alice_client.get(reverse("import_check", args=["not-a-uuid"])).status_code == 404


def test_it_imports_a_preview_once_even_if_confirmed_twice(alice_client, alice):
    url, _ = _preview(alice_client, (DATA / "jrnl.json").read_bytes())
    alice_client.post(url)
    assert alice_client.post(url).status_code == 404
    assert Entry.objects.filter(author=alice).count() == 2


# Tags and mood through every export format -------------------------------------------------


@pytest.fixture
def tagged(alice, bob):
    today = alice.today()
    first = create_entry(author=alice, body="Planning the #offsite.", prompt=None, draft=False,
                         written_on=today - timedelta(days=30), tags=["vision"], mood=2)
    second = create_entry(author=alice, body="A better week.", prompt=None, draft=False,
                          written_on=today - timedelta(days=3), tags=["vision"], mood=5)
    third = create_entry(author=alice, body="Untagged thoughts.", prompt=None, draft=False,
                         written_on=today - timedelta(days=1))
    create_entry(author=bob, body="Bob tagged this #vision too.", prompt=None, draft=False,
                 written_on=bob.today() - timedelta(days=2), mood=1)
    return first, second, third


def _download(client, fmt: str, **params) -> bytes:
    response = client.get(reverse("export_download", args=[fmt]), params)
    assert response.status_code == 200, response.content.decode()[-2000:]
    return response.content


@pytest.mark.parametrize("fmt,name", [
    ("json", "reflect.json"), ("markdown", "reflect.zip"), ("csv", "reflect.csv"),
])
def test_it_keeps_tags_and_mood_through_export_and_import(
    alice_client, charlie_client, charlie, tagged, fmt, name
):
    exported = _download(alice_client, fmt)
    assert "Imported 3 entries." in _import(charlie_client, exported, name)
    offsite = Entry.objects.get(author=charlie, body="Planning the #offsite.")
    assert (set(tag_names(offsite)), offsite.mood) == ({"offsite", "vision"}, 2)
    better = Entry.objects.get(author=charlie, body="A better week.")
    assert (tag_names(better), better.mood) == (["vision"], 5)
    assert Entry.objects.get(author=charlie, body="Untagged thoughts.").mood is None
    assert "Imported 0 entries. 3 were already" in _import(charlie_client, exported, name)


def test_it_limits_an_export_to_a_date_range_and_a_tag(alice_client, alice, tagged):
    today = alice.today()
    data = json.loads(_download(alice_client, "json", tag="vision"))
    assert [e["body"] for e in data["entries"]] == ["Planning the #offsite.", "A better week."]
    start = (today - timedelta(days=5)).isoformat()
    data = json.loads(_download(alice_client, "json", tag="vision", **{"from": start}))
    assert [e["body"] for e in data["entries"]] == ["A better week."]
    rows = list(csv.DictReader(io.StringIO(
        _download(alice_client, "csv", **{"from": start, "to": today.isoformat()})
        .decode("utf-8-sig")
    )))
    assert [r["body"] for r in rows] == ["A better week.", "Untagged thoughts."]
    with zipfile.ZipFile(io.BytesIO(_download(alice_client, "markdown", tag="offsite"))) as z:
        names = [n for n in z.namelist() if n.startswith("reflect/entries/")]
    assert len(names) == 1
    response = alice_client.get(reverse("export_download", args=["json"]), {"tag": "vision"})
    assert "vision" in response["Content-Disposition"]


def test_it_never_exports_another_persons_entries_by_their_tag(alice_client, bob_client, tagged):
    data = json.loads(_download(bob_client, "json", tag="vision"))
    assert [e["body"] for e in data["entries"]] == ["Bob tagged this #vision too."]
    response = bob_client.get(reverse("export_download", args=["json"]), {"tag": "offsite"})
    assert response.status_code == 400  # not one of Bob's tags: Alice's is not offered
    assert "None of your entries has that tag." in response.content.decode()
    assert "Planning" not in response.content.decode()


@pytest.mark.parametrize("params,message", [
    ({"from": "2026-02-30"}, "Enter the date like 2026-11-27."),
    ({"from": "2026-05-02", "to": "2026-05-01"}, "The end date is before the start date."),
])
def test_it_refuses_a_bad_export_range_clearly(alice_client, tagged, params, message):
    response = alice_client.get(reverse("export_download", args=["csv"]), params)
    assert response.status_code == 400 and message in response.content.decode()


def test_it_says_when_there_is_nothing_to_export(alice_client):
    html = alice_client.get(reverse("export")).content.decode()
    assert "Your journal is empty so far" in html


def test_it_imports_a_large_day_one_file_through_the_worker(
    db_tasks, small_parts, alice_client, alice  # noqa: F811
):
    day_one = {"entries": [
        {"uuid": f"{n:032X}", "creationDate": f"2020-01-{n:02d}T12:00:00Z",
         "timeZone": "Europe/London", "text": f"Day {n} #daily"}
        for n in range(1, 11)
    ]}
    url, html = _preview(alice_client, json.dumps(day_one).encode())
    assert "10 new entries" in html and "imported in the background" in html
    status = alice_client.post(url)
    job = ImportJob.objects.get(owner=alice)
    assert status["Location"] == reverse("import_status", args=[job.public_id])
    assert not Entry.objects.exists()
    run_worker()
    assert Entry.objects.filter(author=alice, tags__name="daily").count() == 10


def test_it_deletes_previews_left_unconfirmed_for_a_day(alice_client, charlie_client, alice):
    url, _ = _preview(alice_client, (DATA / "jrnl.json").read_bytes())
    PendingImport.objects.update(created_at=timezone.now() - timedelta(days=2))
    _preview(charlie_client, (DATA / "jrnl.json").read_bytes())
    assert list(PendingImport.objects.values_list("owner__email", flat=True)) == [
        "charlie@example.com"
    ]
    assert alice_client.get(url).status_code == 404
