"""The trends page's three reads on a cache miss, as SQL written here.

Building and compiling them with the ORM (a UNION of two grouped queries with eighteen sums,
a CASE of up to fourteen conditions, a grouped join with sixteen sums) cost several ms of CPU
on every cache miss, more than running them. These are the same statements the querysets in
reflect.trends.views compiled to (named beside each), on PostgreSQL and SQLite: the person's
own analyses, weekly totals and cues only (`author_id`), never an entry's text.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from django.db import connections

from reflect.framing.models import SUM_FIELDS


def _connection():
    from reflect.framing.models import Framing

    return connections[Framing.objects.db]


@cache
def _tables() -> dict[str, str]:
    from reflect.framing.models import Cue, Framing, WeeklyFraming
    from reflect.journal.models import Entry, EntryTag, Prompt

    quote = _connection().ops.quote_name
    return {
        name: quote(model._meta.db_table)
        for name, model in {
            "framing": Framing, "weekly": WeeklyFraming, "entry": Entry, "tag": EntryTag,
            "prompt": Prompt, "cue": Cue,
        }.items()
    }


def _as_date(value) -> date:
    """A date column or DATE_TRUNC as the ORM's DateField converters give it."""
    if isinstance(value, str):  # SQLite
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _run(sql: str, params: list) -> tuple[list[str], list[tuple]]:
    with _connection().cursor() as cursor:
        cursor.execute(sql, params)
        return [column[0] for column in cursor.description], cursor.fetchall()


def _tagged(column: str, user_id: int, tag: str, params: list) -> str:
    """`_tagged()` of the views: only the person's entries tagged `tag` (no tag: all)."""
    if not tag:
        return ""
    params += [user_id, tag]
    return (f" AND {column} IN (SELECT entry_id FROM {_tables()['tag']} "
            "WHERE author_id = %s AND name = %s)")


def _day(value: date):
    return _connection().ops.adapt_datefield_value(value)


def rows_and_baseline(
    user_id: int, unit: str, first: date, last: date, weeks: tuple[date, date] | None,
    tag: str,
) -> list[dict]:
    """Framing of the person pooled by `unit` between `first` and `last` (`pooled_by(unit)`
    with the entries' moods; `kind` 0), and with `weeks` (first, last Monday) their weekly
    totals with writing in them (`kind` 1), in one UNION ALL: the rows `_rows_and_baseline`
    reads, as dicts with its field names, `period` a date."""
    t = _tables()
    connection = _connection()
    period, trunc_params = connection.ops.date_trunc_sql(unit, "f.written_on", (), None)
    sums = "".join(f", SUM(f.{field}) AS {field}" for field in SUM_FIELDS)
    params: list = [*trunc_params, user_id, _day(first), _day(last)]
    sql = (
        f"SELECT {period} AS period, COUNT(f.entry_id) AS entries, SUM(f.words) AS words{sums}, "
        "SUM(e.mood) AS mood_total, COUNT(e.mood) AS moods, 0 AS kind "
        f"FROM {t['framing']} f INNER JOIN {t['entry']} e ON f.entry_id = e.id "
        "WHERE f.author_id = %s AND f.written_on BETWEEN %s AND %s"
        + _tagged("f.entry_id", user_id, tag, params) + " GROUP BY 1"
    )
    if weeks is not None:
        columns = "".join(f", w.{field}" for field in SUM_FIELDS)
        sql += (
            f" UNION ALL SELECT w.week AS period, w.entries, w.words{columns}, "
            f"0 AS mood_total, 0 AS moods, 1 AS kind FROM {t['weekly']} w "
            "WHERE w.author_id = %s AND w.entries > 0 AND w.week BETWEEN %s AND %s"
        )
        params += [user_id, _day(weeks[0]), _day(weeks[1])]
    names, rows = _run(sql, params)
    result = []
    for row in rows:
        item = dict(zip(names, row, strict=True))
        item["period"] = _as_date(item["period"])
        result.append(item)
    return result


def cue_counts(
    user_id: int, stretches: list[tuple[str, int, date, date]], tag: str
) -> list[tuple[str, int, str, int, int]]:
    """(dimension, side, phrase, pole, uses) of the person's cues in each (dimension, side,
    first day, last day) stretch, a cue counted for the first stretch it falls in (the
    CASE of `_cue_counts`)."""
    conditions, case_params, where_params = [], [], []
    for dimension, side, first, last in stretches:
        conditions.append("(dimension = %s AND written_on BETWEEN %s AND %s)")
        case_params += [dimension, _day(first), _day(last), side]
        where_params += [dimension, _day(first), _day(last)]
    whens = " ".join(f"WHEN {condition} THEN %s" for condition in conditions)
    params = [*case_params, user_id, *where_params]
    sql = (
        f"SELECT dimension, CASE {whens} ELSE NULL END AS side, phrase, pole, COUNT(id) "
        f"FROM {_tables()['cue']} WHERE author_id = %s AND ({' OR '.join(conditions)})"
        + _tagged("entry_id", user_id, tag, params) + " GROUP BY 1, 3, 4, 2"
    )
    return _run(sql, params)[1]


def prompt_rows(user_id: int, first: date, middle: date, last: date, tag: str) -> list[dict]:
    """Per prompt answered between `first` and `last` and half (0 before `middle`, 1 from
    it): the prompt's text, answers, words and cue sums (the grouped query of
    `_prompt_rows`), as dicts with its field names."""
    t = _tables()
    sums = "".join(f", SUM(f.{field}) AS {field}" for field in SUM_FIELDS)
    params: list = [_day(middle), user_id, _day(first), _day(last)]
    sql = (
        "SELECT f.prompt_id AS prompt_id, CASE WHEN f.written_on < %s THEN 0 ELSE 1 END AS half, "
        f"MIN(p.text) AS prompt_text, COUNT(f.entry_id) AS answers, SUM(f.words) AS words{sums} "
        f"FROM {t['framing']} f INNER JOIN {t['prompt']} p ON f.prompt_id = p.id "
        "WHERE f.author_id = %s AND f.prompt_id IS NOT NULL AND f.written_on BETWEEN %s AND %s"
        + _tagged("f.entry_id", user_id, tag, params) + " GROUP BY 1, 2"
    )
    names, rows = _run(sql, params)
    return [dict(zip(names, row, strict=True)) for row in rows]
