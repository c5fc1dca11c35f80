"""Read how a journal entry frames the writer's own leadership.

Pure Python, deterministic, no network, nothing from Django. The behaviour lives
in the data files in ``lexicons/`` (phrases with a pole and a weight, and
``rules.toml`` for the word lists the rules use); this module applies them in a
pipeline of small stages, in the order of rules.toml's sections:

1. ``read_passage``: a lower-cased working copy (offsets equal the original's),
   sentence starts, word count.
2. ``scan``: one pass of the compiled lexicon (lexicon.py) finds every phrase of
   every dimension and every rules.toml word list.
3. ``read_context``: whose words they are (quotes, reported speech, scare
   quotes), the company "we", which sentences are sarcastic.
4. ``Modifiers.read``: each cue looks at a small window around it: who the
   subject is, negation, sarcasm, a concession, and for tone "but", someone
   else's feeling, intensifiers.
5. ``derive``: what one dimension's cues say a little about another
   (rules.toml [derived]).
6. ``score``: scores and confidences from the summed weights (scoring.py).

Tone uses our own lexicon rather than vaderSentiment. VADER alone runs about
twice as fast as this whole analyzer (bench/analyzer.py prints both: about 0.5x
VADER, 200,000 words/s on one core in December 2026, under issue 10's 1x and
300,000), so running it per sentence on top of the framing pass would cut
throughput by a third more; it does not know work idioms ("crushed the
targets", "drowning in tickets"); and it returns no spans, while every score
here must point at the phrases behind it. The same cue machinery scores tone
per sentence, with quoted words masked and sarcastic sentences flipped.
"""

from __future__ import annotations

import codecs
import itertools
import operator
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from . import learned
from .lexicon import (
    DIMENSIONS,
    PSEUDO_DIMENSIONS,
    TYPOGRAPHIC,
    Entry,
    load,
    normalise_key,
    trie_alternation,
)
from .scoring import confidence_from_counts, score_from_counts


class _EvidenceSlots:
    """Evidence's fields as slots, declared on a base class so that ``_evidence`` (below) can
    fill them with plain attribute stores."""

    __slots__ = ("start", "end", "dimension", "pole", "rule", "weight", "text")


@dataclass(frozen=True, slots=True)
class Evidence(_EvidenceSlots):
    start: int
    end: int
    dimension: str
    pole: int  # +1 toward the positive pole, -1 toward the negative pole
    rule: str  # lexicon line and any rule that changed it
    weight: float  # magnitude after rules (always > 0)
    text: str  # == original_text[start:end]


class _Unfrozen(_EvidenceSlots):
    """Evidence's slots without the frozen dataclass's __setattr__ (see ``_evidence``)."""

    __slots__ = ()


_new_object = object.__new__
# Stores a weight in an Evidence (made here, not yet handed out): see ``learn``.
_SET_WEIGHT = _EvidenceSlots.weight.__set__  # type: ignore[attr-defined]


def _evidence(
    start: int, end: int, dimension: str, pole: int, rule: str, weight: float, text: str,
    _new: object = _new_object, _unfrozen: type = _Unfrozen, _frozen: type = Evidence,
) -> Evidence:
    """How the analyzer makes its Evidence: an entry makes hundreds (one per 1.4 words on the
    bench corpus, with the learned layer), and a frozen dataclass's __init__ must write its
    slots through their descriptors (or object.__setattr__). An object of a class with the
    same slots and no __setattr__ of its own takes the fields as plain attribute stores, then
    becomes the Evidence it is (same layout: CPython allows the __class__ assignment). The
    same object, frozen, built in about a quarter of the time; a function rather than a
    class's __init__, which costs another fifth."""
    ev = _new(_unfrozen)
    ev.start = start
    ev.end = end
    ev.dimension = dimension
    ev.pole = pole
    ev.rule = rule
    ev.weight = weight
    ev.text = text
    ev.__class__ = _frozen
    return ev


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
_ALL_DIMENSIONS = DIMENSIONS + PSEUDO_DIMENSIONS
RULES: dict = _LEX.rules


# ----------------------------------------------------------------------------
# Regexes built from rules.toml (trie-shaped alternations: fast on long lists).
# The plain word lists (negations, intensifiers, sarcasm markers, reporting
# verbs, the company "we") ride in the lexicon's single scan instead.

_alt = trie_alternation

_NEG = RULES["negation"]
_NEG_RX = re.compile(
    r"(?<![\w'])" + _alt(_NEG["words"]) + r"(?![\w'])"
    r"(?![\s\-]+" + _alt(_NEG["not_negation_after"]) + r"(?!\w))"
    r"(?:[^\w,;:.!?\n]+(?!"
    + _alt(_NEG["clause_words"])
    + r"(?!\w))[\w']+){0,"
    + str(int(_NEG["max_words_between"]))
    + r"}[^\w,;:.!?\n]*$"
)
_NEG_REACH = 48  # characters before a cue in which a negation can sit
_NEG_FACTOR: dict[str, float] = _NEG["factor_by_dimension"]

_SUBJ = RULES["subjects"]
_SUBJECT_RX = re.compile(
    r"(?<![\w'])(?:(?P<writer>"
    + _alt(_SUBJ["writer"])
    + r")|(?P<other>"
    + _alt(_SUBJ["other"])
    + r"))(?![\w])"
)
_PASSIVE_AGENT_RX = re.compile(
    r"[\s\-]+by[\s\-]+" + _alt(_SUBJ["passive_writer_agents"]) + r"(?!\w)"
)

# Words that may stand between a subject and its verb ("I finally decided").
_ADVERB_WORDS = frozenset(
    "just finally also then quickly actually eventually really even still already "
    "immediately instantly simply literally basically honestly happily reluctantly "
    "never not always sometimes often again kind sort of "
    # auxiliaries and negations: "I didn't choose", "management has decided"
    "didn't didnt don't dont doesn't won't wouldn't couldn't can't cannot shouldn't "
    "will would could can should may might must have has had did do does am is are was "
    "were be been being got get going want wanted try tried need needed".split()
)
# Right before an @agent cue these make it a noun ("the volunteer rota", "a decision").
_DETERMINERS = frozenset("the a an my our your their this these those every each its".split())
_SUBJECT_OR_JOINER_WORDS = frozenset(
    "i we you i've we've i'd we'd i'll we'll i'm we're myself ourselves and so but or then "
    "because when after before until if once while who that which to".split()
) | frozenset(w.lower() for w in _SUBJ["writer"] + _SUBJ["other"] if " " not in w)
_CLAUSE_OPENER_RX = re.compile(r"(?:so|but|and|then|because|yet)(?![\w'])")

_SPEECH = RULES["speech"]
_SPEECH_VERBS = _alt(_SPEECH["verbs"])
_SPEECH_BEFORE_RX = re.compile(
    r"(?<![\w'])" + _SPEECH_VERBS + r"(?![\w'])(?:[\s,]+[\w']+){0,4}?[\s,:\-]*$"
)
_CONJUNCTION_RX = re.compile(r"(?<![\w'])(?:and|then|so|but|before|after|when|because)(?![\w'])")
_FILLER_WORDS = frozenset(
    "just also then finally really actually literally basically even still only kept keep "
    "went go and so but i we i've we've i'd we'd i'm we're myself ourselves".split()
)
_WRITER_QUOTE_AFTER_RX = re.compile(
    r"[\s,.!?\-]*(?:(?:i|we)(?:\s+[\w']+)??\s+"
    + _SPEECH_VERBS
    + r"(?![\w'])|"
    + _alt(_SPEECH["self_talk"])
    + r")"
)
_SELF_TALK_RX = re.compile(r"(?<![\w'])" + _alt(_SPEECH["self_talk"]) + r"(?![\w'])")
_OTHER_QUOTE_AFTER_RX = re.compile(r"[\s,.!?\-]*(?:[\w']+\s+){0,3}?" + _SPEECH_VERBS + r"(?![\w'])")
_ADVERBS = _alt(_SPEECH["adverbs"])
_SPEAKER_BEFORE_RX = re.compile(
    r"(?<![\w'])" + _alt(_SPEECH["other_speakers"]) + r"(?:\s+" + _ADVERBS + r")?\s+$"
)
# Capitalised names ("Priya said …") are read from the original text.
_NOT_NAMES = (
    r"(?!(?:I|We|You|It|This|That|Then|So|And|But|Today|Yesterday|Also|Just|Still|Everyone"
    r"|Nobody|Someone|Somebody|Everybody|People)\b)"
)
_NAME_BEFORE_RX = re.compile(
    r"(?<![\w'])" + _NOT_NAMES + r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:\s+" + _ADVERBS + r")?\s+$"
)
_TO_AFTER_RX = re.compile(r"\s+to(?!\w)")
_THAT_AFTER_RX = re.compile(r"\s+that(?!\w)")
_CLAUSE_END_RX = re.compile(
    r"[.!?;\n]|,\s*(?:but|so|and\s+(?:i|we)|which|although|though|yet)(?!\w)"
    r"|\s(?:but|so)\s+(?:i|we)(?!\w)"
)

