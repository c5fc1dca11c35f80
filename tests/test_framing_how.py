"""The public page "How the reading works": every dimension from the registry, the measured
fresh-set figures in plain words (from reflect/framing/quality.json), what it cannot see."""

import pytest
from django.urls import reverse

from reflect.framing.dimensions import REGISTRY
from reflect.framing.how import measured, verdict


def test_it_explains_every_dimension_with_its_measured_figures_to_anyone(
    db, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = client.get(reverse("how_reading_works"))
    assert response.status_code == 200
    html = response.content.decode()
    figures = measured()
    for key, dimension in REGISTRY.items():
        assert f">{dimension.name}</h3>" in html
        assert f"{figures['dimensions'][key]['rho']:.2f}" in html
    assert f"on {figures['passages']:,} journal passages" in html
    # The learned layer is said to be learned, and from how much labelled writing.
    words = " ".join(html.split())
    agreed = round(figures["highlights"]["agreed"] * 100)
    assert f"judged each of the {figures['highlights']['judged']:,} phrases" in words
    assert f"in {agreed}% of them" in words
    # Numbers as the reader's language writes them: "2,808" in English.
    assert f"learned from {figures['trained_passages']:,} journal passages" in words
    assert "English only" in html and "never the person" in html


@pytest.mark.parametrize(
    ("rho", "agreement", "words"),
    [
        (0.9, 0.92, "about as often as two careful readers agree"),
        (0.65, 0.9, "most of the time"),
        (0.45, 0.9, "more often than not"),
        (0.25, 0.9, "rough hint"),
        (0.1, 0.9, "do not rely on it"),
    ],
)
def test_it_puts_the_figures_in_plain_words(rho, agreement, words):
    assert words in verdict(rho, agreement)


def test_it_is_linked_from_the_entry_panel_and_trends(alice_client, alice):
    from reflect.journal.models import create_entry

    entry = create_entry(
        author=alice, body="I ran the handover anyway.", written_on=alice.today(), prompt=None,
        draft=False,
    )
    link = f'href="{reverse("how_reading_works")}"'
    assert link in alice_client.get(reverse("entry", args=[entry.pk])).content.decode()
    assert link in alice_client.get(reverse("trends")).content.decode()


def test_it_says_the_marks_are_not_judged_yet_rather_than_zero_percent(db, client, monkeypatch):
    """Between a claim's figures and its readers' judgements, quality.json holds no judged
    phrase: the page must not tell the public that readers agreed with 0 % of 0 phrases."""
    from reflect.framing import how

    figures = {**measured(), "highlights": {"judged": 0, "agreed": 0}}
    monkeypatch.setattr(how, "measured", lambda: figures)
    words = " ".join(client.get(reverse("how_reading_works")).content.decode().split())
    assert "have not been judged by readers yet" in words
    assert "judged each of the 0 phrases" not in words and "0% of them" not in words


def test_it_says_how_often_two_readers_of_the_marks_agree_with_each_other(db, client, monkeypatch):
    """With a second blind reader of the same marks, the page gives that reader's share and the
    readers' agreement with each other beside the first reader's; without one, neither."""
    from reflect.framing import how

    second = {"judged": 40, "agreed": 0.8, "readers_agree": 0.875}
    figures = {**measured(), "highlights": {"judged": 40, "agreed": 0.9, "second_reader": second}}
    monkeypatch.setattr(how, "measured", lambda: figures)
    words = " ".join(client.get(reverse("how_reading_works")).content.decode().split())
    assert ("in 90% of them. A second reader judged the same phrases on their own and agreed "
            "with 80%") in words
    assert "the two readers gave the same verdict on 88% of the phrases" in words
    figures["highlights"] = {"judged": 40, "agreed": 0.9}
    words = " ".join(client.get(reverse("how_reading_works")).content.decode().split())
    assert "A second reader" not in words and "in 90% of them." in words
