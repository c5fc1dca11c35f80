"""Tags and mood (issue 13.3, 13.4): #tags written in an entry and those typed in the tag
field, kept in step on every save; the journal and search filtered by tag; a self-rating
of the day, one tap, stored with the entry and shown on its page."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reflect.journal.models import (
    Entry,
    EntryTag,
    create_entry,
    edit_entry,
    restore_revision,
    tag_names,
)
from reflect.journal.tags import hashtags, parse_field


def _form(alice, **overrides):
    data = {
        "entry": "", "version": "0", "prompt": "", "written_on": alice.today().isoformat(),
        "body": "I ran the #one-to-ones myself.", "tags": "", "mood": "",
    }
    data.update(overrides)
    return data


def _tags(entry) -> set[str]:
    return set(tag_names(entry))


# What counts as a tag ------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("#Leadership and #one-to-ones today", ["leadership", "one-to-ones"]),
    ("#équipe, #家族 and #Ünïcode", ["équipe", "家族", "ünïcode"]),
    ("#tag. #tag, (#paren) #2026-goals", ["tag", "paren", "2026-goals"]),
    ("C# and foo#bar and &#39; and ## nothing #1 #42", []),
    ("see https://example.com/page#anchor and [a link](https://x.org/#frag)", []),
    ("# A heading\n\n## Another #work", ["work"]),
    ("`#inline-code` and\n\n```\n#fenced\n```\n\n    #indented", []),
])
def test_it_finds_hashtags_in_prose_only(text, expected):
    assert hashtags(text) == expected


def test_it_reads_the_tag_field_and_names_what_is_not_a_tag():
    assert parse_field("Leadership, one-to-ones #team  team") == (
        ["leadership", "one-to-ones", "team"], []
    )
    assert parse_field("fine bad!tag 123")[1] == ["bad!tag", "123"]


# Kept in step on every save -------------------------------------------------------------


def test_it_tags_an_entry_from_its_text_and_the_tag_field(alice_client, alice):
    response = alice_client.post(reverse("entry_save"), _form(alice, tags="vision, Team"))
    assert response.status_code == 302
    entry = Entry.objects.get(author=alice)
    assert _tags(entry) == {"one-to-ones", "vision", "team"}
    # The editor shows only the added tags; the text keeps its own.
    page = alice_client.get(reverse("entry_edit", args=[entry.pk])).content.decode()
    assert 'value="vision team"' in page or 'value="team vision"' in page


def test_it_drops_a_hashtag_removed_from_the_text_and_keeps_added_tags(alice_client, alice):
    alice_client.post(reverse("entry_save"), _form(alice, tags="vision"))
    entry = Entry.objects.get(author=alice)
    response = alice_client.post(reverse("entry_save"), _form(
        alice, entry=entry.pk, version=entry.version, body="No tags in the text now.",
        tags="vision",
    ))
    assert response.status_code == 302
    assert _tags(entry) == {"vision"}


def test_it_tags_on_autosave_and_publish(alice_client, alice):
    session = "3f1b8a52-8c3e-4a43-9a8e-0d6c3c2a1b10"
    alice_client.post(
        reverse("entry_autosave"),
        _form(alice, body="Draft about #feedback", writing_session=session),
        headers={"HX-Request": "true"},
    )
    draft = Entry.objects.get(author=alice)
    assert draft.is_draft and _tags(draft) == {"feedback"}
    # A draft's tags are not offered in the journal's filter until it is published.
    assert "#feedback" not in alice_client.get(reverse("journal")).content.decode()
    alice_client.post(reverse("entry_save"), _form(
        alice, entry=draft.pk, version=draft.version, body="Done: #feedback and #growth",
        writing_session=session,
    ))
    draft.refresh_from_db()
    assert not draft.is_draft and _tags(draft) == {"feedback", "growth"}
    assert "#growth" in alice_client.get(reverse("journal")).content.decode()


def test_it_keeps_added_tags_when_an_edit_sends_none(alice):
    entry = create_entry(author=alice, body="About #vision", written_on=alice.today(),
                         prompt=None, draft=False, tags=["kept"])
    edit_entry(entry, body="About #ripple", written_on=entry.written_on, prompt=None,
               base_version=entry.version, autosave=False)
    assert _tags(entry) == {"ripple", "kept"}


def test_it_retags_on_revision_restore(alice):
    entry = create_entry(author=alice, body="First #alpha", written_on=alice.today(),
                         prompt=None, draft=False, tags=["kept"])
    edit_entry(entry, body="Second #beta", written_on=entry.written_on, prompt=None,
               base_version=1, autosave=False)
    restore_revision(entry, entry.revisions.get())
    assert _tags(entry) == {"alpha", "kept"}


def test_it_refuses_a_bad_tag_and_keeps_the_text(alice_client, alice):
    response = alice_client.post(reverse("entry_save"), _form(alice, tags="ok no!pe"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Not a tag: no!pe" in html and "I ran the #one-to-ones myself." in html
    assert not Entry.objects.exists()


# Filtering by tag -------------------------------------------------------------------------


@pytest.fixture
def tagged(alice, bob):
    today = alice.today()
    made = {}
    for n, (body, tags) in enumerate([
        ("Weekly #one-to-ones with Sam.", []),
        ("A quiet day.", ["vision"]),
        ("More #one-to-ones, and #vision too.", []),
    ]):
        made[n] = create_entry(author=alice, body=body, written_on=today - timedelta(days=n),
                               prompt=None, draft=False, tags=tags)
    create_entry(author=bob, body="Bob's #secret-project", written_on=bob.today(), prompt=None,
                 draft=False)
    return made


def test_it_filters_the_journal_by_tag(alice_client, tagged):
    html = alice_client.get(reverse("journal"), {"tag": "one-to-ones"}).content.decode()
    assert "Weekly #one-to-ones" in html and "More #one-to-ones" in html
    assert "A quiet day." not in html
    html = alice_client.get(reverse("journal"), {"tag": "vision"}).content.decode()
    assert "A quiet day." in html and "Weekly" not in html


def test_it_never_offers_or_filters_by_another_persons_tags(alice_client, tagged):
    html = alice_client.get(reverse("journal")).content.decode()
    assert "#one-to-ones" in html and "secret-project" not in html
    response = alice_client.get(reverse("journal"), {"tag": "secret-project"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No entry of yours has that tag" in html and "Bob" not in html


def test_it_leaves_trashed_entries_out_of_tag_filters_until_restored(alice_client, tagged):
    quiet = tagged[1]
    alice_client.post(reverse("entry_delete", args=[quiet.pk]))
    html = alice_client.get(reverse("journal")).content.decode()
    assert 'value="vision"' in html  # still on another entry
    assert "A quiet day." not in alice_client.get(
        reverse("journal"), {"tag": "vision"}).content.decode()
    alice_client.post(reverse("entry_restore", args=[quiet.pk]))
    assert "A quiet day." in alice_client.get(
        reverse("journal"), {"tag": "vision"}).content.decode()


def test_it_filters_search_by_tag(alice_client, tagged):
    url = reverse("search")
    html = alice_client.get(url, {"q": "vision", "tag": "one-to-ones"}).content.decode()
    assert reverse("entry", args=[tagged[2].pk]) in html  # "More #one-to-ones, and #vision"
    assert reverse("entry", args=[tagged[1].pk]) not in html  # tagged vision, not one-to-ones
    html = alice_client.get(url, {"q": "weekly", "tag": "vision"}).content.decode()
    assert "Nothing in your journal tagged #vision matches" in html


def test_it_links_an_entrys_tags_to_the_filtered_journal(alice_client, tagged):
    html = alice_client.get(reverse("entry", args=[tagged[2].pk])).content.decode()
    assert f'href="{reverse("journal")}?tag=one-to-ones"' in html
    assert f'href="{reverse("journal")}?tag=vision"' in html


# Queries on the journal's own tables (the session and account middleware's are pinned by
# their own tests): journal: its prompts, its tags, a page; search: the tags, a page.
@pytest.mark.parametrize("size", [3, 300])
@pytest.mark.parametrize("url_name,params,queries", [
    ("journal", {"tag": "t1"}, 3),
    ("search", {"q": "entry", "tag": "t1"}, 2),
])
def test_it_filters_by_tag_in_a_fixed_number_of_queries(
    alice_client, alice, size, url_name, params, queries
):
    today = alice.today()
    entries = Entry.objects.bulk_create([
        Entry(author=alice, body=f"Entry {n}", written_on=today - timedelta(days=n),
              created_at=timezone.now(), search_text=f"Entry {n}")
        for n in range(size)
    ])
    EntryTag.objects.bulk_create(
        [EntryTag(entry=e, author=alice, name=f"t{n % 3}") for n, e in enumerate(entries)]
    )
    with CaptureQueriesContext(connection) as captured:
        response = alice_client.get(reverse(url_name), params)
    assert response.status_code == 200
    ours = [q["sql"] for q in captured.captured_queries if '"journal_' in q["sql"]]
    assert len(ours) <= queries, ours
    text = re.sub(r"<[^>]+>", "", response.content.decode())  # highlights split words
    assert re.search(r"Entry 1\b", text)  # tagged t1
    assert not re.search(r"Entry [02]\b", text)  # tagged t0 and t2


# Mood -------------------------------------------------------------------------------------


def test_it_saves_the_days_mood_and_shows_it(alice_client, alice):
    page = alice_client.get(reverse("entry_new")).content.decode()
    assert '<legend>How did today feel?' in page and 'type="radio" name="mood" value="4"' in page
    alice_client.post(reverse("entry_save"), _form(alice, mood="4"))
    entry = Entry.objects.get(author=alice)
    assert entry.mood == 4
    html = alice_client.get(reverse("entry", args=[entry.pk])).content.decode()
    assert "<strong>Good</strong> (4 of 5)" in html
    edit = alice_client.get(reverse("entry_edit", args=[entry.pk])).content.decode()
    assert 'value="4" id="id_mood_4" checked' in edit or 'value="4" checked' in edit.replace(
        ' id="id_mood_4"', "")


def test_it_changes_only_the_mood_as_an_edit(alice_client, alice):
    alice_client.post(reverse("entry_save"), _form(alice, mood="2"))
    entry = Entry.objects.get(author=alice)
    alice_client.post(reverse("entry_save"), _form(
        alice, entry=entry.pk, version=entry.version, mood=""))
    entry.refresh_from_db()
    assert entry.mood is None
    html = alice_client.get(reverse("entry", args=[entry.pk])).content.decode()
    assert "How the day felt" not in html


@pytest.mark.parametrize("mood", ["0", "6", "x", "99999999999999999999"])
def test_it_refuses_a_mood_outside_1_to_5_and_keeps_the_text(alice_client, alice, mood):
    response = alice_client.post(reverse("entry_save"), _form(alice, mood=mood))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose how the day felt from 1 to 5" in html and "#one-to-ones myself" in html
    assert not Entry.objects.exists()