_DOUBLE_QUOTE_RX = re.compile(r'"([^"\n]{1,600})"')
# Starts with the literal quote so the regex engine can skip ahead quickly;
# the lookbehind then rejects apostrophes inside words (don't).
_SINGLE_QUOTE_RX = re.compile(
    r"'(?<![\w']')(?=[^\s'])((?:[^'\n]|(?<=\w)'(?=\w)){1,300}?)(?<=[^\s'])'(?![\w])"
)
# One character class first, so the regex engine can skip ahead (likewise the lookbehinds
# placed after a first literal below): "\n", or end punctuation before a space.
_SENTENCE_END_RX = re.compile(r"[.!?\u2026\n](?:(?<=\n)|[.!?\u2026]*[\"')\]]*(?=\s|$))")
_BULLET_RX = re.compile(r"(?m)^[ \t]*(?:[-*\u2022\u00b7\u2023\u25aa\u25e6]|\d{1,2}[.)])[ \t]+")
_WORD_RX = re.compile(r"\w+(?:'\w+)*")
_MATCH_END = re.Match.end
# How many _WORD_RX words a text has, counted without making them: each ASCII byte
# becomes "w" (a word character: \w is [a-zA-Z0-9_] in ASCII), "'" or "s" (anything else).
# A word is a run of word characters and the runs that single apostrophes join to it, so one
# starts at each "w" after "s", after an apostrophe that follows "s" or another apostrophe (no
# run before it to join), or at the very start ("w", "'w").
_ASCII_CLASSES = bytes(
    ord("w" if (b < 128 and chr(b).isalnum()) or chr(b) == "_" else "'" if chr(b) == "'" else "s")
    for b in range(256)
)


# Any other character counts as what it is to _WORD_RX: a word character (\w: alphanumeric)
# or not. Encoding to ASCII hands each run of them to this error handler, which gives a
# stand-in of the same class for each (the encoder finds the runs in C; rare in any case).
def _stand_ins(error: UnicodeEncodeError) -> tuple[str, int]:
    run = error.object[error.start : error.end]
    return "".join("a" if ch.isalnum() else " " for ch in run), error.end


_STAND_INS = "reflect.framing.word_class"
codecs.register_error(_STAND_INS, _stand_ins)


def _word_count(work: str) -> int:
    """len(_WORD_RX.findall(work)), without making the words."""
    classes = work.encode("ascii", _STAND_INS).translate(_ASCII_CLASSES)
    return (
        classes.count(b"sw")
        + classes.count(b"s'w")
        + classes.count(b"''w")
        + classes.startswith(b"w")
        + classes.startswith(b"'w")
    )


_PERSON = RULES["person"]
_PERSON_AFTER_RX = re.compile(
    r"[\s\-]+(?:"
    + _alt(_PERSON["determiners"])
    + r"[\s\-]+){0,3}"
    + _alt(_PERSON["nouns"])
    + r"(?![\w])"
)
# Read on the original text: a capitalised name right after the verb.
_NAME_AFTER_RX = re.compile(r"[ \t]+(?!I\b)[A-Z][a-z]+(?![\w])")

_SCARE_FLIP_DIMENSIONS = frozenset(
    ("action_vision", "position_choice", "obligation_agency", "fixed_growth")
)
_CONCESSION = RULES["concession"]
_CONCESSION_RX = re.compile(r"(?<![\w'])" + _alt(_CONCESSION["markers"]) + r"(?![\w'])")
_DERIVED = RULES["derived"]
_PLACE_NUMBER_RX = re.compile(
    r"(?<![\w'])(?:on|at|in|bed|room|floor|aisle|bay|level|gate|ward|step|page|line|no|"
    r"number|till|desk|table|platform|year|by|from|until|till|since|of)[\s#.]*$"
)
# Starts with a digit so the regex engine can skip ahead; times are not output.
_QUANTITY_RX = re.compile(
    r"\d(?<![\w.:/]\d)\d*(?:[.,]\d+)?[ \t]+(?!(?:am|pm|mins?|minutes?|seconds?|years?|months?"
    r"|weeks?|days?|o'clock|percent|per|of|to|and|or|in|on|at)(?![\w']))[a-z][a-z']{2,}"
)

_SARCASM = RULES["sarcasm"]
_BUT_RX = re.compile(r"but(?<![\w']but)(?![\w'])")
# Third persons whose feelings the writer reports ("she was nervous").
_FEELING_OTHERS = frozenset(RULES["tone"]["others"])
_TONE = RULES["tone"]
_VERY_SHORT = RULES["short"]["very_short_words"]

_NARRATIVE = RULES["narrative"]
_ACT_ADVERBS = r"(?:\s+" + _alt(_NARRATIVE["adverbs"]) + r")*"
# "I ran", "we just called": the writer (or the team) as the subject of a deliberate act.
_ACT_RX = re.compile(
    r"(?P<subject>i(?<![\w']i)|we(?<![\w']we))"
    + _ACT_ADVERBS
    + r"[\s\-]+(?P<verb>"
    + _alt(_NARRATIVE["verbs"])
    + r")(?![\w'])"
)
# "Rang IT at six.": a sentence opening on a past act, the subject dropped.
_DROPPED_ACT_RX = re.compile(
    r"[\s\-*\u2022\d.)\"']*(?P<verb>" + _alt(_NARRATIVE["dropped_subject_verbs"]) + r")(?![\w'])"
)
# ", closed the laptop and asked": further acts of the same sentence.
_CHAINED_ACT_RX = re.compile(
    r"(?:,|(?<![\w'])and|(?<![\w'])then)(?:\s+(?:then|and))?"
    + _ACT_ADVERBS
    + r"\s+(?P<verb>"
    + _alt(_NARRATIVE["verbs"])
    + r")(?![\w'])"
)
_TOWARD_PEOPLE = frozenset(_NARRATIVE["toward_people"])
# "Priya volunteered": someone else stepping up is ripple from the writer (codebook rule 4).
# Read on the original text: a capitalised name (or "someone") right before the verb.
_OTHER_STEPS_UP_RX = re.compile(
    r"[A-Z](?<![\w'][A-Z])[a-z]+[ \t]+(?:" + _alt(_NARRATIVE["others_step_up"]) + r")(?![\w'])"
)
# The character before a marker, consumed (so the regex engine skips through words in a tight
# loop), and the marker in a lookahead: see _commitment_ends.
_COMMITMENT_RX = re.compile(r"[^\w'](?=(" + _alt(RULES["commitment"]["markers"]) + r")(?![\w']))")
_CONDITION_RX = re.compile(r"(?<![\w'])" + _alt(_NARRATIVE["conditions"]) + r"\s+$")


# ----------------------------------------------------------------------------


_TYPOGRAPHIC_PAIRS = tuple((chr(k), v) for k, v in TYPOGRAPHIC.items())


