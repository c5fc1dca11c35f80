"""Your data is yours: JSON, Markdown and CSV exports, a lossless and idempotent import, and
deleting the account. Alice's export never holds Bob's words, and nothing here answers 500."""

import csv
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reflect.framing.models import Cue, Framing
from reflect.journal import portability
from reflect.journal.models import (
    Entry,
    HiddenPrompt,
    Prompt,
    Revision,
    create_entry,
    edit_entry,
)
from reflect.lib.searchtext import search_text
from tests.conftest import PASSWORD


@pytest.fixture
def prompt(db):
    return Prompt.objects.get(text="Did I show up as a leader today?")


@pytest.fixture
def journal(alice, bob, prompt):
    """Alice's journal with every kind of thing in it; Bob has one entry of his own."""
    today = alice.today()
    other = Prompt.objects.filter(is_active=True).exclude(pk=prompt.pk)[0]
    first = create_entry(author=alice, body="I had to run the meeting.",
                         written_on=today - timedelta(days=40), prompt=prompt, draft=False)
    edit_entry(first, body="I chose to run the meeting.", written_on=first.written_on,
               prompt=prompt, base_version=1, autosave=False)
    edit_entry(first, body="I chose to run the meeting, and we decided together.",
               written_on=first.written_on - timedelta(days=1), prompt=other, base_version=2,
               autosave=False)
    Revision.objects.create(entry=first, body="Text from another tab.", written_on=first.written_on,
                            prompt=None, version=2, reason=Revision.Reason.CONFLICT)
    create_entry(author=alice, body="Ünïcödé ✓, emoji 🌊 and a\nsecond line.\n", written_on=today,
                 prompt=None, draft=False)
    create_entry(author=alice, body="=HYPERLINK(\"http://evil\")", written_on=today, prompt=None,
                 draft=False)
    create_entry(author=alice, body="An unfinished draft", written_on=today, prompt=prompt,
                 draft=True)
    trashed = create_entry(author=alice, body="Regretted words.",
                           written_on=today - timedelta(days=2), prompt=None, draft=False)
    Entry.objects.filter(pk=trashed.pk).update(deleted_at=timezone.now())
    HiddenPrompt.objects.create(user=alice, prompt=other)
    create_entry(author=bob, body="Bob's own private entry.", written_on=bob.today(), prompt=None,
                 draft=False)
    return alice


def snapshot(user) -> dict:
    """Every stored field of a person's journal, without database ids."""
    entries = {}
    for entry in Entry.objects.filter(author=user).prefetch_related("revisions"):
        entries[entry.uuid] = {
            "prompt": entry.prompt_id, "body": entry.body, "written_on": entry.written_on,
            "created_at": entry.created_at, "updated_at": entry.updated_at,
            "version": entry.version, "word_count": entry.word_count, "is_draft": entry.is_draft,
            "deleted_at": entry.deleted_at, "autosaved_at": entry.autosaved_at,
            "revisions": sorted(
                (r.created_at, r.body, r.written_on, r.prompt_id or 0, r.version, r.reason)
                for r in entry.revisions.all()
            ),
        }
    hidden = set(HiddenPrompt.objects.filter(user=user).values_list("prompt_id", "created_at"))
    return {"entries": entries, "hidden": hidden}


def upload(content: bytes | str, name: str = "reflect.json") -> dict:
    if isinstance(content, str):
        content = content.encode()
    return {"file": SimpleUploadedFile(name, content, content_type="application/json")}


def import_file(client: Client, content: bytes | str, name: str = "reflect.json", **kwargs):
    """Upload a file, then confirm its preview, as a person does."""
    response = client.post(reverse("import"), upload(content, name))
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert response["Location"].startswith(reverse("import_check", args=["x"])[:-2])
    return client.post(response["Location"], **kwargs)


def export_of(client: Client) -> bytes:
    response = client.get(reverse("export_download", args=["json"]))
    assert response.status_code == 200
    return response.content


# Export -------------------------------------------------------------------------------


def test_it_offers_three_export_formats(alice_client, journal):
    response = alice_client.get(reverse("export"))
    assert response.status_code == 200
    html = response.content.decode()
    for fmt in ("json", "markdown", "csv"):
        assert reverse("export_download", args=[fmt]) in html
    assert response.context["counts"] == {"total": 5, "drafts": 1, "trash": 1}


