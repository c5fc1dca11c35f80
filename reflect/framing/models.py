"""Stored framing analyses. The analyzer itself (reflect.framing.analyzer) knows nothing of
the ORM; this module keeps its results in a form trends can pool in SQL: per-dimension
positive and negative cue weights in columns, and one row per cue phrase.

Invariant: Framing, Cue and WeeklyFraming rows exist only for saved entries that are not in
the trash. `store_analysis` keeps it on every save, trash and restore, and the bulk paths
(seeding, import, reanalyze) call `rebuild_weekly_totals` after they write. So the summary
queries need no join to the entries table, and never touch entry text.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from reflect.framing.lexicon import DIMENSIONS

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


class Framing(CueSums):
    entry = models.OneToOneField(
        "journal.Entry", on_delete=models.CASCADE, primary_key=True, related_name="framing"
    )
    # Copied from the entry (kept in step on every save) so that pooling needs no join.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    written_on = models.DateField()
    prompt = models.ForeignKey("journal.Prompt", null=True, on_delete=models.SET_NULL)
    analyzer_version = models.CharField(max_length=32, db_index=True)
    words = models.PositiveIntegerField(default=0)
    scores = models.JSONField(default=dict)
    confidence = models.JSONField(default=dict)
    evidence = models.JSONField(default=list)
    ignored = models.JSONField(default=list)
    flags = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    objects = FramingQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["author", "written_on"], name="framing_author_day")]

    def __str__(self) -> str:
        return f"Framing of entry {self.entry_id} ({self.analyzer_version})"


class Cue(models.Model):
    """One evidence phrase of one entry: lets trends name the phrases that moved."""

    entry = models.ForeignKey("journal.Entry", on_delete=models.CASCADE, related_name="cues")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
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

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
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
    would fail on `weekly_framing_once`, losing its text. Locking the author rows, always in
    id order so that two bulk paths cannot deadlock, makes the read-then-write of totals one
    person at a time. SQLite's IMMEDIATE transactions already serialise every writer; there
    `select_for_update` is a no-op. None locks nobody (the rebuild of everyone is an operator
    command, run alone).
    """
    if author_ids is None:
        return
    ids = sorted(set(author_ids))
    if ids:
        User = get_user_model()
        list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


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


def framing_rows(entry, analysis) -> tuple[Framing, list[Cue]]:
    """The unsaved Framing and Cue rows for one saved entry and its analysis: shared by
    store_analysis (one entry) and the bulk paths (seeding, import), which bulk_create them.
    """
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
        evidence=[
            {
                "start": e.start,
                "end": e.end,
                "dimension": e.dimension,
                "pole": e.pole,
                "rule": e.rule,
                "weight": e.weight,
            }
            for e in analysis.evidence
        ],
        ignored=[{"start": i.start, "end": i.end, "reason": i.reason} for i in analysis.ignored],
        flags=sorted(analysis.flags),
        computed_at=timezone.now(),
    )
    for dimension in DIMENSIONS:
        setattr(framing, f"{dimension}_pos", analysis.dimensions[dimension].positive)
        setattr(framing, f"{dimension}_neg", analysis.dimensions[dimension].negative)
    cues = [
        Cue(
            entry=entry,
            author_id=entry.author_id,
            written_on=entry.written_on,
            dimension=e.dimension,
            pole=e.pole,
            phrase=e.text.lower()[:120],
            weight=e.weight,
        )
        for e in analysis.evidence
    ]
    return framing, cues


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
        Cue.objects.bulk_create(cues, batch_size=2000)
        rebuild_weekly_totals(authors)
    return len(framings)


@transaction.atomic
def store_analysis(entry) -> Framing | None:
    """Analyse a saved entry and store the result, with its weekly totals; drafts and trashed
    entries keep none. The author is locked first: see lock_authors."""
    lock_authors([entry.author_id])
    previous_day = Framing.objects.filter(entry=entry).values_list("written_on", flat=True).first()
    Cue.objects.filter(entry=entry).delete()
    if entry.is_draft or entry.deleted_at is not None:
        Framing.objects.filter(entry=entry).delete()
        refresh_weeks(entry.author_id, [previous_day])
        return None
    # Imported here so that migrations and the admin never depend on the lexicons loading.
    from reflect.framing import analyze

    framing, cues = framing_rows(entry, analyze(entry.body))
    values = {
        field.attname: getattr(framing, field.attname)
        for field in Framing._meta.concrete_fields
        if not field.primary_key
    }
    framing, _ = Framing.objects.update_or_create(entry=entry, defaults=values)
    Cue.objects.bulk_create(cues)
    refresh_weeks(entry.author_id, [previous_day, entry.written_on])
    return framing