def _working_copy(text: str) -> str:
    """Lower-cased, typographically normalised, and exactly as long as ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few characters lower-case to two ("İ" -> "i̇"); keep those as they are
        # so every offset still points into the original.
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    if lowered.isascii():
        return lowered  # nothing typographic to normalise (and isascii() is O(1))
    # str.translate looks up every character; a few replace() scans are far faster.
    for old, new in _TYPOGRAPHIC_PAIRS:
        if old in lowered:
            lowered = lowered.replace(old, new)
    return lowered


def _inside(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    i = bisect_right(starts, start) - 1
    return i >= 0 and ends[i] >= end


_FIRST = operator.itemgetter(0)


def _merge(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    last = -1  # where the last merged span ends (spans start at 0 or later)
    # In order of their starts only (the union does not depend on how equal starts are
    # ordered): integer keys compare faster than the tuples.
    for s, e in sorted(spans, key=_FIRST):
        if s > last:
            starts.append(s)
            ends.append(e)
            last = e
        elif e > last:
            ends[-1] = last = e
    return starts, ends


def _quote_owner(text: str, work: str, s: int, e: int, sentence_start: int) -> str | None:
    """'writer' or 'other' when a speech verb says whose words these are, else None."""
    before_start = max(sentence_start, s - 80)
    if _SELF_TALK_RX.search(work, before_start, s):
        return "writer"
    verb = _SPEECH_BEFORE_RX.search(work, before_start, s)
    if verb:
        clause_from = before_start
        for mark in (",", ";", ":"):
            clause_from = max(clause_from, work.rfind(mark, before_start, verb.start()) + 1)
        # Words between the last conjunction and the verb: "…and asked" has
        # none, so the sentence's subject (or a dropped one: the writer) speaks.
        head_from = clause_from
        for conj in _CONJUNCTION_RX.finditer(work, clause_from, verb.start()):
            head_from = conj.end()
        head_words = _WORD_RX.findall(work, head_from, verb.start())
        speaker = None
        for found in _SUBJECT_RX.finditer(
            work, head_from if head_words else clause_from, verb.start()
        ):
            speaker = found
        if speaker is not None:
            return "writer" if speaker.group("writer") else "other"
        if any(word not in _FILLER_WORDS for word in head_words):
            return "other"  # a noun speaker: "the agency nurse said", "Reviewer wrote"
        return "writer"  # dropped subject: "asked, 'what if…?'"
    if _WRITER_QUOTE_AFTER_RX.match(work, e, e + 40):
        return "writer"
    if _OTHER_QUOTE_AFTER_RX.match(work, e, e + 40):
        return "other"
    return None


def _find_quotes(text: str, work: str, sentence_starts: list[int]) -> list[tuple[int, int, str]]:
    """Every quoted span with whose words they are: 'writer', 'other' or 'scare'."""
    found: list[tuple[int, int]] = []
    if '"' in work:
        found = [m.span() for m in _DOUBLE_QUOTE_RX.finditer(work)]
    if "'" in work:
        doubles = list(found)
        for m in _SINGLE_QUOTE_RX.finditer(work):
            s, e = m.span()
            if not any(a <= s < b for a, b in doubles):
                found.append((s, e))
    quotes = []
    for s, e in sorted(found):
        sentence_start = sentence_starts[bisect_right(sentence_starts, s) - 1]
        owner = _quote_owner(text, work, s, e, sentence_start)
        if owner is None:
            # Unattributed: a word or three is a scare quote ('vision'), longer
            # is someone's words we cannot attribute, so not the writer's framing.
            owner = "scare" if len(_WORD_RX.findall(work, s + 1, e - 1)) <= 3 else "other"
        quotes.append((s, e, owner))
    return quotes


def _find_reported(text: str, work: str, verbs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Clauses after "she said", "my boss thinks", "Priya said": someone else's framing."""
    spans = []
    for start, end in verbs:
        if _TO_AFTER_RX.match(work, end):
            continue  # "told me to …" is an instruction, scored as obligation
        if not (
            _SPEAKER_BEFORE_RX.search(work, max(0, start - 40), start)
            or _NAME_BEFORE_RX.search(text, max(0, start - 40), start)
        ):
            continue
        that = _THAT_AFTER_RX.match(work, end)
        clause_start = that.end() if that else end
        end_match = _CLAUSE_END_RX.search(work, clause_start)
        clause_end = end_match.start() if end_match else len(work)
        if clause_end - clause_start > 1:
            spans.append((clause_start, clause_end))
    return spans


def _commitment_ends(work: str) -> list[int]:
    """Where each commitment marker ends, markers read left to right without overlapping
    (as finditer would read them). A space put first lets a marker start the text."""
    ends: list[int] = []
    for m in _COMMITMENT_RX.finditer(" " + work):
        start = m.end() - 1
        if not ends or start >= ends[-1]:
            ends.append(start + len(m.group(1)))
    return ends


def _skip_space(work: str, pos: int) -> int:
    while pos < len(work) and work[pos] in " \t-":
        pos += 1
    return pos


# Matched text -> what the match files, in order: the lines of the whole match, then shorter
# same-start phrases of other dimensions ("asked the night team what…" still lets "asked"
# count elsewhere), each as (its end relative to the match's start, dimension, whether it is a
# rules.toml word list, the line).
Filing = tuple[tuple[int, str, bool, Entry], ...]
_MATCH_CACHE: dict[str, Filing] = {}


def _lookup(matched: str) -> Filing:
    found = _MATCH_CACHE.get(matched)
    if found is not None:
        return found
    # Literal phrases first; else the longest matching wildcard or gapped phrase per dimension.
    key = normalise_key(matched)
    entries, shorter = _LEX.lookup(key)
    size = len(matched)
    filing = [(size, e.dimension, e.dimension[0] == "_", e) for e in entries]
    if shorter:
        word_ends = [w.end() for w in _WORD_RX.finditer(matched)]
        for n_words, prefix_entries in shorter:
            if n_words <= len(word_ends):
                end = word_ends[n_words - 1]
                filing.extend((end, e.dimension, e.dimension[0] == "_", e) for e in prefix_entries)
    found = tuple(filing)
    # Only literal lexicon phrases are kept: a wildcard or gapped match carries the writer's
    # own words between the lexicon's, and no process keeps anyone's words past the analysis.
    # (The lookup above has filed ``key`` in the lexicon's known phrases if it is one.)
    if key in _LEX.known:
        if len(_MATCH_CACHE) > 100_000:
            _MATCH_CACHE.clear()
        _MATCH_CACHE[matched] = found
    return found


# Evidence phrases kept per analysis; real entries have tens (a 3,000-word entry about 300).
MAX_EVIDENCE = 2_000

# ============================================================================
# The pipeline, in the order of rules.toml's sections:
#   read_passage -> scan -> read_context -> modify (each cue) -> derive -> score
# Each stage is a small function of what the earlier ones found.

Cue = tuple[int, int, Entry]  # (start, end, lexicon line)
Spans = tuple[list[int], list[int]]  # merged, sorted: starts and ends


@dataclass(frozen=True, slots=True)
class Passage:
    """The text as the stages read it: the original (evidence quotes it), a lower-cased
    working copy of the same length, where its sentences start, and its word count."""

    text: str
    work: str
    sentence_starts: list[int]
    word_count: int
    sentence_ends: list[int]  # each sentence ends where the next starts, the last at the end

    def sentence_of(self, pos: int) -> int:
        return bisect_right(self.sentence_starts, pos) - 1

    def sentence_end(self, sentence: int) -> int:
        return self.sentence_ends[sentence]


def read_passage(text: str) -> Passage:
    work = _working_copy(text)
    # Every sentence end consumes a character, so the ends rise strictly from 1.
    sentence_starts = [0, *map(_MATCH_END, _SENTENCE_END_RX.finditer(work))]
    ends = [*sentence_starts[1:], len(work)]
    return Passage(text, work, sentence_starts, _word_count(work), ends)


# --- 1. scan ------------------------------------------------------------------


def scan(passage: Passage) -> tuple[list[Cue], dict[str, list[tuple[int, int]]]]:
    """One pass of the lexicon over the text: the dimension cues, and where each rules.toml
    word list (negations, intensifiers, sarcasm markers…) matched.

    Within one dimension cues may not overlap: the leftmost, then longest, wins (the
    lookahead reports the longest phrase at each start; shorter phrases of other dimensions
    starting at the same place count too)."""
    cues: list[Cue] = []
    rule_hits: dict[str, list[tuple[int, int]]] = {d: [] for d in PSEUDO_DIMENSIONS}
    last_end = dict.fromkeys(_ALL_DIMENSIONS, -1)
    cached = _MATCH_CACHE.get
    # The pattern matches the character before a phrase (lexicon.build): with a space put
    # first, a match ending at i in the padded text is a phrase starting at i - 1.
    for m in _LEX.pattern.finditer(" " + passage.work):
        start = m.end() - 1
        matched = m.group(1)
        filing = cached(matched)
        if filing is None:
            filing = _lookup(matched)
        for size, dim, rule_list, entry in filing:
            if start >= last_end[dim]:
                end = last_end[dim] = start + size
                if rule_list:
                    rule_hits[dim].append((start, end))
                else:
                    cues.append((start, end, entry))
    return cues, rule_hits


