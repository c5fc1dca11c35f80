"""Several SQL statements in one round trip where the driver allows it.

The hot writes (an entry's edit, its analysis) are a few statements each. psycopg's
client-side binding (Django's default on PostgreSQL) sends them as one query string; with
server-side binding, and on SQLite (where a statement costs no round trip), they run one by one.
"""

from django.db import connection


def batched() -> bool:
    """Whether several statements can go in one round trip on this connection."""
    return connection.vendor == "postgresql" and not connection.settings_dict.get(
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
