"""Rows read with SQL written out, turned into model instances as the ORM would.

The journal's busiest pages read a few small result sets each. Django's compiler took more
CPU building those queries than the database took to run them, so the pages write their
statements as SQL (every one scoped to the signed-in person) and read them here: sent
together in one round trip where the driver allows it (reflect.lib.sql.batched), and each
value converted by the field's own converters (dates as text on SQLite, JSON as text).
"""

from functools import lru_cache

from django.db import connection
from django.db.models import DEFERRED

from reflect.lib.sql import batched, read_kept


def read_planned(statements: list[tuple[str, list]]) -> list[list[tuple]]:
    """``read_together`` for the few reads a page makes on every view: on PostgreSQL kept
    planned on the connection (reflect.lib.sql.read_kept: parsed and planned once per
    connection, not on every view), as read_together elsewhere."""
    return read_kept(statements) if batched() else read_together(statements)


def read_together(statements: list[tuple[str, list]]) -> list[list[tuple]]:
    """Every row of each ``(sql, params)`` SELECT, in order: one round trip on PostgreSQL
    with client-side binding, one statement at a time elsewhere."""
    with connection.cursor() as cursor:
        if batched() and len(statements) > 1:
            cursor.execute(
                ";\n".join(sql for sql, _ in statements),
                [value for _, params in statements for value in params],
            )
            results = [cursor.fetchall()]
            while cursor.nextset():
                results.append(cursor.fetchall())
            return results
        results = []
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
        return results


def converters(model, fields) -> list[tuple]:
    """Each field's converters from a database value to Python, as the ORM applies them
    (worked out once per connection: the same for every row and request)."""
    return _converters(model, tuple(fields), connection.ops)


@lru_cache(maxsize=256)
def _converters(model, fields: tuple, ops) -> list[tuple]:
    found = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        functions = [*ops.get_db_converters(column), *field.get_db_converters(ops.connection)]
        found.append((column, functions))
    return found


def instance(model, fields, field_converters, values):
    """A model instance from a plain cursor's values of `fields`, converted as the ORM
    would; the model's other fields deferred."""
    given = {}
    for field, value, (column, functions) in zip(fields, values, field_converters, strict=True):
        for function in functions:
            value = function(value, column, connection)
        given[field.attname] = value
    return model.from_db(
        connection.alias,
        list(given),
        [given.get(field.attname, DEFERRED) for field in model._meta.concrete_fields],
    )


def builder(model, fields):
    """A function making `instance(model, fields, ...)` of a row, with what is the same for
    every row (where each value goes among the model's fields, which ones need converting)
    worked out once: for the lists, which make a few dozen at a time."""
    concrete = model._meta.concrete_fields
    where = {field.attname: i for i, field in enumerate(concrete)}
    slots = [where[field.attname] for field in fields]
    names = [field.attname for field in fields]
    converting = [
        (i, slots[i], column, functions)
        for i, (column, functions) in enumerate(converters(model, fields))
        if functions
    ]
    blank = [DEFERRED] * len(concrete)
    alias = connection.alias
    from_db = model.from_db

    def make(values):
        given = blank.copy()
        for slot, value in zip(slots, values, strict=True):
            given[slot] = value
        for i, slot, column, functions in converting:
            value = values[i]
            for function in functions:
                value = function(value, column, connection)
            given[slot] = value
        return from_db(alias, names, given)

    return make

