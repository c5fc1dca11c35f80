"""Operators (the Django admin) never see anyone's words (issue 12, Operators).

Canary words sit in every place words live: entries (live, draft, trashed, shared), their
revisions (edits and conflicts), tags, highlight reports, a team prompt, import jobs and
pending imports (file, message, skipped lines), the admin's own history. A superuser then
walks every page of every registered model admin: index, app pages, changelists, search, add,
change, history, delete confirmation (the cascade list included), bulk delete confirmation
and autocomplete. No canary may appear.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from reflect.audit.models import AuditEvent
from reflect.background.models import ImportJob
from reflect.framing.models import HighlightReport
from reflect.journal.models import (
    Entry,
    EntryTag,
    PendingImport,
    Revision,
    create_entry,
    edit_entry,
)
from reflect.teams.models import (
    AccessEvent,
    ConsentReceipt,
    Invitation,
    SharedEntry,
    TeamPrompt,
)
from tests.test_teams_support import join, make_team

MARK = "zebracanary"  # every canary contains it; the search below looks for "canary"


def canary(where: str) -> str:
    return f"{MARK}{where}"


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("op@example.com", "op-passphrase-123")


@pytest.fixture
def op_client(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


@pytest.fixture
def words(alice, bob):
    """Canaries everywhere words are kept; returns the objects an operator might act on."""
    today = alice.today()
    entry = create_entry(author=alice, body=f"{canary('entry')} I chose to lead.",
                         written_on=today, prompt=None, draft=False)
    edit_entry(entry, body=f"{canary('edited')} I decided to ask.", written_on=today,
               prompt=None, base_version=1, autosave=False)
    Revision.objects.create(entry=entry, body=canary("conflict"), written_on=today,
                            version=entry.version, reason=Revision.Reason.CONFLICT)
    draft = create_entry(author=alice, body=canary("draft"), written_on=today, prompt=None,
                         draft=True)
    trashed = create_entry(author=alice, body=canary("trashed"), written_on=today,
                           prompt=None, draft=False)
    trashed.deleted_at = timezone.now()
    trashed.save(update_fields=["deleted_at"])
    HighlightReport.objects.create(user=alice, entry=entry, analyzer_version="1",
                                   dimension="agency", rule="choice", phrase=canary("phrase"),
                                   pole=1)
    team = make_team(bob)
    join(team, alice, "named")
    SharedEntry.objects.create(entry=entry, team=team, shared_by=alice, version=entry.version)
    TeamPrompt.pose(team, bob, f"What did you unblock? {canary('teamprompt')}")
    team.set_threshold(4, by=bob)
    AccessEvent.record(bob, team, AccessEvent.What.NAMED_SUMMARY, [alice.pk])
    Invitation.objects.create(team=team, created_by=bob, email="dan@example.com")
    ImportJob.objects.create(owner=alice, data=f'{{"entries": ["{canary("import")}"]}}',
                             message=canary("importmessage"))
    PendingImport.objects.create(owner=alice, source="jrnl", count=1,
                                 data=f'{{"entries": ["{canary("pending")}"]}}',
                                 skipped=[f"jrnl entry 2: {canary('skipped')}"])
    EntryTag.objects.create(entry=entry, author=alice, name=canary("tag"))
    # The admin's history of earlier operator actions on these objects.
    for obj in (entry, draft, trashed, *Revision.objects.filter(entry=entry)):
        LogEntry.objects.log_actions(user_id=bob.pk, queryset=[obj], action_flag=2,
                                     change_message="[]", single_object=True)
    return {"entry": entry, "team": team}


def _site_pages(operator) -> list[tuple[str, str]]:
    """(url, method) for every page of every registered model admin."""
    request = RequestFactory().get("/admin/")
    request.user = operator
    pages = [(reverse("admin:index"), "get")]
    app_labels = set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        app_labels.add(opts.app_label)
        name = f"admin:{opts.app_label}_{opts.model_name}"
        changelist = reverse(f"{name}_changelist")
        pages.append((changelist, "get"))
        if model_admin.has_add_permission(request):
            pages.append((reverse(f"{name}_add"), "get"))
        objects = list(model_admin.get_queryset(request)[:30])
        for obj in objects:
            for view in ("change", "history", "delete"):
                if view == "delete" and not model_admin.has_delete_permission(request, obj):
                    continue
                pages.append((reverse(f"{name}_{view}", args=[obj.pk]), "get"))
        if objects and "delete_selected" in model_admin.get_actions(request):
            pages.append((changelist, "bulk-delete"))
    # Autocomplete answers for any relation whose target admin has search fields, declared
    # or not: every such relation of every installed model, with no term (lists all) and with
    # the canary.
    for model in apps.get_models():
        for field in model._meta.get_fields():
            target = field.related_model if field.is_relation and field.concrete else None
            if target is None or not admin.site.is_registered(target):
                continue
            if not admin.site.get_model_admin(target).get_search_fields(request):
                continue
            for term in ("", "canary"):
                pages.append((reverse("admin:autocomplete") + (
                    f"?app_label={model._meta.app_label}&model_name={model._meta.model_name}"
                    f"&field_name={field.name}&term={term}"), "autocomplete"))
    for label in app_labels:
        try:
            pages.append((reverse("admin:app_list", args=[label]), "get"))
        except NoReverseMatch:
            continue
    return pages


def test_it_never_shows_an_operator_anyones_words(words, op_client, operator):
    pages = _site_pages(operator)
    # Every model registered, including the team records (issue 12: visible to operators).
    for model in (Entry, ConsentReceipt, Invitation, AccessEvent, HighlightReport, AuditEvent):
        assert admin.site.is_registered(model)
    seen = autocompleted = 0
    for url, method in pages:
        if method == "bulk-delete":
            model_admin = op_client.get(url).context["cl"].model_admin
            pks = [str(pk) for pk in model_admin.get_queryset(None).values_list("pk", flat=True)]
            response = op_client.post(url, {"action": "delete_selected",
                                            "_selected_action": pks})
        else:
            response = op_client.get(url)
        if method == "autocomplete":
            # 403 where the relation's target field may not be looked up that way.
            assert response.status_code in (200, 403), url
            autocompleted += response.status_code == 200
        else:
            assert response.status_code == 200, url
        html = response.content.decode()
        assert MARK not in html, f"{url} ({method}) shows someone's words"
        seen += 1
    assert seen >= 40 and autocompleted >= 10
    # Nothing was deleted by looking at confirmations.
    assert Entry.objects.count() == 3 and HighlightReport.objects.count() == 1


def test_it_finds_no_entry_by_its_words_in_any_admin_search(words, op_client, operator):
    """Search is no oracle either: "canary" is inside every canary, and no list finds it."""
    searched = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.search_fields:
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = op_client.get(url, {"q": "canary"})
        assert response.status_code == 200, url
        assert response.context["cl"].result_count == 0, f"{url} found words"
        assert MARK not in response.content.decode()
        searched += 1
    assert searched >= 5


def test_it_names_objects_on_the_cascade_list_by_id_not_words(words, op_client, alice):
    """Deleting an account lists every row that goes with it: by kind and number only."""
    html = op_client.get(reverse("admin:accounts_user_delete", args=[alice.pk])).content.decode()
    entry = words["entry"]
    assert f"Entry #{entry.pk}" in html
    assert "Consent receipt #" in html and "Revision #" in html
    assert MARK not in html
    # Consent receipts and access events go with the account: the operator may delete it.
    response = op_client.post(reverse("admin:accounts_user_delete", args=[alice.pk]),
                              {"post": "yes"})
    assert response.status_code == 302
    assert not Entry.objects.filter(author_id=alice.pk).exists()


def test_it_keeps_the_history_of_an_admin_deletion_free_of_words(words, op_client):
    entry = words["entry"]
    response = op_client.post(reverse("admin:journal_entry_delete", args=[entry.pk]),
                              {"post": "yes"})
    assert response.status_code == 302 and not Entry.objects.filter(pk=entry.pk).exists()
    log = LogEntry.objects.filter(object_id=str(entry.pk), action_flag=3).get()
    assert log.object_repr == f"Entry #{entry.pk} of {entry.written_on}"
    assert MARK not in op_client.get(reverse("admin:index")).content.decode()


def test_it_shows_operators_the_teams_records(words, op_client, alice, bob):
    team = words["team"]
    pages = {
        "teams_team": [team.name],
        "teams_membership": ["Alice", "Bob", "Manager"],
        "teams_consentreceipt": ["Named summary"],
        "teams_thresholdchange": [team.name],
        "teams_accessevent": ["your named summary", "Bob"],
        "teams_invitation": ["dan@example.com"],
    }
    for name, expected in pages.items():
        html = op_client.get(reverse(f"admin:{name}_changelist")).content.decode()
        for text in expected:
            assert text in html, (name, text)
    invitation = Invitation.objects.get()
    html = op_client.get(reverse("admin:teams_invitation_change", args=[invitation.pk]))
    assert invitation.token not in html.content.decode()  # the link would let anyone join


def test_it_never_lets_an_operator_change_consent(words, op_client, alice):
    receipt = ConsentReceipt.objects.filter(member=alice).first()
    level = receipt.level
    change = reverse("admin:teams_consentreceipt_change", args=[receipt.pk])
    add = reverse("admin:teams_consentreceipt_add")
    delete = reverse("admin:teams_consentreceipt_delete", args=[receipt.pk])
    assert op_client.get(add).status_code == 403
    assert op_client.post(add, {"member": alice.pk, "team": receipt.team_id,
                                "level": "none"}).status_code == 403
    assert op_client.post(change, {"level": "none", "note": "op"}).status_code == 403
    assert op_client.post(delete, {"post": "yes"}).status_code == 403
    response = op_client.post(reverse("admin:teams_consentreceipt_changelist"), {
        "action": "delete_selected", "_selected_action": [receipt.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    receipt.refresh_from_db()
    assert receipt.level == level
    assert ConsentReceipt.objects.filter(member=alice).count() == 1
    # The page itself is visible, read-only.
    html = op_client.get(change).content.decode()
    assert "Named summary" in html and 'name="level"' not in html


def test_it_gives_an_entry_a_name_without_its_text(alice):
    entry = create_entry(author=alice, body="Private words here", prompt=None, draft=False,
                         written_on=alice.today() - timedelta(days=1))
    assert str(entry) == f"Entry #{entry.pk} of {entry.written_on}"


def test_it_renames_entries_in_the_history_written_before_names_lost_their_text(alice, bob):
    """Admin history rows from before the change kept "date: first 40 characters"."""
    import importlib

    from django.apps import apps

    entry = create_entry(author=alice, body=canary("old"), written_on=alice.today(),
                         prompt=None, draft=False)
    log = LogEntry.objects.log_actions(user_id=bob.pk, queryset=[entry], action_flag=2,
                                       single_object=True)
    LogEntry.objects.filter(pk=log.pk).update(object_repr=f"{entry.written_on}: {canary('old')}")
    migration = importlib.import_module(
        "reflect.audit.migrations.0002_scrub_entry_names_from_admin_history"
    )
    migration.scrub(apps, None)
    log.refresh_from_db()
    assert log.object_repr == f"Entry #{entry.pk}"
