"""Several SQL statements in one round trip where the driver allows it.

The hot writes (an entry's edit, its analysis) are a few statements each. psycopg's
client-side binding (Django's default on PostgreSQL) sends them as one query string; with
server-side binding, and on SQLite (where a statement costs no round trip), they run one by one.
"""

import hashlib
from functools import lru_cache
from weakref import WeakKeyDictionary

from django.db import DatabaseError, connection


def batched(on=None) -> bool:
    """Whether several statements can go in one round trip on this connection (``on``: a
    connection of django.db.connections; the default one by default)."""
    on = connection if on is None else on
    return on.vendor == "postgresql" and not on.settings_dict.get(
        "OPTIONS", {}
    ).get("server_side_binding")


def run_statements(statements: list[tuple]) -> list[int]:
    """Execute ``(sql, params)`` statements in order and return their row counts; each still
    sees the ones before it. A statement given as ``(sql, rows, True)`` is an executemany of
    ``rows``, only where statements run one by one."""
    counts = []
    with connection.cursor() as cursor:
        if batched():
            cursor.execute(
                ";\n".join(statement[0] for statement in statements),
                [value for statement in statements for value in statement[1]],
            )
            raw = cursor.cursor
            counts.append(raw.rowcount)
            while raw.nextset():
                counts.append(raw.rowcount)
        else:
            for sql, params, *many in statements:
                (cursor.executemany if many and many[0] else cursor.execute)(sql, params)
                counts.append(cursor.rowcount)
    return counts


class StatementsGone(Exception):
    """The statements this process had PostgreSQL keep on a connection (run_kept) were not
    as it thought (a pooler or DISCARD ALL dropped them, or one was left from a failed
    send): the transaction they were sent in is spoilt. Run it again: run_kept then asks
    the server which it keeps."""


# psycopg's connection objects (a new one is a new session: none kept yet) -> the names of
# the statements kept on it, or None when they are to be asked of the server. One registry
# for every kept statement (the editor's here, the team summary's in teams/sql.py).
_KEPT: WeakKeyDictionary = WeakKeyDictionary()
SQLSTATES_GONE = ("26000", "42P05")  # no such prepared statement; one exists already


def kept_names(cursor, raw) -> set[str]:
    """The names of the statements kept on psycopg connection ``raw`` as this process knows
    them (it adds the ones it prepares): none on a new connection, the server's after
    forget_kept."""
    known = _KEPT.get(raw, ())
    if known is None:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        known = {name for (name,) in cursor.fetchall()}
    elif known == ():
        known = set()
    _KEPT[raw] = known
    return known


def forget_kept(raw) -> None:
    """After an error about kept statements: ask the server which it keeps next time."""
    _KEPT[raw] = None


@lru_cache(maxsize=64)
def kept_as(sql: str) -> tuple[str, str]:
    """A kept (prepared) statement's name (from its text: a name always means the same text)
    and its text with PostgreSQL's numbered parameters; the team summary's (teams/sql.py) and
    the editor's (run_kept) both name theirs so."""
    assert "%%" not in sql
    parts = sql.split("%s")
    numbered = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], start=1))
    return "reflect_" + hashlib.sha256(sql.encode()).hexdigest()[:24], numbered


def run_kept(cursor, statements: list[tuple[str, list]]) -> None:
    """Execute ``(sql, params)`` statements in one round trip as statements PostgreSQL keeps
    planned on this connection (batched() only): prepared the first time, in the same round
    trip, and executed by name after, so that the server parses and plans them once per
    connection instead of on every request. The cursor is left on the first statement's
    result (nextset for the others'). Raises StatementsGone (see there)."""
    raw = connection.connection
    known = kept_names(cursor, raw)
    prepares, executes, params = [], [], []
    for sql, values in statements:
        name, numbered = kept_as(sql)
        if name not in known:
            prepares.append((name, f"PREPARE {name} AS {numbered}"))
        executes.append(f"EXECUTE {name}({', '.join(['%s'] * len(values))})" if values
                        else f"EXECUTE {name}")
        params.extend(values)
    try:
        cursor.execute(";\n".join([*(text for _, text in prepares), *executes]), params)
    except DatabaseError as exc:
        forget_kept(raw)  # whichever of its statements ran
        if getattr(exc.__cause__, "sqlstate", None) in SQLSTATES_GONE:
            raise StatementsGone from exc
        raise
    known.update(name for name, _ in prepares)
    for _ in prepares:
        cursor.nextset()


def run_kept_statements(statements: list[tuple]) -> list[int]:
    """run_statements' row counts for statements run as run_kept runs them (batched() only):
    for the same few statements of every autosave. Raises StatementsGone (see there)."""
    counts = []
    with connection.cursor() as cursor:
        run_kept(cursor, [(statement[0], statement[1]) for statement in statements])
        raw = cursor.cursor
        counts.append(raw.rowcount)
        while raw.nextset():
            counts.append(raw.rowcount)
    return counts


def read_kept(statements: list[tuple[str, list]]) -> list[list[tuple]]:
    """Every row of each ``(sql, params)`` SELECT, run as run_kept runs them (batched() only):
    for the few reads a page makes on every view, so that the server plans them once per
    connection. Outside a transaction (as a page reads) a connection that lost its statements
    is asked again once, after run_kept has asked the server which it keeps; inside one, the
    transaction is spoilt and StatementsGone is raised (see there) for its caller to run it
    again."""
    try:
        return _read_kept(statements)
    except StatementsGone:
        if connection.in_atomic_block:
            raise
        return _read_kept(statements)


def _read_kept(statements: list[tuple[str, list]]) -> list[list[tuple]]:
    with connection.cursor() as cursor:
        run_kept(cursor, statements)
        results = [cursor.fetchall()]
        while cursor.nextset():
            results.append(cursor.fetchall())
    return results
