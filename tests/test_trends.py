"""Trends: how a person's framing moves over weeks and months, explained down to the words."""

import csv
import io
import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from reflect.framing import ANALYZER_VERSION, DIMENSIONS, analyze, learned, score_from_counts
from reflect.framing.models import (
    Cue,
    Framing,
    WeeklyFraming,
    rebuild_weekly_totals,
    refresh_weeks,
    store_analysis,
)
from reflect.journal.models import Entry, Prompt, count_words
from reflect.lib.stats import Change
from reflect.trends import series as s

# Transaction control is not a query: the shared cache's write runs in an atomic block, which
# PostgreSQL's driver opens without a statement, SQLite (IMMEDIATE mode) with BEGIN/COMMIT,
# and a test's own transaction with SAVEPOINT/RELEASE.
TRANSACTION_CONTROL = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b")


@contextmanager
def max_queries(budget: int):
    """At most `budget` queries (SELECT, INSERT, UPDATE, DELETE) inside the block."""
    with CaptureQueriesContext(connection) as context:
        yield
    sent = [q["sql"] for q in context.captured_queries if not TRANSACTION_CONTROL.match(q["sql"])]
    assert len(sent) <= budget, f"{len(sent)} queries:\n" + "\n".join(q[:120] for q in sent)


# ---------------------------------------------------------------------------
# Hand-made data
# ---------------------------------------------------------------------------


def _write(user, day, cues=(), words=300, body=None, prompt=None, **entry_fields):
    """An entry with a hand-made analysis: `cues` are (dimension, pole, phrase, times)."""
    entry = Entry.objects.create(
        author=user, written_on=day, prompt=prompt,
        body=body or " ".join(["word"] * words), **entry_fields,
    )
    sums = {f"{d}_{p}": 0.0 for d in DIMENSIONS for p in ("pos", "neg")}
    rows = []
    for dimension, pole, phrase, times in cues:
        sums[f"{dimension}_{'pos' if pole > 0 else 'neg'}"] += times
        rows += [
            Cue(entry=entry, author=user, written_on=day, dimension=dimension, pole=pole,
                phrase=phrase)
            for _ in range(times)
        ]
    Framing.objects.create(
        entry=entry, author=user, written_on=day, prompt=prompt,
        analyzer_version=ANALYZER_VERSION, words=words, **sums,
    )
    Cue.objects.bulk_create(rows)
    refresh_weeks(user.pk, [day])
    return entry


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks_back(user, n: int) -> list[date]:
    """The Mondays of the last n weeks, oldest first, ending with this week."""
    this_week = _monday(user.today())
    return [this_week - timedelta(weeks=n - 1 - i) for i in range(n)]


def _moving_writer(user, weeks=12):
    """Obligation language for the first half of the weeks, choice language after."""
    for i, monday in enumerate(_weeks_back(user, weeks)):
        early = i < weeks // 2
        _write(
            user, monday + timedelta(days=1), words=400,
            cues=[
                ("obligation_agency", -1, "had to", 6 if early else 1),
                ("obligation_agency", 1, "i chose", 1 if early else 6),
                ("action_vision", -1, "to do", 2),
                ("action_vision", 1, "the why", 2),
            ],
        )


def _steady_writer(user, weeks=12):
    for monday in _weeks_back(user, weeks):
        _write(
            user, monday + timedelta(days=2), words=400,
            cues=[("obligation_agency", -1, "had to", 3), ("obligation_agency", 1, "i chose", 3)],
        )


def _rows(pairs, dimension="obligation_agency", words=400):
    """Pooled rows per Monday from (positive, negative) pairs; None for a silent week."""
    start = date(2026, 1, 5)
    rows, starts = {}, []
    for i, pair in enumerate(pairs):
        monday = start + timedelta(weeks=i)
        starts.append(monday)
        if pair is not None:
            rows[monday] = {
                "entries": 1, "words": words,
                f"{dimension}_pos": pair[0], f"{dimension}_neg": pair[1],
            }
    return rows, starts


# ---------------------------------------------------------------------------
# Pooling, thresholds, bands and smoothing (pure, no database)
# ---------------------------------------------------------------------------


def test_it_scores_a_period_from_its_pooled_sums():
    rows, starts = _rows([(7.5, 2.25)])
    (period,) = s.build_periods("obligation_agency", rows, starts, "week")
    assert period.value == score_from_counts("obligation_agency", 7.5, 2.25, 400)
    assert period.cues == 9.75
    assert period.sufficient and period.reason is None


