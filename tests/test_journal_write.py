"""Writing: new entries, autosave, edits that never overwrite silently, revisions, trash,
and every kind of bad input answered with a clear message and the text kept."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reflect.journal.models import Entry, HiddenPrompt, Prompt, Revision

HX = {"HX-Request": "true"}


@pytest.fixture
def prompt(db):
    return Prompt.objects.get(text="Did I show up as a leader today?")


def _form(alice, **overrides):
    data = {
        "entry": "",
        "version": "0",
        "prompt": "",
        "written_on": alice.today().isoformat(),
        "body": "I decided to run the stand-up myself today.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def entry(alice):
    return Entry.objects.create(
        author=alice, body="First text.", written_on=alice.today(), created_at=timezone.now()
    )


def test_it_saves_an_entry_against_a_prompt(alice_client, alice, prompt):
    page = alice_client.get(reverse("entry_new"), {"prompt": prompt.pk})
    assert prompt.text in page.content.decode()
    assert "Read the passage" in page.content.decode()
    response = alice_client.post(reverse("entry_save"), _form(alice, prompt=prompt.pk))
    entry = Entry.objects.get(author=alice)
    assert response.status_code == 302 and response["Location"] == reverse("entry", args=[entry.pk])
    assert (entry.prompt, entry.is_draft, entry.version, entry.word_count) == (prompt, False, 1, 8)
    html = alice_client.get(response["Location"]).content.decode()
    # The text as read, without its highlights' marks and numbers.
    text = re.sub(r"<sup[^>]*>\d+</sup>|<[^>]+>", "", html)
    assert "I decided to run the stand-up myself today." in text


def test_it_saves_a_free_entry_with_no_prompt(alice_client, alice):
    response = alice_client.post(reverse("entry_save"), _form(alice))
    assert response.status_code == 302
    assert Entry.objects.get(author=alice).prompt is None


def test_it_renders_markdown_sanitised(alice_client, alice):
    body = (
        "**bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    alice_client.post(reverse("entry_save"), _form(alice, body=body))
    entry = Entry.objects.get(author=alice)
    html = alice_client.get(reverse("entry", args=[entry.pk])).content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html and 'href="javascript:' not in html and "<img" not in html
    assert entry.body == body  # the text itself is kept exactly as written


def test_it_back_dates_an_entry(alice_client, alice):
    day = alice.today() - timedelta(days=40)
    alice_client.post(reverse("entry_save"), _form(alice, written_on=day.isoformat()))
    assert Entry.objects.get(author=alice).written_on == day


def test_it_previews_markdown_with_and_without_javascript(alice_client, alice):
    data = _form(alice, body="- one\n- *two*")
    fragment = alice_client.post(reverse("entry_preview"), data, headers=HX).content.decode()
    assert "<em>two</em>" in fragment and "<html" not in fragment
    page = alice_client.post(reverse("entry_preview"), data).content.decode()
    assert "<em>two</em>" in page and "<html" in page and "- one\n- *two*" in page
    assert not Entry.objects.exists()


# Autosave


def test_it_autosaves_a_new_draft_then_publishes_it(alice_client, alice, prompt):
    response = alice_client.post(
        reverse("entry_autosave"), _form(alice, prompt=prompt.pk), headers=HX
    )
    assert response.status_code == 200
    draft = Entry.objects.get(author=alice)
    assert draft.is_draft and draft.version == 1
    fragment = response.content.decode()
    assert "Saved" in fragment and 'id="save-status"' in fragment
    assert f'name="entry" id="id_entry" value="{draft.pk}" hx-swap-oob="true"' in fragment
    assert "reflect:saved" in response["HX-Trigger"]
    # Opening the prompt again resumes the draft.
    resumed = alice_client.get(reverse("entry_new"), {"prompt": prompt.pk})
    assert resumed.status_code == 302 and resumed["Location"] == reverse(
        "entry_edit", args=[draft.pk]
    )
    # Saving publishes it, without a spurious conflict.
    response = alice_client.post(
        reverse("entry_save"), _form(alice, entry=draft.pk, version=1, prompt=prompt.pk)
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and Entry.objects.count() == 1


@pytest.mark.parametrize("draft", [True, False])
def test_it_answers_an_autosave_as_the_save_status_partial_did(alice_client, alice, draft):
    """The "saved" answer is written in Python (views.saved_status): the same HTML as
    write.html's save-status partial, for a draft and for a published entry."""
    from django.template import loader

    fields = {} if draft else {"entry": Entry.objects.create(
        author=alice, body="Published.", written_on=alice.today()).pk, "version": 1}
    response = alice_client.post(reverse("entry_autosave"), _form(alice, **fields), headers=HX)
    assert response.status_code == 200
    entry = Entry.objects.get(author=alice)
    assert entry.is_draft == draft
    saved_at = entry.updated_at.astimezone(alice.tz).strftime("%H:%M")  # in her time zone
    partial = loader.get_template("journal/write.html#save-status").render(
        {"state": "saved", "entry": entry, "saved_at": saved_at}
    )
    assert response.content.decode() == partial
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_it_keeps_drafts_out_of_the_journal(alice_client, alice):
    alice_client.post(reverse("entry_autosave"), _form(alice, body="half a thought"), headers=HX)
    draft = Entry.objects.get()
    assert not Entry.objects.live().exists()
    assert alice_client.get(reverse("entry", args=[draft.pk]))["Location"] == reverse(
        "entry_edit", args=[draft.pk]
    )


