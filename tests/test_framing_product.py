"""The framing analysis in the product: stored at save time, kept current, explained."""

import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reflect import framing as analyzer
from reflect.framing.models import Cue, Framing, HighlightReport
from reflect.journal.models import Entry, create_entry, edit_entry

CHOICE = "Nobody asked me, but I decided to run the retro myself. I didn't wait to be told."
OBLIGATION = "I had to redo the rota again because they told me to. No say in it."


@pytest.fixture
def entry(alice):
    return create_entry(
        author=alice, body=CHOICE, written_on=alice.today(), prompt=None, draft=False
    )


def test_it_stores_the_analysis_when_an_entry_is_saved(entry):
    framing = Framing.objects.get(entry=entry)
    expected = analyzer.analyze(CHOICE)
    assert framing.analyzer_version == analyzer.ANALYZER_VERSION
    assert framing.scores == pytest.approx(expected.scores)
    assert framing.obligation_agency_pos == expected.dimensions["obligation_agency"].positive
    assert framing.obligation_agency_pos > 0 and framing.words == expected.word_count
    # Cue rows let trends count phrases in SQL.
    assert Cue.objects.filter(entry=entry, dimension="obligation_agency", pole=1).exists()


def test_it_updates_the_stored_analysis_on_edit(entry):
    assert edit_entry(
        entry,
        body=OBLIGATION,
        written_on=entry.written_on,
        prompt=None,
        base_version=1,
        autosave=False,
    )
    framing = Framing.objects.get(entry=entry)
    assert framing.scores["obligation_agency"] < 0
    assert framing.obligation_agency_neg > 0
    phrases = set(Cue.objects.filter(entry=entry).values_list("phrase", flat=True))
    assert "had to" in phrases and "decided" not in phrases


def test_it_keeps_no_analysis_for_drafts(alice):
    draft = create_entry(
        author=alice, body=CHOICE, written_on=alice.today(), prompt=None, draft=True
    )
    assert not Framing.objects.filter(entry=draft).exists()
    assert not Cue.objects.filter(entry=draft).exists()


def test_it_reanalyses_entries_after_a_version_bump(entry, alice):
    stale = create_entry(
        author=alice, body=OBLIGATION, written_on=alice.today(), prompt=None, draft=False
    )
    Framing.objects.filter(entry=stale).update(analyzer_version="1999.1.1", scores={})
    missing = Entry.objects.create(author=alice, body=OBLIGATION, written_on=alice.today())
    with mock.patch("reflect.framing.ANALYZER_VERSION", "2999.1.1"):
        call_command("reanalyze", batch_size=1)
    versions = dict(Framing.objects.values_list("entry_id", "analyzer_version"))
    assert versions == {entry.pk: "2999.1.1", stale.pk: "2999.1.1", missing.pk: "2999.1.1"}
    assert Framing.objects.get(entry=stale).scores["obligation_agency"] < 0


def test_it_is_resumable_and_skips_what_is_current(entry, capsys):
    call_command("reanalyze")
    assert "Reanalysed 0 entries" in capsys.readouterr().out


def test_it_explains_the_framing_on_the_entry_page(alice_client, entry):
    html = alice_client.get(reverse("entry", args=[entry.pk])).content.decode()
    assert "How you framed this" in html
    assert "Obligation and choice" in html
    assert "something you chose" in html
    # The phrases are highlighted in the text, numbered (not colour alone), with a title.
    assert re.search(r'<mark class="cue pole-pos" data-highlight="\d+" title="\d+\. [^"]*'
                     r'Obligation and choice', html)
    assert '<sup aria-hidden="true">' in html
    # One report control for the whole entry, not one per phrase.
    assert html.count("Report as wrong") == 1


def test_it_marks_quoted_words_as_ignored(alice_client, alice):
    body = 'My boss said "you need to be the leader here and take charge". I mostly listened.'
    entry = create_entry(
        author=alice, body=body, written_on=alice.today(), prompt=None, draft=False
    )
    html = alice_client.get(reverse("entry", args=[entry.pk])).content.decode()
    assert 'class="ignored"' in html
    assert "Ignored" in html


def test_it_escapes_the_text_it_highlights(alice_client, alice):
    body = "<b>I decided</b> to <script>lead</script> the stand-up."
    entry = create_entry(
        author=alice, body=body, written_on=alice.today(), prompt=None, draft=False
    )
    html = alice_client.get(reverse("entry", args=[entry.pk])).content.decode()
    # Rendered as Markdown with the highlights inside, the writer's tags stay text.
    assert "<script>" not in html and "<b>I" not in html
    assert "&lt;b&gt;I " in html and "&lt;/b&gt; to &lt;" in html


