"""seed_demo: a lived-in demo journal whose framing moves over the year, and bulk data."""

import io
import random
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Sum

from reflect.framing.models import Cue, Framing
from reflect.journal.management.demo_text import DemoWriter, drift, writing_days
from reflect.journal.models import Entry


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def pooled(entries, dimension: str) -> float:
    sums = Framing.objects.filter(entry__in=entries).aggregate(
        pos=Sum(f"{dimension}_pos"), neg=Sum(f"{dimension}_neg")
    )
    return (sums["pos"] - sums["neg"]) / (sums["pos"] + sums["neg"])


@pytest.fixture
def demo(db):
    output = seed()
    user = get_user_model().objects.get(email="demo@reflect.local")
    return user, output


def test_it_creates_a_demo_account_with_printed_credentials(demo):
    user, output = demo
    password = re.search(r"with the password: (\S+)", output).group(1)
    assert "demo@reflect.local" in output
    assert authenticate(email="demo@reflect.local", password=password) == user


def test_it_writes_a_varied_year(demo):
    user, _ = demo
    today = user.today()
    entries = Entry.objects.filter(author=user)
    live = entries.live()
    days = set(live.values_list("written_on", flat=True))
    assert 230 <= len(days) <= 330  # most days, with gaps
    assert min(days) >= today - timedelta(days=365) and max(days) == today
    assert live.filter(prompt__isnull=True).count() > 20  # free entries
    assert live.values("prompt").distinct().count() > 10
    words = list(live.values_list("word_count", flat=True))
    assert min(words) < 15 and max(words) > 100
    back_dated = [e for e in live if e.created_at.astimezone(user.tz).date() > e.written_on]
    assert len(back_dated) > 5
    assert entries.filter(is_draft=True).count() == 1
    assert entries.in_trash().count() == 1
    assert entries.filter(version=2, revisions__isnull=False).exists()
    assert live.filter(body__contains="\n- ").exists()  # some entries are lists


def test_it_stores_a_framing_analysis_for_every_saved_entry(demo):
    user, _ = demo
    saved = Entry.objects.filter(author=user).live()
    assert Framing.objects.filter(entry__in=saved).count() == saved.count()
    assert Framing.objects.filter(entry__author=user).count() == saved.count()
    assert Cue.objects.filter(author=user).count() > saved.count()


def test_it_moves_from_obligation_toward_choice_over_the_year(demo):
    user, _ = demo
    today = user.today()
    live = Entry.objects.filter(author=user).live()
    early = live.filter(written_on__lt=today - timedelta(days=270))
    late = live.filter(written_on__gt=today - timedelta(days=90))
    for dimension in ("obligation_agency", "self_collective", "ripple", "fixed_growth",
                      "action_vision"):
        assert pooled(late, dimension) > pooled(early, dimension) + 0.2, dimension

    def count(entries, phrase):
        return sum(body.lower().count(phrase) for body in entries.values_list("body", flat=True))

    assert count(early, "had to") > 2 * count(late, "had to")
    assert count(late, "i decided") > count(early, "i decided")
    assert count(late, "what if we") > count(early, "what if we")
    assert count(late, "we as a team") > count(early, "we as a team")
    # Realistic, not a step: both kinds of language appear at both ends of the year.
    assert count(early, "i decided") + count(early, "what if we") > 0
    assert count(late, "had to") + count(late, "not my place") > 0


def test_it_is_idempotent(demo):
    user, _ = demo
    counts = (Entry.objects.count(), Framing.objects.count(), get_user_model().objects.count())
    output = seed()
    assert "already has" in output
    assert (Entry.objects.count(), Framing.objects.count(),
            get_user_model().objects.count()) == counts
    password = re.search(r"with the password: (\S+)", output).group(1)
    assert authenticate(email="demo@reflect.local", password=password) == user


def test_it_skips_the_demo_team_when_the_teams_area_has_none(db, monkeypatch):
    from reflect.journal.management.commands import seed_demo

    monkeypatch.setattr(seed_demo.importlib.util, "find_spec", lambda name: None)
    output = seed("--days", "20")
    assert "Demo account ready" in output and "Demo team" not in output


def test_it_creates_bulk_users_quickly_with_a_progress_bar(db):
    output = seed("--users", "3", "--days", "20")
    assert "[##############################] 100% 3/3 users" in output
    people = get_user_model().objects.filter(email__startswith="bench-")
    assert sorted(people.values_list("email", flat=True)) == [
        "bench-00001@reflect.local", "bench-00002@reflect.local", "bench-00003@reflect.local",
    ]
    assert not any(person.has_usable_password() for person in people)
    entries = Entry.objects.filter(author__in=people)
    assert 30 <= entries.count() <= 70
    assert Framing.objects.filter(entry__in=entries).count() == entries.count()
    assert all(e.word_count > 0 for e in entries)
    again = seed("--users", "4", "--days", "20")
    assert "3 benchmark users already exist: skipped." in again
    assert get_user_model().objects.filter(email__startswith="bench-").count() == 4


def test_it_refuses_nonsense_arguments(db):
    with pytest.raises(CommandError):
        seed("--days", "0")


def test_it_writes_the_same_text_for_the_same_seed():
    assert DemoWriter(7).body(0.5) == DemoWriter(7).body(0.5)
    assert DemoWriter(7).body(0.5) != DemoWriter(8).body(0.5)


def test_it_drifts_smoothly_not_in_a_step():
    points = [drift(t / 10) for t in range(11)]
    assert points == sorted(points)
    assert points[0] < 0.2 and points[-1] > 0.75
    assert max(b - a for a, b in zip(points, points[1:], strict=False)) < 0.2


def test_it_writes_on_most_days_with_gaps():
    days = writing_days(date(2026, 11, 27), 365, random.Random(1))
    assert days[-1][0] == date(2026, 11, 27)
    assert 230 <= len(days) <= 330
    assert [d for d, _ in days] == sorted(d for d, _ in days)
    gaps = [(b - a).days for (a, _), (b, _) in zip(days, days[1:], strict=False)]
    assert max(gaps) >= 7  # a holiday