# --- 2. context ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    """What the whole passage says about its cues: whose words they are, the company "we",
    which sentences are sarcastic."""

    ignored: list[Ignored]
    blocked: Spans  # not the writer's framing: someone else's words, scare quotes
    scare: list[tuple[int, int]]  # scare quotes ('vision'), in text order
    scare_spans: Spans  # the same, merged
    quoted: Spans  # every quote, the writer's own too (tone is read with them masked)
    company_we: set[int]  # where a company "we" starts
    company_evidence: list[Evidence]  # the organisation acting on the writer's world
    sarcasm_markers: list[tuple[int, int]]  # "oh great", "living the dream", not quoted
    sarcastic: set[int]  # sentence numbers
    flags: set[str]


def foreign_words(
    passage: Passage, reported_verbs: list[tuple[int, int]]
) -> tuple[list[Ignored], list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int, str]]]:
    """Quotes and reported speech: (ignored, blocked spans, scare quotes, every quote)."""
    text, work = passage.text, passage.work
    ignored: list[Ignored] = []
    blocked: list[tuple[int, int]] = []
    scare: list[tuple[int, int]] = []
    quotes = (
        _find_quotes(text, work, passage.sentence_starts) if ('"' in work or "'" in work) else []
    )
    for s, e, owner in quotes:
        if owner == "other":
            ignored.append(Ignored(s, e, "someone else's words (quoted)"))
            blocked.append((s, e))
        elif owner == "scare":
            ignored.append(Ignored(s, e, "scare quotes"))
            blocked.append((s, e))
            scare.append((s, e))
    if reported_verbs:
        for s, e in _find_reported(text, work, reported_verbs):
            if not any(qs < e and s < qe for qs, qe, _ in quotes):
                ignored.append(Ignored(s, e, "reported speech"))
                blocked.append((s, e))
    return ignored, blocked, scare, quotes


def company_we(
    passage: Passage, hits: list[tuple[int, int]], blocked: Spans
) -> tuple[set[int], list[Ignored], list[Evidence]]:
    """ "We announced a reorg": the organisation, not the team; a little imposed."""
    starts: set[int] = set()
    ignored: list[Ignored] = []
    evidence: list[Evidence] = []
    for s, e in hits:
        starts.add(s)
        ignored.append(Ignored(s, s + 2, "company 'we' (the organisation)"))
        if not _inside(*blocked, s, e):
            evidence.append(
                _evidence(
                    s,
                    e,
                    "obligation_agency",
                    -1,
                    "rules.toml company_we: decided for us",
                    _DERIVED["company_we_obligation"],
                    passage.text[s:e],
                )
            )
    return starts, ignored, evidence


def sarcastic_sentences(
    passage: Passage,
    cues: list[Cue],
    rule_hits: dict[str, list[tuple[int, int]]],
    blocked: Spans,
    scare: Spans,
    quotes: list[tuple[int, int, str]],
) -> set[int]:
    """Sentences read by their intended meaning: a marker ("oh great"), an interjection in an
    entry that complains ("Great, a fourth meeting."), a scare-quoted positive."""
    work, starts = passage.work, passage.sentence_starts
    sarcastic: set[int] = set()
    for s, e in rule_hits["_sarcasm"]:
        if not _inside(*blocked, s, e):
            sarcastic.add(passage.sentence_of(s))
    if rule_hits["_interjection"]:
        complains = any(
            entry.weight < 0 and entry.dimension in ("tone", "obligation_agency")
            for _s, _e, entry in cues
        ) or bool(rule_hits["_sarcasm"])
        for s, e in rule_hits["_interjection"]:
            i = passage.sentence_of(s)
            opens = not work[starts[i] : s].strip(" \t\r\n-*\u2022\"'(")
            if complains and opens and work[e : e + 1] in (",", ".", "!", ";", "\u2014", "-"):
                sarcastic.add(i)
                if work[e : e + 1] in (".", "!"):
                    # "Brilliant. Another reorg. Can't wait to…": a one-word
                    # sentence colours the ones that follow it.
                    sarcastic.update(range(i + 1, i + 1 + _SARCASM["interjection_reach"]))
    if scare[0]:
        for start, end, entry in cues:
            if entry.weight > 0 and _inside(*scare, start, end):
                sarcastic.add(passage.sentence_of(start))
    sarcastic |= echoes(passage, quotes)
    return sarcastic


def echoes(passage: Passage, quotes: list[tuple[int, int, str]]) -> set[int]:
    """Short sentences that repeat a word quoted earlier: "'Together we are stronger!'
    Together." reads the quoted word back with the opposite meaning."""
    if not quotes:
        return set()
    work, starts = passage.work, passage.sentence_starts
    found = set()
    for sentence, start in enumerate(starts):
        earlier = [work[s:e] for s, e, _owner in quotes if e <= start]
        if not earlier:
            continue
        words = _WORD_RX.findall(work, start, passage.sentence_end(sentence))
        if 0 < len(words) <= _SARCASM["echo_max_words"] and any(
            _has_word(q, words[-1]) for q in earlier
        ):
            found.add(sentence)
    return found


def _has_word(text: str, word: str) -> bool:
    r"""Whether ``word`` occurs in ``text`` with no word character either side: what
    re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text) tells (\w: str.isalnum() or
    "_", as the regex engine reads it), without compiling a pattern of the writer's words: the
    re module keeps the last few hundred patterns it compiled for the life of the process, and
    no process keeps anyone's words past the analysis."""
    size = len(word)
    at = text.find(word)
    while at >= 0:
        before = text[at - 1] if at else " "
        after = text[at + size] if at + size < len(text) else " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            return True
        at = text.find(word, at + 1)
    return False


def read_context(
    passage: Passage, cues: list[Cue], rule_hits: dict[str, list[tuple[int, int]]]
) -> Context:
    ignored, blocked_list, scare, quotes = foreign_words(passage, rule_hits["_report"])
    blocked = _merge(blocked_list)
    company_starts, company_ignored, company_evidence = company_we(
        passage, rule_hits["_company"], blocked
    )
    scare_spans = _merge(scare)
    sarcastic = sarcastic_sentences(passage, cues, rule_hits, blocked, scare_spans, quotes)
    return Context(
        ignored=ignored + company_ignored,
        blocked=blocked,
        scare=scare,
        scare_spans=scare_spans,
        quoted=_merge([(s, e) for s, e, _ in quotes]),
        company_we=company_starts,
        company_evidence=company_evidence,
        sarcasm_markers=[(s, e) for s, e in rule_hits["_sarcasm"] if not _inside(*blocked, s, e)],
        sarcastic=sarcastic,
        flags={"sarcasm"} if sarcastic else set(),
    )


# --- 3. modifiers ---------------------------------------------------------------
# Each cue looks at a small window around it. A modifier returns the cue's new signed
# weight and notes, or None when the cue does not count.

Reading = tuple[float, list[str] | None] | None


# (negations, sarcasm, commitments in the passage) -> id of a lexicon line -> its modifiers.
# Lines live as long as the process (the compiled lexicon), so their ids are stable keys.
_CHAINS: dict[tuple[bool, bool, bool], dict[int, tuple]] = {}
# The same key -> id of a lexicon line -> its plan (``Modifiers.plan``).
Plan = tuple[str, int, float, str, bool, bool, bool, bool]
_PLANS: dict[tuple[bool, bool, bool], dict[int, Plan | bool]] = {}


def _negation_near(neg_ends: list[int], start: int) -> bool:
    """Whether a negation ends within reach before ``start`` (Modifiers.negation's first
    test: without one, it leaves the cue as it is)."""
    i = bisect_right(neg_ends, start) - 1
    return i >= 0 and neg_ends[i] > start - _NEG_REACH


