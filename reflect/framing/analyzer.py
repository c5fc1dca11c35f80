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

Tone uses our own lexicon rather than vaderSentiment. VADER alone runs at about
the speed of this whole analyzer (bench/analyzer.py prints both), so running it
per sentence on top of the framing pass would roughly halve throughput, below
the 300,000 words/s target; it does not know work idioms ("crushed the
targets", "drowning in tickets"); and it returns no spans, while every score
here must point at the phrases behind it. The same cue machinery scores tone
per sentence, with quoted words masked and sarcastic sentences flipped.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

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
_SENTENCE_END_RX = re.compile(r"[.!?\u2026]+[\"')\]]*(?=\s|$)|\n")
_BULLET_RX = re.compile(r"(?m)^[ \t]*(?:[-*\u2022\u00b7\u2023\u25aa\u25e6]|\d{1,2}[.)])[ \t]+")
_WORD_RX = re.compile(r"\w+(?:'\w+)*")

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
_BUT_RX = re.compile(r"(?<![\w'])but(?![\w'])")
# Third persons whose feelings the writer reports ("she was nervous").
_FEELING_OTHERS = frozenset(RULES["tone"]["others"])
_TONE = RULES["tone"]
_VERY_SHORT = RULES["short"]["very_short_words"]


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


def _skip_space(work: str, pos: int) -> int:
    while pos < len(work) and work[pos] in " \t-":
        pos += 1
    return pos


# matched text -> (entries, shorter same-start entries of other dimensions)
_MATCH_CACHE: dict[str, tuple[tuple[Entry, ...], tuple]] = {}


def _lookup(matched: str) -> tuple[tuple[Entry, ...], tuple]:
    found = _MATCH_CACHE.get(matched)
    if found is not None:
        return found
    # Literal phrases first; else the longest matching wildcard or gapped
    # phrase per dimension. Plus shorter literal phrases of other dimensions
    # that start here ("asked the night team what…" still lets "asked" count
    # elsewhere).
    found = _LEX.lookup(normalise_key(matched))
    if len(_MATCH_CACHE) > 100_000:  # bounded: matched strings are lexicon-sized
        _MATCH_CACHE.clear()
    _MATCH_CACHE[matched] = found
    return found


# Evidence phrases kept per analysis; real entries have tens (a 3,000-word entry about 300).
MAX_EVIDENCE = 2_000


def analyze(text: str) -> Analysis:
    """Analyse one entry. Never raises on str input; offsets index ``text``."""
    if not isinstance(text, str):
        raise TypeError("analyze() takes a str")
    work = _working_copy(text)
    word_count = len(_WORD_RX.findall(work))

    sentence_starts = [0]
    for m in _SENTENCE_END_RX.finditer(work):
        if m.end() != sentence_starts[-1]:
            sentence_starts.append(m.end())

    # --- one scan for every lexicon phrase and rule word --------------------
    # Within one dimension cues may not overlap: the leftmost, then longest,
    # wins (the lookahead reports the longest phrase at each start).
    cues: list[tuple[int, int, Entry]] = []
    last_end = dict.fromkeys(_ALL_DIMENSIONS, -1)
    for m in _LEX.pattern.finditer(work):
        start, end = m.span(1)
        entries, shorter = _lookup(m.group(1))
        for entry in entries:
            if start >= last_end[entry.dimension]:
                cues.append((start, end, entry))
                last_end[entry.dimension] = end
        if shorter:
            word_ends = [start + w.end() for w in _WORD_RX.finditer(m.group(1))]
            for n_words, prefix_entries in shorter:
                if n_words > len(word_ends):
                    continue
                sub_end = word_ends[n_words - 1]
                for entry in prefix_entries:
                    if start >= last_end[entry.dimension]:
                        cues.append((start, sub_end, entry))
                        last_end[entry.dimension] = sub_end
    rule_hits: dict[str, list[tuple[int, int]]] = {d: [] for d in PSEUDO_DIMENSIONS}
    real_cues = []
    for cue in cues:
        if cue[2].dimension[0] == "_":
            rule_hits[cue[2].dimension].append((cue[0], cue[1]))
        else:
            real_cues.append(cue)
    cues = real_cues

    # --- spans that are not the writer's framing ---------------------------
    ignored: list[Ignored] = []
    blocked: list[tuple[int, int]] = []
    scare: list[tuple[int, int]] = []
    quotes = _find_quotes(text, work, sentence_starts) if ('"' in work or "'" in work) else []
    for s, e, owner in quotes:
        if owner == "other":
            ignored.append(Ignored(s, e, "someone else's words (quoted)"))
            blocked.append((s, e))
        elif owner == "scare":
            ignored.append(Ignored(s, e, "scare quotes"))
            blocked.append((s, e))
            scare.append((s, e))
    if rule_hits["_report"]:
        for s, e in _find_reported(text, work, rule_hits["_report"]):
            if not any(qs < e and s < qe for qs, qe, _ in quotes):
                ignored.append(Ignored(s, e, "reported speech"))
                blocked.append((s, e))
    blocked_starts, blocked_ends = _merge(blocked)
    quote_starts, quote_ends = _merge([(s, e) for s, e, _ in quotes])

    company_we: set[int] = set()
    company_evidence: list[Evidence] = []
    for s, e in rule_hits["_company"]:
        company_we.add(s)
        ignored.append(Ignored(s, s + 2, "company 'we' (the organisation)"))
        if not _inside(blocked_starts, blocked_ends, s, e):
            # The organisation acting on the writer's world: a little imposed.
            company_evidence.append(
                Evidence(
                    s,
                    e,
                    "obligation_agency",
                    -1,
                    "rules.toml company_we: decided for us",
                    _DERIVED["company_we_obligation"],
                    text[s:e],
                )
            )

    flags: set[str] = set()
    sarcastic: set[int] = set()
    for s, e in rule_hits["_sarcasm"]:
        if not _inside(blocked_starts, blocked_ends, s, e):
            sarcastic.add(bisect_right(sentence_starts, s) - 1)
            flags.add("sarcasm")

    # "Great, a fourth meeting." A positive word opening a sentence, cut off by
    # punctuation, in an entry that complains somewhere else.
    if rule_hits["_interjection"]:
        complains = any(
            entry.weight < 0 and entry.dimension in ("tone", "obligation_agency")
            for _s, _e, entry in cues
        ) or bool(rule_hits["_sarcasm"])
        for s, e in rule_hits["_interjection"]:
            i = bisect_right(sentence_starts, s) - 1
            opens = not work[sentence_starts[i] : s].strip(" \t\r\n-*\u2022\"'(")
            if complains and opens and work[e : e + 1] in (",", ".", "!", ";", "\u2014", "-"):
                sarcastic.add(i)
                flags.add("sarcasm")
                if work[e : e + 1] in (".", "!"):
                    # "Brilliant. Another reorg. Can't wait to…": a one-word
                    # sentence colours the ones that follow it.
                    sarcastic.update(range(i + 1, i + 1 + _SARCASM["interjection_reach"]))

    # Scare-quoted positives ('vision', "lead") are a sarcasm marker.
    scare_starts, scare_ends = _merge(scare)
    if scare:
        for start, end, entry in cues:
            if entry.weight > 0 and _inside(scare_starts, scare_ends, start, end):
                sarcastic.add(bisect_right(sentence_starts, start) - 1)
                flags.add("sarcasm")

    neg_ends = [e for _s, e in rule_hits["_neg"]]
    buts = [m.start() for m in _BUT_RX.finditer(work)] if "but" in work else []
    boosted = {_skip_space(work, e) for _s, e in rule_hits["_boost"]}
    softened = {_skip_space(work, e) for _s, e in rule_hits["_soften"]}

    positive = dict.fromkeys(DIMENSIONS, 0.0)
    negative = dict.fromkeys(DIMENSIONS, 0.0)
    by_dimension: dict[str, list[Evidence]] = {d: [] for d in DIMENSIONS}
    used_to_at: dict[int, int] = {}  # sentence -> where its first "used to" starts, or -1
    for start, end, entry in cues:
        dim = entry.dimension
        if blocked_starts and _inside(blocked_starts, blocked_ends, start, end):
            if not (
                scare_starts
                and entry.weight > 0
                and dim in _SCARE_FLIP_DIMENSIONS
                and _inside(scare_starts, scare_ends, start, end)
            ):
                continue
            # A scare-quoted positive ('chose', "visionary leader") means its opposite.
            weight = -entry.weight * _SARCASM["scare_quote_flip"]
            by_dimension[dim].append(
                Evidence(
                    start,
                    end,
                    dim,
                    -1,
                    entry.label + "; scare-quoted: read as its opposite",
                    -weight,
                    text[start:end],
                )
            )
            negative[dim] -= weight
            continue
        if dim == "tone" and quote_starts and _inside(quote_starts, quote_ends, start, end):
            continue  # tone is read with every quote masked
        if dim == "self_collective" and start in company_we:
            continue
        weight = entry.weight
        notes: list[str] | None = None
        if entry.passive and _PASSIVE_AGENT_RX.match(work, end):
            # "It was decided by us", "deployed by me": a passive the writer owns.
            weight = abs(weight) * _DERIVED["owned_passive"]
            notes = ["passive owned by the writer"]
        if entry.person and not (
            _PERSON_AFTER_RX.match(work, end) or _NAME_AFTER_RX.match(text, end)
        ):
            continue  # "trained Leo" counts, "trained all morning" does not
        if not weight:
            continue  # a +0 line only blocks shorter phrases
        sentence = -1
        sentence_start = 0

        if entry.agent:
            sentence = bisect_right(sentence_starts, start) - 1
            sentence_start = sentence_starts[sentence]
            window_start = max(sentence_start, start - 70)
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
                continue  # a noun, not a verb: "ran the volunteer induction"
            while words and words[-1] in _ADVERB_WORDS:
                words.pop()
            noun_subject = bool(words) and words[-1] not in _SUBJECT_OR_JOINER_WORDS
            last = None
            for found in _SUBJECT_RX.finditer(work, origin, start):
                last = found  # the nearest subject before the cue wins
            if last is None and not noun_subject:
                notes = ["dropped subject"]  # diary style: "Decided to…"
            elif (
                noun_subject
                or last.group("other")
                or (last.group("writer") == "we" and last.start() in company_we)
            ):
                if entry.other_weight is None:
                    continue
                weight = entry.other_weight
                notes = ["someone else decided"]

        if neg_ends and entry.negation != "keep" and not _CLAUSE_OPENER_RX.match(work, start):
            i = bisect_right(neg_ends, start) - 1
            if i >= 0 and neg_ends[i] > start - _NEG_REACH:
                if sentence < 0:
                    sentence = bisect_right(sentence_starts, start) - 1
                    sentence_start = sentence_starts[sentence]
                reach = max(sentence_start, start - _NEG_REACH)
                if neg_ends[i] > reach and _NEG_RX.search(work, reach, start):
                    if entry.negation == "drop":
                        continue
                    weight = -weight * _NEG_FACTOR.get(dim, 1.0)
                    notes = (notes or []) + ["negated"]

        if weight > 0 and sarcastic:
            if sentence < 0:
                sentence = bisect_right(sentence_starts, start) - 1
            if sentence in sarcastic:
                if dim == "tone":
                    weight = -weight * _SARCASM["tone_flip"]
                    notes = (notes or []) + ["sarcasm flipped"]
                else:
                    weight *= _SARCASM["damping"]
                    notes = (notes or []) + ["sarcasm damped"]

        if entry.concede:
            i = bisect_right(sentence_starts, start)
            reach = sentence_starts[i + 1] if i + 1 < len(sentence_starts) else len(work)
            if _CONCESSION_RX.search(work, end, reach):
                weight = -weight * _CONCESSION["factor"]
                notes = (notes or []) + ["acted anyway"]

        if dim == "tone":
            if sentence < 0:
                sentence = bisect_right(sentence_starts, start) - 1
            sentence_start = sentence_starts[sentence]
            # Searched from the sentence start to its end once per sentence, not once per
            # cue (100,000 emoji in one sentence made this quadratic); same answer.
            if sentence not in used_to_at:
                following = sentence + 1
                used_to_at[sentence] = work.find(
                    "used to",
                    sentence_start,
                    sentence_starts[following] if following < len(sentence_starts) else len(work),
                )
            if 0 <= used_to_at[sentence] and used_to_at[sentence] + 7 <= start:
                continue  # "Used to dread the angry callers": a feeling left behind
            if buts:
                # "Tired but proud": what follows "but" carries the feeling.
                sentence_end = (
                    sentence_starts[sentence + 1]
                    if sentence + 1 < len(sentence_starts)
                    else len(work)
                )
                j = bisect_right(buts, start)
                if j < len(buts) and buts[j] < sentence_end:
                    weight *= _TONE["before_but"]
                    notes = (notes or []) + ["before 'but'"]
                elif j > 0 and buts[j - 1] >= sentence_start:
                    weight *= _TONE["after_but"]
                    notes = (notes or []) + ["after 'but'"]
            if weight < 0:
                # "She was nervous", "because he is afraid": someone else's
                # feeling, told by the writer, is not the writer's own.
                origin = max(sentence_start, start - 40)
                last = None
                for found in _SUBJECT_RX.finditer(work, origin, start):
                    last = found
                if last is not None and last.group("other") in _FEELING_OTHERS:
                    weight *= _TONE["others_feeling"]
                    notes = (notes or []) + ["someone else's feeling"]
            if start in boosted:
                weight *= _TONE["intensifier_boost"]
                notes = (notes or []) + ["intensified"]
            elif start in softened:
                weight *= _TONE["downtoner_factor"]
                notes = (notes or []) + ["softened"]

        if weight > 0:
            positive[dim] += weight
            pole = 1
        else:
            weight = -weight
            negative[dim] += weight
            pole = -1
        rule = entry.label + "; " + "; ".join(notes) if notes else entry.label
        by_dimension[dim].append(Evidence(start, end, dim, pole, rule, weight, text[start:end]))

    for ev in company_evidence:
        negative["obligation_agency"] += ev.weight
        by_dimension["obligation_agency"].append(ev)

    # Counted output ("140 drops") is task language.
    # The regex starts with a digit, so a text without one costs next to nothing.
    for m in itertools.islice(_QUANTITY_RX.finditer(work), _DERIVED["quantity_max"]):
        if blocked_starts and _inside(blocked_starts, blocked_ends, m.start(), m.end()):
            continue
        if _PLACE_NUMBER_RX.search(work, max(0, m.start() - 12), m.start()):
            continue  # "bed 4", "on 3": a place, not output
        weight = _DERIVED["quantity_weight"]
        negative["action_vision"] += weight
        by_dimension["action_vision"].append(
            Evidence(
                m.start(),
                m.end(),
                "action_vision",
                -1,
                "rules.toml derived: quantities",
                weight,
                text[m.start() : m.end()],
            )
        )

    factor = _DERIVED["collective_to_ripple"]
    if factor:
        for ev in list(by_dimension["self_collective"]):
            if ev.pole > 0 and ev.weight >= 0.5:
                positive["ripple"] += factor * ev.weight
                by_dimension["ripple"].append(
                    Evidence(
                        ev.start,
                        ev.end,
                        "ripple",
                        1,
                        "rules.toml derived: collective_to_ripple",
                        round(factor * ev.weight, 4),
                        ev.text,
                    )
                )

    # Choosing (or being decided for) and reaching out say a little about
    # whether leading belongs to the role.
    for source, key in (
        ("obligation_agency", "agency_to_position"),
        ("ripple", "ripple_to_position"),
    ):
        factor = _DERIVED[key]
        if not factor:
            continue
        for ev in list(by_dimension[source]):
            if (source == "ripple" and ev.pole < 0) or ev.rule.startswith("rules.toml derived"):
                continue
            weight = factor * ev.weight
            if ev.pole > 0:
                positive["position_choice"] += weight
            else:
                negative["position_choice"] += weight
            by_dimension["position_choice"].append(
                Evidence(
                    ev.start,
                    ev.end,
                    "position_choice",
                    ev.pole,
                    f"rules.toml derived: {key}",
                    round(weight, 4),
                    ev.text,
                )
            )

    # Task cues also mean "only my tasks in view" for self_collective.
    task_weight = _DERIVED["task_to_self"]
    if task_weight:
        for ev in by_dimension["action_vision"]:
            if ev.pole < 0:
                negative["self_collective"] += task_weight
                by_dimension["self_collective"].append(
                    Evidence(
                        ev.start,
                        ev.end,
                        "self_collective",
                        -1,
                        "rules.toml derived: only tasks in view",
                        task_weight,
                        ev.text,
                    )
                )

    # Scare-quoted positives also colour the tone a little.
    # Positive cues by start, so each scare span looks only at the cues that start inside it
    # (a scan of every cue per span was quadratic on many quoted words); same answer.
    positive_spans = sorted((cs, ce) for cs, ce, entry in cues if entry.weight > 0) if scare else []
    positive_starts = [cs for cs, _ce in positive_spans]
    for s, e in scare:
        i = bisect_left(positive_starts, s)
        inside = False
        while i < len(positive_spans) and positive_spans[i][0] < e and not inside:
            inside = positive_spans[i][1] <= e
            i += 1
        if inside:
            weight = _SARCASM["scare_quote_tone"]
            negative["tone"] += weight
            by_dimension["tone"].append(
                Evidence(
                    s, e, "tone", -1, "rules.toml sarcasm: scare-quoted positive", weight, text[s:e]
                )
            )

    if word_count < _VERY_SHORT:
        flags.add("very_short")
    if word_count == 0:
        flags.add("empty")
    if len(sentence_starts) > 1 and len(_BULLET_RX.findall(work)) >= 2:
        flags.add("list")
    if any(i.reason == "reported speech" for i in ignored):
        flags.add("reported_speech")
    if any(i.reason.startswith("someone else") for i in ignored):
        flags.add("quoted_speech")

    factor = 1.0
    if "very_short" in flags:
        factor *= RULES["short"]["confidence_factor"]
    if "sarcasm" in flags:
        factor *= _SARCASM["confidence_factor"]
    scores: dict[str, float | None] = {}
    dimensions: dict[str, DimensionResult] = {}
    evidence: list[Evidence] = []
    for dim in DIMENSIONS:
        pos = round(positive[dim], 4)
        neg = round(negative[dim], 4)
        scores[dim] = score_from_counts(dim, pos, neg, word_count)
        confidence = round(confidence_from_counts(dim, pos, neg, word_count) * factor, 3)
        items = by_dimension[dim]
        items.sort(key=_evidence_order)
        dimensions[dim] = DimensionResult(pos, neg, confidence, items)
        evidence.extend(items)
    evidence.sort(key=_evidence_order)
    if len(evidence) > MAX_EVIDENCE:
        # Scores above count every phrase; what is kept to show and store is bounded (an
        # entry of 100,000 emoji had 100,000 phrases: 5 s to save, 4 s to display).
        cutoff = evidence[MAX_EVIDENCE].start
        evidence = [ev for ev in evidence if ev.start < cutoff]
        for result in dimensions.values():
            result.evidence[:] = [ev for ev in result.evidence if ev.start < cutoff]
    ignored.sort(key=lambda ig: (ig.start, ig.end))
    return Analysis(scores, dimensions, evidence, ignored, flags, word_count)


_DIM_INDEX = {d: i for i, d in enumerate(DIMENSIONS)}


def _evidence_order(ev: Evidence) -> tuple[int, int, bool, int]:
    # At one span, a lexicon cue comes before what rules derived from it, so a
    # highlighter that draws one mark per span draws the cue itself.
    return (ev.start, ev.end, ev.rule.startswith("rules.toml derived"), _DIM_INDEX[ev.dimension])

