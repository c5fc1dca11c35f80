"""The learned layer: weights fitted on the development corpus, applied after the rules.

The rules (lexicons and rules.toml) read the cues a writer uses and what changes them. On
their own they read one set of writers' phrasing well and others' less well (issue 10). This
layer is a linear model over interpretable features, fitted by ``python -m tests.framing_train
--write`` on the development writers (blind labels, tests/data/corpus/README.md) and stored in
``lexicons/learned.toml`` beside the lexicons, so that a new fit is a data change (it changes
ANALYZER_VERSION like a lexicon edit) and never touches Python. Per dimension:

- ``scale = [p, n]``: what the rules' positive and negative evidence count for in this
  dimension (every rule's weight is multiplied, so each highlight still shows its weight);
- ``c_factor``: the fitted weights are multiplied by one factor per dimension so that a
  passage's total weight is on the rules' scale (about one per cue, which trends' statistics
  count); scoring multiplies the dimension's ``c`` by the same factor, so scores do not change;
- ``across``: what another dimension's rule evidence counts for in this one (a weight per
  dimension, on the rules' scale; negative turns its poles around): "had to" read as obligation
  also tells a little about whether leading belongs to the role. Each phrase a rule read in that
  dimension is listed again here with its weight, never marked;
- ``words``: words and two-word phrases with a weight each (positive towards the dimension's
  positive pole). Each one found in the writer's own words (not inside someone else's quoted
  or reported speech) that no rule has read counts once per entry, at its first place, as
  evidence with its span.

So a score is still the sum of spans of the writer's text with their weights: the entry panel
lists them, and trends and team summaries still pool entries by summing them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from .lexicon import DIMENSIONS, LEXICON_DIR

LEARNED_FILE = LEXICON_DIR / "learned.toml"
RULE = "learned.toml"

# Words as the layer reads them in the lower-cased working copy (apostrophes normalised).
WORD_RX = re.compile(r"[a-z]+(?:'[a-z]+)?")


# Words that carry no framing a reader could check on their own: a phrase made only of these
# is never a feature (it would learn how long or how formal a passage is, or when and where
# people write: "home" ends many notes about just getting through, "shift" opens them, and
# neither says how the writer frames the work; issue 10's own example). Pronouns say who
# acts, so self_collective may use some of them.
FUNCTION_WORDS = frozenset(
    """a an the and or but so if then than that this these those there here it it's its is
    are was were be been being am do does did done have has had having will would shall should
    can could may might must of to in on at by for from with about as into onto over under up
    down out off again just very too also not no yes all any some each every more most much
    many such own same other what which who whom whose when where why how because while until
    though although whether ok okay oh um yeah well really quite still even only ever now
    today yesterday tomorrow tonight week weekend morning afternoon evening night monday
    tuesday wednesday thursday friday saturday sunday january february march april june july
    august september october november december one two three four five six seven eight nine
    ten first second last next day days week weeks month months year years hour hours minute
    minutes time times pm am shift shifts home work office house place i i'm i've i'd i'll me
    my mine myself we we're we've we'd we'll us our ours ourselves you you're your yours
    yourself they they're their them themselves he she him her his hers himself herself""".split()
)
# Who else is in view ("we", "their") may count towards the collective; "I", "my" never count
# against the writer (the codebook: a high rate of "I" is never negative on its own).
PRONOUNS = frozenset(
    """we we're we've we'd we'll us our ours ourselves they they're their them themselves""".split()
)
PRONOUN_DIMENSIONS = frozenset({"self_collective"})
# The writer's own "I" in a phrase ("think I", "my fault") would weigh the writer's self-reference
# on the scale of whom they lead, either way: never a feature there.
FIRST_PERSON = frozenset("i i'm i've i'd i'll me my mine myself".split())


def usable(dimension: str, gram: str) -> bool:
    """Whether a word or two-word phrase may carry weight on a dimension."""
    words = gram.split()
    if dimension in PRONOUN_DIMENSIONS:
        if any(w in FIRST_PERSON for w in words):
            return False
        if any(w in PRONOUNS for w in words):
            return True
    return not all(w in FUNCTION_WORDS for w in words)


@dataclass(frozen=True, slots=True)
class Dimension:
    positive_scale: float
    negative_scale: float
    words: dict[str, float]
    # The factor that put the fitted weights on the rules' scale (about one per cue); scoring
    # multiplies the dimension's c by it, so scores are the fitted model's.
    c_factor: float = 1.0
    # Another dimension's rule evidence, weighed in this one: (dimension, weight) with the
    # weight's sign turning the poles around when negative, in dimension order.
    across: tuple[tuple[str, float], ...] = ()


