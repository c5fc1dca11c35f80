"""What the tests of statements kept planned on the connection share (PostgreSQL only:
reflect.lib.sql.read_kept and run_kept, the team summary's statements)."""

import re

import pytest
from django.db import connection

# Run outside a transaction, as requests run (the tests commit); skipped elsewhere.
KEPT_TESTS = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"),
]
# What differs between two renderings of the same page: its nonce and CSRF tokens.
PER_REQUEST = re.compile(
    r'"X-CSRFToken": "[^"]+"|nonce="[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"'
)


def page_text(response) -> str:
    """A page as its content, without what differs per request."""
    assert response.status_code == 200
    return PER_REQUEST.sub("", response.content.decode())


def forget_all_kept() -> None:
    """None kept on this connection, and this process knows it: as on a new connection."""
    from reflect.lib import sql as lib_sql

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    lib_sql.forget_kept(connection.connection)


def served_whatever_is_kept(view) -> None:
    """``view()`` (a page's text) is the same after the connection lost its statements (what a
    pooler's DISCARD ALL does) and while it keeps statements this process does not know of."""
    from reflect.lib import sql as lib_sql

    page = view()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert view() == page
    lib_sql._KEPT.clear()
    assert view() == page


def prepared() -> set[str]:
    """The names of Reflect's statements prepared on this connection now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'reflect_%%'")
        return {name for (name,) in cursor.fetchall()}