class Modifiers:
    """The per-passage facts the modifiers share, found once."""

    def __init__(
        self,
        passage: Passage,
        context: Context,
        rule_hits: dict[str, list[tuple[int, int]]],
        obligations: bool = True,
    ) -> None:
        work = passage.work
        self.passage = passage
        self.context = context
        self.neg_ends = [e for _s, e in rule_hits["_neg"]]
        self.buts = [m.start() for m in _BUT_RX.finditer(work)] if "but" in work else []
        self.boosted = {_skip_space(work, e) for _s, e in rule_hits["_boost"]}
        self.softened = {_skip_space(work, e) for _s, e in rule_hits["_soften"]}
        self.used_to_at: dict[int, int] = {}  # sentence -> its first "used to", or -1
        # Only an obligation cue can be a commitment the writer made: look for markers then.
        self.commitments = _commitment_ends(work) if obligations else []
        self.negations = bool(self.neg_ends)
        self.sarcasm_here = bool(context.sarcastic)
        kind = (self.negations, self.sarcasm_here, bool(self.commitments))
        self.chains = _CHAINS.setdefault(kind, {})
        self.plans = _PLANS.setdefault(kind, {})

    def plan(self, entry: Entry) -> Plan | bool:
        """What a cue of ``entry`` files where nothing around it changes it: (dimension,
        pole, weight, rule, whether a negation nearby could, whether sarcasm could, whether
        a company "we" could, whether it counts only with a person after it). False when other
        rules depend on where it is (a subject rule, a passive, tone's feeling rules, a
        concession or commitment)."""
        chain = self.chain(entry)
        if (
            entry.passive
            or not entry.weight
            or entry.dimension == "tone"
            or not set(chain) <= {Modifiers.negation, Modifiers.sarcasm}
        ):
            return False
        pole = 1 if entry.weight > 0 else -1
        negation = Modifiers.negation in chain
        sarcasm = Modifiers.sarcasm in chain and pole > 0  # sarcasm changes positive cues
        company = entry.dimension == "self_collective"
        return (
            entry.dimension, pole, abs(entry.weight), entry.label, negation, sarcasm, company,
            entry.person,
        )

    def read_all(self, cues: list[Cue], tally: Tally) -> None:
        """Every cue as ``read`` reads it, added to ``tally`` in order. A cue that nothing
        around it changes (most: no negation within reach, not in a sarcastic sentence, not
        in someone else's words) is filed from its line's plan without the modifiers."""
        plans = self.plans
        blocked_starts, blocked_ends = self.context.blocked
        sarcastic = self.context.sarcastic
        company_we = self.context.company_we
        sentence_starts = self.passage.sentence_starts
        neg_ends = self.neg_ends
        text = self.passage.text
        positive, negative, evidence = tally.positive, tally.negative, tally.evidence
        read, person_follows = self.read, self.person_follows
        for cue in cues:
            start, end, entry = cue
            plan = plans.get(id(entry))
            if plan is None:
                plan = plans[id(entry)] = self.plan(entry)
            if plan:
                dim, pole, weight, rule, negation, sarcasm, company, person = plan
                if not (
                    (blocked_starts and _inside(blocked_starts, blocked_ends, start, end))
                    or (negation and _negation_near(neg_ends, start))
                    or (sarcasm and bisect_right(sentence_starts, start) - 1 in sarcastic)
                    or (company and start in company_we)
                ):
                    if person and not person_follows(end):
                        # ``read`` would drop it too: nothing before its person test applies.
                        continue
                    ev = _evidence(start, end, dim, pole, rule, weight, text[start:end])
                    evidence[dim].append(ev)
                    (positive if pole > 0 else negative)[dim] += weight
                    continue
            ev = read(cue)
            if ev is not None:
                (positive if ev.pole > 0 else negative)[ev.dimension] += ev.weight
                evidence[ev.dimension].append(ev)

    def chain(self, entry: Entry) -> tuple:
        """The modifiers that can change ``entry`` in this passage, in order (most cues
        need none: no subject rule, no negation or sarcasm in the passage)."""
        return tuple(
            modifier
            for modifier, applies in (
                (Modifiers.subject, entry.agent),
                (Modifiers.negation, self.negations and entry.negation != "keep"),
                (Modifiers.sarcasm, self.sarcasm_here),
                (Modifiers.concession, entry.concede),
                (
                    Modifiers.own_commitment,
                    bool(self.commitments)
                    and entry.dimension == "obligation_agency"
                    and entry.weight < 0,
                ),
                (Modifiers.feeling, entry.dimension == "tone"),
            )
            if applies
        )

    def read(self, cue: Cue) -> Evidence | None:
        """The cue as it counts, or None."""
        start, end, entry = cue
        dim = entry.dimension
        context = self.context
        blocked = context.blocked
        if blocked[0] and _inside(blocked[0], blocked[1], start, end):
            return self.scare_quoted(cue)
        quoted = context.quoted
        if dim == "tone" and quoted[0] and _inside(quoted[0], quoted[1], start, end):
            return None  # tone is read with every quote masked
        if dim == "self_collective" and start in context.company_we:
            return None
        reading: Reading = self.owned_passive(cue) if entry.passive else (entry.weight, None)
        if entry.person and not self.person_follows(end):
            return None  # "trained Leo" counts, "trained all morning" does not
        if not reading[0]:
            return None  # a +0 line only blocks shorter phrases
        chain = self.chains.get(id(entry))
        if chain is None:
            chain = self.chains[id(entry)] = self.chain(entry)
        if chain:
            sentence = self.passage.sentence_of(start)
            for modifier in chain:
                reading = modifier(self, cue, sentence, *reading)
                if reading is None:
                    return None
        weight, notes = reading
        pole = 1 if weight > 0 else -1
        rule = entry.label + "; " + "; ".join(notes) if notes else entry.label
        return _evidence(start, end, dim, pole, rule, abs(weight), self.passage.text[start:end])

    def scare_quoted(self, cue: Cue) -> Evidence | None:
        """A scare-quoted positive ('chose', "visionary leader") means its opposite; anything
        else in someone else's words does not count."""
        start, end, entry = cue
        scare = self.context.scare_spans
        if not (
            scare[0]
            and entry.weight > 0
            and entry.dimension in _SCARE_FLIP_DIMENSIONS
            and _inside(*scare, start, end)
        ):
            return None
        weight = entry.weight * _SARCASM["scare_quote_flip"]
        return _evidence(
            start,
            end,
            entry.dimension,
            -1,
            entry.label + "; scare-quoted: read as its opposite",
            weight,
            self.passage.text[start:end],
        )

    def owned_passive(self, cue: Cue) -> tuple[float, list[str] | None]:
        """ "It was decided by us", "deployed by me": a passive the writer owns."""
        _start, end, entry = cue
        if entry.passive and _PASSIVE_AGENT_RX.match(self.passage.work, end):
            return abs(entry.weight) * _DERIVED["owned_passive"], ["passive owned by the writer"]
        return entry.weight, None

    def person_follows(self, end: int) -> bool:
        return bool(
            _PERSON_AFTER_RX.match(self.passage.work, end)
            or _NAME_AFTER_RX.match(self.passage.text, end)
        )

    def subject(self, cue: Cue, sentence: int, weight: float, notes) -> Reading:
        """@agent cues: who did it? The writer (or a dropped subject) keeps the cue; someone
        else ("SLT decided") gives the line's @other weight, or drops it."""
        start, _end, entry = cue
        if not entry.agent:
            return weight, notes
        work = self.passage.work
        window_start = max(self.passage.sentence_starts[sentence], start - 70)
        clause_start = max(
            work.rfind(",", window_start, start),
            work.rfind(";", window_start, start),
            work.rfind(":", window_start, start),
        )
        origin = max(window_start, clause_start + 1)
        # The word right before the verb, skipping adverbs: a noun there is
        # someone else ("SLT decided", "the PM decides").
        words = _WORD_RX.findall(work, origin, start)
        if words and words[-1] in _DETERMINERS:
            return None  # a noun, not a verb: "ran the volunteer induction"
        while words and words[-1] in _ADVERB_WORDS:
            words.pop()
        noun_subject = bool(words) and words[-1] not in _SUBJECT_OR_JOINER_WORDS
        last = None
        for found in _SUBJECT_RX.finditer(work, origin, start):
            last = found  # the nearest subject before the cue wins
        if last is None and not noun_subject:
            return weight, ["dropped subject"]  # diary style: "Decided to…"
        if (
            noun_subject
            or last.group("other")
            or (last.group("writer") == "we" and last.start() in self.context.company_we)
        ):
            if entry.other_weight is None:
                return None
            return entry.other_weight, ["someone else decided"]
        return weight, notes

    def negation(self, cue: Cue, sentence: int, weight: float, notes) -> Reading:
        """A negation a few words before flips the cue (or drops it: @neg=drop)."""
        start, _end, entry = cue
        neg_ends = self.neg_ends
        if not neg_ends or entry.negation == "keep":
            return weight, notes
        i = bisect_right(neg_ends, start) - 1
        if i < 0 or neg_ends[i] <= start - _NEG_REACH:
            return weight, notes  # no negation within reach (most cues): no regex needed
        work = self.passage.work
        if _CLAUSE_OPENER_RX.match(work, start):
            return weight, notes
        reach = max(self.passage.sentence_starts[sentence], start - _NEG_REACH)
        if neg_ends[i] > reach and _NEG_RX.search(work, reach, start):
            if entry.negation == "drop":
                return None
            return -weight * _NEG_FACTOR.get(entry.dimension, 1.0), [*(notes or []), "negated"]
        return weight, notes

    def sarcasm(self, cue: Cue, sentence: int, weight: float, notes) -> Reading:
        """In a sarcastic sentence a positive feeling is flipped, other positive cues damped."""
        if weight <= 0 or sentence not in self.context.sarcastic:
            return weight, notes
        if cue[2].dimension == "tone":
            return -weight * _SARCASM["tone_flip"], [*(notes or []), "sarcasm flipped"]
        return weight * _SARCASM["damping"], [*(notes or []), "sarcasm damped"]

    def concession(self, cue: Cue, sentence: int, weight: float, notes) -> Reading:
        """@concede: "Not my place… but I raised it" turns the cue round."""
        start, end, entry = cue
        if not entry.concede:
            return weight, notes
        starts = self.passage.sentence_starts
        i = bisect_right(starts, start)
        reach = starts[i + 1] if i + 1 < len(starts) else len(self.passage.work)
        if _CONCESSION_RX.search(self.passage.work, end, reach):
            return -weight * _CONCESSION["factor"], [*(notes or []), "acted anyway"]
        return weight, notes

    def own_commitment(self, cue: Cue, sentence: int, weight: float, notes) -> Reading:
        """ "Has to" after a commitment the writer made (rules.toml [commitment]) is not
        compulsion: from the previous sentence's start to the cue."""
        if weight >= 0:
            return weight, notes
        start = cue[0]
        since = self.passage.sentence_starts[max(0, sentence - 1)]
        i = bisect_right(self.commitments, start) - 1
        if i >= 0 and self.commitments[i] > since:
            return None
        return weight, notes

    def feeling(self, cue: Cue, sentence: int, weight: float, notes) -> Reading:
        """Tone: a feeling left behind ("used to dread"), "tired but proud", someone else's
        feeling, intensifiers and downtoners."""
        start = cue[0]
        work = self.passage.work
        sentence_start = self.passage.sentence_starts[sentence]
        # Searched from the sentence start to its end once per sentence, not once per
        # cue (100,000 emoji in one sentence made this quadratic).
        if sentence not in self.used_to_at:
            self.used_to_at[sentence] = work.find(
                "used to", sentence_start, self.passage.sentence_end(sentence)
            )
        if 0 <= self.used_to_at[sentence] and self.used_to_at[sentence] + 7 <= start:
            return None  # "Used to dread the angry callers": a feeling left behind
        if self.buts:
            # "Tired but proud": what follows "but" carries the feeling.
            j = bisect_right(self.buts, start)
            if j < len(self.buts) and self.buts[j] < self.passage.sentence_end(sentence):
                weight *= _TONE["before_but"]
                notes = [*(notes or []), "before 'but'"]
            elif j > 0 and self.buts[j - 1] >= sentence_start:
                weight *= _TONE["after_but"]
                notes = [*(notes or []), "after 'but'"]
        if weight < 0:
            # "She was nervous", "because he is afraid": someone else's
            # feeling, told by the writer, is not the writer's own.
            last = None
            for found in _SUBJECT_RX.finditer(work, max(sentence_start, start - 40), start):
                last = found
            if last is not None and last.group("other") in _FEELING_OTHERS:
                weight *= _TONE["others_feeling"]
                notes = [*(notes or []), "someone else's feeling"]
        if start in self.boosted:
            weight *= _TONE["intensifier_boost"]
            notes = [*(notes or []), "intensified"]
        elif start in self.softened:
            weight *= _TONE["downtoner_factor"]
            notes = [*(notes or []), "softened"]
        return weight, notes


