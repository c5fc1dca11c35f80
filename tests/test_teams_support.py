"""Builders shared by the team tests (no tests here): teams, members, consent, entries.

Entries get a stored framing row with chosen cue counts, so that every expected figure can
be computed by hand, and the tests stay fast with hundreds of members.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from reflect.framing.models import DIMENSION_KEYS, Framing, rebuild_weekly_totals, refresh_weeks
from reflect.journal.models import Entry
from reflect.teams import summary as figures
from reflect.teams.models import ConsentReceipt, Membership, Team

User = get_user_model()


def make_team(manager, name: str = "Platform", threshold: int = 5) -> Team:
    team = Team.create_for(manager, name)
    if threshold != team.threshold:
        Team.objects.filter(pk=team.pk).update(threshold=threshold)
        team.threshold = threshold
    return team


def join(team: Team, user, level: str | None = None, role: str = "member") -> Membership:
    membership = Membership.objects.create(team=team, user=user, role=role)
    if level:
        consent(user, team, level)
    return membership


def consent(user, team: Team, level: str) -> None:
    ConsentReceipt.objects.create(member=user, team=team, level=level)


def add_members(team: Team, count: int, level: str | None = "aggregate", prefix: str = "m"):
    """`count` new members, bulk-created (no password hashing), with one consent each."""
    tag = f"{prefix}{team.pk}"
    users = User.objects.bulk_create(
        User(email=f"{tag}-{n}@example.com", display_name=f"{prefix.title()} {n}", password="!")
        for n in range(count)
    )
    if not users or users[0].pk is None:  # backends that do not return ids
        users = list(User.objects.filter(email__startswith=f"{tag}-").order_by("pk"))
    Membership.objects.bulk_create(Membership(team=team, user=u) for u in users)
    if level:
        ConsentReceipt.objects.bulk_create(
            ConsentReceipt(member=u, team=team, level=level) for u in users
        )
    return users


def counts(**values) -> dict:
    """Framing columns: counts(tone=(3, 1)) -> {"tone_pos": 3, "tone_neg": 1, ...}."""
    columns = {}
    for key in DIMENSION_KEYS:
        pos, neg = values.get(key, (1, 1))
        columns[f"{key}_pos"], columns[f"{key}_neg"] = pos, neg
    return columns


def write(user, day: date, body: str = "An ordinary day at work.", prompt=None, **dims) -> Entry:
    entry = Entry.objects.create(
        author=user, body=body, written_on=day, prompt=prompt, word_count=len(body.split())
    )
    Framing.objects.create(
        entry=entry, author=user, written_on=day, prompt=prompt, analyzer_version="test",
        words=len(body.split()), **counts(**dims),
    )
    refresh_weeks(user.pk, [day])
    return entry


def bulk_write(users, days, body: str = "Chose to ask the team what if.", **dims) -> int:
    """One entry per user per day, with its framing row, in two bulk inserts."""
    entries = Entry.objects.bulk_create(
        (Entry(author=u, body=body, written_on=d, word_count=len(body.split()))
         for u in users for d in days),
        batch_size=2000,
    )
    if entries and entries[0].pk is None:
        ids = {e.author_id for e in entries}
        entries = list(Entry.objects.filter(author_id__in=ids, written_on__in=list(days)))
    columns = counts(**dims)
    Framing.objects.bulk_create(
        (Framing(entry=e, author_id=e.author_id, written_on=e.written_on,
                 analyzer_version="test", words=len(body.split()), **columns)
         for e in entries),
        batch_size=2000,
    )
    rebuild_weekly_totals({e.author_id for e in entries})
    return len(entries)


def weeks(period: str = "4w") -> list[date]:
    """The Mondays the summary shows today, oldest first."""
    return figures.window(period, timezone.now().date())


def in_week(monday: date, day: int = 1) -> date:
    return monday + timedelta(days=day)