def test_it_exports_everything_as_json(alice_client, journal, prompt):
    response = alice_client.get(reverse("export_download", args=["json"]))
    assert response["Content-Type"] == "application/json"
    today = journal.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="reflect-journal-{today}.json"'
    data = json.loads(response.content)
    assert (data["format"], data["version"]) == ("reflect-journal", 1)
    assert len(data["entries"]) == 5
    first = data["entries"][0]
    assert first["body"] == "I chose to run the meeting, and we decided together."
    assert first["version"] == 3 and first["prompt_text"] != prompt.text
    assert [r["reason"] for r in first["revisions"]] == ["edit", "edit", "conflict"]
    assert first["revisions"][0] == {
        **first["revisions"][0], "body": "I had to run the meeting.", "prompt_id": prompt.pk,
        "prompt_text": prompt.text, "version": 1,
    }
    states = {(e["is_draft"], e["deleted_at"] is not None) for e in data["entries"]}
    assert states == {(False, False), (True, False), (False, True)}
    assert len(data["hidden_prompts"]) == 1
    assert "Bob" not in response.content.decode()


def test_it_exports_markdown_files_with_front_matter(alice_client, journal):
    response = alice_client.get(reverse("export_download", args=["markdown"]))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('.zip"')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "reflect/README.md" in names
    entries = [n for n in names if n.startswith("reflect/entries/")]
    assert len(entries) == 3
    assert len([n for n in names if n.startswith("reflect/drafts/")]) == 1
    assert len([n for n in names if n.startswith("reflect/trash/")]) == 1
    unicode_entry = next(
        archive.read(n).decode() for n in entries if "🌊" in archive.read(n).decode()
    )
    front, body = unicode_entry.split("---\n", 2)[1:]
    assert "prompt: null" in front and "status: live" in front
    assert f"written_on: {journal.today().isoformat()}" in front
    assert body == "Ünïcödé ✓, emoji 🌊 and a\nsecond line.\n"
    answered = next(
        archive.read(n).decode() for n in entries if "meeting" in archive.read(n).decode()
    )
    assert 'prompt: "' in answered and "version: 3" in answered


