"""A lived-in demo journal, and bulk data for benchmarks.

    manage.py seed_demo                      # the demo account, a year of entries
    manage.py seed_demo --users 1000 --days 365   # benchmark users, bulk inserted

Both are idempotent: the demo account is created once (running again only prints a fresh
password), and benchmark users that already exist are skipped.
"""

import importlib
import importlib.util
import random
import secrets
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from itertools import batched
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from reflect.framing.models import store_analyses
from reflect.journal.management.demo_text import DemoWriter, writing_days
from reflect.journal.models import Entry, Prompt, Revision, count_words
from reflect.lib.searchtext import search_text

DEMO_EMAIL = "demo@reflect.local"
BENCH_EMAIL = "bench-{:05d}@reflect.local"
BENCH_ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "Europe/Berlin",
               "America/Los_Angeles", "Australia/Sydney", "Asia/Kolkata", "UTC"]
USERS_PER_BATCH = 25


class ProgressBar:
    """A plain text progress bar on one line: no dependency, fine in a log file too."""

    def __init__(self, out: TextIO, total: int, label: str, width: int = 30):
        self.out, self.total, self.label, self.width = out, max(total, 1), label, width
        self.done = 0
        self.started = time.monotonic()

    def advance(self, n: int = 1) -> None:
        self.done += n
        filled = self.width * self.done // self.total
        elapsed = time.monotonic() - self.started
        self.out.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {100 * self.done // self.total:3d}% "
            f"{self.done}/{self.total} {self.label} {elapsed:6.1f}s"
        )
        self.out.flush()

    def finish(self) -> None:
        self.out.write("\n")


def _evening(day: date, tz, rng: random.Random, now: datetime) -> datetime:
    """An evening time on `day` where the writer lives, never later than now."""
    local = datetime.combine(day, clock(19, 0), tzinfo=tz) + timedelta(minutes=rng.randint(0, 239))
    return min(local, now - timedelta(minutes=rng.randint(1, 90)))


