"""Trends a person reads at a glance: the page's headline, the default view, the movers list,
labels that never collide, and the notice while an analyzer upgrade re-reads the past."""

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

import reflect.framing
from reflect.framing.models import store_analysis
from reflect.journal.models import Entry
from reflect.lib.stats import Change, Mover, mover_counts
from reflect.trends import series as s
from reflect.trends import views
from tests.test_trends import (
    _moving_writer,
    _steady_writer,
    _weeks_back,
    _write,
    max_queries,
)

REG = s.DIMENSION_INFO


def _change(direction: int) -> Change:
    return Change(direction, 0.0, 0.5 * direction, (-0.1, 0.1), (0.4, 0.6), 0.95)


# ---------------------------------------------------------------------------
# The headline (pure)
# ---------------------------------------------------------------------------


def test_it_sums_up_the_page_in_one_sentence_from_the_charts_changes():
    compared = [
        (REG["action_vision"], None),
        (REG["obligation_agency"], _change(1)),
        (REG["self_collective"], _change(1)),
        (REG["tone"], None),
    ]

    headline = s.page_headline("Over the past year", compared)

    assert headline == (
        "Over the past year you used more choice and team language; your feelings held steady."
    )


def test_it_names_the_low_pole_and_less_of_a_one_sided_dimension():
    compared = [
        (REG["obligation_agency"], _change(-1)),
        (REG["ripple"], _change(-1)),
        (REG["tone"], _change(-1)),
    ]

    headline = s.page_headline("Since March 2025", compared)

    assert headline == (
        "Since March 2025 you used more obligation language and less ripple language; "
        "your words sounded more drained."
    )


def test_it_says_a_steady_writer_held_steady_without_a_change_headline():
    steady = [(REG[key], None) for key in s.DIMENSION_INFO]

    headline = s.page_headline("Over the past three months", steady)

    assert headline == (
        "Over the past three months the way you frame your leadership held steady, "
        "and so did your feelings."
    )
    assert "more" not in headline and "less" not in headline


def test_it_says_when_nothing_can_be_compared_yet():
    assert s.page_headline("Over the past year", []) == (
        "Not enough writing in this range yet to compare its start with now."
    )
    assert s.range_opening("all", date(2025, 3, 3)) == "Since March 2025"
    assert s.range_opening("1y", date(2025, 3, 3)) == "Over the past year"


def test_it_lists_a_mover_as_counts_before_and_after():
    equal = Mover("had to", 28, 9, 5000, 5000)
    unequal = Mover("i chose", 2, 9, 1000, 6000)

    assert mover_counts(equal) == "'had to': 28 → 9 times"
    assert mover_counts(Mover("had to", 3, 1, 500, 500)) == "'had to': 3 → 1 time"
    # Six times the writing: the counts alone would overstate the rise, so rates follow.
    assert mover_counts(unequal) == "'i chose': 2 → 9 times (2.0 → 1.5 per 1,000 words)"


# ---------------------------------------------------------------------------
# The default view (pure)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "entries", "expected"),
    [
        (None, 0, ("week", "3m")),  # nothing written: the new person's page
        (20, 15, ("week", "3m")),
        (150, 140, ("week", "all")),  # five months of writing: all of it by week
        (150, 12, ("month", "all")),  # sparse: weeks would be too thin to show
        (364, 300, ("week", "1y")),  # a year of writing shows its year
        (700, 600, ("week", "1y")),
        (3650, 3650, ("month", "all")),  # ten years: everything, by month
    ],
)
def test_it_chooses_the_first_view_from_how_much_was_written(days, entries, expected):
    today = date(2026, 12, 6)
    first = None if days is None else today - timedelta(days=days)

    assert s.default_view(entries, first, today) == expected


def test_it_opens_a_year_of_writing_on_its_year_and_marks_the_choice_current(
    alice, alice_client
):
    for monday in _weeks_back(alice, 52):
        _write(alice, monday, words=400, cues=[("obligation_agency", 1, "i chose", 3)])
        _write(alice, monday + timedelta(days=1), words=400,
               cues=[("obligation_agency", -1, "had to", 3)])

    html = alice_client.get("/trends/").content.decode()

    assert Entry.objects.filter(author=alice).count() == 104
    assert 'id="unit-week" href="/trends/?unit=week&amp;range=1y"' in html
    assert 'data-unit="week" aria-current="true"' in html
    assert 'data-range="1y" aria-current="true"' in html
    assert html.count('aria-current="true"') == 2
    assert 'id="trends-headline">Over the past year' in html
    # An explicit choice still wins, and only the missing half comes from the default.
    month = alice_client.get("/trends/?unit=month").content.decode()
    assert 'data-unit="month" aria-current="true"' in month
    assert 'data-range="1y" aria-current="true"' in month


