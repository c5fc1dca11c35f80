"""Stored framing analyses. The analyzer itself (reflect.framing.analyzer) knows nothing of
the ORM; this module keeps its results in a form trends can pool in SQL: per-dimension
positive and negative cue weights in columns, and one row per cue phrase.

Invariant: Framing, Cue and WeeklyFraming rows exist only for saved entries that are not in
the trash. `store_analysis` keeps it on every save, trash and restore, and the bulk paths
(seeding, import, reanalyze) call `rebuild_weekly_totals` after they write. So the summary
queries need no join to the entries table, and never touch entry text.
"""

import hashlib
import io
import json
import pickle
from collections.abc import Iterable
from datetime import date, timedelta
from operator import attrgetter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from reflect.framing.learned import RULE as LEARNED_RULE
from reflect.framing.lexicon import DIMENSIONS
from reflect.lib.sql import batched, run_kept_statements, run_statements

# The analyzer's keys, from the lexicon module (cheap: it compiles nothing at import).
DIMENSION_KEYS = DIMENSIONS
PERIODS = {"week": TruncWeek, "month": TruncMonth}


def sum_columns() -> dict:
    """entries, words and every dimension's cue sums, as aggregates."""
    sums = {}
    for key in DIMENSION_KEYS:
        sums[f"{key}_pos"] = Sum(f"{key}_pos")
        sums[f"{key}_neg"] = Sum(f"{key}_neg")
    return sums


class CueSums(models.Model):
    """Per-dimension sums of positive and negative cue weights."""

    action_vision_pos = models.FloatField(default=0)
    action_vision_neg = models.FloatField(default=0)
    position_choice_pos = models.FloatField(default=0)
    position_choice_neg = models.FloatField(default=0)
    self_collective_pos = models.FloatField(default=0)
    self_collective_neg = models.FloatField(default=0)
    obligation_agency_pos = models.FloatField(default=0)
    obligation_agency_neg = models.FloatField(default=0)
    ripple_pos = models.FloatField(default=0)
    ripple_neg = models.FloatField(default=0)
    fixed_growth_pos = models.FloatField(default=0)
    fixed_growth_neg = models.FloatField(default=0)
    tone_pos = models.FloatField(default=0)
    tone_neg = models.FloatField(default=0)

    class Meta:
        abstract = True

    def sums(self) -> dict[str, tuple[float, float]]:
        """Each dimension's (positive, negative) summed weights."""
        return {d: (getattr(self, f"{d}_pos"), getattr(self, f"{d}_neg")) for d in DIMENSIONS}


class FramingQuerySet(models.QuerySet):
    def live(self) -> "FramingQuerySet":
        """Analyses of saved entries that are not in the trash: all of them (see the module
        docstring); kept as a name so that queries say what they mean."""
        return self.all()

    def for_user(self, user) -> "FramingQuerySet":
        return self.filter(author=user)

    def pooled_by(self, unit: str) -> models.QuerySet:
        """Sum cue weights and words per week or month of `written_on` (the author's own
        calendar day), in one SQL query: trends pool the period's words, they do not average
        entry scores. Rows: period, entries, authors, words, <dimension>_pos, <dimension>_neg.
        """
        return (
            self.annotate(period=PERIODS[unit]("written_on"))
            .values("period")
            .annotate(
                entries=Count("entry"),
                authors=Count("author", distinct=True),
                words=Sum("words"),
                **sum_columns(),
            )
            .order_by("period")
        )


