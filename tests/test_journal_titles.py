"""Entries have a title (an optional field, else the text's first line), excerpts in lists are
plain words, text is laid out in its own direction, and titles travel through export/import."""

import csv
import io
import json

from django.urls import reverse

from reflect.journal.models import Entry, create_entry
from reflect.journal.portability import export_csv, export_json, export_markdown_zip


def _entry(alice, body, **extra):
    return create_entry(author=alice, body=body, written_on=alice.today(), prompt=None,
                        draft=False, **extra)


def _form(alice, **extra):
    return {"body": "I chose to lead the retro.", "written_on": alice.today().isoformat(),
            "version": "0", **extra}


def test_it_saves_the_title_written_in_the_editor(alice_client, alice):
    page = alice_client.get(reverse("entry_new")).content.decode()
    assert 'name="title"' in page and 'dir="auto"' in page
    alice_client.post(reverse("entry_save"), _form(alice, title="The retro I ran"))
    entry = Entry.objects.get(author=alice)
    assert entry.title == "The retro I ran"
    html = alice_client.get(reverse("journal")).content.decode()
    assert "The retro I ran</a>" in html


def test_it_keeps_the_title_when_a_client_sends_none(alice_client, alice):
    entry = _entry(alice, "First text.", title="Kept")
    alice_client.post(reverse("entry_save"), _form(alice, entry=entry.pk, version=entry.version,
                                                    body="Second text."))
    entry.refresh_from_db()
    assert (entry.body, entry.title) == ("Second text.", "Kept")


def test_it_names_an_untitled_entry_by_its_first_line_in_plain_words(alice_client, alice):
    _entry(alice, "\n# The **retro** I ran\n\n- had to go\n- then [chose](https://x.example) to")
    html = alice_client.get(reverse("journal")).content.decode()
    assert ">The retro I ran</a></h2>" in html
    assert "Free entry" not in html
    excerpt = html.split('<p class="excerpt" dir="auto">')[1].split("</p>")[0]
    # The heading's words are not repeated; the rest reads as plain words.
    assert excerpt == "had to go then chose to"


def test_it_lays_out_right_to_left_text_right_to_left(alice_client, alice):
    entry = _entry(alice, "قررت أن أقود الاجتماع بنفسي.", title="اجتماع الاثنين")
    journal = alice_client.get(reverse("journal")).content.decode()
    assert '<h2 class="journal-item-title" dir="auto">' in journal
    assert '<p class="excerpt" dir="auto">قررت' in journal
    page = alice_client.get(reverse("entry", args=[entry.pk])).content.decode()
    assert '<h1 class="prompt-text" dir="auto">اجتماع الاثنين</h1>' in page
    assert '<div class="entry-body" dir="auto"><p>قررت' in page


def test_it_carries_the_title_through_every_export_and_back(alice_client, alice):
    _entry(alice, "Text.", title="Ein Titel: “quoted”")
    data = json.loads(export_json(alice))
    assert data["entries"][0]["title"] == "Ein Titel: “quoted”"
    rows = list(csv.DictReader(io.StringIO(export_csv(alice).decode("utf-8-sig"))))
    assert rows[0]["title"] == "Ein Titel: “quoted”"
    import zipfile

    with zipfile.ZipFile(io.BytesIO(export_markdown_zip(alice))) as archive:
        name = next(n for n in archive.namelist() if n.startswith("reflect/entries/"))
        assert 'title: "Ein Titel: “quoted”"' in archive.read(name).decode()
    # Imported into another journal, the title comes along.
    from reflect.journal.portability import import_data, parse_export

    other = type(alice).objects.create_user("dana@example.com", "pass-phrase-123456")
    import_data(other, parse_export(data, today=other.today()))
    assert Entry.objects.get(author=other).title == "Ein Titel: “quoted”"


def test_it_never_names_a_shared_entry_by_its_text_on_a_manager_page(alice, bob, bob_client):
    from reflect.teams.models import Membership, SharedEntry, Team

    entry = _entry(alice, "Secret first line about the rota.\n\nMore.")
    team = Team.create_for(bob, "Night shift")
    Membership.objects.create(team=team, user=alice)
    SharedEntry.objects.create(entry=entry, team=team, shared_by=alice, version=entry.version)
    html = bob_client.get(reverse("team_summary", args=[team.pk])).content.decode()
    assert "Free entry" in html and "Secret first line" not in html


def test_it_continues_the_excerpt_where_a_long_first_line_was_cut(alice_client, alice):
    _entry(alice, "I decided " + "to keep going " * 20 + "and stopped.")
    html = alice_client.get(reverse("journal")).content.decode()
    heading = html.split('<h2 class="journal-item-title" dir="auto">')[1].split("</a>")[0]
    excerpt = html.split('<p class="excerpt" dir="auto">')[1].split("</p>")[0]
    assert heading.endswith("…") and excerpt.startswith("…")
    assert len(heading.split(">")[-1]) <= 81


def test_it_lays_out_earlier_versions_and_answers_in_their_own_direction(alice_client, alice):
    from reflect.journal.models import Prompt, edit_entry

    prompt = Prompt.objects.filter(is_active=True).first()
    entry = create_entry(author=alice, body="قررت.", written_on=alice.today(), prompt=prompt,
                         draft=False)
    edit_entry(entry, body="قررت مرة أخرى.", written_on=entry.written_on, prompt=prompt,
               base_version=entry.version, autosave=False)
    revisions = alice_client.get(reverse("revisions", args=[entry.pk])).content.decode()
    assert '<pre class="plain" dir="auto">قررت.</pre>' in revisions
    answers = alice_client.get(reverse("then_and_now", args=[prompt.pk])).content.decode()
    assert '<div class="entry-body" dir="auto">' in answers