# ---------------------------------------------------------------------------
# The demo person's year
# ---------------------------------------------------------------------------


def test_it_pins_the_headline_of_the_demo_persons_year(db, client):
    call_command("seed_demo", stdout=io.StringIO())
    demo = get_user_model().objects.get(email="demo@reflect.local")
    client.force_login(demo)

    html = client.get("/trends/").content.decode()

    assert 'data-range="1y" aria-current="true"' in html  # a year of writing shows its year
    headline = html.split('id="trends-headline">')[1].split("</p>")[0]
    assert headline == (
        "Over the past year you used more vision, self-leadership, team, choice, ripple and "
        "growth language; your words sounded more energised."
    )


# ---------------------------------------------------------------------------
# Labels that never collide (geometry, every unit and range)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("unit", list(s.UNITS))
@pytest.mark.parametrize("range_key", list(s.RANGES))
@pytest.mark.parametrize("today", [date(2026, 12, 6), date(2027, 1, 4), date(2026, 6, 30)])
def test_it_never_lets_axis_labels_touch_or_leave_the_chart(unit, range_key, today):
    first, last, _ = s.range_bounds(range_key, unit, today, today - timedelta(days=3650))
    periods = s.build_periods("obligation_agency", {}, s.period_starts(first, last, unit), unit)

    chart = views._chart(REG["obligation_agency"], periods, None)  # as the page draws it

    extents = [tick.extent(views.CHAR_WIDTH) for tick in chart.x_ticks]
    assert len(extents) >= 2
    assert chart.x_ticks[-1].label == periods[-1].label  # the latest period is always named
    for (_, end), (start, _) in zip(extents, extents[1:], strict=False):
        assert end + views.CHAR_WIDTH <= start  # at least a letter's gap between labels
    assert extents[0][0] >= 0 and extents[-1][1] <= views.CHART_WIDTH
    # The poles sit above and below the plot, clear of the x labels' row.
    high, low = chart.pole_ticks
    assert high.y < chart.plot_top and chart.plot_bottom < low.y
    assert low.y + views.LABEL_SIZE * 0.3 < views.CHART_HEIGHT - 6 - views.LABEL_SIZE * 0.8


# ---------------------------------------------------------------------------
# An analyzer upgrade re-reading the past
# ---------------------------------------------------------------------------


def test_it_says_while_entries_are_re_read_by_a_new_analyzer(alice, alice_client, monkeypatch):
    _moving_writer(alice)
    entries = list(Entry.objects.filter(author=alice).order_by("pk"))
    assert b"Re-reading" not in alice_client.get("/trends/").content  # all current

    monkeypatch.setattr(reflect.framing, "ANALYZER_VERSION", "2099.1.1")
    before = alice_client.get("/trends/").content.decode()
    for entry in entries[:5]:  # a batch of the re-analysis has run
        store_analysis(entry)
    during = alice_client.get("/trends/").content.decode()
    for entry in entries[5:]:
        store_analysis(entry)
    after = alice_client.get("/trends/").content.decode()

    assert (
        '<p class="notice" role="status">Re-reading 12 of 12 entries with the new analyzer; '
        "figures will update.</p>" in before
    )
    assert "Re-reading 7 of 12 entries" in during
    assert "Re-reading" not in after


def test_it_keeps_its_query_budget_on_a_cache_miss_and_needs_four_on_a_hit(
    alice, alice_client
):
    _moving_writer(alice)  # a change, so the phrases behind it are fetched too
    alice_client.get("/home/")  # a session's first request records the session

    with max_queries(10):
        first = alice_client.get("/trends/?unit=week&range=3m")
    with max_queries(4):  # session, user, summary, cache
        again = alice_client.get("/trends/?unit=week&range=3m")
    with max_queries(4):
        swapped = alice_client.get("/trends/?unit=week&range=3m", headers={"HX-Request": "true"})

    def region(response) -> str:
        html = response.content.decode()
        return html[html.index('<div id="charts"'):].split("\n</main>")[0].split("  </main>")[0]

    assert b"statement changed" in first.content
    assert region(again) == region(first)  # the same charts, from the shared cache
    assert swapped.content.decode().strip() == region(first).strip()