# --- 4. narrative: what the writer did ------------------------------------------------


def narrative_acts(passage: Passage, context: Context, tally: Tally) -> list[Evidence]:
    """Deliberate acts with the writer as agent (rules.toml [narrative]): agency shown by
    what the writer did, where no agency cue already counts the same words."""
    work = passage.work
    counted = [(ev.start, ev.end) for ev in tally.evidence["obligation_agency"]]
    taken_starts, taken_ends = _merge(counted)
    most = _NARRATIVE["max_per_sentence"]
    found: dict[int, list[tuple[int, int]]] = {}  # sentence -> verb spans

    def add(sentence: int, start: int, end: int) -> None:
        if context.blocked[0] and _inside(*context.blocked, start, end):
            return
        if sentence in context.sarcastic:
            return
        i = bisect_right(taken_ends, start)  # the first counted span ending after start
        if i < len(taken_ends) and taken_starts[i] < end:
            return  # an agency cue already counts these words
        spans = found.setdefault(sentence, [])
        if len(spans) < most and (start, end) not in spans:
            spans.append((start, end))

    for m in _ACT_RX.finditer(work):
        sentence = passage.sentence_of(m.start())
        if _CONDITION_RX.search(
            work, max(passage.sentence_starts[sentence], m.start() - 12), m.start()
        ):
            continue
        add(sentence, *m.span("verb"))
    dropped_act, ends = _DROPPED_ACT_RX.match, passage.sentence_ends
    for sentence, start in enumerate(passage.sentence_starts):
        m = dropped_act(work, start, ends[sentence])
        if m and len(found.get(sentence, ())) < most:
            add(sentence, *m.span("verb"))
    for sentence, spans in list(found.items()):
        if len(spans) >= most:
            continue
        end = passage.sentence_end(sentence)
        for m in _CHAINED_ACT_RX.finditer(work, spans[0][1], end):
            add(sentence, *m.span("verb"))
    weight = _NARRATIVE["agency_weight"]
    acts = []
    for spans in found.values():
        for s, e in spans:
            text = passage.text[s:e]
            rule = "rules.toml narrative: the writer acted"
            acts.append(_evidence(s, e, "obligation_agency", 1, rule, weight, text))
            if work[s:e] in _TOWARD_PEOPLE and (
                _PERSON_AFTER_RX.match(work, e) or _NAME_AFTER_RX.match(passage.text, e)
            ):
                rule = "rules.toml narrative: an act toward someone"
                acts.append(_evidence(s, e, "ripple", 1, rule, _NARRATIVE["ripple_weight"], text))
    for m in _OTHER_STEPS_UP_RX.finditer(passage.text):
        s, e = m.span()
        if not (context.blocked[0] and _inside(*context.blocked, s, e)):
            rule = "rules.toml narrative: someone else stepped up"
            weight = _NARRATIVE["others_step_up_weight"]
            acts.append(_evidence(s, e, "ripple", 1, rule, weight, passage.text[s:e]))
    return acts


# --- 5. derived: what one dimension's cues say a little about another ------------------


