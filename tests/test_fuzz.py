"""Request-level fuzz (issue 9, item 5): every URL pattern, GET and POST, as alice and as an
anonymous visitor, with NUL, broken UTF-8 (what a lone surrogate arrives as), huge integers,
far dates and 1 MB values in path parameters, query strings and POST fields: never a 500,
never an exception.

Values travel pre-encoded, as a client would send bytes: the test client itself can't
encode a lone surrogate (imported files carry them: see tests/test_odd_input.py).
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reflect.journal.models import Entry
from tests.test_access import _patterns, route_params

HUGE = str(2**70)
MEGABYTE = "x" * 1_000_000
TEN_KB = "y" * 10_000
# (name, as sent in a path segment, in a query string or form field)
VALUES = [
    ("nul", "%00"),
    ("broken-utf8", "%ED%A0%80"),  # U+D800 encoded as UTF-8 would be: invalid bytes
    ("escaped-surrogate", "%5Cud800"),
    ("huge", HUGE),
    ("negative", "-" + HUGE),
    ("far-future", "9999-12-31"),
    ("far-past", "0001-01-01"),
    ("far-month", "9999-12"),
    ("long", TEN_KB),
]
FIELDS = [
    "entry", "version", "prompt", "written_on", "body", "writing_session", "owner", "q", "page",
    "month", "from", "to", "unit", "range", "dimension", "period", "hidden", "next", "name",
    "email", "threshold", "level", "text", "password", "display_name", "time_zone", "confirm",
    "summary_email", "username", "new_password1", "new_password2", "expires_in", "note",
    "paired", "role", "token", "file",
]
PLACEHOLDER_INT, PLACEHOLDER_STR = 7_654_321, "zzplaceholderzz"
SKIP = {"admin"}


def _routes():
    for namespace, name, route, _pattern in _patterns(__import__("django.urls").urls
                                                      .get_resolver()):
        if namespace in SKIP:
            continue
        kinds = route_params(route)
        yield pytest.param(name, kinds, id=name)


def _url(name: str, kinds: dict, value: str, real_pk: int) -> str:
    kwargs = {k: PLACEHOLDER_INT if kind == "int" else PLACEHOLDER_STR for k, kind in kinds.items()}
    url = reverse(name, kwargs=kwargs)
    url = url.replace(PLACEHOLDER_STR, value)
    # The int converter only matches digits: a huge number, or a real id so that the view's
    # own fields and query string are reached too.
    return url.replace(str(PLACEHOLDER_INT), HUGE if value == HUGE else str(real_pk))


def _assert_fine(response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code)


@pytest.mark.parametrize("name,kinds", list(_routes()))
def test_it_never_answers_odd_input_with_a_500(alice, name, kinds):
    entry = Entry.objects.create(
        author=alice, body="A real entry.", written_on=alice.today(), created_at=timezone.now()
    )
    anon = Client(raise_request_exception=False)
    mine = Client(raise_request_exception=False)
    mine.force_login(alice)
    for label, value in VALUES:
        url = _url(name, kinds, value, entry.pk)
        query = "&".join(f"{field}={value}" for field in FIELDS[:20])
        form = "&".join(f"{field}={value}" for field in FIELDS).encode()
        for who, client in (("alice", mine), ("anonymous", anon)):
            what = f"{who} {label} {url[:80]}"
            _assert_fine(client.get(url), f"GET path {what}")
            _assert_fine(client.get(f"{url}?{query}"), f"GET query {what}")
            _assert_fine(
                client.post(url, form, content_type="application/x-www-form-urlencoded"),
                f"POST {what}",
            )
            if who == "alice" and name in {"logout", "account_delete"}:
                mine.force_login(alice)
    # A megabyte in one field and in the query string.
    big = f"body={MEGABYTE}&q={TEN_KB}&name={TEN_KB}".encode()
    url = _url(name, kinds, "1", entry.pk)
    for who, client in (("alice", mine), ("anonymous", anon)):
        _assert_fine(client.get(f"{url}?q={MEGABYTE}"), f"GET 1 MB {who}")
        _assert_fine(
            client.post(url, big, content_type="application/x-www-form-urlencoded"),
            f"POST 1 MB {who}",
        )
