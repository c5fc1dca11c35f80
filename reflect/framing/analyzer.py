"""Read how a journal entry frames the writer's own leadership.

Pure Python, deterministic, no network, nothing from Django. The behaviour lives
in the data files in ``lexicons/`` (phrases with a pole and a weight, and
``rules.toml`` for the word lists the rules use); this module applies them:

1. One pass of a combined, trie-shaped regex over a lower-cased copy of the
   text finds every lexicon phrase (offsets equal the original's).
2. Quotes, reported speech, sentence starts and sarcasm markers are found
   beforehand with a handful of regexes.
3. Each cue then looks only at a small window before it: negation, who the
   subject is (the writer, or management deciding for them), whether it sits
   in someone else's words, whether its sentence is sarcastic.

Tone uses our own lexicon rather than vaderSentiment: VADER runs at roughly
tens of thousands of words per second in pure Python (see bench/analyzer.py),
far below the 300,000 words/s target, and it does not know work idioms
("crushed the targets", "drowning in tickets"). The same cue machinery scores
tone per sentence, with quoted words masked.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass

from .lexicon import DIMENSIONS, TYPOGRAPHIC, Entry, compute_digest, load, normalise_key

# Bump whenever a lexicon file, rules.toml or a rule in this module changes;
# LEXICON_DIGEST is checked against the data files by the test suite.
ANALYZER_VERSION = "2026.11.1"
LEXICON_DIGEST = "PENDING"

# dimension -> (negative-pole label, positive-pole label, the article's idea)
DIMENSION_LABELS: dict[str, tuple[str, str, str]] = {
    "action_vision": (
        "tasks, organising, getting it done",
        "the why, the vision, communicating it, living it daily",
        "Management is action; leadership is understanding the vision and living it.",
    ),
    "position_choice": (
        "leadership as title, authority, permission",
        "leadership as a choice anyone makes, leading oneself",
        "Leadership does not belong to the person who holds a certain position.",
    ),
    "self_collective": (
        "me and my own tasks",
        "the team, others and their growth, a shared 'we'",
        "A leader inspires others; sometimes leadership is the team that sees the whole.",
    ),
    "obligation_agency": (
        "had to, no choice, decided for me",
        "I chose, I decided, I didn't wait",
        "Every day each of us chooses whether to show up as a leader.",
    ),
    "ripple": (
        "no outward influence",
        "asking across boundaries, inviting others to step up",
        "Self-leadership ripples out: 'what if…', 'how might we…'.",
    ),
    "fixed_growth": (
        "'not a leader type', 'never'",
        "learning, 'next time I'll…', 'I used to think… now'",
        "Every day is a new chance to show up as a leader.",
    ),
    "tone": (
        "drained, frustrated, low",
        "energised, proud, glad",
        "How would that feel?",
    ),
}

# Plain, non-judgemental words for the entry page: (leans negative, leans positive).
LEAN_PHRASES: dict[str, tuple[str, str]] = {
    "action_vision": (
        "you wrote mostly about the tasks and getting things done",
        "you wrote about the why and the bigger picture",
    ),
    "position_choice": (
        "you linked leading to a title, authority or permission",
        "you described leading as something anyone can choose",
    ),
    "self_collective": (
        "you focused on your own part of the work",
        "others and the team were part of how you saw it",
    ),
    "obligation_agency": (
        "you described this as something decided for you",
        "you described this as something you chose",
    ),
    "ripple": (
        "you kept this within your own work",
        "you reached out beyond your own work",
    ),
    "fixed_growth": (
        "you described things as fixed",
        "you described learning and trying again",
    ),
    "tone": (
        "the feeling in your words was heavy",
        "the feeling in your words was light",
    ),
}


@dataclass(frozen=True, slots=True)
class Evidence:
    start: int
    end: int
    dimension: str
    pole: int  # +1 toward the positive pole, -1 toward the negative pole
    rule: str  # lexicon line and any rule that changed it
    weight: float  # magnitude after rules (always > 0)
    text: str  # == original_text[start:end]


@dataclass(frozen=True, slots=True)
class Ignored:
    start: int
    end: int
    reason: str


@dataclass(frozen=True, slots=True)
class DimensionResult:
    positive: float
    negative: float
    confidence: float
    evidence: list[Evidence]


@dataclass(frozen=True, slots=True)
class Analysis:
    scores: dict[str, float | None]
    dimensions: dict[str, DimensionResult]
    evidence: list[Evidence]
    ignored: list[Ignored]
    flags: set[str]
    word_count: int


_LEX = load()
RULES: dict = _LEX.rules
_SCORING = RULES["scoring"]


def score_from_counts(
    dimension: str, positive: float, negative: float, words: int
) -> float | None:
    """Turn summed cue weights into a score; the trends page calls this on SQL sums.

    Bipolar dimensions: ``(pos - neg) / (pos + neg + c)``. It depends only on the
    cue sums, so pooling a week's entries (summing their cues) gives the same
    answer as scoring one long entry; ``c`` makes one cue a moderate lean
    (1 / (1 + c)) and many agreeing cues approach ±1, while mixed cues cancel.
    It deliberately does not divide by word count: a long entry with one "had
    to" still frames that one thing as obligation, and dividing would make long
    writing look neutral.

    ``ripple`` is one-sided (0..1): ``pos / (pos + neg + c)``, saturating. Cues
    against ripple ("kept it to myself") pull it toward 0 but never below.

    ``None`` when no cue fired: "not mentioned" is not a neutral 0. The one
    exception is ripple over a long enough text (``ripple_zero_min_words``):
    having written at length without reaching beyond one's own work is itself
    the low end of a one-sided scale.
    """
    total = positive + negative
    if dimension == "ripple":
        if total <= 0:
            min_words = _SCORING["ripple_zero_min_words"]
            if min_words and words >= min_words:
                return 0.0
            return None
        return round(positive / (total + _SCORING["c_ripple"]), 4)
    if total <= 0:
        return None
    c = _SCORING["c_by_dimension"].get(dimension, _SCORING["c_bipolar"])
    return round((positive - negative) / (total + c), 4)


def confidence_from_counts(
    dimension: str, positive: float, negative: float, words: int
) -> float:
    """How much the score can be trusted: more cue weight, agreement and words."""
    total = positive + negative
    if total <= 0:
        return 0.0 if dimension != "ripple" else (0.3 if words >= 60 else 0.0)
    strength = 1.0 - math.exp(-total / 1.5)
    agreement = 0.5 + 0.5 * abs(positive - negative) / total
    length = min(1.0, math.sqrt(max(words, 1) / 40.0))
    return round(strength * agreement * length, 3)


# ----------------------------------------------------------------------------
# Regexes built from rules.toml


def _alternation(phrases: list[str]) -> str:
    """A regex alternation of plain phrases, longest first; '*' ends a word freely."""
    parts = []
    for phrase in sorted({p.lower().translate(TYPOGRAPHIC) for p in phrases}, key=len, reverse=True):
        piece = re.escape(phrase).replace(r"\*", r"[\w']*")
        piece = re.sub(r"(?:\\ |\\-)+", r"[\\s\\-]+", piece)
        parts.append(piece)
    return "(?:" + "|".join(parts) + ")"


_NEG = RULES["negation"]
_NEG_BLOCK = _alternation(_NEG["clause_words"])
_NEG_RX = re.compile(
    r"(?<![\w'])" + _alternation(_NEG["words"]) + r"(?![\w'])"
    r"(?!" + r"[\s\-]+" + _alternation(_NEG["not_negation_after"]) + r"(?!\w))"
    r"(?:[^\w,;:.!?\n]+(?!" + _NEG_BLOCK + r"(?!\w))[\w']+){0,"
    + str(int(_NEG["max_words_between"]))
    + r"}[^\w,;:.!?\n]*$"
)
_NEG_FACTOR: dict[str, float] = _NEG["factor_by_dimension"]

_SUBJ = RULES["subjects"]
_SUBJECT_RX = re.compile(
    r"(?<![\w'])(?:(?P<writer>" + _alternation(_SUBJ["writer"]) + r")|(?P<other>"
    + _alternation(_SUBJ["other"]) + r"))(?![\w])"
)
_PASSIVE_AGENT_RX = re.compile(r"[\s\-]+by[\s\-]+" + _alternation(_SUBJ["passive_writer_agents"]) + r"(?!\w)")

_COMPANY = RULES["company_we"]
_COMPANY_WE_RX = re.compile(
    r"(?<![\w'])we(?:[\s\-]+(?:" + _alternation(_COMPANY["fillers"]) + r"))?[\s\-]+"
    + _alternation(_COMPANY["verbs"]) + r"(?!\w)"
)

_SPEECH = RULES["speech"]
_SPEECH_VERBS = _alternation(_SPEECH["verbs"])
_OTHER_SPEAKERS = _alternation(_SPEECH["other_speakers"])
_WRITER_QUOTE_BEFORE_RX = re.compile(
    r"(?<![\w'])(?:i|we)(?:\s+[\w']+){0,3}?\s+" + _SPEECH_VERBS + r"(?![\w'])[^\"]*$"
)
_WRITER_QUOTE_AFTER_RX = re.compile(
    r"^[\s,.!?\-]*(?:(?:i|we)(?:\s+[\w']+){0,1}?\s+" + _SPEECH_VERBS + r"(?![\w'])|"
    + _alternation(_SPEECH["self_talk"]) + r")"
)
_SELF_TALK_RX = re.compile(r"(?<![\w'])" + _alternation(_SPEECH["self_talk"]) + r"(?![\w'])")
_OTHER_QUOTE_BEFORE_RX = re.compile(
    r"(?<![\w'])(?:[\w']+)(?:\s+[\w']+){0,3}?\s+" + _SPEECH_VERBS + r"(?![\w'])[^\"]*$"
)
_OTHER_QUOTE_AFTER_RX = re.compile(
    r"^[\s,.!?\-]*(?:[\w']+\s+){0,3}?" + _SPEECH_VERBS + r"(?![\w'])"
)
_REPORTED_RX = re.compile(
    r"(?<![\w'])" + _OTHER_SPEAKERS + r"(?:\s+(?:" + _alternation(_SPEECH["adverbs"])
    + r"))?\s+" + _alternation(_SPEECH["reporting_verbs"]) + r"(?![\w'])(?!\s+to(?!\w))"
    r"(?:\s+that(?!\w))?"
)
# Capitalised names ("Priya said …") are matched on the original text.
_NAMED_REPORTED_RX = re.compile(
    r"(?<![\w'])(?!I\b)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:"
    + "|".join(re.escape(v) for v in _SPEECH["name_reporting_verbs"])
    + r")(?![\w'])(?!\s+to(?!\w))(?:\s+that(?!\w))?"
)
_CLAUSE_END_RX = re.compile(
    r"[.!?;\n]|,\s*(?:but|so|and\s+(?:i|we)|which|although|though|yet)(?!\w)"
    r"|\s(?:but|so)\s+(?:i|we)(?!\w)"
)

_DOUBLE_QUOTE_RX = re.compile(r'"([^"\n]{1,600})"')
_SINGLE_QUOTE_RX = re.compile(
    r"(?<![\w'])'(?=[^\s'])((?:[^'\n]|(?<=\w)'(?=\w)){1,300}?)(?<=[^\s'])'(?![\w])"
)
_SENTENCE_END_RX = re.compile(r"[.!?\u2026]+[\"')\]]*(?=\s|$)|\n")
_BULLET_RX = re.compile(r"(?m)^[ \t]*(?:[-*\u2022\u00b7\u2023\u25aa\u25e6]|\d{1,2}[.)])[ \t]+")
_WORD_RX = re.compile(r"\w+(?:'\w+)*")

_SARCASM = RULES["sarcasm"]
_SARCASM_RX = re.compile(
    r"(?<![\w'])" + _alternation(_SARCASM["markers"]) + r"(?![\w'])|"
    + _alternation(_SARCASM["symbols"])
)

_TONE = RULES["tone"]
_INTENSIFIER_RX = re.compile(r"(?<![\w'])" + _alternation(_TONE["intensifiers"]) + r"[\s\-]+$")
_DOWNTONER_RX = re.compile(r"(?<![\w'])" + _alternation(_TONE["downtoners"]) + r"[\s\-]+$")


# ----------------------------------------------------------------------------


def _working_copy(text: str) -> str:
    """Lower-cased, typographically normalised, and exactly as long as ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few characters lower-case to two ("İ" -> "i̇"); keep those as they are
        # so every offset still points into the original.
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return lowered.translate(TYPOGRAPHIC)