def test_it_withholds_a_thin_period_and_says_why():
    rows, starts = _rows([(3, 1)], words=120)
    (period,) = s.build_periods("obligation_agency", rows, starts, "week")
    assert not period.sufficient
    assert period.value is not None  # drawn faint, not hidden
    assert period.reason == "only 120 words this week; 250 needed"

    rows, starts = _rows([(1, 1)])
    (period,) = s.build_periods("obligation_agency", rows, starts, "week")
    assert period.reason == "only 2 cues this week; 3 needed"


def test_it_leaves_a_silent_period_empty():
    rows, starts = _rows([(4, 0), None, (4, 0)])
    periods = s.build_periods("obligation_agency", rows, starts, "week")
    assert periods[1].value is None and periods[1].reason == "no writing this week"
    assert periods[1].entries == 0


def test_it_smooths_over_withheld_periods_without_reading_them_as_zero():
    rows, starts = _rows([(9, 1), (1, 1), (9, 1)])
    periods = s.build_periods("obligation_agency", rows, starts, "week")
    assert not periods[1].sufficient
    assert periods[1].smoothed == periods[0].smoothed == periods[0].value
    expected = 0.4 * periods[2].value + 0.6 * periods[0].value
    assert periods[2].smoothed == pytest.approx(expected)


def test_it_draws_a_band_that_holds_the_value_and_narrows_with_more_cues():
    small = s.score_band("obligation_agency", 3, 1, 400)
    large = s.score_band("obligation_agency", 30, 10, 4000)
    for (low, high), value in ((small, score_from_counts("obligation_agency", 3, 1, 400)),
                               (large, score_from_counts("obligation_agency", 30, 10, 4000))):
        assert low <= value <= high
    assert large[1] - large[0] < small[1] - small[0]
    assert s.score_band("obligation_agency", 0, 0, 400) == (None, None)


def test_it_draws_a_rate_band_for_ripple():
    low, high = s.score_band("ripple", 3, 0, 600)
    value = score_from_counts("ripple", 3, 0, 600)
    assert 0 <= low <= value <= high <= 1
    assert s.score_band("ripple", 0, 0, 0) == (None, None)


def test_it_keeps_a_baseline_from_the_first_sufficient_weeks():
    thin = {"words": 100, "obligation_agency_pos": 5, "obligation_agency_neg": 0}
    weeks = [thin] + [
        {"words": 400, "obligation_agency_pos": 1, "obligation_agency_neg": 3}
    ] * 4 + [{"words": 400, "obligation_agency_pos": 9, "obligation_agency_neg": 0}]
    assert s.baseline_value("obligation_agency", weeks) == score_from_counts(
        "obligation_agency", 4, 12, 1600
    )
    assert s.baseline_value("obligation_agency", [thin]) is None


# ---------------------------------------------------------------------------
# Change statements and top movers
# ---------------------------------------------------------------------------


def _periods(pairs):
    rows, starts = _rows(pairs)
    return s.build_periods("obligation_agency", rows, starts, "week")


def test_it_states_a_change_only_when_it_beats_the_noise():
    today = date(2026, 4, 30)
    moved = _periods([(1, 6)] * 6 + [(6, 1)] * 6)
    before, after = s.windows(moved, today)
    change = s.detect("obligation_agency", before, after)
    assert change is not None and change.direction == 1

    # The same swing on a handful of cues is within noise.
    few = _periods([(1, 2)] * 3 + [(2, 1)] * 3)
    before, after = s.windows(few, today)
    assert s.detect("obligation_agency", before, after) is None

    # Steady mixed writing never fires.
    steady = _periods([(3, 3), (4, 2), (2, 4)] * 4)
    before, after = s.windows(steady, today)
    assert s.detect("obligation_agency", before, after) is None
    dimension = s.DIMENSION_INFO["obligation_agency"]
    assert s.statement(dimension, None, before, after).startswith("No change beyond noise since")