def test_it_exports_csv_safe_from_formula_injection(alice_client, alice):
    today = alice.today()
    for body in ("=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tTabbed", "\rReturn", "Plain text, fine"):
        create_entry(author=alice, body=body, written_on=today, prompt=None, draft=False)
    response = alice_client.get(reverse("export_download", args=["csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    bodies = {row["body"] for row in rows}
    assert bodies == {"'=1+2", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tTabbed", "'\rReturn",
                      "Plain text, fine"}
    assert all(row["status"] == "live" and row["written_on"] == today.isoformat() for row in rows)


def test_it_neutralises_formula_cells():
    assert portability.spreadsheet_safe("=cmd") == "'=cmd"
    assert portability.spreadsheet_safe("a=b") == "a=b"
    assert portability.spreadsheet_safe(3) == 3
    assert portability.spreadsheet_safe("") == ""


def test_it_404s_an_unknown_export_format(alice_client):
    assert alice_client.get(reverse("export_download", args=["xml"])).status_code == 404


def test_it_never_puts_bobs_entries_in_alices_exports(alice_client, journal):
    for fmt in ("json", "csv"):
        content = alice_client.get(reverse("export_download", args=[fmt])).content
        assert "Bob's own" not in content.decode("utf-8-sig")
    archive = zipfile.ZipFile(io.BytesIO(
        alice_client.get(reverse("export_download", args=["markdown"])).content
    ))
    assert not any("Bob's own" in archive.read(n).decode() for n in archive.namelist())


def test_it_exports_an_empty_journal(alice_client):
    data = json.loads(export_of(alice_client))
    assert data["entries"] == [] and data["hidden_prompts"] == []


# Import -------------------------------------------------------------------------------


def test_it_round_trips_an_export_losslessly(alice_client, journal):
    before = snapshot(journal)
    exported = export_of(alice_client)
    Entry.objects.filter(author=journal).delete()
    HiddenPrompt.objects.filter(user=journal).delete()
    response = import_file(alice_client, exported)
    assert response.status_code == 302 and response["Location"] == reverse("journal")
    after = snapshot(journal)
    assert after == before
    again = json.loads(export_of(alice_client))
    original = json.loads(exported)
    assert {**again, "exported_at": None} == {**original, "exported_at": None}
    page = alice_client.get(response["Location"]).content.decode()
    assert "Imported 5 entries." in page


def test_it_analyses_imported_entries(alice_client, journal):
    exported = export_of(alice_client)
    Entry.objects.filter(author=journal).delete()
    import_file(alice_client, exported)
    live = Entry.objects.filter(author=journal).live()
    assert Framing.objects.filter(entry__in=live).count() == live.count() == 3
    # Drafts and the trash keep no analysis, as when they are saved one by one.
    assert Framing.objects.filter(entry__author=journal).count() == 3
    chose = Entry.objects.get(author=journal, body__startswith="I chose")
    assert Cue.objects.filter(entry=chose).exists()
    assert chose.framing.words == chose.word_count


def test_it_makes_imported_entries_searchable(alice_client, journal):
    exported = export_of(alice_client)
    Entry.objects.filter(author=journal).delete()
    import_file(alice_client, exported)
    chose = Entry.objects.get(author=journal, body__startswith="I chose")
    assert chose.search_text == search_text(chose.body) != ""
    page = alice_client.get(reverse("search"), {"q": "chose"}).content.decode()
    assert reverse("entry", args=[chose.pk]) in page


def test_it_imports_idempotently(alice_client, journal):
    exported = export_of(alice_client)
    before = snapshot(journal)
    counts = (Entry.objects.count(), Revision.objects.count(), HiddenPrompt.objects.count(),
              Framing.objects.count(), Prompt.objects.count())
    for _ in range(2):
        response = import_file(alice_client, exported, follow=True)
        assert "Imported 0 entries. 5 were already in your journal" in response.content.decode()
    assert snapshot(journal) == before
    assert (Entry.objects.count(), Revision.objects.count(), HiddenPrompt.objects.count(),
            Framing.objects.count(), Prompt.objects.count()) == counts


def test_it_imports_only_what_is_missing(alice_client, journal):
    exported = export_of(alice_client)
    Entry.objects.filter(author=journal, body__startswith="Regretted").delete()
    import_file(alice_client, exported)
    assert Entry.objects.filter(author=journal).count() == 5
    assert Entry.objects.get(author=journal, body__startswith="Regretted").deleted_at is not None


def test_it_imports_another_accounts_export_as_copies(alice_client, charlie_client, journal,
                                                      charlie):
    exported = export_of(alice_client)
    alice_before = snapshot(journal)
    for _ in range(2):
        assert import_file(charlie_client, exported).status_code == 302
    assert snapshot(journal) == alice_before
    copies = snapshot(charlie)
    assert len(copies["entries"]) == 5
    assert not set(copies["entries"]) & set(alice_before["entries"])
    assert sorted(e["body"] for e in copies["entries"].values()) == sorted(
        e["body"] for e in alice_before["entries"].values()
    )


def test_it_keeps_the_question_of_a_prompt_this_server_lacks(alice_client, alice):
    data = {
        "format": "reflect-journal", "version": 1, "hidden_prompts": [],
        "entries": [{
            "uuid": "6b0c1a8e-8d1e-4e8f-9a55-3f1f4a3f0c11", "written_on": "2025-05-01",
            "prompt_id": 987654, "prompt_text": "What did the river teach you?",
            "body": "Patience.", "version": 1, "is_draft": False, "deleted_at": None,
            "created_at": "2025-05-01T20:00:00+00:00", "updated_at": "2025-05-01T20:00:00",
            "revisions": [],
        }],
    }
    assert import_file(alice_client, json.dumps(data)).status_code == 302
    entry = Entry.objects.get(author=alice)
    assert entry.prompt.text == "What did the river teach you?"
    assert entry.prompt.is_active is False  # kept for this answer, offered to nobody
    assert entry.updated_at.utcoffset() == timedelta(0)
    assert entry.written_on == date(2025, 5, 1) and entry.word_count == 1


def _valid_export(**entry_changes) -> dict:
    entry = {
        "uuid": "6b0c1a8e-8d1e-4e8f-9a55-3f1f4a3f0c11", "written_on": "2025-05-01",
        "prompt_id": None, "prompt_text": None, "body": "Fine.", "version": 1,
        "is_draft": False, "deleted_at": None, "created_at": "2025-05-01T20:00:00+00:00",
        "updated_at": "2025-05-01T20:00:00+00:00", "revisions": [],
    }
    entry.update(entry_changes)
    return {"format": "reflect-journal", "version": 1, "hidden_prompts": [], "entries": [entry]}


@pytest.mark.parametrize("content,message", [
    (b"", "That file is empty."),
    (b"\xff\xfe\x00garbage\x81", "This file is neither text nor a zip"),
    ("{not json", "This file is not valid JSON"),
    ("[1, 2, 3]", "This JSON is not a journal export Reflect knows"),
    ('{"format": "something-else"}', "This JSON is not a journal export Reflect knows"),
    (json.dumps({**_valid_export(), "version": 99}), "format version 99"),
    (json.dumps({**_valid_export(), "entries": "many"}), "no list of entries"),
    (json.dumps({**_valid_export(), "entries": ["text"]}), "Entry 1 is not an entry."),
    (json.dumps(_valid_export(uuid="nope")), "Entry 1 has no valid uuid."),
    (json.dumps(_valid_export(written_on="2025-13-01")), "not a date like 2026-11-27"),
    (json.dumps(_valid_export(written_on=None)), "not a date like 2026-11-27"),
    (json.dumps(_valid_export(created_at="yesterday")), "created at is not a date and time"),
    (json.dumps(_valid_export(body=None)), "Entry 1 has no body"),
    (json.dumps(_valid_export(body="bad\x00byte")), "NUL character"),
    (json.dumps(_valid_export(body="x" * 100_001)), "the limit is 100,000"),
    (json.dumps(_valid_export(version="2")), "version is not a whole number"),
    (json.dumps(_valid_export(version=0)), "version is not a whole number"),
    (json.dumps(_valid_export(is_draft="yes")), "is_draft is not true or false"),
    (json.dumps(_valid_export(prompt_id=3)), "a prompt id without its text"),
    (json.dumps(_valid_export(revisions=[{"body": "x"}])), "earlier version 1"),
    (json.dumps(_valid_export(revisions=[{**_valid_export()["entries"][0], "reason": "magic"}])),
     "unknown reason"),
    ("[" * 100_000, "This file is not valid JSON"),
])
def test_it_refuses_a_malformed_import_clearly(alice_client, alice, content, message):
    response = alice_client.post(reverse("import"), upload(content))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("&quot;", '"').replace("&#x27;", "'"), html[-3000:]
    assert not Entry.objects.filter(author=alice).exists()


def test_it_asks_for_a_file(alice_client):
    response = alice_client.post(reverse("import"), {})
    assert response.status_code == 400
    assert "Choose the file to import." in response.content.decode()


def test_it_refuses_a_file_over_the_size_limit(alice_client, alice, monkeypatch):
    monkeypatch.setattr(portability, "IMPORT_MAX_BYTES", 2048)
    big = json.dumps(_valid_export(body="x" * 5000))
    response = alice_client.post(reverse("import"), upload(big))
    assert response.status_code == 400
    expected = "This file is 5 KB; the limit is 2 KB. Nothing was imported."
    assert expected in response.content.decode()
    # Far over the limit, it is refused from its Content-Length, before being read.
    huge = json.dumps(_valid_export(body="x" * 90_000))
    response = alice_client.post(reverse("import"), upload(huge))
    assert response.status_code == 413
    assert "the limit is 2 KB. Nothing was imported." in response.content.decode()
    assert not Entry.objects.filter(author=alice).exists()


def test_it_imports_a_valid_minimal_file(alice_client, alice):
    response = import_file(alice_client, json.dumps(_valid_export()))
    assert response.status_code == 302
    assert Entry.objects.get(author=alice).body == "Fine."


def test_it_shows_the_import_form(alice_client):
    response = alice_client.get(reverse("import"))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


# Deleting the account -----------------------------------------------------------------


def test_it_keeps_the_account_on_a_wrong_password(alice_client, journal):
    page = alice_client.get(reverse("account_delete"))
    assert page.status_code == 200 and "5 entries" in page.content.decode()
    response = alice_client.post(reverse("account_delete"), {"password": "not-it"})
    assert response.status_code == 400
    assert "That is not your password. Nothing was deleted." in response.content.decode()
    assert Entry.objects.filter(author=journal).count() == 5
    assert alice_client.get(reverse("journal")).status_code == 200


def test_it_asks_for_the_password(alice_client, alice):
    response = alice_client.post(reverse("account_delete"), {})
    assert response.status_code == 400
    assert "Enter your password to confirm." in response.content.decode()


def test_it_deletes_the_account_and_everything_in_it(alice_client, journal, bob, django_user_model):
    other_device = Client()
    other_device.force_login(journal)
    response = alice_client.post(reverse("account_delete"), {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("landing")
    assert "Your account and everything in it have been deleted." in response.content.decode()
    assert not django_user_model.objects.filter(email="alice@example.com").exists()
    assert not Entry.objects.filter(author_id=journal.pk).exists()
    assert not Revision.objects.filter(entry__author_id=journal.pk).exists()
    assert not HiddenPrompt.objects.filter(user_id=journal.pk).exists()
    assert not Framing.objects.filter(entry__author_id=journal.pk).exists()
    assert Entry.objects.filter(author=bob).count() == 1
    for client in (alice_client, other_device):
        ended = client.get(reverse("journal"))
        assert ended.status_code == 302 and ended["Location"].startswith(reverse("login"))


def test_it_refuses_account_deletion_without_a_csrf_token(csrf_client, alice):
    response = csrf_client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 403
    assert type(alice).objects.filter(pk=alice.pk).exists()


def test_it_never_links_an_import_to_another_teams_prompt(charlie_client, charlie, bob):
    from reflect.teams.models import Team, TeamPrompt

    team = Team.create_for(bob, "Night shift")
    posed = TeamPrompt.pose(team, bob, "A question only for the team")
    data = _valid_export(prompt_id=posed.prompt_id, prompt_text="A question only for the team")
    assert import_file(charlie_client, json.dumps(data)).status_code == 302
    entry = Entry.objects.get(author=charlie)
    assert entry.prompt_id != posed.prompt_id
    assert entry.prompt.text == "A question only for the team" and not entry.prompt.is_active
