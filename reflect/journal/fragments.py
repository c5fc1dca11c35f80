"""Search fragments on PostgreSQL: the passages of a hit that hold the words searched for, with
those words marked.

PostgreSQL's ts_headline made them before, and it was most of the search page's database
time: it parses and stems every word of every hit on the page again (2.1 of a 2.6 ms query for
a page of 110-word entries), although the stored vector has already said which entries match.
Here the query's words are the ones PostgreSQL itself reads from it (``querytree``, which
leaves out the excluded ones), and an entry's word matches when its Snowball English stem is
one of them: the stemmer PostgreSQL's "english" configuration uses (PyStemmer, the Snowball
project's own C stemmers for Python). Only words starting with the first two letters of
one of the query's words are stemmed (the stemmer keeps those), found by the regex engine, so
a page of hits costs a regex pass over each text, a split at its spaces and a few stems.

The fragment is marked with fulltext's HIT_START/HIT_STOP around each matching word, as
ts_headline marked them (browse.highlight turns them into <mark>): at most MAX_FRAGMENTS
passages of at most MAX_WORDS words each, around the runs of matching words that show the
most different words searched for, in the text's order, joined by DELIMITER; the first
MIN_WORDS words when none matches (a search by exclusion alone, or a word PostgreSQL reads
whole, such as an email address). The Snowball version pinned is the one PostgreSQL 15 stems
with: tests/test_search_fragments.py compares the words marked with the server's own.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from reflect.journal.fulltext import HIT_START, HIT_STOP

MAX_WORDS = 30
MIN_WORDS = 12
MAX_FRAGMENTS = 2
DELIMITER = " … "
ELLIPSIS = "…"

# PostgreSQL's parser splits words at anything that is not a letter or digit ("team's" is
# "team" and "s"; "self-leadership" also gives "self" and "leadership").
_WORD = re.compile(r"[^\W_]+")
# PostgreSQL's english.stop (from the Snowball project): words it drops, never a lexeme, even
# when a query's word stems to one of them ("mostly" is 'most'; "most" in a text is dropped).
_STOPWORDS = frozenset("""
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
she her hers herself it its itself they them their theirs themselves what which who whom
this that these those am is are was were be been being have has had having do does did
doing a an the and but if or because as until while of at by for with about against between
into through during before after above below to from up down in out on off over under again
further then once here there when where why how all any both each few more most other some
such no nor not only own same so than too very s t can will just don should now
""".split())
# A lexeme in a tsquery's text: quoted, with ' and \ doubled.
_LEXEME = re.compile(r"'((?:[^'\\]|''|\\\\)*)'")
_UNDOUBLE = re.compile(r"''|\\\\")


def query_terms(querytree: str) -> frozenset[str]:
    """The lexemes of ``querytree(websearch_to_tsquery(...))``'s text, e.g. ``'team' & 'rota'``
    (PostgreSQL leaves the excluded words out of it)."""
    return frozenset(
        _UNDOUBLE.sub(lambda m: m.group()[0], m.group(1)) for m in _LEXEME.finditer(querytree)
    )


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


# Snowball's English stemmer changes a word only after its first two letters, except for
# "dying", "lying" and "tying" (its exceptions list): a word can stem to a term only if it
# starts with the term's first two letters (or these three's "-y" forms).
_SECOND_LETTER_CHANGED = {"die": "dy", "lie": "ly", "tie": "ty"}


@lru_cache(maxsize=256)
def _candidates(terms: frozenset[str]) -> re.Pattern | None:
    """The words that may stem to one of ``terms``, found by the regex engine rather than a
    Python loop over every word: those starting with a term's first two letters."""
    starts = {term[:2] for term in terms if term}
    starts.update(_SECOND_LETTER_CHANGED[term] for term in terms if term in _SECOND_LETTER_CHANGED)
    if not starts:
        return None
    choice = "|".join(re.escape(start) for start in sorted(starts, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{choice})[^\W_]*", re.IGNORECASE)


def _hit_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int, str]]:
    """Where the words whose lexeme is one of ``terms`` are, in text order, with the lexeme."""
    candidates = _candidates(terms)
    if candidates is None:
        return []
    found = [
        (m.span(), word) for m in candidates.finditer(text)
        if (word := m.group().lower()) not in _STOPWORDS
    ]
    if not found:
        return []
    # Words with a digit go to PostgreSQL's "simple" dictionary: lowercased, not stemmed.
    stems = _stemmer().stemWords([word for _, word in found])
    hits = []
    for ((start, end), word), stem in zip(found, stems, strict=True):
        lexeme = stem if word.isalpha() or not any(c.isdigit() for c in word) else word
        if lexeme in terms:
            hits.append((start, end, lexeme))
    return hits