ACROSS_RULE = f"{RULE} across"


@cache
def across_ratios() -> dict[str, tuple[tuple[str, int, float, float, str], ...]]:
    """Per source dimension, where its rule evidence also counts: (dimension, turn, ratio for a
    positive item, ratio for a negative one, rule). The fit's ``across`` weight multiplies the
    rules' own weight; an item's weight as stored is already times its pole's scale in its own
    dimension, so the ratio divides that back out."""
    fitted = layer()
    table: dict[str, list[tuple[str, int, float, float, str]]] = {}
    for dim, weighed_here in fitted.items():
        for source, factor in weighed_here.across:
            own = fitted[source]
            size = abs(factor)
            table.setdefault(source, []).append((
                dim, 1 if factor > 0 else -1,
                size / own.positive_scale if own.positive_scale > 0 else 0.0,
                size / own.negative_scale if own.negative_scale > 0 else 0.0,
                f"{ACROSS_RULE} {source}",
            ))
    return {source: tuple(rows) for source, rows in table.items()}


class _Rounded(dict):
    """round(w, 4) of the weights seen, remembered: float.__round__ with digits converts
    through a decimal string each time, and the weights shown are a few thousand values (a
    lexicon weight times the rules' and the fit's factors). Zero (whose sign round keeps) and
    NaN (never equal) are not kept."""

    __slots__ = ()

    def __missing__(self, weight: float) -> float:
        found = round(weight, 4)
        if weight:
            if len(self) > 10_000:
                self.clear()
            self[weight] = found
        return found


# round(weight, 4), as every weight shown is rounded; a dict's own look-up, so C loops (map)
# can call it without a Python frame per weight.
rounded = _Rounded().__getitem__


def across_weight(weight: float, ratio: float) -> float:
    """A rule item's weight (as stored) as it counts in another dimension: rounded as shown,
    and summed so (``across_sum``), so the items ``carried`` lists add up to the scores."""
    return rounded(weight * ratio)


def across_sum(weights: list[float], ratio: float) -> float:
    """The ``across_weight`` of each of ``weights`` added up in order (sum() compensates float
    errors, so its result can differ). A plain loop: analyze() calls this for every source and
    target dimension, on a few weights each, where building a chain of C iterators (map,
    reduce) costs more than it saves."""
    total = 0.0
    for weight in weights:
        total += rounded(weight * ratio)
    return total


def carried(evidence: list[dict]) -> list[dict]:
    """What the rules read on one scale, as it also counts on others (``across``): derived from
    an analysis's stored evidence when it is shown, not stored (it would be half of what each
    entry keeps, all of it implied by the rest). Each on its source's span, listed and never
    marked (its rule starts with ``RULE``)."""
    ratios = across_ratios()
    if not ratios:
        return []
    out = []
    for item in evidence:
        rows = ratios.get(item["dimension"])
        if rows is None or item["rule"].startswith(RULE):
            continue
        positive = item["pole"] > 0
        for dim, turn, up, down, rule in rows:
            weight = across_weight(item["weight"], up if positive else down)
            if weight:
                out.append({"start": item["start"], "end": item["end"], "dimension": dim,
                            "pole": item["pole"] * turn, "weight": weight, "rule": rule})
    return out


@cache
def layer() -> dict[str, Dimension]:
    """The fitted weights; empty (the rules alone) when no fit is stored."""
    if not LEARNED_FILE.exists():
        return {}
    data = tomllib.loads(LEARNED_FILE.read_text(encoding="utf-8"))
    return {
        dim: Dimension(
            float(row["scale"][0]), float(row["scale"][1]), dict(row["words"]),
            float(row.get("c_factor", 1.0)),
            tuple((d, float(row["across"][d])) for d in DIMENSIONS if d in row.get("across", {})),
        )
        for dim, row in data.items()
        if dim in DIMENSIONS
    }


@cache
def by_word() -> dict[str, tuple[tuple[str, int, float, str], ...]]:
    """Each fitted word's weights on every dimension, in dimension order: (dimension, pole,
    weight, rule). Only the data file's own words (never a writer's) are kept."""
    table: dict[str, list[tuple[str, int, float, str]]] = {}
    for dim, fitted in layer().items():
        for gram, weight in fitted.words.items():
            if weight:
                entry = (dim, 1 if weight > 0 else -1, abs(weight), f'{RULE} "{gram}"')
                table.setdefault(gram, []).append(entry)
    order = {dim: i for i, dim in enumerate(DIMENSIONS)}
    return {g: tuple(sorted(rows, key=lambda r: order[r[0]])) for g, rows in table.items()}