class Tally:
    """Summed weights and evidence per dimension."""

    def __init__(self) -> None:
        self.positive = dict.fromkeys(DIMENSIONS, 0.0)
        self.negative = dict.fromkeys(DIMENSIONS, 0.0)
        self.evidence: dict[str, list[Evidence]] = {d: [] for d in DIMENSIONS}
        # Every lexicon phrase the scan found, counted or not (a blocker such as "off sick",
        # a cue turned away): words a rule has read, which the learned layer leaves alone.
        self.read: list[tuple[int, int]] = []
        # dimension -> where its derived evidence starts (all of it after), when known (learn).
        self.derived_from: dict[str, int] | None = None
        # dimension -> how much of its evidence came from cues (read_all: each on its cue's
        # span, which ``read`` holds), when known (rules_reading).
        self.from_cues: dict[str, int] | None = None

    def add(self, ev: Evidence, amount: float | None = None) -> None:
        """Count ``ev`` (at ``amount`` when its shown weight is rounded)."""
        side = self.positive if ev.pole > 0 else self.negative
        side[ev.dimension] += ev.weight if amount is None else amount
        self.evidence[ev.dimension].append(ev)


# Evidence that says nothing about whether leading belongs to the role: derived weights, and
# plain acts of the writer (agency shown by deeds, not a view of the title).
_DERIVED_RULE = "rules.toml derived"
_NOT_TO_POSITION = (_DERIVED_RULE, "rules.toml narrative")


# round(w, 4) of a weight shown, remembered (one helper for every weight the analysis shows or
# sums as shown: the learned layer's across weights too).
_round4 = learned.rounded


def _derived(ev: Evidence, dimension: str, pole: int, rule: str, weight: float) -> Evidence:
    return _evidence(ev.start, ev.end, dimension, pole, rule, weight, ev.text)


def quantities(passage: Passage, context: Context) -> list[Evidence]:
    """Counted output ("140 drops") is task language. The regex starts with a digit: a text
    without one is not scanned at all (an ASCII text can only hold the ten, which str's own
    search finds about ten times faster than the regex engine's scan for a digit)."""
    work = passage.work
    found: list[Evidence] = []
    if work.isascii() and not any(map(work.__contains__, "0123456789")):
        return found
    for m in itertools.islice(_QUANTITY_RX.finditer(work), _DERIVED["quantity_max"]):
        if context.blocked[0] and _inside(*context.blocked, m.start(), m.end()):
            continue
        if _PLACE_NUMBER_RX.search(work, max(0, m.start() - 12), m.start()):
            continue  # "bed 4", "on 3": a place, not output
        found.append(
            _evidence(
                m.start(),
                m.end(),
                "action_vision",
                -1,
                "rules.toml derived: quantities",
                _DERIVED["quantity_weight"],
                passage.text[m.start() : m.end()],
            )
        )
    return found


def derive(tally: Tally, passage: Passage, context: Context, cues: list[Cue]) -> None:
    """The [derived] section of rules.toml, in its order."""
    for ev in context.company_evidence:
        tally.add(ev)
    for ev in quantities(passage, context):
        tally.add(ev)

    # Acting toward others is the first step of ripple.
    factor = _DERIVED["collective_to_ripple"]
    if factor:
        for ev in list(tally.evidence["self_collective"]):
            if ev.pole > 0 and ev.weight >= 0.5:
                rule = "rules.toml derived: collective_to_ripple"
                weight = factor * ev.weight
                tally.add(_derived(ev, "ripple", 1, rule, _round4(weight)), weight)

    # Choosing (or being decided for) and reaching out say a little about
    # whether leading belongs to the role.
    to_position = (("obligation_agency", "agency_to_position"), ("ripple", "ripple_to_position"))
    for source, key in to_position:
        factor = _DERIVED[key]
        if not factor:
            continue
        for ev in list(tally.evidence[source]):
            if (source == "ripple" and ev.pole < 0) or ev.rule.startswith(_NOT_TO_POSITION):
                continue
            weight = factor * ev.weight
            rule = f"rules.toml derived: {key}"
            tally.add(_derived(ev, "position_choice", ev.pole, rule, _round4(weight)), weight)

    # Task cues also mean "only my tasks in view" for self_collective.
    task_weight = _DERIVED["task_to_self"]
    if task_weight:
        for ev in list(tally.evidence["action_vision"]):
            if ev.pole < 0:
                rule = "rules.toml derived: only tasks in view"
                tally.add(_derived(ev, "self_collective", -1, rule, task_weight))

    # A sarcasm marker in a sentence without any feeling word is itself the feeling
    # ("scanned about 400 bananas today. living the dream").
    weight = _SARCASM["marker_tone"]
    if weight and context.sarcasm_markers:
        felt = {passage.sentence_of(ev.start) for ev in tally.evidence["tone"]}
        for s, e in context.sarcasm_markers:
            if passage.sentence_of(s) not in felt:
                rule = "rules.toml sarcasm: a sarcastic remark"
                tally.add(_evidence(s, e, "tone", -1, rule, weight, passage.text[s:e]))

    # Scare-quoted positives also colour the tone a little. Positive cues by start, so each
    # scare span looks only at the cues that start inside it.
    scare = context.scare
    positive_spans = sorted((cs, ce) for cs, ce, entry in cues if entry.weight > 0) if scare else []
    positive_starts = [cs for cs, _ce in positive_spans]
    for s, e in scare:
        i = bisect_left(positive_starts, s)
        inside = False
        while i < len(positive_spans) and positive_spans[i][0] < e and not inside:
            inside = positive_spans[i][1] <= e
            i += 1
        if inside:
            tally.add(
                _evidence(
                    s,
                    e,
                    "tone",
                    -1,
                    "rules.toml sarcasm: scare-quoted positive",
                    _SARCASM["scare_quote_tone"],
                    passage.text[s:e],
                )
            )


# --- 6. the learned layer (learned.py) ----------------------------------------------


def learn(tally: Tally, passage: Passage, context: Context, *, reweigh: bool = False) -> Tally:
    """Weigh the rules' evidence by the fitted scales and add the fitted words the writer used
    (lexicons/learned.toml); the rules' tally as it was when no fit is stored.

    Each dimension's sums are kept in the order the evidence is read (the rules', then the
    fitted words'), as floats add. Its evidence is listed for ``score``: the rules' (those
    ``derive`` made last), with the fitted words' before the derived ones (``derived_from``
    says where those start).

    ``reweigh``: the rules' Evidence is given its scaled weight in place rather than copied
    (analyze: nothing else holds that tally), so ``tally`` is no longer the rules' reading."""
    fitted = learned.layer()
    if not fitted:
        return tally
    out = Tally()
    positive, negative, evidence = out.positive, out.negative, out.evidence
    derived: dict[str, list[Evidence]] = {}
    rounded = _round4
    set_weight = _SET_WEIGHT
    for dim in DIMENSIONS:
        layer = fitted.get(dim)
        filed = evidence[dim]
        later = derived[dim] = []
        if layer is None:
            for ev in tally.evidence[dim]:
                (later if ev.rule.startswith(_DERIVED_RULE) else filed).append(ev)
                (positive if ev.pole > 0 else negative)[dim] += ev.weight
            continue
        up, down = layer.positive_scale, layer.negative_scale
        pos = neg = 0.0
        for ev in tally.evidence[dim]:
            pole = ev.pole
            scale = up if pole > 0 else down
            if scale > 0:
                weight = ev.weight * scale
                rule = ev.rule
                if reweigh:
                    set_weight(ev, rounded(weight))
                else:
                    ev = _evidence(ev.start, ev.end, dim, pole, rule, rounded(weight), ev.text)
                (later if rule.startswith(_DERIVED_RULE) else filed).append(ev)
                if pole > 0:
                    pos += weight
                else:
                    neg += weight
        positive[dim] = pos
        negative[dim] = neg
    _weigh_across(evidence, derived, positive, negative)
    # The fitted words and phrases the writer used, each weight filed under its dimension.
    text, unread = passage.text, _unread(tally, context)
    for start, end, rows in learned.weighed(passage.work, passage.sentence_starts, *unread):
        quoted = text[start:end]
        for dim, pole, weight, rule in rows:
            evidence[dim].append(_evidence(start, end, dim, pole, rule, weight, quoted))
            if pole > 0:
                positive[dim] += weight
            else:
                negative[dim] += weight
    out.derived_from = {}
    for dim in DIMENSIONS:
        out.derived_from[dim] = len(evidence[dim])
        evidence[dim] += derived[dim]
    return out