def test_light_cues_that_lean_one_way_week_after_week_are_a_change():
    """Growth language weighs little: no week fills a point of its own (three cues' weight),
    so pooled intervals stay wide. Read week by week, eight weeks leaning fixed and then
    eight leaning towards growth are a change (stats.detect_mean_change); eight weeks that
    swing both ways are not."""
    today = date(2026, 6, 30)
    light = [(0.1, 0.5), (0.2, 0.6), (0.1, 0.4), (0.15, 0.5)] * 2 + [None] * 8 + [
        (0.5, 0.1), (0.6, 0.2), (0.45, 0.1), (0.5, 0.15)] * 2
    rows, starts = _rows(light, "fixed_growth")
    periods = s.build_periods("fixed_growth", rows, starts, "week")
    assert not any(p.sufficient for p in periods)
    before, after = s.windows(periods, today)
    assert s.proportion_change(
        (before.positive, before.negative), (after.positive, after.negative)
    ) is None  # the pooled test alone would say nothing
    change = s.detect("fixed_growth", before, after)
    assert change is not None and change.direction == 1

    swinging = [(0.5, 0.1), (0.1, 0.5)] * 4 + [None] * 8 + [(0.1, 0.5), (0.5, 0.1)] * 4
    rows, starts = _rows(swinging, "fixed_growth")
    before, after = s.windows(s.build_periods("fixed_growth", rows, starts, "week"), today)
    assert s.detect("fixed_growth", before, after) is None
    # Fewer than four weeks with cues on a side: not compared at all.
    rows, starts = _rows(light[:3] + [None] * 13 + light[-3:], "fixed_growth")
    assert s.windows(s.build_periods("fixed_growth", rows, starts, "week"), today) is None


def test_it_needs_three_sufficient_periods_to_compare():
    assert s.windows(_periods([(6, 1), (6, 1)]), date(2026, 4, 30)) is None
    dimension = s.DIMENSION_INFO["obligation_agency"]
    assert "Not enough writing" in s.statement(dimension, None, None, None)


def test_it_names_the_phrases_that_moved():
    before = s.Window(date(2026, 3, 1), date(2026, 3, 31), 3, 16, 2000, "March")
    after = s.Window(date(2026, 5, 1), date(2026, 5, 31), 9, 3, 2000, "May")
    change = Change(1, -0.7, 0.5, (-0.9, -0.4), (0.2, 0.8), 0.95)
    counts = {
        (0, "had to", -1): 14, (1, "had to", -1): 3,
        (0, "i chose", 1): 1, (1, "i chose", 1): 9,
        (0, "must", -1): 2, (1, "must", -1): 2,
        (1, "they made me", -1): 4,  # grew, but pushes the other way
    }
    movers = s.movers_for(change, before, after, counts)
    assert [m.phrase for m in movers] == ["had to", "i chose"]
    text = s.statement(s.DIMENSION_INFO["obligation_agency"], change, before, after, movers)
    assert text == (
        "More choice language since March. 'had to': 14 times in March, 3 times in May; "
        "'i chose': once in March, 9 times in May."
    )


# ---------------------------------------------------------------------------
# Weeks, months, ranges and names
# ---------------------------------------------------------------------------


def test_it_buckets_weeks_and_months_across_the_year_end():
    assert s.period_start(date(2025, 12, 31), "week") == date(2025, 12, 29)
    assert s.period_start(date(2026, 1, 4), "week") == date(2025, 12, 29)  # Sunday
    assert s.period_start(date(2026, 1, 5), "week") == date(2026, 1, 5)
    assert s.period_start(date(2025, 12, 31), "month") == date(2025, 12, 1)
    assert s.next_period(date(2025, 12, 1), "month") == date(2026, 1, 1)
    assert s.period_end(date(2024, 2, 1), "month") == date(2024, 2, 29)
    assert s.period_starts(date(2025, 12, 20), date(2026, 1, 10), "week") == [
        date(2025, 12, 15), date(2025, 12, 22), date(2025, 12, 29), date(2026, 1, 5)
    ]


def test_it_ends_every_range_with_the_persons_current_period():
    today = date(2026, 1, 1)
    expected = (date(2025, 10, 1), date(2026, 1, 31), False)
    assert s.range_bounds("3m", "month", today, None) == expected
    first, last, clipped = s.range_bounds("1y", "week", today, None)
    assert (first.weekday(), last, clipped) == (0, date(2026, 1, 4), False)
    assert s.range_bounds("all", "month", today, date(2015, 6, 9))[0] == date(2015, 6, 1)
    first, _, clipped = s.range_bounds("all", "week", today, date(2015, 6, 9))
    assert clipped and len(s.period_starts(first, today, "week")) == s.MAX_WEEKS


def test_it_names_stretches_in_plain_words():
    today = date(2026, 6, 1)
    assert s.span_name(date(2026, 3, 2), date(2026, 3, 29), today) == "March"
    assert s.span_name(date(2026, 3, 1), date(2026, 4, 30), today) == "March–April"
    assert s.span_name(date(2026, 2, 23), date(2026, 3, 22), today) == "23 February–22 March"
    assert s.span_name(date(2025, 3, 1), date(2025, 3, 31), today) == "March 2025"
    assert s.span_name(date(2025, 12, 1), date(2026, 1, 31), today) == "December 2025–January 2026"


