"""What a manager reads: every figure in words, on its scale, with its direction towards the
article's idea and the change since the previous period, the same on the page and in the
weekly email; one notice instead of a refusal per week; no past date named as future."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from reflect.teams import summary as figures
from reflect.teams import wording
from tests.test_teams_support import add_members, bulk_write, in_week, make_team, weeks

MINUS = "\u2212"


@pytest.mark.parametrize("key,value,expected", [
    ("action_vision", 0.31, "leaned towards vision, the article's idea "
     f"(+0.31 on a scale from {MINUS}1 = task to +1 = vision)"),
    ("obligation_agency", -0.72, "leaned clearly towards obligation, away from the article's "
     f"idea ({MINUS}0.72 on a scale from {MINUS}1 = obligation to +1 = choice)"),
    ("self_collective", 0.05, "balanced between individual and team "
     f"(+0.05 on a scale from {MINUS}1 = individual to +1 = team)"),
    ("ripple", 0.35, "some ripple, the article's idea (0.35 on a scale from 0 = no ripple "
     "to 1 = ripple)"),
    ("tone", 0.4, f"leaned towards energised (+0.40 on a scale from {MINUS}1 = drained to +1 "
     "= energised)"),
    ("fixed_growth", None, "not mentioned in what was written"),
])
def test_it_puts_each_figure_in_words_on_its_scale(key, value, expected):
    assert wording.read(key, value).lean == expected


@pytest.mark.parametrize("key,value,previous,expected", [
    ("action_vision", 0.31, 0.19,
     "Up 0.12 since the previous 4 weeks: towards the article's idea."),
    ("position_choice", -0.2, 0.1,
     "Down 0.30 since the previous 4 weeks: away from the article's idea."),
    ("tone", -0.3, 0.1, "Down 0.40 since the previous 4 weeks: heavier."),
    ("ripple", 0.5, 0.52, "About the same as the previous 4 weeks."),
    ("action_vision", 0.5, None, "No figure for the previous 4 weeks to compare with."),
])
def test_it_says_how_each_figure_changed_since_the_previous_period(key, value, previous,
                                                                     expected):
    assert wording.read(key, value, previous, "the previous 4 weeks").change == expected


def test_it_gives_no_change_when_the_previous_period_is_withheld():
    reading = wording.read("action_vision", 0.5, None, "the previous 4 weeks",
                           previous_shown=False)
    assert reading.change == "No change is given: the previous 4 weeks are withheld."


def _team_writing(bob, vision: tuple[int, int], earlier: tuple[int, int] | None = None):
    """Five members writing in the last complete week (and four weeks before it)."""
    team = make_team(bob)
    members = add_members(team, 5)
    bulk_write(members, [in_week(weeks()[-1])], action_vision=vision)
    if earlier:
        bulk_write(members, [in_week(weeks()[-1] - timedelta(weeks=4))], action_vision=earlier)
    return team


def test_it_shows_the_manager_each_figure_in_words_with_the_change(bob, bob_client):
    team = _team_writing(bob, vision=(3, 0), earlier=(1, 1))
    page = bob_client.get(reverse("team_summary", args=[team.pk])).content.decode()
    summary = figures.team_summary(team, "4w")
    now, before = summary.total.scores["action_vision"], summary.previous.scores["action_vision"]
    assert now >= 0.6 and now - before >= 0.05
    expected = wording.read("action_vision", now, before, "the previous 4 weeks")
    assert (f"Leaned clearly towards vision, the article's idea ({expected.number} on a scale "
            f"from {MINUS}1 = task to +1 = vision). Up {now - before:.2f} since the previous 4 "
            "weeks: towards the article's idea.") in page.replace("&#x27;", "'")
    assert "The article: Management is action" in page
    assert "3 of the 4 weeks here did not have that" in page  # nobody wrote in three


def test_it_explains_withheld_weeks_once_with_what_the_manager_can_do(bob, bob_client):
    team = make_team(bob)
    members = add_members(team, 3)
    bulk_write(members, [in_week(w) for w in weeks()])
    page = bob_client.get(reverse("team_summary", args=[team.pk])).content.decode()
    assert page.count('<h2 id="notice">Why some figures are missing</h2>') == 1
    assert "3 members have opted in to be counted" in page
    assert "need at least 5 of them to write in that week" in page
    assert "4 of the 4 weeks here did not have that" in page
    assert f'href="{reverse("team", args=[team.pk])}#invite">invite people' in page
    assert f'href="{reverse("team", args=[team.pk])}#pose">pose a question' in page
    assert page.count("Not enough people") == 0
    assert page.count(figures.NOT_ENOUGH) == 1


@pytest.mark.parametrize("today", [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 6)])
def test_it_never_names_a_past_day_as_when_the_week_appears(bob, today):
    team = make_team(bob)
    summary = figures.team_summary(team, "4w", today=today)
    in_progress = summary.in_progress_from
    assert summary.next_week_on > today
    # The day it names is the first on which that week is shown.
    assert figures.last_complete_week(summary.next_week_on) == in_progress
    assert figures.last_complete_week(summary.next_week_on - timedelta(days=1)) < in_progress


def test_it_explains_the_numbers_in_the_weekly_email_as_the_page_does(bob, bob_client):
    team = _team_writing(bob, vision=(3, 0), earlier=(1, 1))
    call_command("send_team_summaries", stdout=io.StringIO())
    body = mail.outbox[0].body
    summary = figures.team_summary(team, "4w")
    total = summary.total.scores["action_vision"]
    expected = wording.read("action_vision", total, summary.previous.scores["action_vision"],
                            "the previous 4 weeks").sentence
    assert expected in body
    assert f"on a scale from {MINUS}1 = task to +1 = vision" in body
    assert not re.search(r"^\w[\w ]+: -?\d\.\d\d$", body, re.M)  # no bare "Feelings: -0.18"


@pytest.mark.parametrize("key,value,expected", [
    ("action_vision", 0.31, "+0.31 vision"),
    ("obligation_agency", -0.42, f"{MINUS}0.42 obligation"),
    ("tone", -0.05, f"{MINUS}0.05 balanced"),
    ("ripple", 0.35, "0.35"),
    ("self_collective", None, "—"),
])
def test_it_names_the_pole_in_each_table_cell(key, value, expected):
    assert wording.short(key, value) == expected


def test_it_shows_a_week_nobody_wrote_in_as_it_shows_a_week_too_few_wrote_in(bob, bob_client):
    team = make_team(bob)
    members = add_members(team, 5)
    mondays = weeks()
    bulk_write(members, [in_week(mondays[-1])])
    bulk_write(members[:2], [in_week(mondays[-2])])  # two wrote; nobody in mondays[-3]
    page = bob_client.get(reverse("team_summary", args=[team.pk])).content.decode()
    few = re.search(rf"<tr><th scope=\"row\">{figures.week_label(mondays[-2])}</th>(.*?)</tr>",
                    page).group(1)
    nobody = re.search(rf"<tr><th scope=\"row\">{figures.week_label(mondays[-3])}</th>(.*?)</tr>",
                       page).group(1)
    assert few == nobody == '<td colspan="9" class="withheld">Withheld</td>'
    assert "3 of the 4 weeks here did not have that" in page
