"""One vocabulary: each framing dimension has one key and one name, from the registry, on the
entry page, trends (page and CSV), the team summary and the weekly email."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from reflect.framing.dimensions import REGISTRY
from reflect.framing.lexicon import DIMENSIONS
from reflect.journal.models import create_entry
from tests.test_teams_support import add_members, bulk_write, in_week, make_team, weeks

# Names the same dimensions had before the registry: none may come back on any page.
RETIRED = [
    "Obligation and agency", "Obligation → agency", "Action → vision", "Action and vision",
    "Position → choice", "Position and choice", "Self → collective", "Me and us", "Me and we",
    "Fixed → growth", "Title and choice",
]
NAMES = [d.name for d in REGISTRY.values()]


def _assert_one_vocabulary(text: str, where: str, names=NAMES) -> None:
    for name in names:
        assert name in text, (where, name)
    for old in RETIRED:
        assert old not in text, (where, old)


def test_it_has_one_entry_per_analyzer_dimension_with_distinct_names():
    assert tuple(REGISTRY) == DIMENSIONS
    assert all(key == d.key for key, d in REGISTRY.items())
    assert len({d.name for d in REGISTRY.values()}) == len(REGISTRY)


def test_it_names_dimensions_the_same_on_the_entry_page_and_trends(alice_client, alice):
    today = alice.today()
    for days in range(0, 60, 3):
        create_entry(
            author=alice, written_on=today - timedelta(days=days), prompt=None, draft=False,
            body=" ".join([
                "I had to stay late, then I decided to ask the other team what if we shared "
                "the rota. I felt proud. Next time I will try it earlier with the whole team. "
                "The purpose of the work is to help patients, and anyone can lead that."
            ] * 8),
        )
    entry = alice.entries.first()
    page = alice_client.get(reverse("entry", args=[entry.pk])).content.decode()
    shown = [d.name for d in REGISTRY.values() if d.name in page]
    assert shown  # the panel names the dimensions it explains…
    _assert_one_vocabulary(page, "entry page", names=shown)  # …with the registry's names only
    _assert_one_vocabulary(alice_client.get(reverse("trends")).content.decode(), "trends")
    csv_text = alice_client.get(reverse("trends_csv")).content.decode()
    _assert_one_vocabulary(csv_text, "trends CSV")


@pytest.mark.django_db
def test_it_names_dimensions_the_same_for_managers(bob, bob_client):
    team = make_team(bob, threshold=5)
    bulk_write(add_members(team, 5), [in_week(weeks()[-1])])
    summary = bob_client.get(reverse("team_summary", args=[team.pk])).content.decode()
    _assert_one_vocabulary(summary, "team summary")
    call_command("send_team_summaries", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    _assert_one_vocabulary(mail.outbox[0].body, "weekly email")