def features(
    work: str, sentence_starts: list[int], blocked_starts: list[int], blocked_ends: list[int]
) -> dict[str, tuple[int, int]]:
    """Every word and two-word phrase outside the blocked spans, with its first span.

    Phrases never cross a sentence or skip over a blocked span (analyzer.unread_words blocks
    someone else's speech and what the rules read): the same function reads the corpus when
    the layer is fitted."""
    found: dict[str, tuple[int, int]] = {}
    prev_word = None
    prev_start = prev_sentence = -1
    # Words come in text order, so the blocked span and the sentence ahead are tracked with a
    # pointer each instead of a search per word.
    b, blocks = 0, len(blocked_starts)
    sentence, sentences = 0, len(sentence_starts)
    for m in WORD_RX.finditer(work):
        start, end = m.span()
        while b < blocks and blocked_ends[b] <= start:
            b += 1
        if b < blocks and blocked_starts[b] <= start:
            prev_word = None
            continue
        while sentence < sentences and sentence_starts[sentence] <= start:
            sentence += 1
        word = m.group()
        if word not in found:
            found[word] = (start, end)
        if prev_word is not None and sentence == prev_sentence:
            pair = f"{prev_word} {word}"
            if pair not in found:
                found[pair] = (prev_start, end)
        prev_word, prev_start, prev_sentence = word, start, sentence
    return found


Rows = tuple[tuple[str, int, float, str], ...]
_NOWHERE = float("inf")


@cache
def gram_table() -> dict[str, tuple[Rows | None, dict[str, tuple[str, Rows]] | None]]:
    """``by_word`` by word for ``weighed``: each word's rows when it is fitted on its own, and
    the fitted two-word phrases it starts (second word -> (phrase, rows)), so a word costs one
    look-up. A fitted key of any other shape is never a feature (``features`` makes only
    these two)."""
    singles: dict[str, Rows] = {}
    pairs: dict[str, dict[str, tuple[str, Rows]]] = {}
    for gram, rows in by_word().items():
        words = gram.split(" ")
        if len(words) == 1:
            singles[gram] = rows
        elif len(words) == 2:
            pairs.setdefault(words[0], {})[words[1]] = (gram, rows)
    return {word: (singles.get(word), pairs.get(word)) for word in {*singles, *pairs}}


def weighed(
    work: str, sentence_starts: list[int], blocked_starts: list[int], blocked_ends: list[int]
) -> list[tuple[int, int, Rows]]:
    """The fitted words and phrases among ``features(...)``, in its order (the order of their
    first places, a word before the phrase it ends), each with its first span and its rows
    from ``by_word``: the same reading in one pass, without a string or an entry per phrase
    the layer does not weigh."""
    table = gram_table().get
    found: list[tuple[int, int, Rows]] = []
    seen: set[str] = set()
    # The fitted phrases the previous word starts (None: no previous word, it starts none, or
    # a sentence or a blocked span lies between it and this word), and where it starts.
    after: dict[str, tuple[str, Rows]] | None = None
    prev_start = -1
    # The blocked span and the sentence start ahead, each tracked by a pointer (words come in
    # text order); past the last one, a bound no word reaches.
    b, blocks = 0, len(blocked_starts)
    block_start = blocked_starts[0] if blocks else _NOWHERE
    block_end = blocked_ends[0] if blocks else _NOWHERE
    sentence, sentences = 0, len(sentence_starts)
    next_sentence = sentence_starts[0] if sentences else _NOWHERE
    # The first place where a word moves a pointer or is blocked: one test for most words.
    watch = min(block_start, next_sentence)
    for m in WORD_RX.finditer(work):
        start = m.start()
        if watch <= start:
            if block_end <= start:
                b += 1
                while b < blocks and blocked_ends[b] <= start:
                    b += 1
                if b < blocks:
                    block_start, block_end = blocked_starts[b], blocked_ends[b]
                else:
                    block_start = block_end = _NOWHERE
            if next_sentence <= start:
                after = None  # a phrase never crosses into another sentence
                sentence += 1
                while sentence < sentences and sentence_starts[sentence] <= start:
                    sentence += 1
                next_sentence = sentence_starts[sentence] if sentence < sentences else _NOWHERE
            watch = block_start if block_start < next_sentence else next_sentence
            if block_start <= start:
                after = None
                continue
        word = m.group()
        fitted = table(word)
        if fitted is None:
            starts = None
        else:
            rows, starts = fitted
            if rows is not None and word not in seen:
                seen.add(word)
                found.append((start, m.end(), rows))
        if after is not None:
            pair = after.get(word)
            if pair is not None and pair[0] not in seen:
                seen.add(pair[0])
                found.append((prev_start, m.end(), pair[1]))
        after, prev_start = starts, start
    return found
