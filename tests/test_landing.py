"""The landing page says what Reflect does for a writer and for a team, what the analysis
reads, and what a manager never sees."""

from django.test import Client
from django.urls import reverse

from reflect.framing.dimensions import REGISTRY


def test_it_explains_reflect_to_a_visitor(db):
    html = Client().get(reverse("landing")).content.decode()
    for heading in ("For you, the writer", "For a team", "What the analysis reads",
                    "What a manager never sees"):
        assert f">{heading}</h2>" in html
    # The seven scales by their one name, from the registry.
    for dimension in REGISTRY.values():
        assert f"<li>{dimension.name}</li>" in html
    assert reverse("how_reading_works") in html
    assert "unless you share one entry yourself" in html


def test_it_sends_a_signed_in_person_to_their_journal(alice_client):
    assert alice_client.get(reverse("landing"))["Location"] == reverse("home")
