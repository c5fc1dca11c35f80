"""Upgrading keeps the access log readable: the one row per member that a team summary or a
weekly email used to write becomes one event per view pointing at its set of people, and each
member still finds every view that counted them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("teams", "0002_published_weeks")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_it_turns_each_viewed_summary_into_one_event_with_its_people():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate([BEFORE])
    User = old.get_model("accounts", "User")
    Team = old.get_model("teams", "Team")
    OldEvent = old.get_model("teams", "AccessEvent")
    people = [User.objects.create(email=f"m{n}@example.com", password="!") for n in range(3)]
    bob = User.objects.create(email="bob@example.com", password="!", display_name="Bob")
    team = Team.objects.create(name="Platform", threshold=5)
    first, second = timezone.now() - timezone.timedelta(days=2), timezone.now()
    for at, counted in ((first, people), (second, people[:2])):
        for person in counted:
            OldEvent.objects.create(viewer=bob, viewer_name="Bob", subject=person, team=team,
                                    what="team_summary", at=at)
    OldEvent.objects.create(viewer=bob, viewer_name="Bob", subject=people[0], team=team,
                            what="named_summary", at=second)

    _migrate(leaves)

    from django.contrib.auth import get_user_model

    from reflect.teams.models import AccessEvent, AccessSetMember

    member = get_user_model().objects.get

    summaries = AccessEvent.objects.filter(what="team_summary").order_by("at")
    assert summaries.count() == 2  # one per view, not one per member
    assert [set(AccessSetMember.objects.filter(digest=e.people).values_list("user_id", flat=True))
            for e in summaries] == [{p.pk for p in people}, {p.pk for p in people[:2]}]
    assert AccessEvent.objects.filter(what="named_summary", subject_id=people[0].pk).count() == 1
    assert AccessEvent.objects.about(member(pk=people[0].pk)).count() == 3
    assert AccessEvent.objects.about(member(pk=people[2].pk)).count() == 1