def _weigh_across(evidence, derived, positive, negative) -> None:
    """What the rules read in each dimension, weighed in the others (learned.Dimension.across):
    only in the sums. The items are not made here: learned.carried derives them from the stored
    evidence when an entry is shown (the same rounded weights, so they add up to these sums);
    made here they would be half of all the evidence an analysis keeps and stores."""
    for source, rows in learned.across_ratios().items():
        items = evidence[source] + derived[source]
        if not items:
            continue
        # Each pole's weights in order: each sum adds the same terms in the same order as a
        # pass over ``items`` would.
        ups = [ev.weight for ev in items if ev.pole > 0]
        downs = [ev.weight for ev in items if ev.pole < 0]
        for dim, turn, up, down, _rule in rows:
            pos = learned.across_sum(ups, up)
            neg = learned.across_sum(downs, down)
            if turn < 0:
                pos, neg = neg, pos
            positive[dim] += pos
            negative[dim] += neg


def _unread(tally: Tally, context: Context) -> Spans:
    """What the learned layer leaves alone (unread_words), merged: what the rules read and
    someone else's words."""
    from_cues = tally.from_cues
    if from_cues is None:
        spans = [(ev.start, ev.end) for found in tally.evidence.values() for ev in found]
    else:
        # The evidence read from cues lies on the cues' spans, in ``read`` already (the same
        # spans twice merge as once).
        spans = [
            (ev.start, ev.end)
            for dim, found in tally.evidence.items()
            for ev in itertools.islice(found, from_cues[dim], None)
        ]
    spans += tally.read
    spans += zip(*context.blocked, strict=True)
    return _merge(spans)


def unread_words(tally: Tally, passage: Passage, context: Context) -> dict[str, tuple[int, int]]:
    """The words and two-word phrases the learned layer may weigh: the writer's own (not in
    someone else's speech or scare quotes) that no rule has read already (counted, turned
    away or blocked), so a phrase the lexicons know is weighed by its rules alone (the layer
    fits on exactly these)."""
    return learned.features(passage.work, passage.sentence_starts, *_unread(tally, context))


# --- 7. scoring -------------------------------------------------------------------


def passage_flags(passage: Passage, context: Context) -> set[str]:
    flags = set(context.flags)
    if passage.word_count < _VERY_SHORT:
        flags.add("very_short")
    if passage.word_count == 0:
        flags.add("empty")
    # Bullets start lines: a text of one line has at most one.
    if (
        len(passage.sentence_starts) > 1
        and "\n" in passage.work
        and len(_BULLET_RX.findall(passage.work)) >= 2
    ):
        flags.add("list")
    if any(i.reason == "reported speech" for i in context.ignored):
        flags.add("reported_speech")
    if any(i.reason.startswith("someone else") for i in context.ignored):
        flags.add("quoted_speech")
    return flags


def score(tally: Tally, passage: Passage, context: Context) -> Analysis:
    flags = passage_flags(passage, context)
    factor = 1.0
    if "very_short" in flags:
        factor *= RULES["short"]["confidence_factor"]
    if "sarcasm" in flags:
        factor *= _SARCASM["confidence_factor"]
    words = passage.word_count
    evidence, by_dimension = _in_order(tally)
    scores: dict[str, float | None] = {}
    dimensions: dict[str, DimensionResult] = {}
    positive, negative = tally.positive, tally.negative
    for dim in DIMENSIONS:
        # round(x, 4) goes through a decimal string; a sum of zero (either sign) is itself.
        pos = positive[dim]
        if pos:
            pos = round(pos, 4)
        neg = negative[dim]
        if neg:
            neg = round(neg, 4)
        scores[dim] = score_from_counts(dim, pos, neg, words)
        # confidence_from_counts gives a value rounded to 3 digits already, which the same
        # rounding leaves as it is: only a factor other than 1 needs it again.
        confidence = confidence_from_counts(dim, pos, neg, words)
        if factor != 1.0:
            confidence = round(confidence * factor, 3)
        dimensions[dim] = DimensionResult(pos, neg, confidence, by_dimension[dim])
    if len(evidence) > MAX_EVIDENCE:
        # Scores above count every phrase; what is kept to show and store is bounded (an
        # entry of 100,000 emoji had 100,000 phrases: 5 s to save, 4 s to display). Counted in
        # the rules' phrases, the ones the page marks: the learned layer's go with them (each
        # rule's phrase is weighed on a few other scales too), up to a few times as many.
        ruled = [ev for ev in evidence if not ev.rule.startswith(learned.RULE)]
        if len(ruled) > MAX_EVIDENCE:
            cutoff = ruled[MAX_EVIDENCE].start
            evidence = [ev for ev in evidence if ev.start < cutoff]
            for result in dimensions.values():
                result.evidence[:] = [ev for ev in result.evidence if ev.start < cutoff]
    ignored = sorted(context.ignored, key=lambda ig: (ig.start, ig.end))
    return Analysis(scores, dimensions, evidence, ignored, flags, words)


# The lines whose cue is an obligation (ids: the compiled lexicon's lines live as long as the
# process), so analyze() checks its cues for one without a Python loop.
_OBLIGATION_LINES = frozenset(
    id(entry) for entry in _LEX.rank if entry.weight < 0 and entry.dimension == "obligation_agency"
)
_LINE_OF = operator.itemgetter(2)


def analyze(text: str) -> Analysis:
    """Analyse one entry. Never raises on str input; offsets index ``text``."""
    if not isinstance(text, str):
        raise TypeError("analyze() takes a str")
    tally, passage, context = rules_reading(text)
    return score(learn(tally, passage, context, reweigh=True), passage, context)


def rules_reading(text: str) -> tuple[Tally, Passage, Context]:
    """What the rules read, before the learned layer (which is fitted on exactly this)."""
    passage = read_passage(text)
    cues, rule_hits = scan(passage)
    context = read_context(passage, cues, rule_hits)
    obligations = any(map(_OBLIGATION_LINES.__contains__, map(id, map(_LINE_OF, cues))))
    modifiers = Modifiers(passage, context, rule_hits, obligations)
    tally = Tally()
    tally.read = [(start, end) for start, end, _line in cues]
    modifiers.read_all(cues, tally)
    tally.from_cues = {dim: len(found) for dim, found in tally.evidence.items()}
    for ev in narrative_acts(passage, context, tally):
        tally.add(ev)
    derive(tally, passage, context, cues)
    return tally, passage, context


_DIM_INDEX = {d: i for i, d in enumerate(DIMENSIONS)}


def _evidence_order(ev: Evidence) -> tuple[int, int, bool, int]:
    # At one span, a lexicon cue comes before what rules derived from it, so a
    # highlighter that draws one mark per span draws the cue itself.
    return (ev.start, ev.end, ev.rule.startswith(_DERIVED_RULE), _DIM_INDEX[ev.dimension])


_START = operator.attrgetter("start")
_END = operator.attrgetter("end")


def _in_order(tally: Tally) -> tuple[list[Evidence], dict[str, list[Evidence]]]:
    """All the evidence sorted by ``_evidence_order`` (stable: equal keys are one dimension's,
    in the order found), and each dimension's share of it in the same order.

    Sorted without calling ``_evidence_order`` per item: every dimension's evidence that is not
    derived, in dimension order, then every dimension's derived evidence likewise, sorted
    stably by end and then by start (two sorts on one integer each), is in that order, since
    the input already has the rest of the key (derived or not, then dimension) rising."""
    split = tally.derived_from
    plain: list[list[Evidence]] = []
    derived: list[list[Evidence]] = []
    for dim in DIMENSIONS:
        found = tally.evidence[dim]
        if split is None:
            plain.append([ev for ev in found if not ev.rule.startswith(_DERIVED_RULE)])
            derived.append([ev for ev in found if ev.rule.startswith(_DERIVED_RULE)])
        else:
            plain.append(found[: split[dim]])
            derived.append(found[split[dim] :])
    evidence = list(itertools.chain(*plain, *derived))
    evidence.sort(key=_END)
    evidence.sort(key=_START)
    by_dimension: dict[str, list[Evidence]] = {dim: [] for dim in DIMENSIONS}
    for ev in evidence:
        by_dimension[ev.dimension].append(ev)
    return evidence, by_dimension
