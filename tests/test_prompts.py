"""The prompt library from the article, today's prompt, switching and hiding prompts."""

import re
from datetime import datetime
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from reflect.journal.models import Entry, HiddenPrompt, Prompt, todays_prompt

ARTICLE = Path(__file__).parent / "data" / "article.txt"


def article_questions() -> list[str]:
    """Every sentence of the article that ends in a question mark, as written."""
    text = ARTICLE.read_text(encoding="utf-8")
    text = re.sub(r"\[\d+\]", "", text)  # footnote markers
    questions = []
    for line in text.splitlines():
        line = line.strip().lstrip("•").strip()
        # A sentence starts after . ? ! and a space, but "vs." is no sentence end.
        for sentence in re.split(r"(?<!vs\.)(?<=[.?!])\s+", line):
            if sentence.endswith("?"):
                questions.append(sentence)
    return questions


def test_it_finds_the_articles_questions():
    questions = article_questions()
    assert len(questions) == 8
    assert "How would that feel?" in questions


@pytest.mark.parametrize("question", article_questions())
def test_it_seeds_every_article_question_verbatim(db, question):
    prompt = Prompt.objects.get(text=question)
    assert prompt.source == Prompt.Source.ARTICLE
    assert prompt.passage  # the writer can read the question in its context


def test_it_keeps_the_passage_of_each_derived_prompt(db):
    derived = Prompt.objects.filter(source=Prompt.Source.DERIVED)
    assert derived.count() >= 15
    article = " ".join(ARTICLE.read_text(encoding="utf-8").split())
    for prompt in derived:
        # Each passage opens with the article's own words.
        assert prompt.passage[:40] in article, prompt.passage[:40]
    categories = set(derived.values_list("category", flat=True))
    assert {"checklist", "daily", "what_if", "big_picture", "choice"} <= categories
    assert Prompt.objects.filter(text="Did I show up as a leader today?").exists()


def _at(user, day: str, hour: int):
    moment = datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=ZoneInfo(user.time_zone))
    return mock.patch("django.utils.timezone.now", return_value=moment.astimezone(ZoneInfo("UTC")))


def test_it_keeps_todays_prompt_all_day_in_the_users_time_zone(alice):
    with _at(alice, "2026-03-10", 0):
        morning = todays_prompt(alice)
    with _at(alice, "2026-03-10", 23):
        evening = todays_prompt(alice)
    assert morning == evening


def test_it_changes_the_prompt_on_the_next_day(alice):
    with _at(alice, "2026-03-10", 12):
        first = todays_prompt(alice)
    with _at(alice, "2026-03-11", 12):
        second = todays_prompt(alice)
    assert first != second


def test_it_follows_the_users_day_not_the_servers(alice, bob):
    # 23:30 in New York is already the next day in UTC; Bob's prompt follows New York.
    with _at(bob, "2026-03-10", 9):
        monday = todays_prompt(bob)
    with mock.patch(
        "django.utils.timezone.now",
        return_value=datetime(
            2026, 3, 11, 3, 30, tzinfo=ZoneInfo("UTC")
        ),  # 23:30 on the 10th in NY (EDT)
    ):
        late = todays_prompt(bob)
    assert late == monday


def test_it_skips_hidden_prompts(alice):
    with _at(alice, "2026-03-10", 12):
        chosen = todays_prompt(alice)
        HiddenPrompt.objects.create(user=alice, prompt=chosen)
        assert todays_prompt(alice) != chosen
        HiddenPrompt.objects.bulk_create(
            HiddenPrompt(user=alice, prompt=p) for p in Prompt.objects.exclude(pk=chosen.pk)
        )
        assert todays_prompt(alice) is None


def test_it_prefers_prompts_not_answered_recently(alice):
    prompts = list(Prompt.objects.all())
    answered = prompts[:-2]
    with _at(alice, "2026-03-01", 12):
        for prompt in answered:
            Entry.objects.create(
                author=alice,
                prompt=prompt,
                body="x",
                written_on="2026-03-01",
                created_at=timezone.now(),
            )
    for day in range(2, 12):
        with _at(alice, f"2026-03-{day:02d}", 12):
            assert todays_prompt(alice) in prompts[-2:]


def test_it_does_not_swap_todays_prompt_once_answered(alice):
    with _at(alice, "2026-03-10", 9):
        chosen = todays_prompt(alice)
        Entry.objects.create(
            author=alice,
            prompt=chosen,
            body="Answered.",
            written_on="2026-03-10",
            created_at=timezone.now(),
        )
    with _at(alice, "2026-03-10", 20):
        assert todays_prompt(alice) == chosen


def test_it_shows_todays_prompt_on_the_home_page(alice_client, alice):
    response = alice_client.get(reverse("home"))
    prompt = todays_prompt(alice)
    assert response.status_code == 200
    html = response.content.decode()
    assert prompt.text.replace("“", "&ldquo;") in html or prompt.text in html
    assert f"{reverse('entry_new')}?prompt={prompt.pk}" in html
    assert "Write with no prompt" in html


def test_it_hides_and_shows_a_prompt(alice_client, alice):
    prompt = Prompt.objects.first()
    response = alice_client.post(reverse("prompt_hide", args=[prompt.pk]))
    assert response.status_code == 302
    assert HiddenPrompt.objects.filter(user=alice, prompt=prompt).exists()
    page = alice_client.get(reverse("prompts")).content.decode()
    assert f'id="prompt-{prompt.pk}"' not in page
    response = alice_client.post(
        reverse("prompt_show", args=[prompt.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert f'id="prompt-{prompt.pk}"' in response.content.decode()
    assert "<html" not in response.content.decode()  # just the row
    assert not HiddenPrompt.objects.filter(user=alice, prompt=prompt).exists()


def test_it_lists_prompts_by_category(alice_client):
    html = alice_client.get(reverse("prompts")).content.decode()
    for heading in ("Closing questions", "The leader&#x27;s checklist", "Daily check-in"):
        assert heading in html or heading.replace("&#x27;", "'") in html


def test_it_lets_the_operator_edit_prompts_in_the_admin(db, django_user_model, client):
    admin = django_user_model.objects.create_superuser("op@example.com", "op-passphrase-123456")
    client.force_login(admin)
    prompt = Prompt.objects.first()
    response = client.get(reverse("admin:journal_prompt_change", args=[prompt.pk]))
    assert response.status_code == 200


def test_it_starts_a_day_at_local_midnight(alice):
    with _at(alice, "2026-07-01", 0):
        assert alice.today().isoformat() == "2026-07-01"
