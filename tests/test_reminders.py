"""Reminders that respect the writer (issue 13.1): off until chosen, at the person's local time
and weekdays across time zones and DST changes, skipped when they have written that day,
once per local day however often the job runs, and pause/stop links that need no login."""

import os
import subprocess
import sys
from datetime import date, datetime, time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reflect.background.models import DonePeriod
from reflect.journal.models import create_entry, todays_prompt
from reflect.reminders import actions
from reflect.reminders.links import link_token
from reflect.reminders.models import Reminder
from reflect.reminders.tasks import send_reminders
from reflect.teams.links import unsubscribe_token
from tests.test_teams_support import make_team

TUESDAY, THURSDAY, SUNDAY = 1, 3, 6


def at(text: str) -> str:
    """An instant, written in UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.UTC).isoformat()


def remind(user, weekdays=(TUESDAY, THURSDAY), hour=7, minute=30) -> Reminder:
    return actions.save_reminder(user, enabled=True, weekdays=list(weekdays),
                                 at=time(hour, minute))


def run(instant: str) -> list[str]:
    """Run the job at `instant` (UTC); the addresses it mailed."""
    before = len(mail.outbox)
    send_reminders.call(now=at(instant))
    return sorted(message.to[0] for message in mail.outbox[before:])


def test_it_sends_nothing_until_the_person_chooses(alice, bob):
    Reminder.objects.create(user=bob)  # a row that was never turned on
    assert run("2026-12-08T07:30") == [] and run("2026-12-08T12:30") == []
    assert not Reminder.objects.get(user=bob).enabled


def test_it_reminds_each_person_at_their_own_local_time(alice, bob, charlie):
    for person in (alice, bob, charlie):  # London, New York, Tokyo; Tuesday and Thursday
        remind(person)
    assert run("2026-12-07T22:30") == ["charlie@example.com"]  # Tuesday 07:30 in Tokyo
    assert run("2026-12-08T07:29") == []
    assert run("2026-12-08T07:30") == ["alice@example.com"]  # 07:30 in London (GMT)
    assert run("2026-12-08T12:30") == ["bob@example.com"]  # 07:30 in New York (EST)
    assert run("2026-12-09T12:30") == []  # Wednesday: not chosen
    assert run("2026-12-08T23:00") == []  # already sent today; too late for Tokyo's Wednesday


@pytest.mark.parametrize(("zone", "sunday", "too_early", "on_time"), [
    # New York springs forward on 8 March 2026: 07:30 is 12:30 UTC the day before, 11:30 on.
    ("America/New_York", "2026-03-08", "2026-03-08T11:29", "2026-03-08T11:30"),
    ("America/New_York", "2026-03-01", "2026-03-01T12:29", "2026-03-01T12:30"),
    # ... and falls back on 1 November: 07:30 is 12:30 UTC again.
    ("America/New_York", "2026-11-01", "2026-11-01T12:29", "2026-11-01T12:30"),
    # London: BST from 29 March (07:30 = 06:30 UTC), GMT again from 25 October.
    ("Europe/London", "2026-03-29", "2026-03-29T06:29", "2026-03-29T06:30"),
    ("Europe/London", "2026-10-25", "2026-10-25T07:29", "2026-10-25T07:30"),
])
def test_it_keeps_the_local_time_across_a_dst_change(alice, zone, sunday, too_early, on_time):
    alice.time_zone = zone
    alice.save(update_fields=["time_zone"])
    remind(alice, weekdays=[SUNDAY])
    assert run(too_early) == []
    assert run(on_time) == ["alice@example.com"]
    assert DonePeriod.objects.get(job="reminder").period == date.fromisoformat(sunday)


def test_it_sends_once_however_often_the_job_runs_in_a_day(alice):
    remind(alice)
    assert run("2026-12-08T07:30") == ["alice@example.com"]
    assert run("2026-12-08T07:30") == []  # twice in one minute
    assert run("2026-12-08T07:31") == [] and run("2026-12-08T09:00") == []
    assert run("2026-12-10T07:35") == ["alice@example.com"]  # Thursday is another day


def test_it_catches_up_within_two_hours_but_never_the_next_day(alice):
    remind(alice)
    assert run("2026-12-08T09:29") == ["alice@example.com"]  # the worker was down until now
    remind(alice, weekdays=[THURSDAY])
    assert run("2026-12-10T09:31") == []


def test_it_skips_a_day_the_person_has_already_written_in_their_own_time_zone(alice, bob):
    remind(alice)
    remind(bob)
    create_entry(author=alice, body="Wrote before breakfast.", written_on=date(2026, 12, 8),
                 prompt=None, draft=False)
    # Bob wrote on Monday evening in New York: late enough to be Tuesday in UTC, not for him.
    create_entry(author=bob, body="Monday night.", written_on=date(2026, 12, 7), prompt=None,
                 draft=False)
    assert run("2026-12-08T07:30") == []
    assert run("2026-12-08T12:30") == ["bob@example.com"]


def test_it_puts_todays_prompt_and_working_links_in_the_mail(alice):
    remind(alice)
    run("2026-12-08T07:30")
    body = mail.outbox[-1].body
    prompt = todays_prompt(alice)
    assert prompt is not None and prompt.text in body
    assert f"?prompt={prompt.pk}" in body
    stop_url = next(line.split(": ", 1)[1] for line in body.splitlines()
                    if line.startswith("Stop these reminders"))
    assert mail.outbox[-1].extra_headers["List-Unsubscribe"] == f"<{stop_url}>"
    response = Client().post(stop_url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200 and not Reminder.objects.get(user=alice).enabled


def test_it_pauses_for_a_week_from_a_link_without_login_and_only_on_post(alice):
    remind(alice)
    url = reverse("reminder_link", args=[link_token(alice, "pause")])
    anonymous = Client()
    page = anonymous.get(url)
    assert page.status_code == 200 and "Pause for a week" in page.content.decode()
    assert Reminder.objects.get(user=alice).paused_until is None  # a link scanner did nothing
    done = anonymous.post(url)
    assert "no reminders until" in done.content.decode()
    assert Reminder.objects.get(user=alice).paused_until == alice.today() + (
        date(2026, 1, 8) - date(2026, 1, 1))
    assert run("2026-12-08T07:30") == [] and run("2026-12-10T07:30") == []
    assert run("2026-12-15T07:30") == ["alice@example.com"]  # the pause is over


def test_it_stops_from_a_link_without_login(alice):
    remind(alice)
    url = reverse("reminder_link", args=[link_token(alice, "stop")])
    anonymous = Client()
    assert "Stop reminders" in anonymous.get(url).content.decode()
    assert Reminder.objects.get(user=alice).enabled
    anonymous.post(url)
    assert not Reminder.objects.get(user=alice).enabled
    assert run("2026-12-08T07:30") == []


def test_it_refuses_a_tampered_or_foreign_link(alice, bob):
    remind(alice)
    token = link_token(alice, "stop")
    membership = make_team(bob).memberships.get()
    for bad in (token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
                token.replace(":", ";", 1), "nonsense", unsubscribe_token(membership)):
        assert Client().post(reverse("reminder_link", args=[bad])).status_code == 404
    assert Reminder.objects.get(user=alice).enabled


def test_it_lets_each_person_set_only_their_own_reminder(alice, alice_client, bob_client, bob):
    page = alice_client.get(reverse("reminders"))
    assert page.status_code == 200 and 'name="enabled"' in page.content.decode()
    assert 'checked' not in page.content.decode()  # off until chosen
    response = alice_client.post(reverse("reminders"), {
        "enabled": "on", "weekdays": ["1", "3"], "time": "07:30"}, follow=True)
    assert "Reminders on: Tuesday and Thursday, 07:30." in response.content.decode()
    bob_client.post(reverse("reminders"), {"weekdays": ["0"], "time": "21:00"})
    mine = Reminder.objects.get(user=alice)
    assert (mine.enabled, mine.weekdays, mine.time) == (True, [1, 3], time(7, 30))
    assert not Reminder.objects.get(user=bob).enabled
    # The account page links to it.
    assert reverse("reminders") in alice_client.get(reverse("profile")).content.decode()


@pytest.mark.parametrize(("data", "message"), [
    ({"enabled": "on", "time": "07:30"}, "Choose at least one day"),
    ({"enabled": "on", "weekdays": ["1"], "time": "25:99"}, "Enter a time such as 07:30."),
    ({"enabled": "on", "weekdays": ["9"], "time": "07:30"}, "Select a valid choice"),
])
def test_it_explains_a_setting_it_cannot_use(alice, alice_client, data, message):
    response = alice_client.post(reverse("reminders"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Reminder.objects.filter(user=alice, enabled=True).exists()


def test_it_needs_a_login_for_the_settings_page(db):
    response = Client().get(reverse("reminders"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_sends_once_per_person_when_the_worker_runs_the_job_again(settings, alice, bob):
    from tests.test_tasks import DB_BACKEND, run_worker

    settings.TASKS = DB_BACKEND
    remind(alice)
    remind(bob)
    for _ in range(3):  # the timer fired three times, or three hosts each have it
        send_reminders.enqueue(now=at("2026-12-08T07:30"))
    run_worker()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
    reason="several worker processes on one database: PostgreSQL (DATABASE_URL)",
)
def test_it_sends_once_per_person_with_two_workers_racing(settings, transactional_db,
                                                          django_user_model):
    from django.db import connection

    from tests.test_tasks import DB_BACKEND, ROOT

    settings.TASKS = DB_BACKEND
    people = [django_user_model.objects.create_user(f"p{n}@example.com", "x", time_zone=zone)
              for n, zone in enumerate(["Europe/London", "Europe/Lisbon", "Africa/Abidjan"])]
    for person in people:
        remind(person)
    for _ in range(6):
        send_reminders.enqueue(now=at("2026-12-08T07:30"))
    env = {**os.environ, "TASKS_IN_PROCESS": "false", "EMAIL_HOST": "",
           "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"}
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
             "--no-startup-delay", "--interval", "0", "--worker-id", f"w{i}", "-v", "0"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
        )
        for i in range(2)
    ]
    printed = "".join(worker.communicate(timeout=120)[0] for worker in workers)
    assert [worker.returncode for worker in workers] == [0, 0]
    sent_to = sorted(line.split(": ", 1)[1] for line in printed.splitlines()
                     if line.startswith("To: "))
    assert sent_to == [person.email for person in people]  # console mail, both processes
    assert DonePeriod.objects.filter(job="reminder").count() == 3


def test_it_checks_everyone_due_in_a_fixed_number_of_queries(django_user_model,
                                                             django_assert_max_num_queries):
    people = [django_user_model.objects.create_user(f"q{n}@example.com", "x",
                                                    time_zone="Europe/London")
              for n in range(12)]
    for person in people:
        remind(person)
    create_entry(author=people[0], body="Already wrote.", written_on=date(2026, 12, 8),
                 prompt=None, draft=False)
    assert len(run("2026-12-08T07:30")) == 11
    # The timer's next runs: everyone due is already reminded or has written.
    with django_assert_max_num_queries(3):
        assert send_reminders.call(now=at("2026-12-08T07:35")) == 0
    with django_assert_max_num_queries(1):  # nobody due on a Wednesday
        assert send_reminders.call(now=at("2026-12-09T07:30")) == 0
