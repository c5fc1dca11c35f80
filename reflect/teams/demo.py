"""A demo team for `seed_demo`: enough consenting members, writing every week, for the
summary to show real figures, a named summary, a closed paired reflection and one shared
entry. Members and entries are bulk-created; every entry is analysed like a real one."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from reflect.lib.searchtext import search_text
from reflect.teams import summary as figures
from reflect.teams.models import ConsentReceipt, Membership, PairedPrompt, SharedEntry, Team

DEMO_TEAM = "Demo team"
MEMBERS = [  # (display name, consent level)
    ("Amara", "named"), ("Bruno", "aggregate"), ("Chen", "aggregate"), ("Dagny", "aggregate"),
    ("Eitan", "aggregate"), ("Farah", "named"), ("Goran", "aggregate"),
]
SENTENCES = [
    "I had to finish the release checklist because they told me to.",
    "I chose to explain why the migration matters to the whole team.",
    "We talked about the vision for next quarter and how we live it daily.",
    "I decided not to wait for permission and fixed the onboarding doc.",
    "What if we paired the new people with someone from support?",
    "How might we make the handover less painful for everyone?",
    "Next time I'll ask the quiet people first; I'm learning to listen.",
    "I'm not a leader type, I just close tickets.",
    "Honestly I felt drained after the third meeting.",
    "I was proud of how the team handled the outage together.",
    "I used to think leading meant having the title; now I see it is a choice.",
    "Mostly tasks today: organising the backlog and getting things done.",
]
RIPPLE_ANSWERS = [
    "If each of us stepped into self-leadership, we would stop waiting on one decision maker."
    " What if every team owned its outcome? We would learn faster together.",
    "The ripple would reach support and sales: how might we invite them into planning?"
    " I chose to start with my own stand-up.",
]
MANAGER_ANSWER = (
    "With a team of leaders I would spend less time on the action and more on the why. "
    "I decided to hand over the weekly planning and to ask what they need from me."
)


def _analysed(entries):
    from reflect.framing.models import store_analyses

    store_analyses(entries)


@transaction.atomic
def create_demo_team(demo_user, stdout) -> Team:
    """Create (once) a team managed by `demo_user` with 7 consenting members and 8 weeks of
    their writing; returns the team."""
    from reflect.journal.models import Entry

    existing = Team.objects.managed_by(demo_user).filter(name=DEMO_TEAM).first()
    if existing:
        stdout.write(f"{DEMO_TEAM} already exists.\n")
        return existing
    User = get_user_model()
    team = Team.create_for(demo_user, DEMO_TEAM)
    users = []
    for name, _ in MEMBERS:
        email = f"demo-{name.lower()}-{demo_user.pk}@example.com"
        user = User.objects.filter(email=email).first() or User(
            email=email, display_name=name, password="!"
        )
        users.append(user)
    User.objects.bulk_create([u for u in users if u.pk is None])
    users = list(User.objects.filter(email__in=[u.email for u in users]).order_by("email"))
    levels = dict(MEMBERS)
    Membership.objects.bulk_create(Membership(team=team, user=u) for u in users)
    ConsentReceipt.objects.bulk_create(
        ConsentReceipt(member=u, team=team, level=levels[u.display_name]) for u in users
    )

    manager_prompt, member_prompt = PairedPrompt.article_prompts()
    today = timezone.now().date()
    mondays = figures.window("quarter", today)[-8:]
    paired_weeks = mondays[-3:-1]
    rng = random.Random(7)
    entries = []
    for user in users:
        for monday in mondays:
            for day in sorted(rng.sample(range(7), rng.randint(1, 4))):
                answering = member_prompt if monday in paired_weeks and day < 2 else None
                body = (
                    rng.choice(RIPPLE_ANSWERS) if answering
                    else " ".join(rng.sample(SENTENCES, 3))
                )
                entries.append(Entry(
                    author=user, body=body, prompt=answering, written_on=monday + timedelta(day),
                    word_count=len(body.split()), search_text=search_text(body),
                ))
    if manager_prompt and member_prompt:
        PairedPrompt.objects.create(
            team=team, manager_prompt=manager_prompt, member_prompt=member_prompt,
            posed_by=demo_user, starts_on=paired_weeks[0], weeks=2,
        )
        entries.append(Entry(
            author=demo_user, body=MANAGER_ANSWER, prompt=manager_prompt,
            written_on=paired_weeks[0] + timedelta(1), word_count=len(MANAGER_ANSWER.split()),
            search_text=search_text(MANAGER_ANSWER),
        ))
    Entry.objects.bulk_create(entries, batch_size=500)
    if entries and entries[0].pk is None:  # a backend that does not return ids
        entries = list(Entry.objects.filter(author__in=[*users, demo_user]))
    _analysed(entries)
    sharer = users[0]
    first = next(e for e in entries if e.author_id == sharer.pk)
    SharedEntry.objects.create(entry=first, team=team, shared_by=sharer, version=first.version)
    stdout.write(
        f"{DEMO_TEAM}: {len(users)} consenting members, {len(entries)} entries, "
        f"managed by {demo_user.email}.\n"
    )
    return team
