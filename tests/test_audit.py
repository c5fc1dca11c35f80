"""The operator audit log (issue 12, Operators): admin actions, exports and account deletions
are recorded by `reflect.audit.record`, readable in the admin, never editable there."""

import pytest
from django.test import Client
from django.urls import reverse

from reflect import audit
from reflect.audit.models import AuditEvent
from reflect.journal.models import Prompt, create_entry
from tests.conftest import PASSWORD


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("op@example.com", "op-passphrase-123")


@pytest.fixture
def op_client(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def test_it_records_an_export_with_its_format_and_not_its_content(alice, alice_client):
    create_entry(author=alice, body="Secret words", written_on=alice.today(), prompt=None,
                 draft=False)
    response = alice_client.get(reverse("export_download", args=["json"]))
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.actor_label) == ("export", alice, "alice@example.com")
    assert event.detail == {"format": "json"}


def test_it_records_an_account_deletion_that_outlives_the_account(alice, alice_client):
    alice_pk = alice.pk
    response = alice_client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert event.kind == "account_delete" and event.actor is None
    assert event.actor_label == "alice@example.com" and event.detail == {"user_id": alice_pk}


def test_it_records_nothing_when_the_account_deletion_is_refused(alice, alice_client):
    alice_client.post(reverse("account_delete"), {"password": "not-it"})
    assert not AuditEvent.objects.exists()


def test_it_records_every_admin_add_change_and_delete(op_client, operator):
    add = op_client.post(reverse("admin:journal_prompt_add"), {
        "text": "What did you choose today?", "source": "operator", "category": "daily",
        "passage": "", "is_active": "on", "position": "3",
        "created_at_0": "2026-12-01", "created_at_1": "10:00:00"})
    assert add.status_code == 302, add.content.decode()[:2000]
    prompt = Prompt.objects.get(text="What did you choose today?")
    change = op_client.post(reverse("admin:journal_prompt_change", args=[prompt.pk]), {
        "text": "What did you choose today?", "source": "operator", "category": "daily",
        "passage": "", "position": "4", "created_at_0": "2026-12-01",
        "created_at_1": "10:00:00"})
    assert change.status_code == 302
    second = Prompt.objects.create(text="Another")
    delete = op_client.post(reverse("admin:journal_prompt_changelist"), {
        "action": "delete_selected", "_selected_action": [prompt.pk, second.pk], "post": "yes"})
    assert delete.status_code == 302 and not Prompt.objects.filter(pk=prompt.pk).exists()
    add_event, change_event, delete_event = AuditEvent.objects.order_by("id")
    assert (add_event.kind, add_event.actor, add_event.detail) == (
        "admin_add", operator, {"model": "journal.prompt", "object_id": str(prompt.pk)})
    assert (change_event.kind, change_event.detail["object_id"]) == ("admin_change",
                                                                     str(prompt.pk))
    assert {"Is active", "Position"} <= set(change_event.detail["fields"])  # names, not values
    assert delete_event.kind == "admin_delete" and delete_event.actor == operator
    assert sorted(delete_event.detail["object_ids"]) == sorted([str(prompt.pk), str(second.pk)])


def test_it_shows_the_audit_log_to_operators_read_only(op_client, alice):
    audit.record(audit.SSO_CONFIG, None, setting="issuer")
    audit.record(audit.EXPORT, alice, format="csv")
    event = AuditEvent.objects.get(kind="export")
    changelist = op_client.get(reverse("admin:audit_auditevent_changelist"))
    html = changelist.content.decode()
    assert "Exported their journal" in html and "alice@example.com" in html
    assert "Changed single sign-on" in html and "system" in html
    assert op_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert op_client.post(change, {"kind": "admin_add", "actor_label": "x"}).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert op_client.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.kind == "export" and AuditEvent.objects.count() == 2


def test_it_refuses_an_unknown_kind_of_event(alice):
    with pytest.raises(ValueError, match="Unknown audit kind"):
        audit.record("exprot", alice)
    assert not AuditEvent.objects.exists()


def test_it_records_the_system_when_no_one_is_signed_in(db):
    from django.contrib.auth.models import AnonymousUser

    audit.record(audit.SSO_CONFIG, AnonymousUser(), setting="client_id")
    event = AuditEvent.objects.get()
    assert (event.actor, event.actor_label, event.detail) == (None, "system",
                                                              {"setting": "client_id"})
