"""Confidence words on the entry panel follow the measured accuracy of each dimension
(reflect/framing/quality.json, from the fresh writers), not the number of cues alone."""

import re

from django.urls import reverse

from reflect.framing.quality import LEVELS, confidence_word, measured, measured_level
from reflect.journal.models import create_entry


def _figures(**rhos: float) -> dict:
    return {"dimensions": {key: {"rho": rho} for key, rho in rhos.items()}}


def test_it_never_says_more_than_the_measured_accuracy_allows() -> None:
    figures = _figures(ripple=0.72, tone=0.45, position_choice=0.26)
    # Plenty of cues in the entry: the word is as high as the dimension's measured reading.
    assert confidence_word("ripple", 0.9, figures) == "high"
    assert confidence_word("tone", 0.9, figures) == "medium"
    assert confidence_word("position_choice", 0.9, figures) == "low"
    # Few cues: low, however well the dimension reads in general.
    assert confidence_word("ripple", 0.1, figures) == "low"
    assert confidence_word("ripple", 0.5, figures) == "medium"


def test_it_reads_the_levels_from_the_fresh_set_figures() -> None:
    assert [measured_level(r) for r in (None, 0.1, 0.39, 0.4, 0.59, 0.6, 0.9)] == [
        0, 0, 0, 1, 1, 2, 2,
    ]
    stored = measured()["dimensions"]
    for key, row in stored.items():
        if row["rho"] < 0.4:  # today's fresh figures: no dimension can be read as "high"
            assert confidence_word(key, 1.0) == "low"


def test_it_shows_the_measured_confidence_on_the_entry_page(alice, alice_client) -> None:
    entry = create_entry(
        author=alice, prompt=None, draft=False,
        body="I decided to ask both teams how we might share the rota. We tried it and the "
        "team took it from there. I chose to lead it myself, and I am proud of them.",
        written_on=alice.today(),
    )
    page = alice_client.get(reverse("entry", args=[entry.pk])).content.decode()
    words = re.findall(r"Confidence: (\w+)", page)
    assert words, "each reading in the panel has its confidence word"
    best = max(measured_level(row["rho"]) for row in measured()["dimensions"].values())
    assert all(LEVELS.index(word) <= best for word in words), words
    assert reverse("how_reading_works") + "#how-" in page
