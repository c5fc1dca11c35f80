"""The PDF export (issue 13.5): a range of the person's own live entries with dates, prompts,
moods, tags and optionally the framing highlights, every font embedded; never another
person's words, nor drafts or the trash."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reflect.framing.dimensions import REGISTRY
from reflect.framing.models import Cue
from reflect.journal import portability
from reflect.journal.models import Entry, Prompt, create_entry


@pytest.fixture
def journal(alice, bob):
    today = alice.today()
    prompt = Prompt.objects.get(text="Did I show up as a leader today?")
    create_entry(author=alice, body="I chose to ask the team what they need. Ünïcödé — Ελληνικά.",
                 written_on=today - timedelta(days=10), prompt=prompt, draft=False,
                 tags=["one-to-ones"], mood=4)
    create_entry(author=alice, body="# Later\n\n- a list item\n- and **strong** words",
                 written_on=today - timedelta(days=2), prompt=None, draft=False)
    create_entry(author=alice, body="An unfinished draft", written_on=today, prompt=None,
                 draft=True)
    trashed = create_entry(author=alice, body="Regretted words.", written_on=today,
                           prompt=None, draft=False)
    Entry.objects.filter(pk=trashed.pk).update(deleted_at=timezone.now())
    create_entry(author=bob, body="Bob's private words.", written_on=bob.today(), prompt=None,
                 draft=False, tags=["one-to-ones"])
    return alice


def _pdf(client, **params) -> PdfReader:
    response = client.get(reverse("export_download", args=["pdf"]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    return " ".join(page.extract_text() for page in reader.pages)


def test_it_prints_the_persons_words_dates_prompts_moods_and_tags(alice_client, journal):
    text = _text(_pdf(alice_client))
    first = journal.today() - timedelta(days=10)
    assert "Reflect journal of Alice" in text
    assert first.strftime("%A %-d %B %Y") in text
    assert "Did I show up as a leader today?" in text
    assert "I chose to ask the team what they need." in text and "Ελληνικά" in text
    assert "How the day felt: Good (4 of 5)" in text and "#one-to-ones" in text
    assert "a list item" in text and "strong words" in text and "**" not in text


def test_it_leaves_out_drafts_the_trash_and_other_peoples_entries(alice_client, journal):
    text = _text(_pdf(alice_client))
    assert "unfinished draft" not in text and "Regretted" not in text
    assert "Bob" not in text


def test_it_embeds_every_font(alice_client, journal):
    reader = _pdf(alice_client)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert font["/Subtype"] == "/TrueType", name
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), f"{name} is not embedded"


def test_it_prints_a_range_and_a_tag(alice_client, journal):
    today = journal.today()
    text = _text(_pdf(alice_client, **{"from": (today - timedelta(days=5)).isoformat()}))
    assert "Later" in text and "I chose" not in text
    text = _text(_pdf(alice_client, tag="one-to-ones"))
    assert "I chose" in text and "Later" not in text and "tagged #one-to-ones" in text


def test_it_adds_the_framing_highlights_when_asked(alice_client, journal):
    assert "Framing highlights" not in _text(_pdf(alice_client))
    cues = Cue.objects.filter(entry__author=journal, entry__body__startswith="# Later")
    assert cues.exists()
    text = _text(_pdf(alice_client, highlights="on"))
    assert "Framing highlights" in text
    for cue in cues:
        assert f"“{cue.phrase}”" in text and REGISTRY[cue.dimension].name in text


def test_it_says_when_a_range_holds_no_entries(alice_client, journal):
    text = _text(_pdf(alice_client, **{"from": "1990-01-01", "to": "1990-12-31"}))
    assert "No entries in this part of your journal." in text


def test_it_asks_for_a_shorter_range_beyond_what_one_pdf_holds(alice_client, journal,
                                                                monkeypatch):
    monkeypatch.setattr(portability, "PDF_MAX_ENTRIES", 1)
    response = alice_client.get(reverse("export_download", args=["pdf"]))
    assert response.status_code == 400
    assert ("These dates hold 2 entries; one PDF holds at most 1. Choose a shorter range"
            in response.content.decode())
    assert _pdf(alice_client, tag="one-to-ones").pages  # one entry: fine
