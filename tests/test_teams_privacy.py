"""The privacy rules of team summaries (reflect.teams.summary states them): the threshold,
the two differencing cases, consent changes, leaving, removal and deletion, and no text."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reflect.framing.models import Framing
from reflect.journal.models import Entry, Prompt
from reflect.teams import summary as figures
from reflect.teams.models import (
    AccessEvent,
    AccessSetMember,
    ConsentReceipt,
    Membership,
    PairedPrompt,
    SharedEntry,
)
from tests.test_teams_support import (
    add_members,
    bulk_write,
    consent,
    in_week,
    join,
    make_team,
    weeks,
    write,
)

NOT_ENOUGH = figures.NOT_ENOUGH.encode()


@pytest.fixture
def team(bob):
    return make_team(bob, threshold=5)


def _summary(team, period="4w"):
    return figures.team_summary(team, period)


def test_it_withholds_a_week_with_one_fewer_writer_than_the_threshold(team, bob_client):
    last = weeks()[-1]
    bulk_write(add_members(team, 4), [in_week(last)])
    summary = _summary(team)
    week = summary.weeks[-1]
    assert not week.shown
    assert week.writers is None and week.entries is None and week.scores is None
    assert not summary.total.shown
    response = bob_client.get(reverse("team_summary", args=[team.pk]))
    assert response.status_code == 200
    assert NOT_ENOUGH in response.content
    assert b"members wrote" not in response.content


def test_it_shows_a_week_at_exactly_the_threshold(team, bob_client):
    last = weeks()[-1]
    bulk_write(add_members(team, 5), [in_week(last)], tone=(3, 1))
    week = _summary(team).weeks[-1]
    assert week.shown
    assert (week.writers, week.entries) == (5, 5)
    assert week.scores["tone"] == figures.score_from_counts("tone", 15, 5, week.words)
    response = bob_client.get(reverse("team_summary", args=[team.pk]))
    assert b"<strong>5</strong> members wrote <strong>5</strong> entries" in response.content


def test_it_follows_the_teams_own_threshold(team, bob):
    last = weeks()[-1]
    bulk_write(add_members(team, 3), [in_week(last)])
    assert not _summary(team).weeks[-1].shown
    team.set_threshold(3, bob)
    assert _summary(team).weeks[-1].shown


def test_it_withholds_a_total_that_would_reveal_a_withheld_week(team):
    """Differencing 1: total minus the weeks shown must not give a withheld week."""
    mondays = weeks()
    crowd, few = add_members(team, 6), add_members(team, 2, prefix="few")
    bulk_write(crowd, [in_week(m) for m in mondays if m != mondays[1]])
    bulk_write(few, [in_week(mondays[1], 2)], tone=(9, 0))
    summary = _summary(team)
    assert [w.shown for w in summary.weeks] == [True, False, True, True]
    assert not summary.total.shown
    assert summary.total.entries is None and summary.total.scores is None
    # Everything shown is a sum of published weeks: nothing left to subtract.
    assert summary.weeks[1].entries is None


def test_it_shows_the_total_when_every_week_in_it_is_shown(team):
    mondays = weeks()
    bulk_write(add_members(team, 5), [in_week(m) for m in mondays], tone=(2, 1))
    summary = _summary(team)
    assert all(w.shown for w in summary.weeks)
    assert summary.total.shown
    assert summary.total.entries == sum(w.entries for w in summary.weeks) == 20


def test_it_does_not_count_a_week_with_no_writing_against_the_total(team):
    mondays = weeks()
    bulk_write(add_members(team, 5), [in_week(m) for m in mondays[:3]])
    summary = _summary(team)
    assert summary.weeks[-1].empty and not summary.weeks[-1].shown
    assert summary.total.shown


def test_it_withholds_a_longer_period_whose_weeks_are_withheld_elsewhere(team):
    """A quarter's total minus the 4 weeks' total must not give older withheld weeks."""
    mondays = weeks("quarter")
    crowd = add_members(team, 5)
    bulk_write(crowd, [in_week(m) for m in mondays[1:]])
    bulk_write(add_members(team, 1, prefix="lone"), [in_week(mondays[0])])
    assert _summary(team, "4w").total.shown
    quarter = _summary(team, "quarter")
    assert not quarter.weeks[0].shown
    assert not quarter.total.shown


def test_it_withholds_a_week_whose_aggregate_only_members_are_too_few(team):
    """Differencing 2: the aggregate minus the named summaries must not single anyone out."""
    last = weeks()[-1]
    named = add_members(team, 5, level="named", prefix="named")
    lone = add_members(team, 1, level="aggregate", prefix="lone")
    bulk_write(named + lone, [in_week(last)])
    summary = _summary(team)
    assert len(summary.named) == 5  # the named members themselves are still shown
    assert not summary.weeks[-1].shown
    assert not summary.total.shown


@pytest.mark.parametrize("aggregate_only", [0, 5])
def test_it_shows_a_week_when_the_aggregate_only_group_is_empty_or_large(team, aggregate_only):
    last = weeks()[-1]
    named = add_members(team, 5, level="named", prefix="named")
    others = add_members(team, aggregate_only, level="aggregate", prefix="agg")
    bulk_write(named + others, [in_week(last)])
    week = _summary(team).weeks[-1]
    assert week.shown
    assert week.writers == 5 + aggregate_only


def test_it_never_counts_managers(team, bob):
    last = weeks()[-1]
    bulk_write(add_members(team, 4), [in_week(last)])
    consent(bob, team, "aggregate")  # even a stray receipt does not count a manager
    write(bob, in_week(last))
    assert not _summary(team).weeks[-1].shown


def test_it_never_counts_the_week_in_progress(team):
    members = add_members(team, 6)
    today = timezone.now().date()
    bulk_write(members, [today, today - timedelta(days=1)])
    summary = _summary(team)
    assert not any(w.shown for w in summary.weeks)


def test_it_applies_a_revocation_on_the_next_request(team, bob_client, alice, alice_client):
    last = weeks()[-1]
    join(team, alice, "aggregate")
    bulk_write(add_members(team, 4) + [alice], [in_week(last)])
    assert b"members wrote" in bob_client.get(reverse("team_summary", args=[team.pk])).content
    response = alice_client.post(reverse("sharing_consent", args=[team.pk]), {"level": "none"})
    assert response.status_code == 302
    assert ConsentReceipt.current(alice, team) == "none"
    assert ConsentReceipt.objects.filter(member=alice, team=team).count() == 2  # receipts kept
    response = bob_client.get(reverse("team_summary", args=[team.pk]))
    assert b"members wrote" not in response.content
    assert NOT_ENOUGH in response.content


def test_it_applies_leaving_on_the_next_request(team, bob_client, alice, alice_client):
    last = weeks()[-1]
    join(team, alice, "named")
    bulk_write(add_members(team, 4) + [alice], [in_week(last)])
    assert b"Alice" in bob_client.get(reverse("team_summary", args=[team.pk])).content
    alice_client.post(reverse("team_leave", args=[team.pk]))
    response = bob_client.get(reverse("team_summary", args=[team.pk]))
    assert b"Alice" not in response.content
    assert b"members wrote" not in response.content
    assert bob_client.get(reverse("team_named", args=[team.pk, alice.pk])).status_code == 404
    assert ConsentReceipt.current(alice, team) == "none"


def test_it_drops_a_removed_members_data(team, bob_client, alice):
    last = weeks()[-1]
    join(team, alice, "aggregate")
    others = add_members(team, 5)
    bulk_write(others, [in_week(last)], tone=(1, 0))
    write(alice, in_week(last), tone=(0, 50))
    before = _summary(team).weeks[-1]
    assert before.writers == 6
    bob_client.post(reverse("team_member_remove", args=[team.pk, alice.pk]))
    after = _summary(team).weeks[-1]
    assert after.writers == 5
    assert after.scores["tone"] == figures.score_from_counts("tone", 5, 0, after.words)


def test_it_forgets_a_deleted_account(team, alice):
    last = weeks()[-1]
    join(team, alice, "aggregate")
    bulk_write(add_members(team, 4) + [alice], [in_week(last)])
    entry = write(alice, in_week(last, 2))
    SharedEntry.objects.create(entry=entry, team=team, shared_by=alice, version=entry.version)
    assert _summary(team).weeks[-1].shown
    alice.delete()
    assert not Entry.objects.filter(author_id=alice.pk).exists()
    assert not Framing.objects.filter(entry__author_id=alice.pk).exists()
    assert not ConsentReceipt.objects.filter(member_id=alice.pk).exists()
    assert not Membership.objects.filter(user_id=alice.pk).exists()
    assert not SharedEntry.objects.filter(shared_by_id=alice.pk).exists()
    assert not AccessEvent.objects.filter(subject_id=alice.pk).exists()
    assert not _summary(team).weeks[-1].shown


def test_it_never_selects_an_entry_body_on_manager_pages(team, bob_client, alice):
    mondays = weeks("year")
    join(team, alice, "named")
    members = add_members(team, 5)
    bulk_write(members + [alice], [in_week(m) for m in mondays[-6:]])
    entry = write(alice, in_week(mondays[-1]), body="Shared words")
    SharedEntry.objects.create(entry=entry, team=team, shared_by=alice, version=entry.version)
    urls = [reverse("team", args=[team.pk]), reverse("team_named", args=[team.pk, alice.pk])]
    urls += [reverse("team_summary", args=[team.pk]) + f"?period={p}" for p in figures.PERIODS]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert bob_client.get(url).status_code == 200
        selected = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
        assert selected, url
        for sql in selected:
            assert '"journal_entry"."body"' not in sql, (url, sql)


def test_it_only_shows_a_paired_prompt_once_closed_and_above_threshold(team, bob, bob_client):
    manager_prompt, member_prompt = PairedPrompt.article_prompts()
    mondays = weeks()
    paired = PairedPrompt.objects.create(
        team=team,
        manager_prompt=manager_prompt,
        member_prompt=member_prompt,
        posed_by=bob,
        starts_on=mondays[-2],
        weeks=2,
    )
    members = add_members(team, 5)
    for member in members[:4]:
        write(member, in_week(mondays[-2]), prompt=member_prompt, ripple=(4, 0))
    write(bob, in_week(mondays[-1]), prompt=manager_prompt, ripple=(1, 1))
    result = figures.team_summary(team, "4w", viewer=bob).paired
    assert result.closed and result.own.scores["ripple"] is not None
    assert not result.team.shown  # 4 answers: one fewer than the threshold
    write(members[4], in_week(mondays[-1]), prompt=member_prompt, ripple=(4, 0))
    result = figures.team_summary(team, "4w", viewer=bob).paired
    assert result.team.shown and result.team.writers == 5
    # Still open: nothing of the team is shown, however many answered.
    PairedPrompt.objects.filter(pk=paired.pk).update(starts_on=mondays[-1])
    team.refresh_from_db()
    assert figures.team_summary(team, "4w", viewer=bob).paired.team is None
    response = bob_client.get(reverse("team_summary", args=[team.pk]))
    assert b"open until" in response.content


def test_it_withholds_a_paired_figure_whose_other_writing_would_single_someone_out(team, bob):
    manager_prompt, member_prompt = PairedPrompt.article_prompts()
    mondays = weeks()
    PairedPrompt.objects.create(
        team=team,
        manager_prompt=manager_prompt,
        member_prompt=member_prompt,
        posed_by=bob,
        starts_on=mondays[-1],
        weeks=1,
    )
    members = add_members(team, 6)
    for member in members:
        write(member, in_week(mondays[-1]), prompt=member_prompt)
    free = Prompt.objects.filter(source="article").exclude(pk=member_prompt.pk).first()
    write(members[0], in_week(mondays[-1], 2), prompt=free)  # the week's only other entry
    result = figures.team_summary(team, "4w", viewer=bob).paired
    assert not result.team.shown


def test_it_logs_every_member_a_summary_counted(team, bob_client, alice, alice_client):
    last = weeks()[-1]
    join(team, alice, "aggregate")
    quiet = add_members(team, 1, prefix="quiet")
    bulk_write(add_members(team, 4) + [alice], [in_week(last)])
    before = timezone.now()
    bob_client.get(reverse("team_summary", args=[team.pk]))
    event = AccessEvent.objects.get(what="team_summary")  # one event for the whole view
    logged = set(AccessSetMember.objects.filter(digest=event.people).values_list("user_id",
                                                                                 flat=True))
    assert alice.pk in logged and quiet[0].pk not in logged and len(logged) == 5
    assert (event.viewer_id, event.viewer_name, event.team_id) == (
        team.created_by_id,
        "Bob",
        team.pk,
    )
    assert before <= event.at <= timezone.now()
    assert list(AccessEvent.objects.about(alice)) == [event]
    assert not AccessEvent.objects.about(quiet[0]).exists()
    response = alice_client.get(reverse("sharing"))
    assert b"a team summary that counted you" in response.content
    assert b"Bob" in response.content


def test_it_logs_repeat_views_as_one_small_row_each_and_members_still_read_every_one(
    team, bob_client, alice, alice_client, django_assert_max_num_queries
):
    """The access log grows by one row per view, not one per member counted: the set of
    people is stored once. Every view that counted Alice stays on her Sharing page."""
    join(team, alice, "aggregate")
    bulk_write(add_members(team, 30) + [alice], [in_week(weeks()[-1])])
    url = reverse("team_summary", args=[team.pk])
    for _ in range(3):
        bob_client.get(url)
    assert AccessEvent.objects.filter(what="team_summary").count() == 3
    assert AccessSetMember.objects.count() == 31  # one set, stored once
    consent(alice, team, "named")  # a different set: she is now listed by name
    bob_client.get(url)
    assert AccessEvent.objects.filter(what="team_summary").count() == 4
    assert AccessSetMember.objects.count() == 62
    page = alice_client.get(reverse("sharing")).content.decode()
    assert page.count("a team summary that counted you") == 3
    assert page.count("a team summary that listed you by name") == 1
