"""The team summary's reads as SQL written here, not composed by the ORM.

Each view of a summary ran six ORM queries whose compilation (joins, subqueries, the
select_related tree) cost 0.4-1 ms of CPU each, more than the queries themselves. These are the
same statements, written out once: the same tables, columns and conditions as the querysets
they replace (named beside each), on PostgreSQL and SQLite. They read ids, dates, levels,
weekly sums and, for shared entries, titles and prompts: never an entry's text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from types import SimpleNamespace

from django.db import DatabaseError, connections
from django.utils.dateparse import parse_datetime

from reflect.lib.sql import SQLSTATES_GONE, batched, forget_kept, kept_as, kept_names


def _connection():
    from reflect.teams.models import Team

    return connections[Team.objects.db]


Statement = tuple[str, list]


class Kept(tuple):
    """A statement (SQL text, parameters) that `batch` has PostgreSQL keep planned on the
    connection: the same text on every view, so it is prepared once per connection and then
    only executed (planning was most of the database's time for these small reads)."""

    def __new__(cls, sql: str, params: list) -> Kept:
        return super().__new__(cls, (sql, params))


def _rows(sql: str, params: list) -> list[tuple]:
    with _connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def together() -> bool:
    """Whether `batch` sends its statements in one round trip (PostgreSQL, client-side
    binding) rather than one by one."""
    return batched(_connection())


def batch(statements: list[Statement]) -> list[list[tuple] | int]:
    """The rows of each statement in order (for one that returns none, how many rows it
    changed). On PostgreSQL with psycopg's client-side binding (Django's default) they are
    sent together, joined by semicolons, and their results read in turn: one round trip
    instead of one per statement (each cost the app and the database a send, a wait and a
    wake-up); `Kept` statements are prepared the first time on a connection and executed by
    name after, except inside a transaction (an error there would end it, and a missing
    statement is retried outside one). Elsewhere (SQLite, server-side binding) one by one."""
    if not statements:
        return []
    connection = _connection()
    with connection.cursor() as cursor:
        if not together():
            results = []
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall() if cursor.description else cursor.rowcount)
            return results
        if connection.in_atomic_block:
            return _send(cursor, statements, None)
        raw = connection.connection
        try:
            return _send(cursor, statements, kept_names(cursor, raw))
        except DatabaseError as exc:
            # Prepared statements gone (a pooler, DISCARD ALL) or there already: read which
            # exist, then send again.
            if getattr(exc.__cause__, "sqlstate", None) not in SQLSTATES_GONE:
                raise
            forget_kept(raw)
            return _send(cursor, statements, kept_names(cursor, raw))


def _send(cursor, statements: list[Statement], prepared: set[str] | None) -> list:
    from psycopg.pq import ExecStatus  # PostgreSQL only

    texts, params, wanted, new = [], [], [], []
    for statement in statements:
        sql, values = statement
        if prepared is not None and isinstance(statement, Kept):
            name, numbered = kept_as(sql)
            if name not in prepared:
                texts.append(f"PREPARE {name} AS {numbered}")
                wanted.append(False)
                new.append(name)
            sql = f"EXECUTE {name}({', '.join(['%s'] * len(values))})" if values else (
                f"EXECUTE {name}"
            )
        texts.append(sql)
        wanted.append(True)
        params.extend(values)
    cursor.execute("; ".join(texts), params)
    raw = cursor.cursor  # psycopg's: its description builds every column's object, each time
    results = []
    for keep in wanted:
        if keep:
            rows = raw.pgresult.status == ExecStatus.TUPLES_OK
            results.append(raw.fetchall() if rows else raw.rowcount)
        raw.nextset()
    if prepared is not None:
        prepared.update(new)
    return results


def among(ids: list) -> Statement:
    """A condition's tail that a column is one of `ids`, and its parameters: on PostgreSQL
    `= ANY(<one array>)` (one parameter to quote however many ids, the same plan as an IN
    list), elsewhere `IN (%s, …)`. No ids, or only None, match nobody. The array is given as
    its text, '{1,2,3}', which PostgreSQL casts as it cast the list: psycopg quotes a list
    element by element, about 0.3 ms of CPU for 500 ids (and the summary sends two such)."""
    if _connection().vendor == "postgresql":
        return "= ANY(CAST(%s AS bigint[]))", [_array_text(ids)]
    ids = list(ids) or [None]
    return f"IN ({', '.join(['%s'] * len(ids))})", ids


def _array_text(ids) -> str:
    """PostgreSQL's text of an array of ids (None as NULL)."""
    return "{" + ",".join("NULL" if pk is None else str(int(pk)) for pk in ids) + "}"


def _date(value) -> date | None:
    """A DateField column as Python reads it from the ORM (SQLite gives text)."""
    if value is None or type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(value)