class JSONTextField(models.JSONField):
    """A JSONField kept as its JSON text: a text column on PostgreSQL instead of jsonb (SQLite
    keeps JSON as text already). For a large value written often, read whole and never
    queried inside (an analysis's evidence, 30 KB for 300 words): jsonb parsed it into its
    binary form on every write and printed it back on every read; a text column stores the
    text, lz4-compressed where the server has lz4 (migration framing 0005). Reads are the
    same: Django turns the JSON text into Python, as it did jsonb's."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "text"
        return super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        if not prepared:
            value = self.get_prep_value(value)
        return json.dumps(value, cls=self.encoder, ensure_ascii=False)


class Framing(CueSums):
    entry = models.OneToOneField(
        "journal.Entry", on_delete=models.CASCADE, primary_key=True, related_name="framing"
    )
    # Copied from the entry (kept in step on every save) so that pooling needs no join.
    # No index of its own: framing_author_day leads with it (with one, PostgreSQL read a
    # team's every analysis by author and filtered the days: 80 ms instead of 16 at 500 people).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False
    )
    written_on = models.DateField()
    prompt = models.ForeignKey("journal.Prompt", null=True, on_delete=models.SET_NULL)
    analyzer_version = models.CharField(max_length=32, db_index=True)
    words = models.PositiveIntegerField(default=0)
    scores = models.JSONField(default=dict)
    confidence = models.JSONField(default=dict)
    evidence = JSONTextField(default=list)
    ignored = models.JSONField(default=list)
    flags = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)
    # analysis_digest of the analysis this row and the entry's cues were stored from, so that
    # a save whose analysis finds the same keeps them unread and unwritten (store_analysis);
    # "" when not known. Whoever writes this row or the cues another way leaves it "".
    evidence_digest = models.CharField(max_length=48, blank=True, default="", editable=False)

    objects = FramingQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["author", "written_on"], name="framing_author_day")]

    def __str__(self) -> str:
        return f"Framing of entry {self.entry_id} ({self.analyzer_version})"


class Cue(models.Model):
    """One evidence phrase of one entry: lets trends name the phrases that moved."""

    entry = models.ForeignKey("journal.Entry", on_delete=models.CASCADE, related_name="cues")
    # No index of its own: cue_author_dim_day leads with it (one index fewer per cue written).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False
    )
    written_on = models.DateField()
    dimension = models.CharField(max_length=24)
    pole = models.SmallIntegerField()
    phrase = models.CharField(max_length=120)
    weight = models.FloatField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["author", "dimension", "written_on"], name="cue_author_dim_day"),
        ]


class WeeklyFramingQuerySet(models.QuerySet):
    def pooled(self) -> models.QuerySet:
        """Sum the per-person weeks per week: `writers` is how many people wrote."""
        return (
            self.values("week")
            .annotate(
                writers=Count("author", distinct=True),
                entries=Sum("entries"),
                words=Sum("words"),
                **sum_columns(),
            )
            .order_by("week")
        )


class WeeklyFraming(CueSums):
    """One person's framing sums for one Monday-to-Sunday week of `written_on`.

    A summary of a 500-person team over a year reads 26,000 of these instead of 182,000
    analyses. Rebuilt from Framing for the weeks an edit touches, so it can never drift
    further than one `rebuild_weekly_totals` away.
    """

    # No index of its own: weekly_framing_once leads with it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False
    )
    week = models.DateField(help_text="The Monday the week starts on.")
    entries = models.PositiveIntegerField(default=0)
    words = models.PositiveIntegerField(default=0)

    objects = WeeklyFramingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "week"], name="weekly_framing_once")
        ]
        indexes = [models.Index(fields=["week", "author"], name="weekly_framing_week")]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def refresh_weeks(author_id: int, days: Iterable[date]) -> None:
    """Recompute one person's weekly totals for the weeks containing `days`."""
    weeks = sorted({monday(d) for d in days if d is not None})
    if not weeks:
        return
    with transaction.atomic():
        lock_authors([author_id])
        _rebuild(Q(author_id=author_id), Q(author_id=author_id, week__in=weeks), weeks)


def rebuild_weekly_totals(author_ids: Iterable[int] | None = None) -> None:
    """Recompute every weekly total of these people (everyone when None): after bulk writes."""
    if author_ids is None:
        _rebuild(Q(), Q(), None)
        return
    ids = list(author_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        with transaction.atomic():
            lock_authors(chunk)
            _rebuild(Q(author_id__in=chunk), Q(author_id__in=chunk), None)


def lock_authors(author_ids: Iterable[int] | None) -> None:
    """Serialise writers of these people's weekly totals until the transaction ends.

    Two saves by one person in one week (two tabs, an autosave beside a save, an import) would
    otherwise both delete and re-insert that week's row under READ COMMITTED, and the second
    would fail on `weekly_framing_once`, losing its text. A lock per author, always taken in
    one order so that two bulk paths cannot deadlock, makes the read-then-write of totals one
    person at a time. On PostgreSQL a transaction-level advisory lock (see _author_lock):
    locking the author's row instead wrote the row (its xmax, in the WAL) on every save and
    held back anything else that locks it for key share. SQLite's IMMEDIATE transactions
    already serialise every writer; there `select_for_update` is a no-op. None locks nobody
    (the rebuild of everyone is an operator command, run alone).
    """
    if author_ids is None:
        return
    ids = sorted(set(author_ids))
    if not ids:
        return
    if connection.vendor == "postgresql":
        keys = sorted({_author_lock(pk) for pk in ids})
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_advisory_xact_lock(%s::integer, k)) "
                "FROM (SELECT unnest(%s::integer[]) AS k ORDER BY 1) AS keys",
                [AUTHOR_LOCK_CLASS, keys],
            )
        return
    User = get_user_model()
    list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


# The first key of the advisory locks of lock_authors (any constant: "Refl"), the second the
# author's id as a 32-bit integer (two ids 2^32 apart share a lock: they only wait more).
AUTHOR_LOCK_CLASS = 0x5265666C


def _author_lock(author_id: int) -> int:
    return (author_id + 2**31) % 2**32 - 2**31