def test_it_never_shows_charts_older_than_the_latest_analysis(alice, alice_client):
    from reflect.journal.models import create_entry

    _steady_writer(alice)
    url = "/trends/?unit=week&range=3m"
    steady = alice_client.get(url).content.decode()
    this_week = _weeks_back(alice, 1)[0]

    entry = create_entry(
        author=alice, body="Furious and drained. " * 60 + "I had to, no choice. " * 30,
        written_on=this_week, prompt=None, draft=False,
    )
    saved = alice_client.get(url).content.decode()
    entry.refresh_from_db()
    entry.body = "Proud and glad. " * 60
    entry.save()
    store_analysis(entry)
    edited = alice_client.get(url).content.decode()
    alice_client.post(f"/entries/{entry.pk}/delete/")
    trashed = alice_client.get(url).content.decode()

    assert steady != saved and saved != edited
    tone = "<title id=\"trend-tone-title\">"
    assert saved.count(tone) == 1
    # The saved entry's heavy feeling and its edit's light one reach the chart each time.
    assert saved.split('id="trend-tone"')[1] != edited.split('id="trend-tone"')[1]
    assert trashed.split('id="trend-tone"')[1] == steady.split('id="trend-tone"')[1]


# ---------------------------------------------------------------------------
# Filter by tag ("how do I frame my leadership in #one-to-ones?")
# ---------------------------------------------------------------------------


def _tagged_writer(user):
    """Choice language growing in #one-to-ones entries; the rest steady, and so much more of
    it that all the writing together moves by under the smallest change a chart states
    (series.MIN_EFFECT: -0.04 to +0.04; with 30 of each in the untagged entries it moved from
    -0.07 to +0.07, a change the pooled test tells since it counts light cue weights in their
    own unit, series.POOLED_UNIT)."""
    from reflect.journal.models import EntryTag

    weeks = _weeks_back(user, 12)
    for i, monday in enumerate(weeks):
        early = i < 6
        tagged = _write(user, monday, words=400, cues=[
            ("obligation_agency", -1, "had to", 6 if early else 1),
            ("obligation_agency", 1, "i chose", 1 if early else 6),
        ])
        EntryTag.objects.create(entry=tagged, author=user, name="one-to-ones")
        _write(user, monday + timedelta(days=2), words=2000, cues=[
            ("obligation_agency", -1, "had to", 60), ("obligation_agency", 1, "i chose", 60),
        ])


def test_it_filters_trends_by_tag(alice, alice_client, charlie):
    from reflect.journal.models import EntryTag

    _tagged_writer(alice)
    # Charlie's entry with the same tag never counts in Alice's charts.
    theirs = _write(charlie, _weeks_back(alice, 1)[0], words=9000,
                    cues=[("obligation_agency", -1, "had to", 500)])
    EntryTag.objects.create(entry=theirs, author=charlie, name="one-to-ones")

    everything = alice_client.get("/trends/?unit=week&range=3m").content.decode()
    tagged = alice_client.get("/trends/?unit=week&range=3m&tag=%23One-to-ones").content.decode()

    assert 'id="trends-headline">Over the past three months the way you frame' in everything
    assert (
        'id="trends-headline">Over the past three months, in your #one-to-ones entries, you used '
        "more choice language.</p>" in tagged
    )
    assert "<li>&#x27;had to&#x27;: 24 → 4 times</li>" in tagged  # only the tagged entries
    assert 'value="one-to-ones"' in tagged  # the filter shows what it holds
    assert 'href="/trends/?unit=month&amp;range=3m&amp;tag=one-to-ones"' in tagged  # kept
    assert '<a href="/trends/?unit=week&amp;range=3m">All your writing</a>' in tagged
    assert 'class="baseline"' not in tagged  # the baseline is of all the writing
    numbers = alice_client.get(
        "/trends/numbers/?unit=week&range=3m&tag=one-to-ones&dimension=obligation_agency"
    ).content.decode()
    assert "9,000" not in numbers and ">400<" in numbers and ">2,000<" not in numbers
    week = _weeks_back(alice, 1)[0]
    drill = f"/trends/week/{week}/?dimension=obligation_agency&amp;range=3m&amp;tag=one-to-ones"
    assert f'href="{drill}"' in numbers
    period = alice_client.get(drill.replace("&amp;", "&")).content.decode()
    assert period.count('<article class="card"') == 1  # the tagged entry, not the other
    assert "only entries tagged #one-to-ones" in period


def test_it_treats_a_tag_that_is_not_one_as_no_filter(alice, alice_client):
    _tagged_writer(alice)

    for bad in ("%23", "-", "a%20b", "x" * 100):
        response = alice_client.get(f"/trends/?unit=week&range=3m&tag={bad}")
        assert response.status_code == 200
        assert b"Over the past three months the way you frame" in response.content


# ---------------------------------------------------------------------------
# The person's own rating beside the reading (issue 13.4)
# ---------------------------------------------------------------------------


