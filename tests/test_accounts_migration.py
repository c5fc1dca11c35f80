"""Existing accounts keep working after the move to django-allauth: on a database made with
the schema of before (accounts 0002, no allauth tables), the migration gives each account its
address as verified, and the old password logs in through the new form."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

BEFORE_ACCOUNTS = ("accounts", "0002_throttle_events_and_signup_requests")
ALLAUTH_APPS = ("account", "mfa", "socialaccount", "usersessions")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_it_keeps_existing_accounts_and_passwords_through_the_migration():
    leaves = _leaves()
    before = [node for node in leaves if node[0] not in ALLAUTH_APPS + ("accounts",)]
    before += [BEFORE_ACCOUNTS] + [(app, None) for app in ALLAUTH_APPS]
    old = _migrate(before)
    with pytest.raises(LookupError):
        old.get_model("account", "EmailAddress")  # today's schema: no allauth tables
    User = old.get_model("accounts", "User")
    User.objects.create(email="ada@example.com", password=make_password(PASSWORD))
    User.objects.create(email="grace@example.com", password=make_password("another-one-77"))
    old.get_model("accounts", "SignupRequest").objects.create(
        email="late@example.com", password=make_password(PASSWORD)
    )

    new = _migrate(leaves)

    EmailAddress = new.get_model("account", "EmailAddress")
    addresses = set(EmailAddress.objects.values_list("email", "verified", "primary"))
    assert addresses == {("ada@example.com", True, True), ("grace@example.com", True, True)}
    client = Client()
    response = client.post(reverse("login"), {"login": "ada@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    wrong = Client().post(reverse("login"), {"login": "grace@example.com", "password": PASSWORD})
    assert wrong.status_code == 200  # her own password only
    # A sign-up still waiting for its old link is gone; nothing was made of it.
    assert not new.get_model("accounts", "User").objects.filter(email="late@example.com").exists()