@dataclass(slots=True)
class _Context:
    text: str
    work: str
    sentence_starts: list[int]
    blocked_starts: list[int]  # ignored spans (someone else's words), sorted
    blocked_ends: list[int]
    quote_starts: list[int]  # every quote, for masking tone
    quote_ends: list[int]
    company_we: set[int]
    sarcastic: set[int]  # sentence indexes


def _inside(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    i = bisect_right(starts, start) - 1
    return i >= 0 and ends[i] >= end


def _sentence_of(ctx: _Context, pos: int) -> tuple[int, int, int]:
    i = bisect_right(ctx.sentence_starts, pos) - 1
    start = ctx.sentence_starts[i]
    end = ctx.sentence_starts[i + 1] if i + 1 < len(ctx.sentence_starts) else len(ctx.work)
    return i, start, end


def _find_quotes(work: str, sentence_starts: list[int]) -> list[tuple[int, int, str]]:
    """Every quoted span with who it belongs to: 'writer', 'other' or 'scare'."""
    found: list[tuple[int, int]] = [m.span() for m in _DOUBLE_QUOTE_RX.finditer(work)]
    taken = [(s, e) for s, e in found]
    for m in _SINGLE_QUOTE_RX.finditer(work):
        s, e = m.span()
        if not any(a <= s < b for a, b in taken):
            found.append((s, e))
    quotes = []
    for s, e in sorted(found):
        i = bisect_right(sentence_starts, s) - 1
        sentence_start = sentence_starts[i] if i >= 0 else 0
        before = work[max(sentence_start, s - 80) : s]
        after = work[e : e + 40]
        inner = work[s + 1 : e - 1]
        n_words = len(_WORD_RX.findall(inner))
        if (
            _WRITER_QUOTE_BEFORE_RX.search(before)
            or _WRITER_QUOTE_AFTER_RX.search(after)
            or _SELF_TALK_RX.search(before)
        ):
            owner = "writer"
        elif _OTHER_QUOTE_BEFORE_RX.search(before) or _OTHER_QUOTE_AFTER_RX.search(after):
            owner = "other"
        elif n_words <= 3:
            owner = "scare"
        else:
            owner = "other"
        quotes.append((s, e, owner))
    return quotes


def _find_reported(text: str, work: str) -> list[tuple[int, int]]:
    spans = []
    for rx, haystack in ((_REPORTED_RX, work), (_NAMED_REPORTED_RX, text)):
        for m in rx.finditer(haystack):
            end_match = _CLAUSE_END_RX.search(work, m.end())
            end = end_match.start() if end_match else len(work)
            if end - m.end() > 1:
                spans.append((m.end(), end))
    return spans


def _merge(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(spans):
        if starts and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _entries_for(matched: str) -> tuple[Entry, ...]:
    entries = _LEX.literal.get(matched)
    if entries is None:
        entries = _LEX.literal.get(normalise_key(matched))
    if entries is not None:
        return entries
    for rx, entry in _LEX.wildcard:
        if rx.fullmatch(matched):
            return (entry,)
    return ()


def _apply_rules(
    ctx: _Context, entry: Entry, start: int, end: int
) -> tuple[float, list[str]] | None:
    """The cue's signed weight after the context rules, or None to drop it."""
    work = ctx.work
    dim = entry.dimension
    weight = entry.weight
    notes: list[str] = []
    sentence, sentence_start, _sentence_end = _sentence_of(ctx, start)

    if dim == "self_collective" and start in ctx.company_we:
        return None

    if entry.passive and _PASSIVE_AGENT_RX.match(work, end):
        return None

    if entry.agent:
        window_start = max(sentence_start, start - 70)
        clause_start = max(
            work.rfind(",", window_start, start),
            work.rfind(";", window_start, start),
            work.rfind(":", window_start, start),
        )
        origin = max(window_start, clause_start + 1)
        last = None
        for last in _SUBJECT_RX.finditer(work, origin, start):
            pass
        if last is None:
            # Diary style ("Decided to…") or a subject earlier in the sentence.
            notes.append("dropped subject")
        elif last.group("other") or (
            last.group("writer") == "we" and last.start() in ctx.company_we
        ):
            if entry.other_weight is None:
                return None
            weight = entry.other_weight
            notes.append("someone else decided")

    if entry.negation != "keep":
        window = work[max(sentence_start, start - 48) : start]
        if window and _NEG_RX.search(window):
            if entry.negation == "drop":
                return None
            weight = -weight * _NEG_FACTOR.get(dim, 1.0)
            notes.append("negated")

    if sentence in ctx.sarcastic and weight > 0:
        if dim == "tone":
            weight = -weight * _SARCASM["tone_flip"]
            notes.append("sarcasm flipped")
        else:
            weight *= _SARCASM["damping"]
            notes.append("sarcasm damped")

    if dim == "tone":
        before = work[max(sentence_start, start - 20) : start]
        if _INTENSIFIER_RX.search(before):
            weight *= _TONE["intensifier_boost"]
            notes.append("intensified")
        elif _DOWNTONER_RX.search(before):
            weight *= _TONE["downtoner_factor"]
            notes.append("softened")
    return weight, notes


def analyze(text: str) -> Analysis:
    """Analyse one entry. Never raises on str input; offsets index ``text``."""
    if not isinstance(text, str):
        raise TypeError("analyze() takes a str")
    work = _working_copy(text)
    word_count = len(_WORD_RX.findall(work))

    sentence_starts = [0]
    sentence_starts.extend(m.end() for m in _SENTENCE_END_RX.finditer(work))
    # De-duplicate (consecutive newlines) while keeping order.
    sentence_starts = sorted(set(sentence_starts))

    quotes = _find_quotes(work, sentence_starts)
    reported = _find_reported(text, work)
    ignored: list[Ignored] = []
    blocked: list[tuple[int, int]] = []
    scare: list[tuple[int, int]] = []
    for s, e, owner in quotes:
        if owner == "other":
            ignored.append(Ignored(s, e, "someone else's words (quoted)"))
            blocked.append((s, e))
        elif owner == "scare":
            ignored.append(Ignored(s, e, "scare quotes"))
            blocked.append((s, e))
            scare.append((s, e))
    for s, e in reported:
        if not any(qs <= s and e <= qe for qs, qe in blocked):
            ignored.append(Ignored(s, e, "reported speech"))
            blocked.append((s, e))
    blocked_starts, blocked_ends = _merge(blocked)
    quote_starts, quote_ends = _merge([(s, e) for s, e, _ in quotes])

    company_we = set()
    for m in _COMPANY_WE_RX.finditer(work):
        company_we.add(m.start())
        ignored.append(Ignored(m.start(), m.start() + 2, "company 'we' (the organisation)"))

    sarcastic: set[int] = set()
    flags: set[str] = set()
    for m in _SARCASM_RX.finditer(work):
        if _inside(blocked_starts, blocked_ends, m.start(), m.end()):
            continue
        sarcastic.add(bisect_right(sentence_starts, m.start()) - 1)
        flags.add("sarcasm")

    ctx = _Context(
        text=text,
        work=work,
        sentence_starts=sentence_starts,
        blocked_starts=blocked_starts,
        blocked_ends=blocked_ends,
        quote_starts=quote_starts,
        quote_ends=quote_ends,
        company_we=company_we,
        sarcastic=sarcastic,
    )

    # Find cues. Within one dimension cues may not overlap: the leftmost, then
    # longest, wins (the lookahead reports the longest phrase at each start).
    cues: list[tuple[int, int, Entry]] = []
    last_end = dict.fromkeys(DIMENSIONS, -1)
    literal_prefixes = _LEX.prefixes
    for m in _LEX.pattern.finditer(work):
        start, end = m.span(1)
        matched = m.group(1)
        entries = _entries_for(matched)
        for entry in entries:
            if start >= last_end[entry.dimension]:
                cues.append((start, end, entry))
                last_end[entry.dimension] = end
        extra = literal_prefixes.get(matched) or literal_prefixes.get(normalise_key(matched))
        if extra:
            word_ends = [start + w.end() for w in _WORD_RX.finditer(matched)]
            for n_words, shorter in extra:
                sub_end = word_ends[n_words - 1]
                for entry in shorter:
                    if start >= last_end[entry.dimension]:
                        cues.append((start, sub_end, entry))
                        last_end[entry.dimension] = sub_end

    # Scare-quoted positives ('vision', "lead") are a sarcasm marker.
    if scare:
        scare_starts, scare_ends = _merge(scare)
        for start, end, entry in cues:
            if entry.weight > 0 and _inside(scare_starts, scare_ends, start, end):
                sarcastic.add(bisect_right(sentence_starts, start) - 1)
                flags.add("sarcasm")

    positive = dict.fromkeys(DIMENSIONS, 0.0)
    negative = dict.fromkeys(DIMENSIONS, 0.0)
    by_dimension: dict[str, list[Evidence]] = {d: [] for d in DIMENSIONS}
    for start, end, entry in cues:
        if _inside(blocked_starts, blocked_ends, start, end):
            continue
        if entry.dimension == "tone" and _inside(quote_starts, quote_ends, start, end):
            continue
        result = _apply_rules(ctx, entry, start, end)
        if result is None:
            continue
        weight, notes = result
        if weight == 0:
            continue
        pole = 1 if weight > 0 else -1
        magnitude = round(abs(weight), 4)
        if pole > 0:
            positive[entry.dimension] += magnitude
        else:
            negative[entry.dimension] += magnitude
        rule = f'{entry.source} "{entry.phrase}"'
        if notes:
            rule += "; " + "; ".join(notes)
        by_dimension[entry.dimension].append(
            Evidence(start, end, entry.dimension, pole, rule, magnitude, text[start:end])
        )

    # Scare-quoted positives also colour the tone a little.
    for s, e in scare:
        if any(entry.weight > 0 and s <= cs and ce <= e for cs, ce, entry in cues):
            weight = _SARCASM["scare_quote_tone"]
            negative["tone"] += weight
            by_dimension["tone"].append(
                Evidence(s, e, "tone", -1, "rules.toml sarcasm: scare-quoted positive", weight, text[s:e])
            )

    if word_count < RULES["short"]["very_short_words"]:
        flags.add("very_short")
    if word_count == 0:
        flags.add("empty")
    if len(_BULLET_RX.findall(work)) >= 2:
        flags.add("list")
    if any(i.reason == "reported speech" for i in ignored):
        flags.add("reported_speech")
    if any(i.reason.startswith("someone else") for i in ignored):
        flags.add("quoted_speech")

    short_factor = RULES["short"]["confidence_factor"] if "very_short" in flags else 1.0
    sarcasm_factor = _SARCASM["confidence_factor"] if "sarcasm" in flags else 1.0
    scores: dict[str, float | None] = {}
    dimensions: dict[str, DimensionResult] = {}
    evidence: list[Evidence] = []
    for dim in DIMENSIONS:
        pos = round(positive[dim], 4)
        neg = round(negative[dim], 4)
        scores[dim] = score_from_counts(dim, pos, neg, word_count)
        confidence = confidence_from_counts(dim, pos, neg, word_count)
        confidence = round(confidence * short_factor * sarcasm_factor, 3)
        items = sorted(by_dimension[dim], key=lambda ev: (ev.start, ev.end))
        dimensions[dim] = DimensionResult(pos, neg, confidence, items)
        evidence.extend(items)
    evidence.sort(key=lambda ev: (ev.start, ev.end, DIMENSIONS.index(ev.dimension)))
    ignored.sort(key=lambda ig: (ig.start, ig.end))
    return Analysis(scores, dimensions, evidence, ignored, flags, word_count)


def lexicon_digest() -> str:
    """The digest of the data files as they are on disk now."""
    return compute_digest()