class Command(BaseCommand):
    help = "Create a demo account with a year of entries, or bulk users for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=0,
                            help="Create N benchmark users (bench-00001@reflect.local, ...).")
        parser.add_argument("--days", type=int, default=365, help="Days of journal per person.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (fixed output).")

    def handle(self, *args, users: int, days: int, seed: int, **options) -> None:
        if days < 1 or users < 0:
            raise CommandError("--days must be at least 1 and --users at least 0.")
        if not Prompt.objects.filter(is_active=True).exists():
            raise CommandError("No prompts: run `manage.py migrate` first.")
        if users:
            self.seed_bulk(users, days, seed)
        else:
            self.seed_demo(days, seed)

    # The demo account -------------------------------------------------------------------

    def seed_demo(self, days: int, seed: int) -> None:
        User = get_user_model()
        password = secrets.token_urlsafe(12)
        user, created = User.objects.get_or_create(
            email=DEMO_EMAIL, defaults={"display_name": "Jo (demo)", "time_zone": "Europe/London"}
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        existing = Entry.objects.filter(author=user).count()
        if existing:
            self.stdout.write(f"The demo account already has {existing} entries: left as they are.")
        else:
            count = self._write_demo_journal(user, days, seed)
            self.stdout.write(f"Wrote {count} entries over {days} days.")
        self._demo_team(user)
        self.stdout.write(self.style.SUCCESS(
            f"Demo account ready. Log in as {DEMO_EMAIL} with the password: {password}"
        ))

    @transaction.atomic
    def _write_demo_journal(self, user, days: int, seed: int) -> int:
        rng = random.Random(seed)
        writer = DemoWriter(seed)
        prompts = list(Prompt.objects.filter(is_active=True).order_by("pk"))
        now = timezone.now()
        today, tz = user.today(), user.tz
        schedule = writing_days(today, days, rng)
        first_day = schedule[0][0]
        span = max(1, (today - first_day).days)
        entries: list[Entry] = []
        earlier: dict[int, str] = {}
        for day, count in schedule:
            if day.weekday() == 0:
                writer.new_week()
            t = (day - first_day).days / span
            for _ in range(count):
                body = writer.body(t)
                created = _evening(day, tz, rng, now)
                if day < today - timedelta(days=3) and rng.random() < 0.07:
                    # Back-dated: written a day or three later, about this day.
                    created = min(created + timedelta(days=rng.randint(1, 3)), now)
                entry = Entry(
                    author=user, body=body, written_on=day, word_count=count_words(body),
                    search_text=search_text(body),
                    prompt=rng.choice(prompts) if rng.random() < 0.8 else None,
                    created_at=created, updated_at=created,
                )
                if rng.random() < 0.05 and "\n" not in body:
                    # Edited once the next morning: the first text is kept as a revision.
                    earlier[len(entries)] = body.split(". ")[0].rstrip(".") + "."
                    entry.version = 2
                    entry.updated_at = min(created + timedelta(hours=12), now)
                entries.append(entry)
        # One entry in the trash, and today's unfinished draft.
        if len(entries) > 10:
            entries[len(entries) // 3].deleted_at = now - timedelta(days=3)
        draft_body = "Started writing about the huddle, then got called away. What if we"
        entries.append(Entry(
            author=user, body=draft_body, written_on=today, is_draft=True,
            word_count=count_words(draft_body), prompt=prompts[0], created_at=now,
            search_text=search_text(draft_body),
            updated_at=now, autosaved_at=now,
        ))
        Entry.objects.bulk_create(entries, batch_size=1000)
        Revision.objects.bulk_create(
            Revision(entry=entries[i], body=text, written_on=entries[i].written_on,
                     prompt=entries[i].prompt, version=1, created_at=entries[i].created_at)
            for i, text in earlier.items()
        )
        store_analyses(entries)
        return len(entries)

    def _demo_team(self, user) -> None:
        """Let the teams area add a demo team when it exists."""
        if importlib.util.find_spec("reflect.teams.demo") is None:
            return
        demo = importlib.import_module("reflect.teams.demo")
        demo.create_demo_team(user, self.stdout)

    # Benchmark users --------------------------------------------------------------------

    def seed_bulk(self, users: int, days: int, seed: int) -> None:
        User = get_user_model()
        emails = [BENCH_EMAIL.format(i) for i in range(1, users + 1)]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        todo = [email for email in emails if email not in existing]
        if existing:
            self.stdout.write(f"{len(existing)} benchmark users already exist: skipped.")
        rng = random.Random(seed)
        writer = DemoWriter(seed)
        prompts = list(Prompt.objects.filter(is_active=True).values_list("pk", flat=True))
        no_password = make_password(None)  # log in with force_login; nobody can sign in as them
        now = timezone.now()
        progress = ProgressBar(self.stdout, len(todo), "users")
        total = 0
        for chunk in batched(todo, USERS_PER_BATCH):
            with transaction.atomic():
                people = User.objects.bulk_create([
                    User(email=email, password=no_password, display_name=email.split("@")[0],
                         time_zone=rng.choice(BENCH_ZONES))
                    for email in chunk
                ])
                entries = []
                for person in people:
                    today, tz = person.today(), person.tz
                    for day, count in writing_days(today, days, rng):
                        t = 1 - (today - day).days / days
                        if day.weekday() == 0:
                            writer.new_week()
                        for _ in range(count):
                            body = writer.body(t, sentences=rng.randint(1, 6))
                            created = _evening(day, tz, rng, now)
                            entries.append(Entry(
                                author=person, body=body, written_on=day,
                                word_count=count_words(body), created_at=created,
                                search_text=search_text(body),
                                updated_at=created,
                                prompt_id=rng.choice(prompts) if rng.random() < 0.8 else None,
                            ))
                Entry.objects.bulk_create(entries, batch_size=2000)
                store_analyses(entries)
                total += len(entries)
            progress.advance(len(chunk))
        progress.finish()
        self.stdout.write(self.style.SUCCESS(
            f"Created {len(todo)} benchmark users and {total} entries "
            f"({BENCH_EMAIL.format(1)} ...); they have no usable password."
        ))
