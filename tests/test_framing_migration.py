"""Upgrading keeps every analysis as it was read: the evidence, kept as jsonb until framing
0005 and as its JSON text since, reads back as the same list both ways, and the entry page
still marks it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.conftest import PASSWORD

BEFORE = ("framing", "0004_framing_evidence_digest")
TEXT = (
    "I stayed late. Then I decided to ask the other team — “what if we shared it?” "
    "Nobody asked me to. I chose to."  # clear enough to be marked (explain.clear_scales)
)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _column_type() -> str:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, "framing_framing")
    (column,) = [c for c in description if c.name == "evidence"]
    return connection.introspection.get_field_type(column.type_code, column)


@pytest.mark.django_db(transaction=True)
def test_it_keeps_every_analysis_evidence_when_the_column_becomes_text(client):
    from django.contrib.auth import get_user_model

    from reflect.framing.models import Framing
    from reflect.journal.models import create_entry

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    alice = get_user_model().objects.create_user("alice@example.com", PASSWORD)
    entry = create_entry(author=alice, body=TEXT, written_on=alice.today(), prompt=None,
                         draft=False)
    stored = Framing.objects.get(entry=entry).evidence
    assert stored and all(isinstance(item, dict) for item in stored)

    old = _migrate([BEFORE])
    if connection.vendor == "postgresql":
        assert _column_type() == "JSONField"  # jsonb again
    assert old.get_model("framing", "Framing").objects.get(entry_id=entry.pk).evidence == stored
    # A row written while the column was jsonb.
    old.get_model("framing", "Framing").objects.filter(entry_id=entry.pk).update(
        evidence=stored[::-1])

    _migrate(leaves)
    if connection.vendor == "postgresql":
        assert _column_type() == "TextField"
    assert Framing.objects.get(entry=entry).evidence == stored[::-1]
    Framing.objects.filter(entry=entry).update(evidence=stored)
    client.force_login(alice)
    response = client.get(reverse("entry", args=[entry.pk]))
    assert response.status_code == 200 and b"<mark" in response.content
