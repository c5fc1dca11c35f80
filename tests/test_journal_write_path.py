"""The editor's write path reads and writes with SQL written out: the same rows as the ORM."""

import pytest
from django.db import transaction
from django.utils import timezone

from reflect.journal.models import Entry, Prompt, create_entry, entry_to_edit


@pytest.fixture
def prompt(db):
    return Prompt.objects.get(text="Did I show up as a leader today?")


def test_entry_to_edit_reads_the_entry_as_the_orm_does(alice, bob, prompt):
    entry = create_entry(author=alice, body="I decided to ask. #work", written_on=alice.today(),
                         prompt=prompt, draft=True, mood=4, title="A day")
    with transaction.atomic():
        read = entry_to_edit(alice, entry.pk)
    expected = Entry.objects.get(pk=entry.pk)
    assert read is not None and read.get_deferred_fields() == {"search_text"}
    for field in Entry._meta.concrete_fields:
        if field.name != "search_text":
            assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert read.prompt == prompt and read.written_on == alice.today()
    assert read.search_text == expected.search_text  # loads when asked for
    with transaction.atomic():  # another person's entry, or one in the trash: none
        assert entry_to_edit(bob, entry.pk) is None
        Entry.objects.filter(pk=entry.pk).update(deleted_at=timezone.now())
        assert entry_to_edit(alice, entry.pk) is None