@dataclass
class _Cover:
    """A run of matching words that fits in one fragment."""

    first: int
    last: int
    count: int
    terms: set[str]


def _covers(indexes: list[int], lexemes: list[str]) -> list[_Cover]:
    covers: list[_Cover] = []
    for i, lexeme in zip(indexes, lexemes, strict=True):
        if covers and i - covers[-1].first < MAX_WORDS:
            cover = covers[-1]
            cover.last = i
            cover.count += 1
            cover.terms.add(lexeme)
        else:
            covers.append(_Cover(i, i, 1, {lexeme}))
    return covers


def _chosen(covers: list[_Cover]) -> list[_Cover]:
    """Up to MAX_FRAGMENTS covers, each showing the most query words the ones before it did
    not (then the most words, then the earliest), in text order."""
    if len(covers) <= MAX_FRAGMENTS:
        return covers
    chosen: list[_Cover] = []
    shown: set[str] = set()
    for _ in range(MAX_FRAGMENTS):
        rest = [cover for cover in covers if cover not in chosen]
        if not rest:
            break
        best = max(rest, key=lambda c: (len(c.terms - shown), len(c.terms), c.count, -c.first))
        chosen.append(best)
        shown |= best.terms
    return sorted(chosen, key=lambda c: c.first)


def _spans(covers: list[_Cover], count: int) -> list[tuple[int, int]]:
    """The words each fragment shows, [start, end), in text order, none overlapping: each
    cover with as many words on either side as fit in MAX_WORDS."""
    spans: list[tuple[int, int]] = []
    for cover in covers:
        room = MAX_WORDS - (cover.last - cover.first + 1)
        start = max(0, cover.first - room // 2)
        end = min(count, start + MAX_WORDS)
        start = max(0, end - MAX_WORDS)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _marked(text: str, start: int, end: int, hits: list[tuple[int, int, str]]) -> str:
    """text[start:end] with the hits in it marked."""
    out, at = [], start
    for s, e, _ in hits:
        if start <= s and e <= end:
            out += (text[at:s], HIT_START, text[s:e], HIT_STOP)
            at = e
    out.append(text[at:end])
    return "".join(out)


def _word_start(text: str, word: int, anchor: int, anchor_word: int) -> int:
    """Where word number ``word`` starts, walking the spaces from word ``anchor_word``, which
    starts at ``anchor``: a fragment's few words, not the whole text."""
    at = anchor
    for _ in range(anchor_word - word):
        at = text.rfind(" ", 0, at - 1) + 1
    for _ in range(word - anchor_word):
        at = text.find(" ", at) + 1
    return at


def fragment(text: str, terms: frozenset[str]) -> str:
    """The marked fragment of ``text`` (an entry's search text: words one space apart) for a
    query's ``terms``. Its words are counted between spaces, in C, not as the parser reads
    them: the fragment's length is a matter of reading, the marks are exact. Where it stops
    short of the text's start or end, an ELLIPSIS says so, as SQLite's snippet() does."""
    hits = _hit_spans(text, terms)
    if not hits:
        words = text.split(" ", MIN_WORDS)
        return " ".join(words[:MIN_WORDS]) + (ELLIPSIS if len(words) > MIN_WORDS else "")
    indexes = [text.count(" ", 0, start) for start, _, _ in hits]
    # Where each hit's word starts (a hit may be part of it: "(team's)").
    anchors = {i: text.rfind(" ", 0, hit[0]) + 1 for i, hit in zip(indexes, hits, strict=True)}
    covers = _chosen(_covers(indexes, [lexeme for _, _, lexeme in hits]))
    parts, starts_text, ends_text = [], False, False
    for first, end in _spans(covers, text.count(" ") + 1):
        near = min(anchors, key=lambda i: abs(i - first))
        begin = _word_start(text, first, anchors[near], near)
        last = _word_start(text, end - 1, begin, first)
        stop = text.find(" ", last)
        starts_text = starts_text or begin == 0
        ends_text = stop < 0
        parts.append(_marked(text, begin, len(text) if ends_text else stop, hits))
    return (
        ("" if starts_text else ELLIPSIS) + DELIMITER.join(parts) + ("" if ends_text else ELLIPSIS)
    )