def _aware(value) -> datetime | None:
    """A DateTimeField column as the ORM gives it with USE_TZ (SQLite gives naive UTC text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@cache
def _tables() -> dict[str, str]:
    from reflect.accounts.models import User
    from reflect.framing.models import WeeklyFraming
    from reflect.journal.models import Entry, Prompt
    from reflect.teams.models import (
        ConsentReceipt,
        Membership,
        PairedPrompt,
        PublishedWeek,
        SharedEntry,
        Team,
    )

    quote = _connection().ops.quote_name
    return {
        name: quote(model._meta.db_table)
        for name, model in {
            "team": Team, "membership": Membership, "paired": PairedPrompt, "prompt": Prompt,
            "shared": SharedEntry, "entry": Entry, "user": User, "consent": ConsentReceipt,
            "weekly": WeeklyFraming, "published": PublishedWeek,
        }.items()
    }


def team_for_manager(team_id: int, user_id: int):
    """`Team.objects.managed_by(user).select_related("paired__manager_prompt",
    "paired__member_prompt").get(pk=team_id)` with the columns the summary reads (the rest
    deferred), or None. The paired prompt (or its absence) is cached on the team."""
    return team_from(_rows(*team_for_manager_statement(team_id, user_id)))


def team_for_manager_statement(team_id: int, user_id: int) -> Statement:
    t = _tables()
    return Kept(
        f"SELECT t.id, t.name, t.threshold, p.id, p.manager_prompt_id, p.member_prompt_id, "
        f"p.starts_on, p.weeks, mp.text, bp.text FROM {t['team']} t "
        f"LEFT JOIN {t['paired']} p ON p.team_id = t.id "
        f"LEFT JOIN {t['prompt']} mp ON mp.id = p.manager_prompt_id "
        f"LEFT JOIN {t['prompt']} bp ON bp.id = p.member_prompt_id "
        f"WHERE t.id = %s AND EXISTS (SELECT 1 FROM {t['membership']} m "
        f"WHERE m.team_id = t.id AND m.user_id = %s AND m.role = %s)",
        [team_id, user_id, "manager"],
    )


def team_from(rows: list[tuple]):
    """The team of `team_for_manager_statement`'s rows, or None."""
    from reflect.journal.models import Prompt
    from reflect.teams.models import PairedPrompt, Team

    if not rows:
        return None
    pk, name, threshold, paired_id, manager_id, member_id, starts_on, weeks, mine, theirs = (
        rows[0]
    )
    db = Team.objects.db
    team = Team.from_db(db, ["id", "name", "threshold"], (pk, name, threshold))
    paired = None
    if paired_id is not None:
        paired = PairedPrompt.from_db(
            db, ["id", "team_id", "manager_prompt_id", "member_prompt_id", "starts_on", "weeks"],
            (paired_id, pk, manager_id, member_id, _date(starts_on), weeks),
        )
        PairedPrompt.manager_prompt.field.set_cached_value(
            paired, Prompt.from_db(db, ["id", "text"], (manager_id, mine))
        )
        PairedPrompt.member_prompt.field.set_cached_value(
            paired, Prompt.from_db(db, ["id", "text"], (member_id, theirs))
        )
        PairedPrompt.team.field.set_cached_value(paired, team)
    Team.paired.related.set_cached_value(team, paired)
    return team


def shared_for_managers(
    team_id: int, now: datetime, shared_by_id: int | None = None
) -> list[SimpleNamespace]:
    """`SharedEntry.objects.visible_to_managers().filter(team=team,
    version=F("entry__version"))` as the summary lists it: its id, team, expiry, the entry's
    label (title, else prompt) and date, the sharer's name. Newest first. With
    `shared_by_id`, only that member's shares (the member's preview of the managers' page
    runs this same statement, so it shows exactly what they see)."""
    return shared_from(_rows(*shared_statement(team_id, now, shared_by_id)))


def shared_statement(team_id: int, now: datetime, shared_by_id: int | None = None) -> Statement:
    t = _tables()
    connection = _connection()
    by_sharer = "AND s.shared_by_id = %s " if shared_by_id is not None else ""
    # The prompt's text as a subquery, not a LEFT JOIN: the same rows, and a third less for
    # PostgreSQL to plan (planning was most of this statement's time on every view).
    return Kept(
        f"SELECT s.id, s.team_id, s.expires_at, e.title, e.written_on, e.prompt_id, "
        f"(SELECT p.text FROM {t['prompt']} p WHERE p.id = e.prompt_id), "
        f"u.display_name, u.email FROM {t['shared']} s "
        f"INNER JOIN {t['entry']} e ON e.id = s.entry_id "
        f"INNER JOIN {t['user']} u ON u.id = s.shared_by_id "
        f"WHERE s.team_id = %s AND s.version = e.version AND s.revoked_at IS NULL "
        f"AND (s.expires_at IS NULL OR s.expires_at > %s) "
        f"AND e.is_draft = %s AND e.deleted_at IS NULL "
        f"AND EXISTS (SELECT 1 FROM {t['membership']} m WHERE m.user_id = e.author_id "
        f"AND m.team_id = s.team_id AND m.role = %s) {by_sharer}"
        f"ORDER BY s.created_at DESC, s.id DESC",
        [team_id, connection.ops.adapt_datetimefield_value(now), False, "member"]
        + ([shared_by_id] if shared_by_id is not None else []),
    )