def _tone_period(i: int, value: float | None, sufficient: bool = True) -> s.PeriodValue:
    start = date(2026, 9, 7) + timedelta(weeks=i)
    return s.PeriodValue(
        start=start, end=start + timedelta(days=6), index=i, label="", name="", entries=1,
        words=400, positive=0, negative=0, value=value, low=None, high=None, smoothed=None,
        sufficient=sufficient, reason=None,
    )


def test_it_says_where_the_persons_rating_and_the_reading_part_ways_for_a_stretch():
    tone = [_tone_period(i, v) for i, v in enumerate([0.1, -0.6, -0.5, -0.7, 0.2, -0.6, -0.6])]
    ratings = [3, 4.5, 4, 5, 3, 4.5, None]

    notes = s.mood_disagreements(tone, ratings, today=date(2026, 12, 6))

    assert notes == [
        "14 September–4 October: you rated your days 4.5 of 5 on average, "
        "but the feeling in your words was heavy."
    ]


def test_it_says_nothing_for_a_short_or_broken_disagreement():
    today = date(2026, 12, 6)
    two = [_tone_period(i, -0.6) for i in range(2)]
    broken = [_tone_period(0, -0.6), _tone_period(1, -0.6, sufficient=False),
              _tone_period(2, -0.6), _tone_period(3, -0.6)]
    agreeing = [_tone_period(i, 0.5) for i in range(5)]

    assert s.mood_disagreements(two, [5, 5], today) == []
    assert s.mood_disagreements(broken, [5, 5, 5, 5], today) == []
    assert s.mood_disagreements(agreeing, [4, 4, 4.5, 4, 4], today) == []
    # The other way: rated low while the words read light.
    light = [_tone_period(i, 0.8) for i in range(3)]
    assert s.mood_disagreements(light, [1, 2, 1], today)[0].endswith(
        "you rated your days 1.3 of 5 on average, but the feeling in your words was light."
    )


def test_it_draws_the_persons_rating_beside_the_reading_and_says_where_they_part(
    alice, alice_client
):
    weeks = _weeks_back(alice, 12)
    for i, monday in enumerate(weeks):
        _write(alice, monday, words=400, mood=5 if i >= 8 else 2, cues=[
            ("tone", -1, "drained", 6), ("tone", 1, "glad", 1),
            ("obligation_agency", 1, "i chose", 3),
        ])

    html = alice_client.get("/trends/?unit=week&range=3m").content.decode()

    feelings = html.split('id="trend-tone"')[1]
    assert '<path class="dots mood" d="M' in feelings
    assert "Squares: your own rating of your days" in feelings
    notes = feelings.count('<p class="mood-note">')
    assert notes == 1
    assert "you rated your days 5.0 of 5 on average, but the feeling in your words was heavy." in (
        feelings
    )
    assert 'class="dots mood"' not in html.split('id="trend-tone"')[0]  # feelings only
    # The same ratings, as numbers, in the feelings table (and only there).
    table = alice_client.get("/trends/numbers/?unit=week&range=3m&dimension=tone").content
    assert b'<th scope="col">Your rating (1\xe2\x80\x935)</th>' in table
    assert b"<td>5.0</td></tr>" in table and b"<td>2.0</td></tr>" in table
    other = alice_client.get("/trends/numbers/?unit=week&range=3m&dimension=ripple").content
    assert b"Your rating" not in other


def test_it_draws_no_rating_for_a_person_who_never_rates(alice, alice_client):
    _moving_writer(alice)

    html = alice_client.get("/trends/?unit=week&range=3m").content.decode()

    assert "dots mood" not in html and "Squares: your own rating" not in html


def test_it_never_serves_one_persons_cached_charts_to_another(
    alice, alice_client, charlie, charlie_client
):
    from datetime import UTC, datetime

    # The same day, the same counts, the same analysis time: only the person differs.
    moment = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    charlie.time_zone = alice.time_zone
    charlie.save(update_fields=["time_zone"])
    for user, phrase in ((alice, "alice had to"), (charlie, "charlie had to")):
        for i, monday in enumerate(_weeks_back(user, 12)):
            _write(user, monday, words=400, cues=[
                ("obligation_agency", -1, phrase, 6 if i < 6 else 1),
                ("obligation_agency", 1, "i chose", 1 if i < 6 else 6),
            ])

    from reflect.framing.models import Framing

    Framing.objects.filter(author__in=[alice, charlie]).update(computed_at=moment)

    hers = alice_client.get("/trends/?unit=week&range=3m").content.decode()
    his = charlie_client.get("/trends/?unit=week&range=3m").content.decode()

    assert "alice had to" in hers and "charlie had to" not in hers
    assert "charlie had to" in his and "alice had to" not in his
