"""The team summary's content is kept in the process by everything it was computed from
(reflect.teams.views._PAGES): a repeat view with nothing changed skips computing and rendering
it, and still logs its access event; any change a member or a manager makes shows on the next
view, never a kept page from before it."""

import re

import pytest
from django.urls import reverse

from reflect.journal.models import Prompt
from reflect.teams import summary as figures
from reflect.teams import views
from reflect.teams.models import AccessEvent, AccessSetMember, PairedPrompt, SharedEntry
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

# The per-request parts of the frame: CSRF tokens and the CSP nonce.
PER_REQUEST = re.compile(
    r'"X-CSRFToken": "[^"]+"|nonce="[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"'
)


@pytest.fixture
def team(bob, alice):
    """Alice and four others opted in and wrote last week: its figures are shown."""
    team = make_team(bob, threshold=5)
    join(team, alice, "aggregate")
    bulk_write(add_members(team, 4) + [alice], [in_week(weeks()[-1])])
    return team


def _page(client, team) -> str:
    response = client.get(reverse("team_summary", args=[team.pk]))
    assert response.status_code == 200
    return PER_REQUEST.sub("", response.content.decode())


def _counted_in_last_view() -> set[int]:
    event = AccessEvent.objects.filter(what="team_summary").order_by("-at", "-id").first()
    return set(AccessSetMember.objects.filter(digest=event.people).values_list("user_id",
                                                                                flat=True))


def test_it_serves_a_repeat_view_from_the_kept_page_and_logs_every_view(
    team, bob_client, monkeypatch
):
    first = _page(bob_client, team)  # records the week shown: not kept
    second = _page(bob_client, team)  # computed again, kept
    assert "members wrote" in second

    def not_again(reads):
        raise AssertionError("computed again with nothing changed")

    monkeypatch.setattr(figures, "compute", not_again)
    assert _page(bob_client, team) == second == first
    assert AccessEvent.objects.filter(what="team_summary").count() == 3


def test_it_drops_a_revoked_share_on_the_next_view(team, alice, alice_client, bob_client):
    entry = write(alice, in_week(weeks()[-1]), body="Not listed, ever.")
    entry.title = "Retro notes"
    entry.save(update_fields=["title"])
    shared = SharedEntry.objects.create(entry=entry, team=team, shared_by=alice, version=1)
    _page(bob_client, team)
    assert "Retro notes" in _page(bob_client, team)
    alice_client.post(reverse("shared_revoke", args=[shared.pk]))
    page = _page(bob_client, team)
    assert "Retro notes" not in page
    assert "No entries shared" in page


def test_it_withholds_the_figures_on_the_next_view_after_a_member_revokes_consent(
    team, alice, bob_client
):
    _page(bob_client, team)
    assert "members wrote" in _page(bob_client, team)
    assert alice.pk in _counted_in_last_view()
    seen = AccessEvent.objects.about(alice).count()
    consent(alice, team, "none")
    page = _page(bob_client, team)
    assert "members wrote" not in page
    assert figures.NOT_ENOUGH in page
    assert AccessEvent.objects.about(alice).count() == seen  # not counted in this view


def test_it_shows_a_new_analysis_on_the_next_view(team, bob, bob_client):
    """The manager's own answers to a paired prompt are read on every view (not recorded):
    a new answer's analysis shows at once."""
    manager_prompt = Prompt.objects.create(text="What did you decide for the team?")
    member_prompt = Prompt.objects.create(text="What was decided for you?")
    PairedPrompt.objects.create(team=team, manager_prompt=manager_prompt,
                                member_prompt=member_prompt, posed_by=bob,
                                starts_on=weeks()[-1], weeks=1)
    _page(bob_client, team)
    before = _page(bob_client, team)
    write(bob, in_week(weeks()[-1]), prompt=manager_prompt, tone=(9, 0))
    after = _page(bob_client, team)
    assert after != before
    own = figures.team_summary(team, "4w", viewer=bob).paired.own
    assert own.entries == 1
    assert views._paired_html(figures.team_summary(team, "4w", viewer=bob).paired) in after


def test_a_view_after_someone_joins_reads_the_figures_for_the_members_read_then(
    team, bob_client
):
    """On PostgreSQL a repeat view sends the figures' reads of the manager's last view beside
    the access check (views._GUESSES); when the members read then differ, the reads made for
    them are what the page shows, as in a fresh process."""
    _page(bob_client, team)
    before = _page(bob_client, team)
    assert "members wrote" in before
    (late,) = add_members(team, 1, level="named", prefix="late")
    bulk_write([late], [in_week(weeks()[-1])])
    page = _page(bob_client, team)
    assert late.display_name not in before and late.display_name in page  # named summaries
    # One more writer in a week shown before: withheld (guarantee 9), not the old figures.
    assert figures.WITHDRAWN in page and "members wrote" not in page
    views._PAGES.values.clear()
    views._GUESSES.values.clear()
    assert _page(bob_client, team) == page


def test_a_paired_reflection_posed_after_a_view_shows_on_the_next(team, bob, bob_client):
    """The team's row changed, not its members': the figures' reads are made again for it
    (on PostgreSQL, not those of the manager's last view)."""
    _page(bob_client, team)
    assert "Paired reflection" not in _page(bob_client, team)
    manager_prompt, member_prompt = PairedPrompt.article_prompts()
    PairedPrompt.objects.create(team=team, manager_prompt=manager_prompt,
                                member_prompt=member_prompt, posed_by=bob,
                                starts_on=weeks()[-1], weeks=1)
    write(bob, in_week(weeks()[-1]), prompt=manager_prompt, tone=(9, 0))
    page = _page(bob_client, team)
    assert "Paired reflection" in page
    views._PAGES.values.clear()
    views._GUESSES.values.clear()
    assert _page(bob_client, team) == page