def _lock_key(author_id: int) -> int:
    """The parameter of the "lock" statement (_storage_sql) for this author."""
    return _author_lock(author_id) if connection.vendor == "postgresql" else author_id


def _rebuild(framing_filter: Q, weekly_filter: Q, weeks: list[date] | None) -> None:
    source = Framing.objects.filter(framing_filter)
    if weeks is not None:
        days = Q()
        for week in weeks:
            days |= Q(written_on__range=(week, week + timedelta(days=6)))
        source = source.filter(days)
    rows = (
        source.annotate(week=TruncWeek("written_on"))
        .values("author_id", "week")
        .annotate(entries=Count("pk"), words=Sum("words"), **sum_columns())
        .order_by()
    )
    totals = [WeeklyFraming(**row) for row in rows]
    with transaction.atomic():
        WeeklyFraming.objects.filter(weekly_filter).delete()
        WeeklyFraming.objects.bulk_create(totals, batch_size=1000)


class HighlightReport(models.Model):
    """A reader said "this highlight is wrong": kept to improve the lexicons."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    entry = models.ForeignKey("journal.Entry", on_delete=models.CASCADE)
    analyzer_version = models.CharField(max_length=32)
    dimension = models.CharField(max_length=24)
    rule = models.CharField(max_length=120)
    phrase = models.CharField(max_length=200)
    pole = models.SmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)


CueRow = tuple[int, int, date, str, int, str, float]
_CUE_COLUMNS = ("entry_id", "author_id", "written_on", "dimension", "pole", "phrase", "weight")


def framing_rows(entry, analysis) -> tuple[Framing, list[CueRow]]:
    """The unsaved Framing row and the cue rows (in _CUE_COLUMNS order) for one saved entry
    and its analysis: used by the bulk paths (seeding, import), which bulk_create the
    framings and insert_cues the cues. store_analysis makes the same, only when the analysis
    changed."""
    framing = _framing(entry, analysis, analysis_digest(entry, analysis))
    framing.evidence = _evidence_items(analysis)
    return framing, _cue_rows(entry, analysis)


def _framing(entry, analysis, digest: str) -> Framing:
    """The unsaved Framing row of an analysis, its evidence not yet filled in."""
    from reflect.framing import ANALYZER_VERSION, DIMENSIONS

    framing = Framing(
        entry=entry,
        author_id=entry.author_id,
        written_on=entry.written_on,
        prompt_id=entry.prompt_id,
        analyzer_version=ANALYZER_VERSION,
        words=analysis.word_count,
        scores=dict(analysis.scores),
        confidence={d: round(r.confidence, 3) for d, r in analysis.dimensions.items()},
        ignored=[{"start": i.start, "end": i.end, "reason": i.reason} for i in analysis.ignored],
        flags=sorted(analysis.flags),
        computed_at=timezone.now(),
        evidence_digest=digest,
    )
    for dimension in DIMENSIONS:
        setattr(framing, f"{dimension}_pos", analysis.dimensions[dimension].positive)
        setattr(framing, f"{dimension}_neg", analysis.dimensions[dimension].negative)
    return framing


def _evidence_items(analysis) -> list[dict]:
    """Framing.evidence of an analysis, its keys in the order jsonb kept them (shorter first,
    then bytewise) when the column was jsonb: rows stored since read the same."""
    return [
        {"end": e.end, "pole": e.pole, "rule": e.rule, "start": e.start, "weight": e.weight,
         "dimension": e.dimension}
        for e in analysis.evidence
    ]


def _cue_rows(entry, analysis) -> list[CueRow]:
    """Trends name the phrases that moved from these rows: the rules' phrases, not the words
    only the learned layer weighs (they count in the sums; an entry has many)."""
    pk, author_id, day = entry.pk, entry.author_id, entry.written_on
    learned = LEARNED_RULE
    return [
        (pk, author_id, day, e.dimension, e.pole, e.text.lower()[:120], e.weight)
        for e in analysis.evidence
        if not e.rule.startswith(learned)
    ]


# What analysis_digest reads of each item of evidence for its second part: what
# Framing.evidence stores of it (_evidence_items; the text is not stored there, and the cues'
# texts are the first part's), and the version of what it reads: a change to what it reads,
# or to what _framing and _cue_rows store from an analysis, must change _DIGEST_FORMAT so that
# no stored digest matches anew.
_DIGESTED = attrgetter("start", "end", "pole", "rule", "weight", "dimension")
_DIGEST_FORMAT = 4
DIGEST_PART_CHARS = 16  # each of analysis_digest's three parts
# The cues' and the evidence's parts: equal, the row keeps its evidence and its cues.
_CUES_AND_EVIDENCE = slice(0, 2 * DIGEST_PART_CHARS)


def analysis_digest(entry, analysis) -> str:
    """Three digests of what a saved entry's analysis stores, 16 hexadecimal digits each:
    - the cues': the entry's day and each cue's dimension, pole, text and weight (the
      evidence of the rules, not of the learned layer: see _cue_rows);
    - the evidence's: the day and what Framing.evidence keeps of every item of evidence
      (span, pole, rule, weight and dimension; not its text, which only the cues keep);
    - the rest of the row's but the time it was computed: the analyzer's version, the author,
      day and prompt, the words, scores, every dimension's sums and confidence, the ignored
      spans and flags.
    store_analysis keeps what is equal: the cues when the first parts are (typing a word the
    learned layer weighs moves the evidence, seldom a cue), the evidence too when the first
    two are (a word that is no cue at all), the whole row when all three are.

    Pickled without a memo (the bytes then depend on the values alone, not on which equal
    strings happen to be one object), then hashed with SHA-256 (twice as fast as BLAKE2b on
    the 60 KB of a 300-word entry's evidence here, where the CPU computes SHA-256 itself):
    about a sixth of the time of the evidence's JSON text alone."""
    from reflect.framing import ANALYZER_VERSION

    day = entry.written_on.toordinal()
    learned = LEARNED_RULE
    evidence = analysis.evidence
    cues = (_DIGEST_FORMAT, day, [(e.dimension, e.pole, e.text, e.weight)
                                   for e in evidence if not e.rule.startswith(learned)])
    stored = (_DIGEST_FORMAT, day, list(map(_DIGESTED, evidence)))
    row = (
        _DIGEST_FORMAT, ANALYZER_VERSION, entry.author_id, day, entry.prompt_id,
        analysis.word_count, analysis.scores,
        [(d, r.positive, r.negative, r.confidence) for d, r in analysis.dimensions.items()],
        [(i.start, i.end, i.reason) for i in analysis.ignored], sorted(analysis.flags),
    )
    return _hashed(cues) + _hashed(stored) + _hashed(row)


def _hashed(value) -> str:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()[:DIGEST_PART_CHARS]


def evidence_json(evidence: list[dict]) -> str:
    """The evidence as the JSON text Framing.evidence stores (JSONTextField): the text
    json.dumps(evidence, ensure_ascii=False) writes, in about two thirds of its time:
    the rules and dimensions, a few hundred strings, are escaped once per process."""
    strings = _JSON_STRINGS
    parts = []
    for item in evidence:
        rule, dimension = item["rule"], item["dimension"]
        if (quoted_rule := strings.get(rule)) is None:
            quoted_rule = strings[rule] = json.dumps(rule, ensure_ascii=False)
        if (quoted_dimension := strings.get(dimension)) is None:
            quoted_dimension = strings[dimension] = json.dumps(dimension, ensure_ascii=False)
        parts.append(_EVIDENCE_ITEM % (item["end"], item["pole"], quoted_rule, item["start"],
                                       item["weight"], quoted_dimension))
    return f"[{', '.join(parts)}]"


_JSON_STRINGS: dict[str, str] = {}  # the lexicons' rules and dimensions: a bounded set
# json.dumps writes ints with %d and floats with their repr, as here.
_EVIDENCE_ITEM = ('{"end": %d, "pole": %d, "rule": %s, "start": %d, "weight": %r, '
                  '"dimension": %s}')


def insert_cues(rows: list[CueRow]) -> None:
    """Write cue rows as plain tuples: a long entry has hundreds of cues, and building a model
    instance for each costs more than the rest of a save. One COPY on PostgreSQL, one
    executemany elsewhere."""
    if not rows:
        return
    table = connection.ops.quote_name(Cue._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _CUE_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows (adapted in C by psycopg): parameters of one huge INSERT
            # would be quoted in Python.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(_CUE_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def store_analyses(entries: Iterable) -> int:
    """Analyse many new entries and store their framing in bulk (seeding, import), then
    total their authors' weeks. Drafts and trashed entries are skipped, as in store_analysis.
    Returns how many were analysed."""
    from reflect.framing import analyze

    framings, cues, authors = [], [], set()
    for entry in entries:
        if entry.is_draft or entry.deleted_at is not None:
            continue
        framing, entry_cues = framing_rows(entry, analyze(entry.body))
        framings.append(framing)
        cues.extend(entry_cues)
        authors.add(entry.author_id)
    with transaction.atomic():
        Framing.objects.bulk_create(framings, batch_size=1000)
        insert_cues(cues)
        rebuild_weekly_totals(authors)
    return len(framings)


SUM_FIELDS = tuple(f"{key}_{pole}" for key in DIMENSION_KEYS for pole in ("pos", "neg"))
# What evidence_kept writes, in its order.
_KEPT_FIELDS = [
    f for f in Framing._meta.concrete_fields if f.column not in ("entry_id", "evidence")
]
_MOVED = (*SUM_FIELDS, "words")


# One save of one entry stores its analysis in two round trips on PostgreSQL whatever its
# length (one when its digest is the stored one's): the author's lock with the previous sums
# and cues, then every write (the cues that changed, the analysis, the weeks) as one batch of
# statements. The SQL is written once here; the ORM compiled about a millisecond of it on
# every save.


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _quote(model._meta.db_table)


def _storage_sql() -> dict[str, str]:
    weekly, cue, framing = _table(WeeklyFraming), _table(Cue), _table(Framing)
    moved = ("entries", *_MOVED)
    framing_columns = [f.column for f in Framing._meta.concrete_fields]
    marks = ["%s"] * len(framing_columns)  # the evidence goes as its text (evidence_json)
    statements = {
        # lock_authors for one author (its parameter: _author_lock's key).
        "lock": (f"SELECT pg_advisory_xact_lock({AUTHOR_LOCK_CLASS:d}, %s::integer)"
                 if connection.vendor == "postgresql" else
                 f"SELECT 1 FROM {_table(get_user_model())} WHERE {_quote('id')} = %s"
                 + (" FOR UPDATE" if connection.features.has_select_for_update else "")),
        # The sums, and the digest of what the evidence and cues were stored from.
        "previous": (f"SELECT {', '.join(map(_quote, ('written_on', *_MOVED)))}, "
                     f"{_quote('evidence_digest')} FROM {framing} "
                     f"WHERE {_quote('entry_id')} = %s"),
        "cues_out": f"DELETE FROM {cue} WHERE {_quote('entry_id')} = %s",
        # The stored cues, unless the analysis stored has the new one's cue digest (then they
        # are kept as they are, and not read).
        "cues_kept": (f"SELECT {', '.join(map(_quote, ('id', *_CUE_COLUMNS[3:])))} FROM {cue} "
                      f"WHERE {_quote('entry_id')} = %s AND NOT EXISTS (SELECT 1 FROM {framing} "
                      f"WHERE {_quote('entry_id')} = %s AND substr({_quote('evidence_digest')}, "
                      f"1, {DIGEST_PART_CHARS:d}) = %s)"),
        "cues_drop": f"DELETE FROM {cue} WHERE {_quote('id')} = ANY(%s)",
        "framing_out": f"DELETE FROM {framing} WHERE {_quote('entry_id')} = %s",
        # Insert or replace in one statement (PostgreSQL and SQLite alike).
        "framing_in": (
            f"INSERT INTO {framing} ({', '.join(map(_quote, framing_columns))}) "
            f"VALUES ({', '.join(marks)}) "
            f"ON CONFLICT ({_quote('entry_id')}) DO UPDATE SET "
            + ", ".join(f"{_quote(c)} = EXCLUDED.{_quote(c)}"
                        for c in framing_columns if c != "entry_id")
        ),
        # The same analysis as stored (the digests are equal): only its time moves, which
        # the trends page's cache key reads.
        "framing_kept": (f"UPDATE {framing} SET {_quote('computed_at')} = %s "
                         f"WHERE {_quote('entry_id')} = %s"),
        # The same evidence, not the same row: the row is there (its sums were just read
        # under the lock), and the evidence, most of its size, is neither made, sent nor
        # compressed again.
        "evidence_kept": (
            f"UPDATE {framing} SET "
            + ", ".join(f"{_quote(f.column)} = %s" for f in _KEPT_FIELDS)
            + f" WHERE {_quote('entry_id')} = %s"
        ),
        # PostgreSQL: every cue of the entry as one JSON parameter (json.dumps is C; quoting
        # hundreds of separate parameters would be Python), expanded by the server.
        "cues_in": (
            f"INSERT INTO {cue} ({', '.join(map(_quote, _CUE_COLUMNS))}) "
            "SELECT %s, %s, %s, r.d, r.p, r.t, r.w FROM json_to_recordset(%s::json) "
            "AS r(d text, p smallint, t text, w double precision)"
        ),
        # A week that exists moves by difference; `entries` by -1, 0 or +1.
        "move": (f"UPDATE {weekly} SET "
                 + ", ".join(f"{_quote(n)} = {_quote(n)} + %s" for n in moved)
                 + f" WHERE {_quote('author_id')} = %s AND {_quote('week')} = %s"),
        # A week gaining an entry may not exist yet: insert it, or add to it.
        "add": (f"INSERT INTO {weekly} ({', '.join(map(_quote, ('author_id', 'week', *moved)))}) "
                f"VALUES ({', '.join(['%s'] * (2 + len(moved)))}) "
                f"ON CONFLICT ({_quote('author_id')}, {_quote('week')}) DO UPDATE SET "
                + ", ".join(f"{_quote(n)} = {weekly}.{_quote(n)} + EXCLUDED.{_quote(n)}"
                            for n in moved)),
        # A row means the person wrote that week (summaries count writers).
        "drop_empty": (f"DELETE FROM {weekly} WHERE {_quote('author_id')} = %s "
                       f"AND {_quote('week')} = %s AND {_quote('entries')} <= 0"),
    }
    # Writes that apply only while the row has the digest given last: "touch" is
    # framing_kept sent with the first reads (PostgreSQL) while the digest is not known yet;
    # the "_if" ones are the writes of a save whose stored analysis was read beforehand,
    # without the author's lock (store_analysis's `hint`), checked under the lock.
    digest_is = f" AND {_quote('evidence_digest')} = %s"
    statements["touch"] = statements["framing_kept"] + digest_is
    statements["evidence_kept_if"] = statements["evidence_kept"] + digest_is
    statements["framing_set_if"] = (
        f"UPDATE {framing} SET "
        + ", ".join(f"{_quote(c)} = %s" for c in framing_columns if c != "entry_id")
        + f" WHERE {_quote('entry_id')} = %s{digest_is}"
    )
    statements["move_if"] = (statements["move"] + f" AND EXISTS (SELECT 1 FROM {framing} "
                             f"WHERE {_quote('entry_id')} = %s{digest_is})")
    return statements


_SQL: dict[str, dict[str, str]] = {}


def _sql(name: str) -> str:
    """The statement `name` for the current database (written once per vendor)."""
    if connection.vendor not in _SQL:
        _SQL[connection.vendor] = _storage_sql()
    return _SQL[connection.vendor][name]


def _cue_insert_sql() -> str:
    marks = ", ".join(["%s"] * len(_CUE_COLUMNS))
    return f"INSERT INTO {_table(Cue)} ({', '.join(map(_quote, _CUE_COLUMNS))}) VALUES ({marks})"


def _cues_statement(entry, rows: list[CueRow]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        compact = json.dumps([{"d": r[3], "p": r[4], "t": r[5], "w": r[6]} for r in rows],
                             ensure_ascii=False, separators=(",", ":"))
        return _sql("cues_in"), [entry.pk, entry.author_id, entry.written_on, compact]
    return _cue_insert_sql(), rows, True  # an executemany (statements run one by one here)


def _cues_drop_statement(ids: list[int]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return _sql("cues_drop"), [ids]
    marks = ", ".join(["%s"] * len(ids))
    return f"DELETE FROM {_table(Cue)} WHERE {_quote('id')} IN ({marks})", ids


# What entry_to_edit reads of the stored analysis beside the entry (framing_hint's order).
HINT_COLUMNS = ("written_on", *_MOVED, "evidence_digest")


def framing_hint(values) -> dict | None:
    """The stored analysis's day, sums and digest from HINT_COLUMNS' values, as
    _lock_and_previous reads them ("digest" for the digest); None without an analysis or a
    digest (a row written another way: nothing to check a write against)."""
    if not values or not values[-1]:
        return None
    hint = dict(zip(("written_on", *_MOVED, "digest"), values, strict=True))
    hint["written_on"] = _as_date(hint["written_on"])
    return hint


def _store_hinted(entry, analysis, digest: str, now, hint: dict, first) -> bool:
    """store_analysis in one round trip with the caller's `first` statements, when the stored
    analysis read beforehand (`hint`) has the new one's cues on the same day: the author's
    lock (when a week moves), the week's move and the row's write, each applied only if the
    row still has the hint's digest (checked under the lock, which every writer of an
    analysis takes: the week's move and the row's write see the same row). False, with
    `first` run and nothing else written, when it does not: the caller stores the analysis
    the usual way."""
    guard = hint["digest"]
    if guard == digest:  # the same row and cues as stored: only its time moves
        write = (_sql("touch"), [now, entry.pk, guard])
        new = hint
    else:
        framing = _framing(entry, analysis, digest)
        new = {"written_on": entry.written_on, "words": framing.words,
               **{n: getattr(framing, n) for n in SUM_FIELDS}}
        if guard[_CUES_AND_EVIDENCE] == digest[_CUES_AND_EVIDENCE]:  # the same evidence
            write = (_sql("evidence_kept_if"), [
                *(f.get_db_prep_save(getattr(framing, f.attname), connection)
                  for f in _KEPT_FIELDS),
                entry.pk, guard,
            ])
        else:  # the same cues, other evidence (words typed early in the text move it all)
            framing.evidence = _evidence_items(analysis)
            write = (_sql("framing_set_if"), [
                *(evidence_json(framing.evidence) if f.attname == "evidence"
                  else f.get_db_prep_save(getattr(framing, f.attname), connection)
                  for f in Framing._meta.concrete_fields if f.column != "entry_id"),
                entry.pk, guard,
            ])
    moves = [(_sql("move_if"), [*params, entry.pk, guard], week)
             for _, params, week in _week_moves(entry.author_id, hint, new)]
    # The author's lock serialises the writers of weekly totals (lock_authors): a save that
    # moves no week (its time, or sums that did not move) writes none, and its one write is
    # checked on the row itself, whose lock it takes: a writer holding the author's lock that
    # stored another analysis meanwhile has changed the digest (this one then fails the
    # check), and one that read the sums before this write reads them unchanged.
    lock = [(_sql("lock"), [_lock_key(entry.author_id)])] if moves else []
    statements = [*first, *lock, *((sql, params) for sql, params, _ in moves), write]
    # The same few statements on every autosave: kept planned on the connection. Only the
    # editor's views give a hint, and they run their transaction again on StatementsGone.
    counts = run_kept_statements(statements)
    if counts[-1] != 1:
        return False  # another analysis was stored since the hint was read
    missing = [week for (_, _, week), count
               in zip(moves, counts[len(first) + len(lock):-1], strict=True) if count == 0]
    if missing:  # a week row was gone though an analysis counted in it: recount it
        refresh_weeks(entry.author_id, missing)
    return True


def _lock_and_previous(
    entry, digest: str, first: list[tuple] = (), touch=None
) -> tuple[dict | None, list[tuple], bool]:
    """Run the caller's `first` statements (writes), take the author's lock (see
    lock_authors), then read the entry's stored sums and cues: one round trip on PostgreSQL.
    The reads are statements of their own so that, under READ COMMITTED, they see what a save
    that held the lock before us committed.
    Returns (sums or None, [(id, dimension, pole, phrase, weight), ...], touched); the sums
    hold the stored analysis's digest as "digest", and the cues are not read when its cue
    part is `digest`'s. `touch` (PostgreSQL only, a computed_at value for the
    database): when the stored digest is `digest`, the row's computed_at is set in the same
    round trip (touched), and the save has nothing left to write."""
    touched = False
    with connection.cursor() as cursor:
        if batched():
            statements = [*(s[0] for s in first), _sql("lock")]
            params = [*(p for s in first for p in s[1]), _lock_key(entry.author_id)]
            if touch is not None:
                statements.append(_sql("touch"))
                params += [touch, entry.pk, digest]
            cursor.execute(
                ";\n".join([*statements, _sql("previous"), _sql("cues_kept")]),
                [*params, entry.pk, entry.pk, entry.pk, digest[:DIGEST_PART_CHARS]],
            )
            raw = cursor.cursor
            for _ in range(len(first) + 1):
                raw.nextset()
            if touch is not None:
                touched = raw.rowcount == 1
                raw.nextset()
            row = raw.fetchone()
            raw.nextset()
            kept = raw.fetchall()
        else:
            if first:
                run_statements(list(first))
            cursor.execute(_sql("lock"), [_lock_key(entry.author_id)])
            cursor.execute(_sql("previous"), [entry.pk])
            row = cursor.fetchone()
            cursor.execute(_sql("cues_kept"), [entry.pk, entry.pk, digest[:DIGEST_PART_CHARS]])
            kept = cursor.fetchall()
    if row is None:
        return None, kept, touched
    previous = dict(zip(("written_on", *_MOVED, "digest"), row, strict=True))
    previous["written_on"] = _as_date(previous["written_on"])
    return previous, kept, touched


def _cue_changes(kept: list[tuple], cues: list[CueRow]) -> tuple[list[int], list[CueRow]]:
    """(ids of stored cues to delete, cue rows to insert) turning the stored cues into `cues`
    (same entry, same day): an edit of a few words rewrites a few cues, not hundreds."""
    stored: dict[tuple, list[int]] = {}
    for pk, *key in kept:
        stored.setdefault(tuple(key), []).append(pk)
    added = []
    for row in cues:
        ids = stored.get(row[3:])
        if ids:
            ids.pop()
        else:
            added.append(row)
    return [pk for ids in stored.values() for pk in ids], added


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


Move = tuple[str, list, date | None]


def _week_moves(author_id: int, old: dict | None, new: dict | None) -> list[Move]:
    """The statements that move one person's weekly totals from the entry's `old` sums to its
    `new` ones (either None: no analysis), each with the day to recount if it finds no row
    (totals that drifted are rebuilt rather than trusted)."""
    moves = []
    same_week = old is not None and new is not None and (
        monday(old["written_on"]) == monday(new["written_on"])
    )
    if same_week:
        week = monday(new["written_on"])
        delta = [0, *(new[n] - old[n] for n in _MOVED)]
        if not any(delta):  # an edit that moved no sum (nor the words) writes no week
            return []
        return [(_sql("move"), [*delta, author_id, week], week)]
    if old is not None:
        week = monday(old["written_on"])
        moves.append((_sql("move"), [-1, *(-old[n] for n in _MOVED), author_id, week], week))
        moves.append((_sql("drop_empty"), [author_id, week], None))
    if new is not None:
        week = monday(new["written_on"])
        moves.append((_sql("add"), [author_id, week, 1, *(new[n] for n in _MOVED)], None))
    return moves


def store_analysis(entry, first: list[tuple] = (), hint: dict | None = None) -> None:
    """Analyse a saved entry and store the result, with its weekly totals; drafts and trashed
    entries keep none. `first`: the caller's own ``(sql, params)`` writes of this save, not
    yet run (edit_entry's), sent ahead of the first reads here, after the analysis.

    The analysis (pure CPU) runs before the author's lock is taken, so that two saves of one
    person wait for each other only for the two round trips that write (see lock_authors).
    Weekly totals change by difference from the previous analysis, never by a recount.
    What the stored analysis's digest says is unchanged (analysis_digest) is kept: the
    evidence and cues, say after a word that is no cue was typed (neither read, made, sent
    nor written again), or the whole row but the time it was computed (on PostgreSQL,
    written in the first round trip: one round trip in all).

    `hint`: the stored analysis's day, sums and digest as read with the entry before the
    author's lock (entry_to_edit's framing_hint; its caller must run its transaction again
    on reflect.lib.sql.StatementsGone, as the editor's views do). When its cues are the new
    analysis's, on the same day, every write goes in one round trip with `first`, each
    checked against the hint's digest under the lock (_store_hinted): no read under the
    lock. Otherwise, or when the check finds another analysis stored since, the usual way.
    """
    analysis = now = None
    digest = "-"  # matches no stored digest
    if not entry.is_draft and entry.deleted_at is None:
        # Imported here so that migrations and the admin never depend on the lexicons loading.
        from reflect.framing import analyze

        analysis = analyze(entry.body)
        digest = analysis_digest(entry, analysis)
        now = Framing._meta.get_field("computed_at").get_db_prep_save(timezone.now(), connection)
    with transaction.atomic(savepoint=False):
        if (
            hint is not None and analysis is not None and batched()
            and hint["written_on"] == entry.written_on
            and hint["digest"][:DIGEST_PART_CHARS] == digest[:DIGEST_PART_CHARS]
        ):
            if _store_hinted(entry, analysis, digest, now, hint, first):
                return
            first = ()  # run: the analysis stored changed since the hint was read
        previous, kept, touched = _lock_and_previous(
            entry, digest, first, touch=now if analysis is not None and batched() else None
        )
        if touched or (previous is None and analysis is None and not kept):
            return  # touched: the same row and cues as stored, and its time is written
        statements: list[tuple[str, list]] = []
        new = None
        if analysis is None:
            if kept:
                statements.append((_sql("cues_out"), [entry.pk]))
            statements.append((_sql("framing_out"), [entry.pk]))
        elif previous is not None and previous["digest"] == digest:
            # The same row and cues as stored (so the same sums: no week moves either).
            statements.append((_sql("framing_kept"), [now, entry.pk]))
            new = previous
        else:
            framing = _framing(entry, analysis, digest)
            new = {"written_on": entry.written_on, "words": framing.words,
                   **{n: getattr(framing, n) for n in SUM_FIELDS}}
            if previous is not None and previous["digest"][_CUES_AND_EVIDENCE] == (
                digest[_CUES_AND_EVIDENCE]
            ):
                # The same evidence and cues as stored (on the same day): the row keeps them.
                statements.append((_sql("evidence_kept"), [
                    *(f.get_db_prep_save(getattr(framing, f.attname), connection)
                      for f in _KEPT_FIELDS),
                    entry.pk,
                ]))
            else:
                framing.evidence = _evidence_items(analysis)
                cues = []
                if previous is not None and previous["digest"][:DIGEST_PART_CHARS] == (
                    digest[:DIGEST_PART_CHARS]
                ):
                    pass  # the same cues as stored (on the same day): kept, and not read
                elif previous is not None and previous["written_on"] == entry.written_on:
                    dropped, cues = _cue_changes(kept, _cue_rows(entry, analysis))
                    if dropped:
                        statements.append(_cues_drop_statement(dropped))
                else:
                    cues = _cue_rows(entry, analysis)
                    if kept:
                        statements.append((_sql("cues_out"), [entry.pk]))
                statements.append((_sql("framing_in"), [
                    evidence_json(framing.evidence) if f.attname == "evidence"
                    else f.get_db_prep_save(getattr(framing, f.attname), connection)
                    for f in Framing._meta.concrete_fields
                ]))
                if cues:
                    statements.append(_cues_statement(entry, cues))
        moves = _week_moves(entry.author_id, previous, new)
        counts = run_statements(statements + [(sql, params) for sql, params, _ in moves])
        missing = [week for (_, _, week), count in zip(moves, counts[len(statements):], strict=True)
                   if week is not None and count == 0]
        if missing:  # a week row was gone though an analysis counted in it: recount it
            refresh_weeks(entry.author_id, missing)