def shared_from(rows: list[tuple]) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            pk=pk, id=pk, team_id=team, expires_at=_aware(expires),
            entry=SimpleNamespace(
                label=title or (prompt if prompt_id else "Free entry"),
                written_on=_date(written_on),
            ),
            shared_by=SimpleNamespace(name=display or email.split("@")[0]),
        )
        for pk, team, expires, title, written_on, prompt_id, prompt, display, email in rows
    ]


def member_rows(team_id: int, manager_id: int | None = None) -> list[tuple]:
    """`team.memberships.filter(role="member").annotate(level=current_consent())
    .values_list("counts_with", "user_id", "level", "user__display_name", "user__email",
    "joined_at")` in the memberships' order (joined_at, id): for a deployment that asks
    nothing of members to count (TEAM_COUNT_REQUIRES=none). With `manager_id`, none unless
    that person manages the team (so the rows can be read beside the access check)."""
    return member_rows_from(_rows(*member_rows_statement(team_id, manager_id)))


def member_rows_statement(team_id: int, manager_id: int | None = None) -> Statement:
    t = _tables()
    managed = (
        f"AND EXISTS (SELECT 1 FROM {t['membership']} v WHERE v.team_id = m.team_id "
        f"AND v.user_id = %s AND v.role = %s) " if manager_id is not None else ""
    )
    return Kept(
        f"SELECT m.counts_with, m.user_id, (SELECT c.level FROM {t['consent']} c "
        f"WHERE c.member_id = m.user_id AND c.team_id = m.team_id "
        f"ORDER BY c.given_at DESC, c.id DESC LIMIT 1), u.display_name, u.email, m.joined_at "
        f"FROM {t['membership']} m INNER JOIN {t['user']} u ON u.id = m.user_id "
        f"WHERE m.team_id = %s AND m.role = %s {managed}ORDER BY m.joined_at ASC, m.id ASC",
        [team_id, "member"] + ([manager_id, "manager"] if manager_id is not None else []),
    )


def member_rows_from(rows: list[tuple]) -> list[tuple]:
    return [(*row[:5], _aware(row[5])) for row in rows]


def weekly_writers(author_ids: list[int], start: date, end: date) -> list[dict]:
    """Per week from `start` (inclusive) to `end` (exclusive), the ids of who wrote, as
    comma-separated text (`summary.weekly_writers`)."""
    return weekly_writers_from(_rows(*weekly_writers_statement(author_ids, start, end)))


def weekly_writers_statement(author_ids: list[int], start: date, end: date) -> Statement:
    t = _tables()
    connection = _connection()
    ids = (
        "STRING_AGG(CAST(author_id AS varchar), ',')" if connection.vendor == "postgresql"
        else "GROUP_CONCAT(CAST(author_id AS text), ',')"
    )
    adapt = connection.ops.adapt_datefield_value
    authors, params = among(author_ids)
    # Not Kept (prepared): after five runs PostgreSQL would plan it once for any members, and
    # that generic plan (an index-only scan of every week) took 36 ms at 500 members for a
    # year where the plan made for the members' ids takes 8-12 ms.
    return (
        f"SELECT week, {ids} FROM {t['weekly']} WHERE author_id {authors} "
        f"AND week >= %s AND week < %s GROUP BY week ORDER BY week",
        [*params, adapt(start), adapt(end)],
    )


def weekly_writers_from(rows: list[tuple]) -> list[dict]:
    return [{"week": _date(week), "author_ids": ids} for week, ids in rows]


def published_weeks(team_id: int, viewer_id: int, weeks: list[date]) -> list[tuple]:
    """`PublishedWeek.objects.filter(Q(team=team) | Q(team__in=<teams the viewer manages>),
    week__in=weeks).values_list("team_id", "week", "digest", <members as JSON text>,
    <sums as JSON text>, "threshold")`."""
    return published_weeks_from(_rows(*published_weeks_statement(team_id, viewer_id, weeks)))


def published_weeks_statement(team_id: int, viewer_id: int, weeks: list[date]) -> Statement:
    """The members and sums as text, as stored (decoded only for the weeks that need them:
    most views compare digests and read one week's sums). `weeks`: consecutive Mondays, read
    as the span from the first to the last (a week is stored by its Monday)."""
    t = _tables()
    adapt = _connection().ops.adapt_datefield_value
    return Kept(
        f"SELECT team_id, week, digest, CAST(members AS text), CAST(sums AS text), threshold "
        f"FROM {t['published']} "
        f"WHERE (team_id = %s OR team_id IN (SELECT m.team_id FROM {t['membership']} m "
        f"WHERE m.user_id = %s AND m.role = %s)) "
        f"AND week >= %s AND week <= %s ORDER BY team_id, week, digest",
        [team_id, viewer_id, "manager", adapt(min(weeks)), adapt(max(weeks))],
    )


def published_weeks_from(rows: list[tuple]) -> list[tuple]:
    return [
        (team, _date(week), digest, members, sums, threshold)
        for team, week, digest, members, sums, threshold in rows
    ]
