"""Full-text search of a person's entries, with one query syntax on PostgreSQL and SQLite.

The syntax is PostgreSQL's `websearch_to_tsquery`: words are ANDed, `or` between two words
or groups gives either, "a quoted phrase" matches those words in that order, `-word` or
`-"a phrase"` leaves entries with it out. Words match their forms (English stemming:
"delegating" finds "delegated"); emoji and non-Latin words are words too.

Both databases index the entry's search copy (`Entry.search_text`, reflect.lib.searchtext:
the text as written, with emoji turned into word tokens and pathological runs broken), and
the query goes through the same function, so both sides tokenise alike.

- **PostgreSQL**: a stored generated column `journal_entry.search_vector`
  (`to_tsvector('english', search_text)`) with a GIN index (migration 0010). The WHERE
  clause and the rank read the stored vector; nothing is recomputed per row. PostgreSQL
  keeps the column in step on every INSERT and UPDATE, whatever path writes (save, import,
  bulk_create, seeding). Fragments are cut from the page's rows in Python
  (reflect.journal.fragments: PostgreSQL's own reading of the query, Snowball stems).
- **SQLite**: an FTS5 table `journal_entry_fts` with the entries as external content
  (`porter unicode61` tokenizer: stemming, Unicode words, diacritics folded), kept in step
  by triggers on `journal_entry` (insert, delete, update of search_text), so every path
  that writes an entry (save, trash, restore, import, bulk_create, account deletion)
  updates it. Ranked by bm25, fragments by FTS5's `snippet()`. `ensure_sqlite_index` runs
  after every migrate: a migration that rebuilds the entry table on SQLite drops its
  triggers, and this puts them back and rebuilds the index.

Fragments carry private-use markers around hits; reflect.journal.browse escapes the text
and only then turns the markers into <mark> tags.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F, QuerySet, TextField
from django.db.models.expressions import RawSQL

from reflect.lib.searchtext import EMOJI_MARK, search_text

SEARCH_CONFIG = "english"
# Markers around hits in fragments (private-use characters, never in a search copy).
HIT_START, HIT_STOP = "\ue000", "\ue001"
TABLE = "journal_entry"
# The migration that creates the indexes (SQLite's is re-made after migrate if lost).
MIGRATION = ("journal", "0010_search_vector_and_fts5")
FTS_TABLE = "journal_entry_fts"
SNIPPET_WORDS = 28
_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_WORDLIKE = re.compile(rf"[\w{EMOJI_MARK}]")


# The query syntax ---------------------------------------------------------------------


@dataclass
class ParsedQuery:
    """websearch syntax as groups of terms: (a AND b) OR (c) ..., minus every excluded term.
    A term is a word or a phrase (a tuple of one or more words, matched in order)."""

    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded


def parse(q: str) -> ParsedQuery:
    """Read a search box's text the way websearch_to_tsquery does (see the module docstring).

    Differences kept on purpose: an excluded term leaves entries out whichever group it was
    typed in (PostgreSQL binds it to its neighbours), and punctuation other than quotes and a
    leading minus only separates words."""
    parsed = ParsedQuery()
    group: list[str] = []
    for token in _TOKEN.findall(search_text(q)):
        if token.lower() == "or":
            if group:
                parsed.groups.append(group)
                group = []
            continue
        excluded = token.startswith("-")
        text = token.lstrip("-").strip('"')
        words = " ".join(re.findall(rf"[\w{EMOJI_MARK}]+(?:['’][\w]+)*", text))
        if not _WORDLIKE.search(words):
            continue
        (parsed.excluded if excluded else group).append(words)
    if group:
        parsed.groups.append(group)
    return parsed


def _fts5_string(words: str) -> str:
    # Every term is an FTS5 string: nothing typed can become an FTS5 operator or column
    # filter. Several words in one string are a phrase.
    return '"' + words.replace('"', '""') + '"'


def fts5_match(terms: list[list[str]]) -> str:
    """An FTS5 MATCH expression: terms ANDed within a group, groups ORed."""
    return " OR ".join(
        "(" + " AND ".join(_fts5_string(term) for term in group) + ")" for group in terms
    )


# Searching -----------------------------------------------------------------------------


def _stored_vector() -> RawSQL:
    return RawSQL(f'"{TABLE}"."search_vector"', [], output_field=SearchVectorField())


def search_postgres(entries: QuerySet, q: str) -> QuerySet:
    """Ranked matches, each with its `search_text` and the query's words as PostgreSQL reads
    them (`terms`, for reflect.journal.fragments): the stored vector for the filter and the
    rank. PostgreSQL reads the syntax itself."""
    query = SearchQuery(search_text(q), search_type="websearch", config=SEARCH_CONFIG)
    return (
        # alias, not annotate: the vector is read by the filter and the rank, never sent back.
        entries.alias(document=_stored_vector())
        .filter(document=query)
        .annotate(
            rank=SearchRank(F("document"), query),
            terms=RawSQL(
                "querytree(websearch_to_tsquery(%s::regconfig, %s))",
                [SEARCH_CONFIG, search_text(q)], output_field=TextField(),
            ),
        )
        .order_by("-rank", "-written_on", "-id")
    )


def search_sqlite(entries: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """Ranked matches with a `snippet`, through the FTS5 table (bm25: lower is better)."""
    matches = entries
    if parsed.excluded:
        left_out = RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            [fts5_match([[term] for term in parsed.excluded])],
        )
        matches = matches.exclude(pk__in=left_out)
    if not parsed.groups:
        # Only exclusions: every other entry, newest first, its opening as the fragment.
        opening = RawSQL(
            f'substr("{TABLE}"."search_text", 1, 200) '
            f'|| CASE WHEN length("{TABLE}"."search_text") > 200 THEN \'…\' ELSE \'\' END', []
        )
        return matches.annotate(snippet=opening).order_by("-written_on", "-id")
    return matches.extra(  # noqa: S610 (FTS5 needs its virtual table joined; no user SQL)
        tables=[FTS_TABLE],
        where=[f'{FTS_TABLE}.rowid = "{TABLE}"."id"', f"{FTS_TABLE} MATCH %s"],
        params=[fts5_match(parsed.groups)],
        select={
            "rank": f"bm25({FTS_TABLE})",
            "snippet": f"snippet({FTS_TABLE}, 0, %s, %s, '…', {SNIPPET_WORDS})",
        },
        select_params=[HIT_START, HIT_STOP],
    ).order_by("rank", "-written_on", "-id")


def search(entries: QuerySet, q: str) -> QuerySet | None:
    """The person's matching entries, best first, each with a marked `snippet`; None when
    the text holds nothing to search for."""
    parsed = parse(q)
    if parsed.empty:
        return None
    if connection.vendor == "postgresql":
        return search_postgres(entries, q)
    return search_sqlite(entries, parsed)


# SQLite's index ------------------------------------------------------------------------

_SQLITE_TRIGGERS = {
    "journal_entry_fts_insert": (
        f"AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    "journal_entry_fts_delete": (
        f"AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    ),
    "journal_entry_fts_update": (
        f"AFTER UPDATE OF search_text ON {TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}


def ensure_sqlite_index(using: str = "default") -> bool:
    """Create the FTS5 table and its triggers if any is missing, and then (re)build the
    index from the entries. True if anything had to be made. SQLite only; a no-op elsewhere."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name = %s OR name IN (%s, %s, %s)",
            [FTS_TABLE, *_SQLITE_TRIGGERS],
        )
        present = {row[0] for row in cursor.fetchall()}
        if TABLE not in conn.introspection.table_names(cursor):
            return False
        if present == {FTS_TABLE, *_SQLITE_TRIGGERS}:
            return False
        if FTS_TABLE not in present:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_text, "
                f"content='{TABLE}', content_rowid='id', "
                "tokenize='porter unicode61 remove_diacritics 2')"
            )
        for name, body in _SQLITE_TRIGGERS.items():
            if name not in present:
                cursor.execute(f"CREATE TRIGGER {name} {body}")
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return True


def drop_sqlite_index(using: str = "default") -> None:
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        for name in _SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
