"""The PDF export (issue 13.5): a range of the person's own live entries with dates, prompts,
moods, tags and optionally the framing highlights, every font embedded; never another
person's words, nor drafts or the trash."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reflect.framing import DIMENSIONS
from reflect.framing.dimensions import REGISTRY
from reflect.framing.models import Cue
from reflect.journal import pdf, portability
from reflect.journal.models import Entry, Prompt, count_words, create_entry
from reflect.trends import series as s


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


# Trend charts --------------------------------------------------------------------------

LEADING = ("I chose to ask the team what they need, and we decided together. I learned "
           "that next time I'll invite others to step up. I felt proud and glad. ") * 12


@pytest.fixture
def written_weeks(alice):
    """Alice writes plenty in each of the last six weeks, and a thin entry this week."""
    today = alice.today()
    for weeks in range(1, 7):
        for day in (1, 3):
            create_entry(author=alice, body=LEADING, written_on=today - timedelta(weeks=weeks,
                         days=day), prompt=None, draft=False, tags=["work"] if day == 1 else [])
    create_entry(author=alice, body="A short one.", written_on=today, prompt=None, draft=False)
    return alice


def _trends_csv(client, **params) -> dict[tuple[str, str], dict]:
    response = client.get(reverse("trends_csv"), params)
    rows = csv.DictReader(io.StringIO(response.content.decode()))
    return {(row["dimension"], row["period"]): row for row in rows}


def test_it_draws_the_trends_pages_values_for_the_range(alice_client, written_weeks):
    first, last, _ = s.range_bounds("3m", "week", written_weeks.today(), None)
    scope = portability.ExportScope(start=first, end=last)
    unit, charts = portability.export_trend_charts(written_weeks, scope)
    expected = _trends_csv(alice_client, unit="week", range="3m")
    assert unit == "week" and [c.dimension.key for c in charts] == list(DIMENSIONS)
    drawn = 0
    for chart in charts:
        assert [p.start for p in chart.periods] == s.period_starts(first, last, "week")
        for period in chart.periods:
            row = expected[(chart.dimension.key, period.start.isoformat())]
            assert (row["sufficient"] == "yes") == (period in chart.drawn)
            if period in chart.drawn:
                assert round(period.value, 4) == float(row["value"])
                drawn += 1
    assert drawn >= 6  # the six full weeks, at least for some dimensions
    this_week = charts[0].periods[-1]
    assert not this_week.sufficient  # a few words: left out, not drawn


def test_it_counts_only_the_persons_own_analyses(written_weeks, charlie):
    today = written_weeks.today()
    scope = portability.ExportScope(start=today - timedelta(weeks=8), end=today)
    before = portability.export_trend_charts(written_weeks, scope)
    for weeks in range(1, 7):
        create_entry(author=charlie, body="I had to do what I was told. No choice. " * 40,
                     written_on=today - timedelta(weeks=weeks, days=2), prompt=None,
                     draft=False)
    assert portability.export_trend_charts(written_weeks, scope) == before


def test_it_pools_only_the_tagged_entries_with_a_tag(written_weeks):
    today = written_weeks.today()
    everything = portability.ExportScope(start=today - timedelta(weeks=8), end=today)
    tagged = portability.ExportScope(start=today - timedelta(weeks=8), end=today, tag="work")
    words = {p.start: p.words for p in portability.export_trend_charts(
        written_weeks, everything)[1][0].periods}
    tagged_words = {p.start: p.words for p in portability.export_trend_charts(
        written_weeks, tagged)[1][0].periods}
    assert sum(tagged_words.values()) * 2 == sum(words.values()) - count_words("A short one.")


def test_it_fetches_the_chart_data_in_two_queries_at_most(written_weeks,
                                                          django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        unit, charts = portability.export_trend_charts(written_weeks, portability.ExportScope())
    assert unit == "week" and any(chart.drawn for chart in charts)


def test_it_charts_a_long_range_by_month():
    assert pdf.chart_unit(date(2025, 1, 1), date(2025, 6, 30)) == "week"
    assert pdf.chart_unit(date(2025, 1, 1), date(2025, 12, 31)) == "month"


def test_it_prints_a_page_of_charts_before_the_entries_when_asked(alice_client, written_weeks):
    assert "Trends over these dates" not in _text(_pdf(alice_client))
    today = written_weeks.today()
    start = today - timedelta(weeks=8)
    reader = _pdf(alice_client, charts="on", **{"from": start.isoformat()})
    first_page = reader.pages[0].extract_text()
    assert "Trends over these dates" in first_page and "I chose" not in first_page
    for key in DIMENSIONS:
        dimension = REGISTRY[key]
        assert dimension.name in first_page
        assert all(pole in first_page for pole in dimension.poles if pole)
    _, charts = portability.export_trend_charts(
        written_weeks, portability.ExportScope(start=start, end=today))
    periods = charts[0].periods
    for period in periods[::-(-len(periods) // 5)]:
        assert period.label in first_page
    assert "left out: too little writing" in first_page
    assert "I chose" in reader.pages[1].extract_text()