def test_it_stores_a_wrong_highlight_report(alice_client, alice, entry):
    from reflect.framing.explain import clear_scales_of, highlights

    framing = Framing.objects.get(entry=entry)
    shown = highlights(CHOICE, framing.evidence, framing.ignored, clear_scales_of(framing))
    decided = next(h for h in shown.groups if h.text == "decided")
    url = reverse("report_highlight", args=[entry.pk])
    response = alice_client.post(
        url, {"highlight": decided.number}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert f"highlight {decided.number} is reported" in response.content.decode()
    # Every dimension the phrase counted on, with the rule that fired.
    reports = set(HighlightReport.objects.values_list("dimension", "phrase"))
    assert reports == {(d, "decided") for d, _pole in decided.leanings}
    assert ("obligation_agency", "decided") in reports
    stored = HighlightReport.objects.count()
    alice_client.post(url, {"highlight": decided.number})  # reporting twice keeps one each
    assert HighlightReport.objects.count() == stored


def test_it_refuses_reports_on_another_persons_entry(charlie_client, entry):
    response = charlie_client.post(reverse("report_highlight", args=[entry.pk]), {"highlight": 1})
    assert response.status_code == 404
    assert not HighlightReport.objects.exists()


def test_it_refuses_a_report_for_a_highlight_that_does_not_exist(alice_client, entry):
    response = alice_client.post(reverse("report_highlight", args=[entry.pk]), {"highlight": 999})
    assert response.status_code == 404


def test_it_never_lets_an_anonymous_visitor_report(entry):
    response = Client().post(reverse("report_highlight", args=[entry.pk]), {"highlight": 1})
    assert response.status_code == 302
    assert not HighlightReport.objects.exists()


def _recomputed(user) -> dict:
    from collections import defaultdict

    from reflect.framing.models import monday

    expected = defaultdict(lambda: [0, 0, 0.0])
    for framing in Framing.objects.filter(author=user):
        row = expected[monday(framing.written_on)]
        row[0] += 1
        row[1] += framing.words
        row[2] += framing.obligation_agency_pos
    return {week: tuple(v) for week, v in expected.items()}


def _stored(user) -> dict:
    from reflect.framing.models import WeeklyFraming

    return {
        w.week: (w.entries, w.words, w.obligation_agency_pos)
        for w in WeeklyFraming.objects.filter(author=user)
    }


def test_it_keeps_weekly_totals_in_step_with_every_change(alice_client, alice):
    from datetime import timedelta

    today = alice.today()
    a = create_entry(author=alice, body=CHOICE, written_on=today, prompt=None, draft=False)
    b = create_entry(
        author=alice,
        body=OBLIGATION,
        written_on=today - timedelta(days=3),
        prompt=None,
        draft=False,
    )
    create_entry(author=alice, body=CHOICE * 3, written_on=today, prompt=None, draft=True)
    assert _stored(alice) == _recomputed(alice) and _stored(alice)
    # Moving an entry to another week updates both weeks.
    edit_entry(
        a,
        body=CHOICE,
        written_on=today - timedelta(days=20),
        prompt=None,
        base_version=1,
        autosave=False,
    )
    assert _stored(alice) == _recomputed(alice)
    # Trash removes it everywhere; restore brings it back.
    alice_client.post(reverse("entry_delete", args=[b.pk]))
    assert not Framing.objects.filter(entry=b).exists() and not Cue.objects.filter(entry=b).exists()
    assert _stored(alice) == _recomputed(alice)
    alice_client.post(reverse("entry_restore", args=[b.pk]))
    assert Framing.objects.filter(entry=b).exists()
    assert _stored(alice) == _recomputed(alice)
    # Only saved, untrashed entries have an analysis.
    live = set(Entry.objects.live().filter(author=alice).values_list("pk", flat=True))
    assert set(Framing.objects.filter(author=alice).values_list("entry_id", flat=True)) == live


def test_it_lists_wrong_highlight_reports_for_operators_without_the_reporter_or_words(
    alice_client, entry, client, django_user_model
):
    framing = Framing.objects.get(entry=entry)
    alice_client.post(reverse("report_highlight", args=[entry.pk]), {"highlight": 1})
    operator = django_user_model.objects.create_superuser("op@example.com", "op-passphrase-123")
    client.force_login(operator)
    html = client.get(reverse("admin:framing_highlightreport_changelist")).content.decode()
    from django.utils.html import escape

    from reflect.framing.explain import clear_scales_of, highlights

    first = highlights(
        entry.body, framing.evidence, framing.ignored, clear_scales_of(framing)
    ).groups[0]
    cue = framing.evidence[first.evidence[0]]  # what highlight 1 stands for

    # The rule that fired, to improve the lexicons; never the reader's phrase (issue 12).
    assert escape(cue["rule"]) in html
    assert CHOICE[cue["start"] : cue["end"]] not in html
    assert "alice@example.com" not in html and "retro myself" not in html


def test_it_stores_every_dimension_the_analyzer_scores():
    from reflect.framing.models import DIMENSION_KEYS

    assert DIMENSION_KEYS == analyzer.DIMENSIONS