def test_it_coalesces_autosaves_into_one_revision(alice_client, alice, entry):
    for n, text in enumerate(["Second", "Second text", "Second text, longer"], start=1):
        response = alice_client.post(
            reverse("entry_autosave"),
            _form(alice, entry=entry.pk, version=n, body=text),
            headers=HX,
        )
        assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.body == "Second text, longer" and entry.version == 4
    assert list(entry.revisions.values_list("body", flat=True)) == ["First text."]


def test_it_asks_to_log_in_again_when_the_session_expired_during_autosave(alice, entry):
    response = Client().post(
        reverse("entry_autosave"), _form(alice, entry=entry.pk, version=1, body="lost?"), headers=HX
    )
    assert response.status_code == 401
    assert "session has expired" in response.content.decode()
    assert "kept on this device" in response.content.decode()
    assert "reflect:session-expired" in response["HX-Trigger"]
    entry.refresh_from_db()
    assert entry.body == "First text."


def test_it_refuses_an_autosave_without_csrf_token(csrf_client, alice, entry):
    response = csrf_client.post(
        reverse("entry_autosave"), _form(alice, entry=entry.pk, version=1, body="x"), headers=HX
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.body == "First text."


# Edits never overwrite silently


def test_it_refuses_a_stale_save_and_shows_both_texts(alice_client, alice, entry):
    # Tab A saves on top of version 1; tab B, still on version 1, saves too.
    alice_client.post(
        reverse("entry_save"), _form(alice, entry=entry.pk, version=1, body="From tab A")
    )
    response = alice_client.post(
        reverse("entry_save"), _form(alice, entry=entry.pk, version=1, body="From tab B")
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "From tab A" in html and "From tab B" in html
    entry.refresh_from_db()
    assert entry.body == "From tab A" and entry.version == 2
    # Nothing is lost: tab B's text is kept as a revision too.
    assert entry.revisions.filter(reason=Revision.Reason.CONFLICT, body="From tab B").exists()
    # Choosing (or merging) saves on top of the current version.
    response = alice_client.post(
        reverse("entry_save"), _form(alice, entry=entry.pk, version=2, body="From tab A and B")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.body == "From tab A and B" and entry.version == 3


def test_it_reports_a_conflict_on_autosave_without_writing(alice_client, alice, entry):
    alice_client.post(
        reverse("entry_save"), _form(alice, entry=entry.pk, version=1, body="Elsewhere")
    )
    response = alice_client.post(
        reverse("entry_autosave"), _form(alice, entry=entry.pk, version=1, body="Here"), headers=HX
    )
    assert response.status_code == 409
    assert "changed in another tab" in response.content.decode()
    entry.refresh_from_db()
    assert entry.body == "Elsewhere"


def test_it_accepts_a_save_racing_its_own_autosave(alice_client, alice, entry):
    # The autosave landed first (version 2); the submit was sent from version 1 with the same text.
    alice_client.post(
        reverse("entry_autosave"), _form(alice, entry=entry.pk, version=1, body="Same"), headers=HX
    )
    response = alice_client.post(
        reverse("entry_save"), _form(alice, entry=entry.pk, version=1, body="Same")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.body == "Same" and entry.version == 2


def test_it_keeps_every_edit_as_a_revision_and_restores_one(alice_client, alice, entry):
    alice_client.post(
        reverse("entry_save"), _form(alice, entry=entry.pk, version=1, body="Second text.")
    )
    alice_client.post(
        reverse("entry_save"), _form(alice, entry=entry.pk, version=2, body="Third text.")
    )
    entry.refresh_from_db()
    bodies = list(entry.revisions.values_list("body", flat=True))
    assert bodies == ["Second text.", "First text."]
    page = alice_client.get(reverse("revisions", args=[entry.pk])).content.decode()
    assert "First text." in page and "Second text." in page
    first = entry.revisions.get(body="First text.")
    response = alice_client.post(reverse("revision_restore", args=[entry.pk, first.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.body == "First text." and entry.version == 4
    assert entry.revisions.filter(body="Third text.", reason=Revision.Reason.RESTORE).exists()


# Trash


def test_it_moves_an_entry_to_trash_and_restores_it(alice_client, alice, entry):
    response = alice_client.post(reverse("entry_delete", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.deleted_at is not None
    assert alice_client.get(reverse("entry", args=[entry.pk])).status_code == 404
    assert "First text." not in alice_client.get(reverse("home")).content.decode()
    assert (
        entry.written_on.strftime("%-d %b %Y")
        in alice_client.get(reverse("trash")).content.decode()
    )
    alice_client.post(reverse("entry_restore", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.deleted_at is None


def test_it_purges_only_entries_older_than_30_days_in_trash(alice):
    old = Entry.objects.create(
        author=alice,
        body="old",
        written_on=alice.today(),
        deleted_at=timezone.now() - timedelta(days=31),
    )
    recent = Entry.objects.create(
        author=alice,
        body="recent",
        written_on=alice.today(),
        deleted_at=timezone.now() - timedelta(days=29),
    )
    live = Entry.objects.create(author=alice, body="live", written_on=alice.today())
    Revision.objects.create(entry=old, body="older", written_on=alice.today(), version=1)
    call_command("purge_trash")
    call_command("purge_trash")  # safe to run again, from cron
    assert set(Entry.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert not Revision.objects.filter(body="older").exists()


# Bad input: a clear message, the text kept, never a 500


def _refused(response, message: str, text: str):
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert text in html  # the person's words are still in the form
    return html


def test_it_removes_nul_characters_with_a_message(alice_client, alice):
    response = alice_client.post(
        reverse("entry_save"), _form(alice, body="Before\x00after, still mine")
    )
    _refused(response, "NUL character", "Beforeafter, still mine")
    assert not Entry.objects.exists()


def test_it_refuses_an_empty_body(alice_client, alice):
    response = alice_client.post(reverse("entry_save"), _form(alice, body="   \n  "))
    assert response.status_code == 422
    assert "empty entry" in response.content.decode()
    assert not Entry.objects.exists()


def test_it_refuses_a_body_over_the_limit(alice_client, alice, settings):
    body = "word " * 20_001  # 100,005 characters
    response = alice_client.post(reverse("entry_save"), _form(alice, body=body))
    html = _refused(response, "the limit is 100,000", "word word word")
    assert html.count("word ") > 20_000
    assert not Entry.objects.exists()


def test_it_refuses_a_future_date(alice_client, alice):
    tomorrow = (alice.today() + timedelta(days=1)).isoformat()
    response = alice_client.post(
        reverse("entry_save"), _form(alice, written_on=tomorrow, body="Tomorrow I will")
    )
    _refused(response, "can&#x27;t be in the future", "Tomorrow I will")


@pytest.mark.parametrize("value", ["11/27/2026", "2026-02-30", "yesterday", ""])
def test_it_refuses_a_malformed_date(alice_client, alice, value):
    response = alice_client.post(
        reverse("entry_save"), _form(alice, written_on=value, body="Kept text")
    )
    assert response.status_code == 422
    assert "Kept text" in response.content.decode()
    assert "Enter" in response.content.decode()


def test_it_refuses_a_prompt_that_does_not_exist(alice_client, alice):
    response = alice_client.post(
        reverse("entry_save"), _form(alice, prompt=999_999, body="Kept text")
    )
    _refused(response, "That prompt is not available", "Kept text")


def test_it_refuses_a_hidden_prompt_for_a_new_entry(alice_client, alice, prompt):
    HiddenPrompt.objects.create(user=alice, prompt=prompt)
    response = alice_client.post(
        reverse("entry_save"), _form(alice, prompt=prompt.pk, body="Kept text")
    )
    _refused(response, "you hid it", "Kept text")


def test_it_keeps_an_old_answers_prompt_even_when_hidden_later(alice_client, alice, prompt):
    entry = Entry.objects.create(author=alice, prompt=prompt, body="Old", written_on=alice.today())
    HiddenPrompt.objects.create(user=alice, prompt=prompt)
    response = alice_client.post(
        reverse("entry_save"),
        _form(alice, entry=entry.pk, version=1, prompt=prompt.pk, body="Edited"),
    )
    assert response.status_code == 302


def test_an_edit_of_a_prompted_entry_keeps_its_prompt_on_every_answer(
    alice_client, alice, prompt
):
    """The editor sends the prompt the entry has: saved with it, analysed with it, and shown
    again above the text (its words, not only its number) when the page is sent back."""
    from reflect.framing.models import Framing
    from reflect.journal.models import create_entry

    entry = create_entry(author=alice, body="I decided to ask.", written_on=alice.today(),
                         prompt=prompt, draft=False)
    form = _form(alice, entry=entry.pk, version=1, prompt=prompt.pk)
    response = alice_client.post(reverse("entry_autosave"), {**form, "body": "I chose to ask."},
                                 headers=HX)
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.prompt_id == prompt.pk and entry.body == "I chose to ask."
    assert Framing.objects.get(entry=entry).prompt_id == prompt.pk
    # Sent back: an empty text, then a stale version from another page.
    page = alice_client.post(reverse("entry_save"), {**form, "version": 2, "body": " "})
    assert page.status_code == 422 and prompt.text in page.content.decode()
    conflict = alice_client.post(
        reverse("entry_save"),
        {**form, "writing_session": "7b0e4c53-3c4e-4a51-9a59-2f7d1f0b2a11", "body": "Mine."},
    )
    assert conflict.status_code == 409
    assert f'name="prompt" value="{prompt.pk}"' in conflict.content.decode()
    assert entry.revisions.filter(reason="conflict").get().prompt_id == prompt.pk


@pytest.mark.parametrize(
    "body",
    [
        "Zalgo t̸̢̛e̵x̷t",
        "RTL \u202eevil\u202c text",
        "emoji 🧭🌱 and 𝔣𝔯𝔞𝔨𝔱𝔲𝔯",
        "combining e\u0301 and ZWJ 👩\u200d💻",
        "\ufeffBOM start",
    ],
)
def test_it_keeps_odd_unicode_exactly(alice_client, alice, body):
    response = alice_client.post(reverse("entry_save"), _form(alice, body=body))
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.body == body
    assert alice_client.get(reverse("entry", args=[entry.pk])).status_code == 200


def test_it_rejects_a_garbage_version_clearly(alice_client, alice, entry):
    response = alice_client.post(
        reverse("entry_save"), _form(alice, entry=entry.pk, version="abc", body="Kept text")
    )
    assert response.status_code == 422
    assert "Kept text" in response.content.decode()


# Privacy


def test_it_gives_a_404_for_another_persons_entry(charlie_client, alice, entry):
    for name in ("entry", "entry_edit", "revisions"):
        assert charlie_client.get(reverse(name, args=[entry.pk])).status_code == 404
    for name in ("entry_delete", "entry_restore"):
        assert charlie_client.post(reverse(name, args=[entry.pk])).status_code == 404
    entry.deleted_at = timezone.now()
    entry.save()
    assert charlie_client.post(reverse("entry_restore", args=[entry.pk])).status_code == 404
    assert "First text." not in charlie_client.get(reverse("trash")).content.decode()
    entry.refresh_from_db()
    assert entry.deleted_at is not None


def test_it_does_not_let_anyone_save_into_another_persons_entry(
    charlie_client, charlie, alice, entry
):
    response = charlie_client.post(
        reverse("entry_save"), _form(charlie, entry=entry.pk, version=1, body="Charlie was here")
    )
    assert response.status_code == 404
    response = charlie_client.post(
        reverse("entry_autosave"),
        _form(charlie, entry=entry.pk, version=1, body="Charlie was here"),
        headers=HX,
    )
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.body == "First text."


def test_it_does_not_let_anyone_restore_another_persons_revision(
    charlie_client, alice_client, alice, charlie, entry
):
    alice_client.post(reverse("entry_save"), _form(alice, entry=entry.pk, version=1, body="Second"))
    revision = entry.revisions.get()
    own = Entry.objects.create(author=charlie, body="Charlie's", written_on=charlie.today())
    response = charlie_client.post(reverse("revision_restore", args=[own.pk, revision.pk]))
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.body == "Charlie's"


@pytest.mark.parametrize("edits", [1, 40])
def test_it_serves_the_entry_page_and_editor_in_fixed_queries(
    alice_client, alice, django_assert_max_num_queries, edits
):
    from reflect.journal.models import create_entry, edit_entry

    entry = create_entry(
        author=alice, body="I decided to ask.", written_on=alice.today(), prompt=None, draft=False
    )
    for n in range(edits):
        edit_entry(entry, body=f"I decided to ask, take {n}.", written_on=entry.written_on,
                   prompt=None, base_version=entry.version, autosave=False)
    # session, user, the entry with its prompt and analysis, the revision count, its tags,
    # its images
    with django_assert_max_num_queries(6):
        assert alice_client.get(reverse("entry", args=[entry.pk])).status_code == 200
    # session, user, the entry, its tags (the editor's tag field)
    with django_assert_max_num_queries(4):
        assert alice_client.get(reverse("entry_edit", args=[entry.pk])).status_code == 200


@pytest.mark.parametrize(("body", "on_sqlite"), [
    ("I decided to ask. Zqxw.", 6),  # nothing analysed changes: only the time is written
    ("I decided to ask. Zqxv zq.", 7),  # one word more: the words and the week move
    ("Zq I decided to ask. Zqxv.", 7),  # every item of evidence moves, the cues stay
])
def test_it_autosaves_an_edit_that_keeps_the_cues_in_fewer_queries(
    alice_client, alice, django_assert_num_queries, body, on_sqlite
):
    """Words that are no cue, typed or swapped: the analysis stored has the new one's cues (its
    digest says so), so the cues are neither read nor written; on PostgreSQL the stored
    analysis is read with the entry and the whole analysis is written in one round trip."""
    from reflect.framing.models import Framing
    from reflect.journal.models import create_entry

    entry = create_entry(author=alice, body="I decided to ask. Zqxv.", written_on=alice.today(),
                         prompt=None, draft=False)
    analysed = Framing.objects.get(entry=entry).computed_at
    form = _form(alice, entry=entry.pk, version=1)
    # session, user, a savepoint, the entry read once and locked (on PostgreSQL with its
    # stored analysis), the edit with the text it replaces kept as a revision, then the
    # analysis: on PostgreSQL all in one round trip; on SQLite the edit's two statements and
    # the analysis's (lock, sums, cues, its writes) one by one; the release
    postgres = connection.vendor == "postgresql"
    with django_assert_num_queries(5 + (1 if postgres else on_sqlite)):
        response = alice_client.post(reverse("entry_autosave"), {**form, "body": body},
                                     headers=HX)
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.body == body and entry.version == 2
    assert Framing.objects.get(entry=entry).computed_at > analysed


def test_it_does_not_save_into_an_entry_in_the_trash(alice_client, alice, entry):
    Entry.objects.filter(pk=entry.pk).update(deleted_at=timezone.now())
    for name, headers in (("entry_save", {}), ("entry_autosave", HX)):
        response = alice_client.post(
            reverse(name), _form(alice, entry=entry.pk, version=1, body="Edited"), headers=headers
        )
        assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.body == "First text." and entry.version == 1


@pytest.mark.parametrize("with_prompt", [False, True])
def test_it_autosaves_and_saves_an_edit_in_fixed_queries(
    alice_client, alice, prompt, django_assert_max_num_queries, with_prompt
):
    from reflect.journal.models import create_entry

    entry = create_entry(author=alice, body="I decided to ask.", written_on=alice.today(),
                         prompt=prompt if with_prompt else None, draft=False)
    form = _form(alice, entry=entry.pk, version=1, prompt=prompt.pk if with_prompt else "")
    # session, user, a savepoint, the entry read once and locked (its prompt, the one the
    # page sends, is not read), the edit with the text it replaces kept as a revision (on
    # PostgreSQL in the analysis's first round trip, two statements on SQLite), the analysis
    # (two round trips on PostgreSQL, its statements one by one on SQLite), the release
    postgres = connection.vendor == "postgresql"
    analysis = 2 if postgres else 7
    with django_assert_max_num_queries(5 + (0 if postgres else 2) + analysis):
        response = alice_client.post(
            reverse("entry_autosave"), {**form, "body": "I chose to ask why."}, headers=HX
        )
    assert response.status_code == 200
    # the same without a revision: the Save closes the autosaves' revision
    with django_assert_max_num_queries((5 if postgres else 6) + analysis):
        response = alice_client.post(
            reverse("entry_save"), {**form, "version": 2, "body": "I chose to ask the team why."}
        )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.body == "I chose to ask the team why." and entry.version == 3
    assert entry.prompt_id == (prompt.pk if with_prompt else None)
    assert list(entry.revisions.values_list("body", flat=True)) == ["I decided to ask."]


def test_each_editor_form_says_its_own_persons_today(alice):
    """The editor's forms share their fields (not copied for each form), but the day's: each
    says its own person's today, and a form's change to it is no other form's."""
    from datetime import date
    from types import SimpleNamespace

    from reflect.journal.forms import EntryForm

    early = SimpleNamespace(pk=alice.pk, today=lambda: date(2026, 1, 1))
    late = SimpleNamespace(pk=alice.pk, today=lambda: date(2026, 1, 2))
    first, second = EntryForm(user=early), EntryForm(user=late)
    assert 'max="2026-01-01"' in str(first["written_on"])
    assert 'max="2026-01-02"' in str(second["written_on"])
    assert "max" not in EntryForm.base_fields["written_on"].widget.attrs
    # A future day is refused for the person whose today it is not yet.
    data = _form(alice, written_on="2026-01-02")
    assert not EntryForm(data, user=early).is_valid()
    assert EntryForm(data, user=late).is_valid()


@pytest.mark.parametrize("lost", ["dropped", "forgotten"])
def test_an_autosave_and_a_save_survive_the_statements_kept_on_the_connection_going(
    alice_client, alice, lost
):
    """On PostgreSQL the editor's first read is kept planned on the connection. Dropped
    there (a pooler, DISCARD ALL) or unknown to this process (left from a send that failed),
    the save runs again and stores the text: nothing is lost, and nothing is written twice."""
    if connection.vendor != "postgresql":
        pytest.skip("statements are kept on PostgreSQL only")
    from reflect.journal.models import create_entry
    from reflect.lib import sql

    entry = create_entry(author=alice, body="I decided to ask.", written_on=alice.today(),
                         prompt=None, draft=False)
    form = _form(alice, entry=entry.pk, version=1)
    assert alice_client.post(reverse("entry_autosave"), {**form, "body": "One."},
                             headers=HX).status_code == 200
    connection.ensure_connection()
    for n, name in enumerate(("entry_autosave", "entry_save"), start=2):
        if lost == "dropped":
            with connection.cursor() as cursor:
                cursor.execute("DEALLOCATE ALL")
        else:
            sql._KEPT.pop(connection.connection, None)
        response = alice_client.post(reverse(name), {**form, "version": n, "body": f"Take {n}."},
                                     headers=HX if name == "entry_autosave" else {})
        assert response.status_code in (200, 302)
        entry.refresh_from_db()
        assert entry.body == f"Take {n}." and entry.version == n + 1
    assert list(entry.revisions.values_list("body", flat=True)) == ["I decided to ask."]


@pytest.mark.parametrize("change", ["title", "mood", "day"])
def test_an_edit_that_keeps_the_text_does_not_write_the_text_again(alice, change):
    """A new title, mood or day leaves the body, its word count and its search text out of the
    UPDATE (PostgreSQL would compute the stored search vector again, SQLite re-index the
    text); the entry keeps them, is still found by its words, and a later edit of the text
    writes them as before."""
    from django.test.utils import CaptureQueriesContext

    from reflect.journal.fulltext import search
    from reflect.journal.models import create_entry, edit_entry

    body = "Walked the new starter through the handover myself."
    entry = create_entry(author=alice, body=body, written_on=alice.today(), prompt=None,
                         draft=False)
    changes = {
        "title": {"title": "Handover"},
        "mood": {"mood": 4},
        "day": {"written_on": alice.today() - timedelta(days=1)},
    }[change]
    with CaptureQueriesContext(connection) as queries:
        assert edit_entry(entry, **{"body": body, "written_on": entry.written_on,
                                    "prompt": None, "base_version": entry.version,
                                    "autosave": False, **changes})
    # One statement each, or several in one round trip (PostgreSQL): the entry's UPDATE.
    updates = [part for q in queries.captured_queries for part in q["sql"].split(";\n")
               if part.startswith('UPDATE "journal_entry"')]
    assert updates and not any(
        re.search(r'"(body|word_count|search_text)" = ', sql) for sql in updates
    ), updates
    stored = Entry.objects.get(pk=entry.pk)
    assert (stored.body, stored.word_count) == (body, 8)
    assert stored.search_text == entry.search_text != ""
    for field, value in changes.items():
        assert getattr(stored, field) == value
    assert list(search(Entry.objects.filter(author=alice), "starter")) == [stored]
    # A new text is written with its words and search text.
    edit_entry(stored, body="Asked the team why.", written_on=stored.written_on, prompt=None,
               base_version=stored.version, autosave=False)
    again = Entry.objects.get(pk=entry.pk)
    assert (again.word_count, list(search(Entry.objects.filter(author=alice), "starter"))) == (
        4, []
    )