def test_it_keeps_csv_cells_from_running_as_formulas():
    assert s.csv_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert s.csv_cell("+1") == "'+1"
    assert s.csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert s.csv_cell(-0.42) == -0.42  # numbers stay numbers
    assert s.csv_cell("only 120 words this week") == "only 120 words this week"


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------


def test_it_tells_a_new_person_what_to_do(alice, alice_client):
    for day in range(3):
        _write(alice, alice.today() - timedelta(days=day), words=40)

    response = alice_client.get("/trends/")

    assert response.status_code == 200
    assert Entry.objects.filter(author=alice).count() == 3
    assert b"Trends appear after about two weeks of writing; you have 3 entries" in response.content
    assert b"<svg" not in response.content.split(b'id="charts"')[1]


def test_it_draws_a_chart_per_dimension_with_its_numbers(alice, alice_client):
    _moving_writer(alice)

    response = alice_client.get("/trends/?unit=week&range=3m")

    assert response.status_code == 200
    assert Framing.objects.filter(entry__author=alice).count() == 12
    html = response.content.decode()
    assert html.count('role="img" tabindex="0"') == len(DIMENSIONS)  # one stop per chart
    assert 'aria-labelledby="trend-obligation_agency-title trend-obligation_agency-desc"' in html
    assert '<h2 id="feelings-heading">Feelings</h2>' in html
    assert 'class="band"' in html and 'class="line"' in html and 'class="baseline"' in html
    assert 'class="dots"' in html
    # The poles are named on the axis, in the registry's words, not as numbers.
    assert "▲ choice</text>" in html and "▼ obligation</text>" in html
    assert "▲ ripple</text>" in html and "▼ none</text>" in html
    # No link inside a chart (one Tab stop per chart, not per dot): the table has them.
    for svg in html.split("<svg")[1:]:
        assert "<a " not in svg.split("</svg>")[0]
    numbers = "/trends/numbers/?unit=week&amp;range=3m&amp;dimension=obligation_agency"
    assert f'href="{numbers}"' in html and f'hx-get="{numbers}"' in html
    assert 'style="' not in html and "<script>" not in html

    table = alice_client.get(numbers.replace("&amp;", "&")).content.decode()
    week = _weeks_back(alice, 12)[-1]
    assert f'href="/trends/week/{week}/?dimension=obligation_agency&amp;range=3m"' in table
    assert table.count("<tr") == 1 + len(
        s.period_starts(*s.range_bounds("3m", "week", alice.today(), None)[:2], "week")
    )
    assert '<a href="/trends/numbers/?unit=week&amp;range=3m&amp;dimension=obligation_agency"' \
        ' aria-current="page">' in table


