"""Stored framing analyses. The analyzer itself (reflect.framing.analyzer) knows nothing of
the ORM; this module keeps its results in a form trends can pool in SQL: per-dimension
positive and negative cue weights in columns, and one row per cue phrase.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone



class Framing(models.Model):
    entry = models.OneToOneField(
        "journal.Entry", on_delete=models.CASCADE, primary_key=True, related_name="framing"
    )
    analyzer_version = models.CharField(max_length=32, db_index=True)
    words = models.PositiveIntegerField(default=0)
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
    scores = models.JSONField(default=dict)
    confidence = models.JSONField(default=dict)
    evidence = models.JSONField(default=list)
    ignored = models.JSONField(default=list)
    flags = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

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


class HighlightReport(models.Model):
    """"This highlight is wrong": kept to improve the lexicons. Stores the phrase, not the entry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    entry = models.ForeignKey("journal.Entry", on_delete=models.CASCADE)
    analyzer_version = models.CharField(max_length=32)
    dimension = models.CharField(max_length=24)
    rule = models.CharField(max_length=120)
    phrase = models.CharField(max_length=200)
    pole = models.SmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)


def store_analysis(entry) -> Framing | None:
    """Analyse a saved entry and store the result; drafts and trashed entries keep none."""
    if entry.is_draft:
        Framing.objects.filter(entry=entry).delete()
        Cue.objects.filter(entry=entry).delete()
        return None
    # Imported here so that migrations and the admin never depend on the lexicons loading.
    from reflect.framing import ANALYZER_VERSION, DIMENSIONS, analyze

    result = analyze(entry.body)
    values = {
        "analyzer_version": ANALYZER_VERSION,
        "words": result.word_count,
        "scores": dict(result.scores),
        "confidence": {d: round(r.confidence, 3) for d, r in result.dimensions.items()},
        "evidence": [
            {"start": e.start, "end": e.end, "dimension": e.dimension, "pole": e.pole,
             "rule": e.rule, "weight": e.weight}
            for e in result.evidence
        ],
        "ignored": [{"start": i.start, "end": i.end, "reason": i.reason} for i in result.ignored],
        "flags": sorted(result.flags),
        "computed_at": timezone.now(),
    }
    for dimension in DIMENSIONS:
        values[f"{dimension}_pos"] = result.dimensions[dimension].positive
        values[f"{dimension}_neg"] = result.dimensions[dimension].negative
    framing, _ = Framing.objects.update_or_create(entry=entry, defaults=values)
    Cue.objects.filter(entry=entry).delete()
    Cue.objects.bulk_create(
        Cue(
            entry=entry, author_id=entry.author_id, written_on=entry.written_on,
            dimension=e.dimension, pole=e.pole, phrase=e.text.lower()[:120], weight=e.weight,
        )
        for e in result.evidence
    )
    return framing
