"""Weekly totals move by difference on every save; they must always equal a recount."""

from datetime import timedelta

from django.urls import reverse

from reflect.framing.models import DIMENSION_KEYS, WeeklyFraming, rebuild_weekly_totals
from reflect.journal.models import Entry, create_entry, edit_entry

TEXT = "I had to stay late. Then I decided to ask the other team what if we shared the rota."


def _rows(user) -> list[tuple]:
    fields = ["week", "entries", "words"] + [
        f"{k}_{pole}" for k in DIMENSION_KEYS for pole in ("pos", "neg")
    ]
    return [
        tuple(round(v, 6) if isinstance(v, float) else v for v in row)
        for row in WeeklyFraming.objects.filter(author=user).order_by("week").values_list(*fields)
    ]


def _same_as_a_recount(user) -> None:
    moved = _rows(user)
    rebuild_weekly_totals([user.pk])
    assert _rows(user) == moved


def test_it_keeps_weekly_totals_equal_to_a_recount_through_every_change(alice):
    today = alice.today()
    last_week = today - timedelta(days=7)
    first = create_entry(author=alice, body=TEXT, written_on=today, prompt=None, draft=False)
    second = create_entry(author=alice, body="We chose.", written_on=today, prompt=None,
                          draft=False)
    _same_as_a_recount(alice)
    edit_entry(first, body=TEXT + " I felt proud.", written_on=today, prompt=None,
               base_version=first.version, autosave=False)
    _same_as_a_recount(alice)
    edit_entry(first, body=TEXT, written_on=last_week, prompt=None,  # into another week
               base_version=first.version, autosave=False)
    _same_as_a_recount(alice)
    assert [row[1] for row in _rows(alice)] == [1, 1]
    second.deleted_at = second.updated_at
    second.save()
    second.refresh_analysis()  # trashed: its week is left with no entries and disappears
    _same_as_a_recount(alice)
    assert [row[0] for row in _rows(alice)] == [last_week - timedelta(days=last_week.weekday())]
    second.deleted_at = None
    second.save()
    second.refresh_analysis()
    _same_as_a_recount(alice)
    create_entry(author=alice, body="A draft", written_on=today, prompt=None, draft=True)
    _same_as_a_recount(alice)
    assert sum(row[1] for row in _rows(alice)) == 2


def test_it_saves_an_edit_with_its_analysis_in_fixed_queries(
    alice_client, alice, django_assert_max_num_queries
):
    entry = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=False)
    data = {"entry": entry.pk, "version": entry.version, "body": TEXT * 20,
            "written_on": alice.today().isoformat()}
    # session and user, the entry twice (scoped read, then locked), revision, update, author
    # lock, previous analysis, cues out and in, analysis, week: however many cues (SQLite runs
    # each statement; PostgreSQL sends the lock with the read, and the writes, as one each: 10).
    with django_assert_max_num_queries(14):
        response = alice_client.post(reverse("entry_save"), data)
    assert response.status_code == 302
    assert Entry.objects.get(pk=entry.pk).body == TEXT * 20
    _same_as_a_recount(alice)


def test_it_recounts_a_week_whose_total_went_missing(alice):
    today = alice.today()
    last_week = today - timedelta(days=7)
    entry = create_entry(author=alice, body=TEXT, written_on=today, prompt=None, draft=False)
    create_entry(author=alice, body="We chose.", written_on=today, prompt=None, draft=False)
    WeeklyFraming.objects.filter(author=alice).delete()  # drifted: the week's row is gone
    edit_entry(entry, body=TEXT + " We grew.", written_on=today, prompt=None,
               base_version=entry.version, autosave=False)
    _same_as_a_recount(alice)
    assert [row[1] for row in _rows(alice)] == [2]
    WeeklyFraming.objects.filter(author=alice).delete()
    edit_entry(entry, body=TEXT, written_on=last_week, prompt=None,  # out of the missing week
               base_version=entry.version, autosave=False)
    _same_as_a_recount(alice)
    assert [row[1] for row in _rows(alice)] == [1, 1]


def test_it_keeps_the_analysis_when_only_the_title_or_mood_changes(alice):
    from reflect.framing.models import Framing

    entry = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=False)
    computed = Framing.objects.get(entry=entry).computed_at
    edit_entry(entry, body=TEXT, written_on=entry.written_on, prompt=None,
               base_version=entry.version, autosave=False, title="Rota", mood=4)
    assert Framing.objects.get(entry=entry).computed_at == computed
    edit_entry(entry, body=TEXT + " We grew.", written_on=entry.written_on, prompt=None,
               base_version=entry.version, autosave=False)
    assert Framing.objects.get(entry=entry).computed_at > computed
    assert Framing.objects.get(entry=entry).words == len((TEXT + " We grew.").split())
    _same_as_a_recount(alice)


def test_it_stores_no_analysis_for_a_draft_until_it_is_published(alice):
    from reflect.framing.models import Framing

    draft = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=True)
    edit_entry(draft, body=TEXT + " More.", written_on=draft.written_on, prompt=None,
               base_version=draft.version, autosave=True)
    assert not Framing.objects.filter(entry=draft).exists()
    assert _rows(alice) == []
    edit_entry(draft, body=TEXT + " More.", written_on=draft.written_on, prompt=None,
               base_version=draft.version, autosave=False)
    assert Framing.objects.get(entry=draft).words > 0
    _same_as_a_recount(alice)
    assert [row[1] for row in _rows(alice)] == [1]


def _cues(entry) -> list[tuple]:
    from reflect.framing.models import Cue

    return sorted(Cue.objects.filter(entry=entry).values_list(
        "author_id", "written_on", "dimension", "pole", "phrase", "weight"))


def _fresh_cues(entry) -> list[tuple]:
    from reflect.framing import analyze
    from reflect.framing.models import framing_rows

    entry.refresh_from_db()
    return sorted(row[1:] for row in framing_rows(entry, analyze(entry.body))[1])


def test_it_keeps_an_entrys_cues_equal_to_a_fresh_reading_through_edits(alice):
    today = alice.today()
    entry = create_entry(author=alice, body=TEXT, written_on=today, prompt=None, draft=False)
    assert _cues(entry) == _fresh_cues(entry) != []
    for body, day in [
        (TEXT + " I decided again, and we shared it.", today),  # cues added
        ("I had to stay late. We shared the rota.", today),  # cues gone, one kept
        ("I had to stay late. We shared the rota.", today - timedelta(days=9)),  # another day
        (TEXT + " " + TEXT, today - timedelta(days=9)),  # the same cue twice
        (TEXT, today - timedelta(days=9)),  # one of the two gone
    ]:
        edit_entry(entry, body=body, written_on=day, prompt=None, base_version=entry.version,
                   autosave=False)
        assert _cues(entry) == _fresh_cues(entry)
    _same_as_a_recount(alice)