def test_it_loads_a_charts_table_alone_for_htmx_and_404s_an_unknown_dimension(
    alice, alice_client
):
    _moving_writer(alice)

    response = alice_client.get(
        "/trends/numbers/?unit=month&range=1y&dimension=tone", headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div class="table-wrap numbers-table"')
    assert "<html" not in html and "Feelings month" not in html
    assert '<th scope="col">Month</th>' in html
    missing = alice_client.get("/trends/numbers/?unit=week&range=3m&dimension=nope")
    assert missing.status_code == 404


def test_it_says_what_moved_and_which_phrases(alice, alice_client):
    _moving_writer(alice)

    response = alice_client.get("/trends/?unit=week&range=3m")

    html = response.content.decode()
    assert 'class="statement changed">More choice language since' in html
    movers = html.split('<ul class="movers small">')[1].split("</ul>")[0]
    assert "<li>&#x27;had to&#x27;: 24 → 4 times</li>" in movers
    assert "<li>&#x27;i chose&#x27;: 4 → 24 times</li>" in movers
    assert '<p class="headline" id="trends-headline">Over the past three months you used more' \
        " choice language; your feelings" not in html  # no tone cues: feelings are not compared
    assert '<p class="headline" id="trends-headline">Over the past three months you used more' \
        " choice language.</p>" in html


def test_it_says_when_nothing_changed_beyond_noise(alice, alice_client):
    _steady_writer(alice)

    response = alice_client.get("/trends/?unit=week&range=3m")

    assert b"No change beyond noise since" in response.content
    assert b"statement changed" not in response.content
    assert b'id="trends-headline">Over the past three months the way you frame your leadership' \
        b" held steady.</p>" in response.content


def test_it_withholds_thin_weeks_with_the_reason_in_the_table(alice, alice_client):
    _steady_writer(alice, weeks=4)
    _write(alice, _monday(alice.today()) - timedelta(weeks=6), words=90,
           cues=[("obligation_agency", 1, "i chose", 1)])

    page = alice_client.get("/trends/?unit=week&range=3m").content.decode()
    table = alice_client.get(
        "/trends/numbers/?unit=week&range=3m&dimension=obligation_agency"
    ).content.decode()

    assert 'class="dots faint"' in page
    assert "withheld: only 90 words and 1 cue this week" in table


def test_it_swaps_only_the_charts_region_for_htmx(alice, alice_client):
    _moving_writer(alice)

    response = alice_client.get("/trends/?unit=month&range=1y", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert Entry.objects.filter(author=alice).count() == 12
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="charts" class="trends">')
    assert "<html" not in html and "<h1>" not in html
    assert 'data-unit="month" aria-current="true"' in html
    assert 'id="unit-week"' in html  # the same ids after the swap: htmx gives focus back
    assert 'hx-get="/trends/?unit=week&amp;range=1y"' in html
    assert 'href="/trends/?unit=week&amp;range=1y"' in html  # works without JavaScript too

    full = alice_client.get("/trends/?unit=month&range=1y")
    assert b"<html" in full.content and b'<div id="charts" class="trends">' in full.content


def test_it_buckets_by_the_day_written_about_not_the_day_saved(alice, alice_client):
    # Back-dated at the turn of the year: 31 December and 1 January share a week.
    for day in (date(2025, 12, 31), date(2026, 1, 1)):
        _write(alice, day, words=200, cues=[("obligation_agency", 1, "i chose", 2)],
               created_at=timezone.now())

    response = alice_client.get("/trends/trends.csv?unit=week&range=all")

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    week = [r for r in rows if (r["dimension"], r["period"]) == ("obligation_agency", "2025-12-29")]
    assert week[0]["words"] == "400" and week[0]["cues"] == "4.0"
    months = list(csv.DictReader(io.StringIO(
        alice_client.get("/trends/trends.csv?unit=month&range=all").content.decode()
    )))
    by_month = {r["period"]: r for r in months if r["dimension"] == "obligation_agency"}
    assert by_month["2025-12-01"]["words"] == "200" and by_month["2026-01-01"]["words"] == "200"


def test_it_ends_the_chart_with_the_persons_own_today(charlie, charlie_client, monkeypatch):
    # 16:30 UTC on 31 December is already 1 January in Tokyo, where Charlie lives.
    monkeypatch.setattr(
        timezone, "now", lambda: datetime(2025, 12, 31, 16, 30, tzinfo=UTC)
    )
    _write(charlie, date(2026, 1, 1), words=300, cues=[("obligation_agency", 1, "i chose", 3)])

    response = charlie_client.get("/trends/trends.csv?unit=month&range=3m")

    rows = [r for r in csv.DictReader(io.StringIO(response.content.decode()))
            if r["dimension"] == "obligation_agency"]
    assert rows[-1]["period"] == "2026-01-01" and rows[-1]["sufficient"] == "yes"


def test_it_downloads_the_series_as_csv(alice, alice_client):
    _moving_writer(alice)

    response = alice_client.get("/trends/trends.csv?unit=week&range=3m")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "reflect-trends-week-3m.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == list(s.CSV_HEADER)
    periods = len(s.period_starts(*s.range_bounds("3m", "week", alice.today(), None)[:2], "week"))
    assert len(rows) == 1 + periods * len(DIMENSIONS)
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_it_compares_answers_to_the_same_prompt_then_and_now(alice, alice_client):
    prompt = Prompt.objects.create(text="Did I show up as a leader today?")
    early, late = _weeks_back(alice, 12)[0], _weeks_back(alice, 12)[-1]
    _write(alice, early, prompt=prompt, cues=[("obligation_agency", -1, "had to", 12)])
    _write(alice, late, prompt=prompt, cues=[("obligation_agency", 1, "i chose", 12)])
    _moving_writer(alice)

    response = alice_client.get("/trends/?unit=week&range=3m")

    html = response.content.decode()
    section = html.split('id="prompts-heading"')[1]
    assert "Did I show up as a leader today?" in section
    then = score_from_counts("obligation_agency", 0, 12, 300)
    now = score_from_counts("obligation_agency", 12, 0, 300)
    assert f"Obligation and choice: {then:.2f} then, {now:.2f} now, more choice language" in section


def test_it_shows_the_entries_and_phrases_behind_a_point(alice, alice_client):
    day = _monday(alice.today())
    entry = Entry.objects.create(
        author=alice, written_on=day,
        body="I had to rewrite the plan again, nothing new. Then I chose to ask the team what "
             "if we split it.",
    )
    store_analysis(entry)

    response = alice_client.get(
        f"/trends/week/{day.isoformat()}/?dimension=obligation_agency&range=3m"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/entries/{entry.pk}/"' in html
    assert '<mark class="cue pole-neg dim-obligation_agency"' in html
    assert ">had to</mark>" in html
    assert "dim-ripple" not in html  # only this dimension's phrases are marked
    # Words the learned layer alone weighs on this scale count, but, as on the entry page, only
    # a rule's phrase is marked.
    only_learned = {
        entry.body[e["start"] : e["end"]]
        for e in entry.framing.evidence
        if e["dimension"] == "obligation_agency" and e["rule"].startswith(learned.RULE)
    } - {
        entry.body[e["start"] : e["end"]]
        for e in entry.framing.evidence
        if not e["rule"].startswith(learned.RULE)
    }
    assert only_learned
    for phrase in only_learned:
        assert f">{phrase}</mark>" not in html and f">{phrase}<" not in html
    assert 'href="/trends/?unit=week&amp;range=3m"' in html


def test_it_leaves_out_drafts_and_trashed_entries(alice, alice_client):
    from reflect.journal.models import create_entry

    _steady_writer(alice, weeks=4)
    day = _monday(alice.today())
    ripple = "How might we share the rota? What if we asked the other ward? " * 40
    create_entry(author=alice, body=ripple, written_on=day, prompt=None, draft=True)
    trashed = create_entry(author=alice, body=ripple, written_on=day, prompt=None, draft=False)
    before = alice_client.get("/trends/trends.csv?unit=week&range=3m").content.decode()
    assert "how might we" in alice_client.get(
        f"/trends/week/{day.isoformat()}/?dimension=ripple"
    ).content.decode().lower()
    alice_client.post(reverse("entry_delete", args=[trashed.pk]))

    page = alice_client.get("/trends/trends.csv?unit=week&range=3m").content.decode()
    drill = alice_client.get(f"/trends/week/{day.isoformat()}/?dimension=ripple").content.decode()

    assert page != before  # the trashed entry counted while it was live
    assert ",ripple," in page
    assert "how might we" not in drill.lower() and "what if" not in drill.lower()
    assert not WeeklyFraming.objects.filter(author=alice, words__gt=5000).exists()


def test_it_rejects_a_period_that_does_not_exist(alice_client):
    assert alice_client.get("/trends/year/2026-01-01/").status_code == 404
    assert alice_client.get("/trends/week/2026-13-01/").status_code == 404


def test_it_never_lets_another_persons_writing_into_a_chart(
    alice, alice_client, charlie, charlie_client
):
    _steady_writer(alice)
    day = _monday(alice.today())
    secret = "Charlie's secret plan: how might we move the whole night shift"
    for i in range(12):
        _write(charlie, day - timedelta(weeks=i), words=9999, body=secret,
               cues=[("ripple", 1, "how might we", 50), ("tone", -1, "furious", 50)])
    alice_entry = _write(alice, day, words=300, body="Alice's own words",
                         cues=[("obligation_agency", 1, "i chose", 3)])

    page = alice_client.get("/trends/?unit=week&range=all").content.decode()
    table = alice_client.get("/trends/trends.csv?unit=week&range=all").content.decode()
    drill = alice_client.get(f"/trends/week/{day.isoformat()}/?dimension=ripple").content.decode()

    assert "9999" not in page and "9,999" not in page and "furious" not in page
    rows = list(csv.DictReader(io.StringIO(table)))
    assert all(r["cues"] == "0.0" for r in rows if r["dimension"] in ("ripple", "tone"))
    assert all(int(r["words"]) < 9999 for r in rows)
    assert "secret" not in drill and "how might we" not in drill
    assert "Alice&#x27;s own words" in drill
    # Charlie opening Alice's week sees only his own entries, never hers.
    theirs = charlie_client.get(f"/trends/week/{day.isoformat()}/").content.decode()
    assert "Alice" not in theirs and f"/entries/{alice_entry.pk}/" not in theirs
    assert charlie_client.get(f"/entries/{alice_entry.pk}/").status_code == 404


def test_it_asks_anonymous_visitors_to_log_in(client):
    for url in ("/trends/", "/trends/trends.csv", "/trends/week/2026-01-05/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_it_works_the_same_on_this_database(alice, alice_client):
    """Runs on SQLite by default and on PostgreSQL with DATABASE_URL: one series, both ways."""
    _moving_writer(alice)
    for unit in ("week", "month"):
        for range_key in ("3m", "1y", "all"):
            response = alice_client.get(f"/trends/?unit={unit}&range={range_key}")
            assert response.status_code == 200, (unit, range_key)
    rows = list(csv.DictReader(io.StringIO(
        alice_client.get("/trends/trends.csv?unit=week&range=3m").content.decode()
    )))
    shown = [r for r in rows if r["dimension"] == "obligation_agency" and r["sufficient"] == "yes"]
    assert len(shown) == 12
    assert float(shown[0]["value"]) == score_from_counts("obligation_agency", 1, 6, 400)


# ---------------------------------------------------------------------------
# The home page card
# ---------------------------------------------------------------------------


def _render_sparkline(user):
    request = RequestFactory().get("/home/")
    request.user = user
    return Template("{% load trends %}{% trends_sparkline %}").render(
        Context({"request": request, "user": user})
    )


def test_it_shows_a_sparkline_of_the_last_weeks_in_one_query(
    alice, django_assert_max_num_queries
):
    _moving_writer(alice)
    with django_assert_max_num_queries(1):  # the person's weekly totals
        html = _render_sparkline(alice)
    assert 'class="sparkline"' in html
    assert 'aria-label="Obligation and choice, smoothed, last 8 weeks:' in html
    assert 'href="/trends/"' in html


def test_it_redraws_the_sparkline_when_the_weeks_change(alice, bob):
    _moving_writer(alice, weeks=3)
    before = _render_sparkline(alice)
    _write(
        alice, alice.today(), words=400,
        cues=[("obligation_agency", 1, "i chose", 9), ("action_vision", 1, "the why", 4)],
    )
    after = _render_sparkline(alice)
    assert after != before  # the card kept in this process is keyed by the weeks' totals
    _moving_writer(bob, weeks=3)
    assert _render_sparkline(bob) == before  # the same weeks draw the same card


def test_it_draws_the_kept_sparkline_as_it_would_draw_it_anew(alice):
    from reflect.trends.templatetags import trends

    _moving_writer(alice)
    kept = _render_sparkline(alice)
    trends._sparkline.cache_clear()
    assert _render_sparkline(alice) == kept
    set_script_prefix("/sub/")  # as a site served under /sub/ has it
    try:
        assert 'href="/sub/trends/"' in _render_sparkline(alice)
    finally:
        set_script_prefix("/")
    assert _render_sparkline(alice) == kept
    with override_settings(USE_THOUSAND_SEPARATOR=True):  # any setting: drawn anew
        assert trends._sparkline.cache_info().currsize == 0


def test_it_shows_a_gentle_prompt_instead_of_an_empty_sparkline(alice, alice_client):
    _write(alice, alice.today(), words=50)

    response = alice_client.get("/home/")

    assert response.status_code == 200
    assert b"You wrote 1 entry in the last 8 weeks" in response.content
    assert b'class="sparkline"' not in response.content


# ---------------------------------------------------------------------------
# Ten years of daily writing
# ---------------------------------------------------------------------------


def _ten_years(user, days=3650):
    """3,650 daily entries with their analyses, analysing each distinct text once."""
    texts = [
        "I had to redo the rota because they made me. No choice, again. Tired.",
        "I chose to ask the team what if we tried it differently. We decided together.",
        "How might we help the new starters? Next time I'll invite Sam to lead. Proud.",
    ]
    filler = " The weather was grey and the train was late, so I read on the way in." * 3
    texts = [text + filler for text in texts]  # about 65 words a day
    analyses = [analyze(text) for text in texts]
    today = user.today()
    prompt = Prompt.objects.create(text="What did you choose today?")
    entries = Entry.objects.bulk_create(
        Entry(author=user, body=texts[i * 3 // days], written_on=today - timedelta(days=i),
              word_count=count_words(texts[i * 3 // days]), prompt=prompt if i % 7 == 0 else None)
        for i in range(days)
    )
    framings, cues = [], []
    for i, entry in enumerate(entries):
        result = analyses[i * 3 // days]
        sums = {}
        for dim in DIMENSIONS:
            sums[f"{dim}_pos"] = result.dimensions[dim].positive
            sums[f"{dim}_neg"] = result.dimensions[dim].negative
        framings.append(Framing(entry=entry, author=user, written_on=entry.written_on,
                                prompt_id=entry.prompt_id, analyzer_version=ANALYZER_VERSION,
                                words=result.word_count, **sums))
        cues += [
            Cue(entry=entry, author=user, written_on=entry.written_on, dimension=e.dimension,
                pole=e.pole, phrase=e.text.lower())
            for e in result.evidence
        ]
    Framing.objects.bulk_create(framings, batch_size=1000)
    Cue.objects.bulk_create(cues, batch_size=2000)
    rebuild_weekly_totals([user.pk])


def test_it_serves_ten_years_of_daily_entries_in_ten_queries(alice, alice_client):
    _ten_years(alice)
    alice_client.get("/home/")  # a session's first request records the session (not trends')

    for unit, range_key in (("week", "all"), ("month", "all"), ("week", "1y"), ("month", "1y")):
        with max_queries(10):
            response = alice_client.get(f"/trends/?unit={unit}&range={range_key}")
        assert response.status_code == 200
        assert response.content.count(b'role="img"') == len(DIMENSIONS)
        if (unit, range_key) == ("month", "all"):
            assert b"statement changed" in response.content  # the writing moved; it says so
    assert Entry.objects.filter(author=alice).count() == 3650
    assert b"By week, charts show the last three years." in alice_client.get(
        "/trends/?unit=week&range=all"
    ).content


def test_ripple_is_told_a_change_its_weeks_show_at_98_percent():
    """Ripple's weekly rates are skewed (most weeks none or one cue): its period test is at
    98 % (series.RIPPLE_PERIOD_CHANGE_LEVEL), where the bipolar scales keep 99 %. Eight weeks
    a side whose means' 98 % intervals are apart but whose 99 % ones touch: a rise for
    ripple; the same readings as scores on a bipolar scale stay unchanged."""
    before_rates = (1.0, 2.0, 1.5, 2.5, 1.0, 2.0, 1.5, 2.5)
    after_rates = tuple(r + 1.3 for r in before_rates)

    def window(rates):  # too little weight pooled for the pooled test to tell anything
        return s.Window(first=date(2026, 1, 5), last=date(2026, 3, 1), positive=0.4,
                        negative=0.0, words=2000.0, name="", scores=tuple(r / 4 for r in rates),
                        rates=rates)

    change = s.detect("ripple", window(before_rates), window(after_rates))
    assert change is not None and change.direction == 1
    assert s.detect("fixed_growth", window(before_rates), window(after_rates)) is None


def test_the_bipolar_scales_pooled_test_counts_their_light_cue_weights_in_their_unit():
    """The bipolar scales' cues weigh 0.03-0.08 each: their pooled test counts the weekly sums
    in units of five times the cues' mean squared weight over their mean weight
    (series.POOLED_UNIT, 0.23-0.49), as ripple's does. 18 cues for and 9 against before, 9 and
    18 after, each cue weighing one unit, with too few weeks read one by one for the period
    test: a turn the chart states, which the summed weights read as counts of cues (at most
    10.8 against 5.4) would leave within the noise; 18:12 against 12:18 stays noise."""
    def window(positive, negative):
        return s.Window(first=date(2026, 1, 5), last=date(2026, 3, 1), positive=positive,
                        negative=negative, words=3000.0, name="", scores=(0.3,), rates=(1.0,))

    bipolar = [d for d in s.DIMENSION_INFO if d != "ripple"]
    assert len(bipolar) == 6
    for dimension in bipolar:
        u = s.POOLED_UNIT[dimension]
        assert 0.2 < u < 0.65
        change = s.detect(dimension, window(18 * u, 9 * u), window(9 * u, 18 * u))
        assert change is not None and change.direction == -1, dimension
        assert change.before_score == pytest.approx(1 / 3)
        assert s.detect(dimension, window(18 * u, 12 * u), window(12 * u, 18 * u)) is None
        assert s.detect_change((18 * u, 9 * u), (9 * u, 18 * u), s.CHANGE_LEVEL,
                               s.MIN_EFFECT) is None  # the weights read as counts


def test_ripples_pooled_test_counts_its_light_cue_weights_in_its_unit():
    """Ripple's cues weigh about 0.05 each, so its weekly sums of weights are far fewer than
    its cues: the pooled test counts them in units of about a third (series.POOLED_UNIT).
    3 of weight in 3,000 words before and 7 after, with too few weeks read one by one for the
    period test: a rise, which weights read as counts (3 against 7 cues) would leave within
    the noise."""
    def window(weight):
        return s.Window(first=date(2026, 1, 5), last=date(2026, 3, 1), positive=weight,
                        negative=0.0, words=3000.0, name="", rates=(1.0,))

    change = s.detect("ripple", window(3.0), window(7.0))
    assert change is not None and change.direction == 1
    assert change.before_score == pytest.approx(1.0)  # per 1,000 words, as shown
    assert change.after_score == pytest.approx(7 / 3)
    assert s.detect("ripple", window(3.0), window(3.9)) is None  # 30 % more: noise
