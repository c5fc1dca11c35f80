"""Load the framing lexicons (plain-text data files) and compile them once.

The files in ``lexicons/`` are meant to be edited by people who do not program;
``lexicons/README.md`` explains the format. This module turns them into one
combined regular expression (built as a character trie, so Python's regex
engine can reject most positions after one character instead of trying
thousands of alternatives) plus lookup tables from matched text to entries.
"""

from __future__ import annotations

import hashlib
import itertools
import marshal
import os
import re
import sys
import tempfile
import tomllib
from array import array
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).with_name("lexicons")

# Ordered: this is the order the UI shows them in.
DIMENSIONS: tuple[str, ...] = (
    "action_vision",
    "position_choice",
    "self_collective",
    "obligation_agency",
    "ripple",
    "fixed_growth",
    "tone",
)

# Characters that differ only typographically are mapped to one form so the
# lexicon needs a single spelling. Every mapping is one character to one
# character, which keeps offsets in the working copy equal to the original's.
TYPOGRAPHIC = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u00a0": " ",
    }
)

_LINE_RX = re.compile(r"^(?P<weight>[+-]\d*\.?\d+)\s+(?P<phrase>[^@]+?)\s*(?P<tags>@.*)?$")
_ALT_RX = re.compile(r"\{([^{}]*)\}")
_SEP_RX = re.compile(r"[\s\-]+")
_WORD_RX = re.compile(r"[\w']+")

# Trie units that are not single literal characters.
_SEP = "\x00sep"
_WILD = "\x00wild"
# ".." in a phrase: one to five words in between, never across punctuation
# ("{asked|invited} .. to lead" matches "asked two of the newer volunteers to lead").
_GAP = "\x00gap"
GAP_MARK = ".."
_UNIT_REGEX = {_SEP: r"[\s\-]+", _WILD: r"[\w']*", _GAP: r"[\w']+(?:[\s\-]+[\w']+){0,4}"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a lexicon file."""

    dimension: str
    weight: float  # signed: + leans to the positive pole
    phrase: str  # as written in the file
    source: str  # "file.txt:line", so a wrong highlight can be traced to its line
    agent: bool  # counts as written only when the writer is the subject
    other_weight: float | None  # weight when someone else is the subject (None: drop)
    negation: str  # "flip", "drop" or "keep"
    passive: bool  # an agentless passive ("it was decided"): dropped if "by me/us" follows
    label: str  # how the rule reads in Evidence.rule: 'file.txt:12 "phrase"'
    person: bool = False  # counts only when a person follows ("trained Leo")
    concede: bool = False  # turned round when the writer acts anyway ("…but I did")


@dataclass(frozen=True, slots=True)
class Lexicon:
    pattern: re.Pattern[str]
    # Normalised phrase -> entries, for the lines small enough to expand.
    literal: dict[str, tuple[Entry, ...]]
    # Lines with too many variants to expand (see EXPAND_LIMIT), by the first
    # word of their phrases (``first_word``): a regex matching exactly their literal
    # (gap- and wildcard-free) variants, and the line.
    factorised: dict[str, tuple[tuple[re.Pattern[str], Entry], ...]]
    wildcard: tuple[tuple[re.Pattern[str], Entry], ...]
    # Which wildcard lines a key can match, by its first word (``first_word``): the
    # positions in ``wildcard`` of the lines with a variant starting with exactly that
    # word, and (word, position) for variants whose first word is open-ended ("took*",
    # a gap), which match any key whose first word starts with it. A wildcard or gapped
    # match then tries a few lines instead of all of them, in the same order.
    wildcard_by_first: dict[str, tuple[int, ...]]
    wildcard_open: tuple[tuple[str, int], ...]
    rank: dict[Entry, int]  # file order of every line, to merge the two kinds
    rules: dict
    digest: str
    expanded: int  # literal variants written out one by one (the import cost grows with it)
    # literal_entries' answers for keys that are phrases of the lexicon (never a miss: a key
    # that is not a lexicon phrase may be the writer's words, which no process keeps).
    known: dict[str, tuple[Entry, ...]]

    def literal_entries(self, key: str, word: str | None = None) -> tuple[Entry, ...] | None:
        """The lines with a gap- and wildcard-free variant equal to ``key``, in file order
        (``word``: ``first_word(key)`` when the caller knows it)."""
        known = self.known.get(key)
        if known is not None:
            return known
        found = self.literal.get(key)
        if word is None:
            word = first_word(key)
        candidates = self.factorised.get(word)
        if candidates:
            extra = tuple(entry for rx, entry in candidates if rx.fullmatch(key))
            if extra:
                found = tuple(sorted(found + extra, key=self.rank.__getitem__)) if found else extra
        if found is not None:
            if len(self.known) > 100_000:
                self.known.clear()
            self.known[key] = found
        return found

    def wildcard_candidates(self, word: str) -> list[tuple[re.Pattern[str], Entry]]:
        """The wildcard lines that may match a key whose ``first_word`` is ``word``, in
        ``wildcard``'s order."""
        positions = self.wildcard_by_first.get(word, ())
        opened = [i for prefix, i in self.wildcard_open if word.startswith(prefix)]
        if opened:
            positions = sorted({*positions, *opened})
        return [self.wildcard[i] for i in positions]

    def lookup(
        self, key: str
    ) -> tuple[tuple[Entry, ...], tuple[tuple[int, tuple[Entry, ...]], ...]]:
        """Entries for a matched (normalised) text, and shorter phrases of other
        dimensions that start at the same place: (number of words, entries).
        The combined regex reports only the longest phrase at a position."""
        word = first_word(key)
        entries = self.literal_entries(key, word)
        if entries is None:
            # A wildcard or gapped phrase: the longest matching one per dimension.
            picked: dict[str, Entry] = {}
            for rx, entry in self.wildcard_candidates(word):
                if entry.dimension not in picked and rx.fullmatch(key):
                    picked[entry.dimension] = entry
            entries = tuple(picked.values())
        covered = {e.dimension for e in entries}
        words = key.split(" ")
        extra = []
        for n in range(len(words) - 1, 0, -1):
            shorter = self.literal_entries(" ".join(words[:n]), word)
            if not shorter:
                continue
            fresh = tuple(e for e in shorter if e.dimension not in covered)
            if fresh:
                extra.append((n, fresh))
                covered |= {e.dimension for e in fresh}
        return entries, tuple(extra)


@cache
def unmarked_sources() -> frozenset[str]:
    """The lines tagged ``@unmarked`` ("file.txt:12"): they count as written, but the entry
    page lists them rather than marking them in the text (blind readers rarely agreed with
    their marks). Read from the files themselves: the tag changes no reading."""
    found = set()
    for path in lexicon_files():
        if path.suffix != ".txt":
            continue
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = _LINE_RX.match(raw.split("#", 1)[0].strip())
            if match and "unmarked" in _parse_tags(match["tags"]):
                found.add(f"{path.name}:{number}")
    return frozenset(found)


@cache
def unmarked_phrases() -> tuple[tuple[str, frozenset[str]], ...]:
    """rules.toml ``[marking] unmarked``: per rule (a line "file.txt:12" or a rules.toml rule's
    name), the phrases it counts but the entry page never marks (lower case). Read from the
    file itself, as ``unmarked_sources``: the list changes no reading."""
    rules = tomllib.loads((LEXICON_DIR / "rules.toml").read_text(encoding="utf-8"))
    return tuple(
        (row["rule"], frozenset(row["phrases"]))
        for row in rules.get("marking", {}).get("unmarked", [])
    )


def lexicon_files() -> list[Path]:
    """The data files whose content defines the analyzer's behaviour."""
    return sorted(p for p in LEXICON_DIR.iterdir() if p.suffix in {".txt", ".toml"} and p.is_file())


def compute_digest() -> str:
    """SHA-256 over every lexicon and rules file (name and content)."""
    sha = hashlib.sha256()
    for path in lexicon_files():
        sha.update(path.name.encode())
        sha.update(b"\0")
        # Normalise line endings so a checkout on Windows hashes the same.
        sha.update(path.read_bytes().replace(b"\r\n", b"\n"))
        sha.update(b"\0")
    return sha.hexdigest()[:16]


def _expand(phrase: str) -> list[str]:
    """Expand {a|b|} alternatives into every literal variant."""
    parts = _ALT_RX.split(phrase)
    # split() with one group alternates literal text and group contents.
    choices = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    variants = []
    for combo in itertools.product(*choices):
        text = _SEP_RX.sub(" ", "".join(combo)).strip()
        if text:
            variants.append(text)
    return variants


def normalise_key(text: str) -> str:
    return _SEP_RX.sub(" ", text)


_FIRST_WORD_RX = re.compile(r"[\w']*")
_WORD_CHAR_RX = re.compile(r"[\w']")


def first_word(key: str) -> str:
    """The leading run of word characters and apostrophes of a normalised key ("" when it
    starts with anything else)."""
    return _FIRST_WORD_RX.match(key).group()  # type: ignore[union-attr]


def _first_words(root: dict) -> set[tuple[str, bool]]:
    """(first word, open-ended) of every phrase of a trie or automaton: the literal word
    characters it starts with, and whether a wildcard or gap continues that word."""
    found: set[tuple[str, bool]] = set()

    def walk(node: dict, word: str) -> None:
        for unit, child in node.items():
            if unit in (_WILD, _GAP):
                found.add((word, True))
            elif unit and unit != _SEP and _WORD_CHAR_RX.fullmatch(unit):
                walk(child, word + unit)
            else:
                found.add((word, False))  # the end, a separator or punctuation

    walk(root, "")
    return found


def _units(variant: str) -> list[str]:
    units: list[str] = []
    for ch in variant.replace(GAP_MARK, "\x01"):
        if ch == "\x01":
            units.append(_GAP)
        elif ch in " -":
            if not units or units[-1] != _SEP:
                units.append(_SEP)
        elif ch == "*":
            units.append(_WILD)
        else:
            units.append(ch)
    return units


def _trie(variants: list[str]) -> dict:
    trie: dict = {}
    for variant in variants:
        node = trie
        for unit in _units(variant):
            node = node.setdefault(unit, {})
        node[""] = {}
    return trie


def _order(unit: str) -> tuple[int, str]:
    # Literal characters before the separator before the wildcard, so the
    # first path the regex engine finds is the longest, most specific one.
    # A gap comes last: any literal phrase beats a gapped one at the same place.
    rank = {_SEP: 1, _WILD: 2, _GAP: 3}.get(unit, 0)
    return (rank, unit)


_END: dict = {}  # the node after every complete phrase (never has children)


def _depth(joins: dict, node: dict) -> int:
    return 0 if node is _END else joins[id(node)][1]


def _meet(joins: dict, a: dict, b: dict) -> dict:
    """The nearest node that every phrase through ``a`` and through ``b`` passes, given
    ``joins``: node id -> (its meeting node, its depth)."""
    while a is not b:
        if _depth(joins, a) >= _depth(joins, b):
            a = joins[id(a)][0]
        else:
            b = joins[id(b)][0]
    return a


def _emit(root: dict, joins: dict[int, tuple[dict, int]]) -> str:
    """The regex for a trie, or a trie whose nodes are shared (a DAG).

    A node is a dict: unit -> next node, and "" when a phrase may end there.
    Alternatives are tried in ``_order`` and a phrase ending at a node only
    after every longer one, so the regex engine's first match is the one a
    plain trie of every variant would give. Where all ways out of a node meet
    again at one node (``joins``: id -> (that node, depth), computed by
    ``_joins``), the part after the meeting point is written once:
    ``(?:a|b)T`` explores exactly what ``aT|bT`` does, in the same order.
    """
    memo: dict[tuple[int, int], str] = {}

    def join(node: dict) -> dict:
        found = joins.get(id(node))
        if found is not None:
            return found[0]
        if len(node) == 1 and "" not in node:
            return next(iter(node.values()))
        return _END

    def until(node: dict, stop: dict) -> str:
        key = (id(node), id(stop))
        shared = id(node) in joins
        if shared and key in memo:
            return memo[key]
        parts = []
        while node is not stop:
            if node is _END:
                raise AssertionError("a join point was not reached")
            meet = join(node)
            parts.append(between(node, meet))
            node = meet
        text = "".join(parts)
        if shared:
            memo[key] = text
        return text

    def between(node: dict, meet: dict) -> str:
        alternatives: list[str] = []
        # Neighbouring alternatives whose phrases all meet again before
        # ``meet`` share what follows that point: (?:aT|bT|c) -> (?:(?:a|b)T|c).
        run: list[tuple[str, dict]] = []
        run_meet = _END

        def flush() -> None:
            if len(run) > 1:
                inner = "|".join(head + until(child, run_meet) for head, child in run)
                alternatives.append("(?:" + inner + ")" + until(run_meet, meet))
            else:
                alternatives.extend(head + until(child, meet) for head, child in run)
            run.clear()

        for unit in sorted((u for u in node if u), key=_order):
            head = _UNIT_REGEX.get(unit) or re.escape(unit)
            child = node[unit]
            if id(child) in joins:
                if run:
                    shared = _meet(joins, run_meet, child)
                    if shared is not _END and shared is not meet:
                        run.append((head, child))
                        run_meet = shared
                        continue
                    flush()
                run.append((head, child))
                run_meet = child
            else:
                flush()
                alternatives.append(head + until(child, meet))
        flush()
        if not alternatives:
            return ""
        ends_here = "" in node
        if len(alternatives) == 1 and not ends_here:
            return alternatives[0]
        group = "(?:" + "|".join(alternatives) + ")"
        return group + "?" if ends_here else group

    return until(root, _END)


def _trie_regex(variants: list[str]) -> str:
    return _emit(_trie(variants), {})


# --- lines with many variants -------------------------------------------------
# A line such as "{reached out|spoke|…} {over|…|} {to|with} {..|} {team|…}" has
# tens of thousands of variants. Writing each one out (and into the regex)
# made importing the analyzer take many seconds, so such lines are compiled
# from their structure instead: an automaton whose states are "where in the
# line we may be", which shares everything after "{to|with}" between all the
# verbs, and a regex that writes that shared part once (see ``_emit``).

EXPAND_LIMIT = 256  # lines with more variants than this are not written out


def variant_count(phrase: str) -> int:
    """How many variants ``{a|b}`` groups make (before removing duplicates)."""
    count = 1
    for group in _ALT_RX.findall(phrase):
        count *= len(group.split("|"))
    return count


def _option_units(text: str) -> tuple[str, ...]:
    units: list[str] = []
    for ch in _SEP_RX.sub(" ", text).replace(GAP_MARK, "\x01"):
        if ch == "\x01":
            units.append(_GAP)
        elif ch == " ":
            if not units or units[-1] != _SEP:
                units.append(_SEP)
        elif ch == "*":
            units.append(_WILD)
        else:
            units.append(ch)
    return tuple(units)


def _line_automaton(phrase: str, literal_only: bool = False) -> dict:
    """The trie of every variant of ``phrase`` with equal subtrees shared (a DAG).

    The variants are those ``_expand`` writes out, as ``_units`` reads them:
    runs of spaces collapse to one separator and the phrase is stripped.
    ``literal_only`` keeps only the variants without a gap or wildcard.
    """
    parts = _ALT_RX.split(phrase)
    segments = [
        [_option_units(p)] if i % 2 == 0 else [_option_units(o) for o in p.split("|")]
        for i, p in enumerate(parts)
    ]
    texts = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    for i, options in enumerate(texts):
        # A dot ending one part and a dot starting the next would make a gap.
        if not any(t.endswith(".") for t in options):
            continue
        for later in texts[i + 1 :]:
            if any(t.startswith(".") for t in later):
                raise ValueError(f"cannot compile {phrase!r}: '..' across a group")
            if "" not in later:
                break
    n = len(segments)
    end = (n, 0, 0)

    def closure(positions: set) -> frozenset:
        todo = list(positions)
        seen = set(todo)
        while todo:
            i, j, k = todo.pop()
            if i < n and k == len(segments[i][j]):
                following = (
                    [end] if i + 1 == n else [(i + 1, jj, 0) for jj in range(len(segments[i + 1]))]
                )
                for pos in following:
                    if pos not in seen:
                        seen.add(pos)
                        todo.append(pos)
        return frozenset(seen)

    def step(state: frozenset, unit: str) -> set:
        return {
            (i, j, k + 1)
            for i, j, k in state
            if i < n and k < len(segments[i][j]) and segments[i][j][k] == unit
        }

    def after_seps(state: frozenset) -> frozenset:
        # Every position one or more separators on (they collapse into one).
        reached = closure(step(state, _SEP))
        while True:
            more = reached | closure(step(reached, _SEP))
            if more == reached:
                return reached
            reached = more

    nodes: dict[tuple[frozenset, str], dict] = {}

    def build(state: frozenset, how: str) -> dict:
        # how: "start" (nothing read yet), "sep" (just read a separator) or "unit".
        key = (state, how)
        node = nodes.get(key)
        if node is not None:
            return node
        node = nodes[key] = {}
        units = {segments[i][j][k] for i, j, k in state if i < n and k < len(segments[i][j])}
        for unit in sorted(units, key=_order):
            if unit == _SEP:
                if how != "unit":
                    continue  # leading separators are stripped, runs collapse
                child = build(after_seps(state), "sep")
            elif literal_only and unit in (_GAP, _WILD):
                continue
            else:
                child = build(closure(step(state, unit)), "unit")
            node[unit] = child
        if how == "unit" and (end in state or end in after_seps(state)):
            node[""] = {}  # trailing separators are stripped
        return node

    start = closure({(0, j, 0) for j in range(len(segments[0]))})
    root = build(start | after_seps(start), "start")

    # Drop dead ends (only left when literal_only skips a gap or wildcard).
    live: dict[int, bool] = {}

    def prune(node: dict) -> bool:
        known = live.get(id(node))
        if known is not None:
            return known
        for unit in [u for u in node if u]:
            if not prune(node[unit]):
                del node[unit]
        live[id(node)] = alive = bool(node)
        return alive

    prune(root)
    return root


def _joins(root: dict, joins: dict[int, tuple[dict, int]]) -> None:
    """For every node of a DAG: the first node every phrase through it passes
    (its immediate post-dominator; ``_END`` if none), and that node's depth."""
    order: list[dict] = []
    seen: set[int] = set()

    def visit(node: dict) -> None:
        seen.add(id(node))
        for unit, child in node.items():
            if unit and id(child) not in seen:
                visit(child)
        order.append(node)  # children first

    visit(root)

    for node in order:
        ways = [child for unit, child in node.items() if unit]
        if "" in node:
            ways.append(_END)
        first = ways[0] if ways else _END
        for other in ways[1:]:
            first = _meet(joins, first, other)
        joins[id(node)] = (first, _depth(joins, first) + 1)


def _union(a: dict, b: dict, memo: dict) -> dict:
    """A node for the phrases of both ``a`` and ``b`` (neither is changed)."""
    if a is b:
        return a
    key = (id(a), id(b))
    found = memo.get(key)
    if found is not None:
        return found[2]
    node = dict(a)
    for unit, child in b.items():
        mine = node.get(unit)
        if mine is None:
            node[unit] = child
        elif unit:
            node[unit] = _union(mine, child, memo)
    memo[key] = (a, b, node)  # keeps a and b alive, so their ids stay unique
    return node


def _longest_wild(root: dict) -> int | None:
    """Length of the longest variant with a gap or wildcard (None: there is none)."""
    memo: dict[tuple[int, bool], int | None] = {}

    def longest(node: dict, need: bool) -> int | None:
        key = (id(node), need)
        if key in memo:
            return memo[key]
        best = 0 if ("" in node and not need) else None
        for unit, child in node.items():
            if not unit:
                continue
            wild = unit in (_GAP, _WILD)
            rest = longest(child, need and not wild)
            if rest is not None:
                size = rest + (len(GAP_MARK) if unit == _GAP else 1)
                best = size if best is None else max(best, size)
        memo[key] = best
        return best

    return longest(root, True)


def trie_alternation(phrases: list[str]) -> str:
    """A non-capturing regex group matching any of ``phrases`` (trie-shaped, fast).

    Spaces and hyphens match any run of whitespace or hyphens; ``*`` at the end
    of a word matches any ending.
    """
    variants = sorted({_SEP_RX.sub(" ", p.lower().translate(TYPOGRAPHIC)).strip() for p in phrases})
    return "(?:" + _trie_regex([v for v in variants if v]) + ")"


def _parse_tags(raw: str | None) -> dict[str, str]:
    tags: dict[str, str] = {}
    for token in (raw or "").split():
        name, _, value = token.lstrip("@").partition("=")
        tags[name] = value
    return tags


def _shorten(phrase: str, limit: int = 60) -> str:
    return phrase if len(phrase) <= limit else phrase[: limit - 1] + "…"


def _parse_file(path: Path, dimension: str, rules: dict) -> list[tuple[str, Entry]]:
    """(phrase, entry) for every line: the phrase typographically normalised."""
    negation_default = rules["negation"]["default_by_dimension"].get(dimension, "flip")
    lines: list[tuple[str, Entry]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LINE_RX.match(line)
        if not match:
            raise ValueError(f"{path.name}:{number}: cannot read {raw!r}")
        tags = _parse_tags(match["tags"])
        unknown = set(tags) - {
            "agent", "other", "neg", "passive", "person", "concede", "unmarked"
        }
        if unknown:
            raise ValueError(f"{path.name}:{number}: unknown tag(s) {sorted(unknown)}")
        phrase = match["phrase"].strip().lower()
        entry = Entry(
            dimension=dimension,
            weight=float(match["weight"]),
            phrase=phrase,
            source=f"{path.name}:{number}",
            agent="agent" in tags,
            other_weight=float(tags["other"]) if tags.get("other") else None,
            negation=tags.get("neg") or negation_default,
            passive="passive" in tags,
            label=f'{path.name}:{number} "{_shorten(phrase)}"',
            person="person" in tags,
            concede="concede" in tags,
        )
        lines.append((phrase.translate(TYPOGRAPHIC), entry))
    return lines


# Word lists from rules.toml ride along in the one big regex as "pseudo
# dimensions" (names start with "_"), so a text is scanned once, not once per list.
PSEUDO_DIMENSIONS: tuple[str, ...] = (
    "_neg",
    "_boost",
    "_soften",
    "_sarcasm",
    "_report",
    "_company",
    "_interjection",
)


def _rule_rows(rules: dict) -> list[tuple[str, Entry]]:
    def rows_for(dimension: str, phrases: list[str], where: str) -> list[tuple[str, Entry]]:
        entry = Entry(
            dimension,
            1.0,
            where,
            f"rules.toml [{where}]",
            False,
            None,
            "keep",
            False,
            f"rules.toml {where}",
        )
        return [(normalise_key(p.lower().translate(TYPOGRAPHIC)).strip(), entry) for p in phrases]

    company = rules["company_we"]
    company_phrases = [
        f"we {filler} {verb}" for filler in ["", *company["fillers"]] for verb in company["verbs"]
    ]
    return (
        rows_for("_neg", rules["negation"]["words"], "negation")
        + rows_for("_boost", rules["tone"]["intensifiers"], "tone.intensifiers")
        + rows_for("_soften", rules["tone"]["downtoners"], "tone.downtoners")
        + rows_for("_sarcasm", rules["sarcasm"]["markers"] + rules["sarcasm"]["symbols"], "sarcasm")
        + rows_for("_report", rules["speech"]["reporting_verbs"], "speech.reporting_verbs")
        + rows_for("_company", company_phrases, "company_we")
        + rows_for("_interjection", rules["sarcasm"]["interjections"], "sarcasm.interjections")
    )


def build() -> Lexicon:
    """Compile the lexicon from the data files (seconds: see ``load`` for the fast path)."""
    rules = tomllib.loads((LEXICON_DIR / "rules.toml").read_text(encoding="utf-8"))
    literal: dict[str, list[Entry]] = {}
    wild_variants: dict[Entry, list[str]] = {}
    variants: set[str] = set()
    rows: list[tuple[str, Entry]] = []
    rank: dict[Entry, int] = {}
    big: list[tuple[str, Entry]] = []
    for dimension in DIMENSIONS:
        for phrase, entry in _parse_file(LEXICON_DIR / f"{dimension}.txt", dimension, rules):
            rank[entry] = len(rank)
            if variant_count(phrase) > EXPAND_LIMIT:
                big.append((phrase, entry))
            else:
                rows.extend((variant, entry) for variant in _expand(phrase))
    for variant, entry in _rule_rows(rules):
        rank.setdefault(entry, len(rank))
        rows.append((variant, entry))
    for variant, entry in rows:
        if variant:
            variants.add(variant)
            if "*" in variant or GAP_MARK in variant:
                wild_variants.setdefault(entry, []).append(variant)
            else:
                literal.setdefault(normalise_key(variant), []).append(entry)

    # One regex per lexicon line; longest phrase first, so "took the lead" is
    # tried before "took*".
    ordered = [
        (-max(map(len, vs)), rank[entry], _trie_regex(vs), entry, _first_words(_trie(vs)))
        for entry, vs in wild_variants.items()
    ]
    factorised: dict[str, list[tuple[re.Pattern[str], Entry]]] = {}
    joins: dict[int, tuple[dict, int]] = {}
    union_memo: dict = {}
    root = _trie(sorted(variants))
    for phrase, entry in big:
        automaton = _line_automaton(phrase)
        _joins(automaton, joins)
        root = _union(root, automaton, union_memo)
        plain = _line_automaton(phrase, literal_only=True)
        if plain:
            plain_joins: dict[int, tuple[dict, int]] = {}
            _joins(plain, plain_joins)
            rx = re.compile(_emit(plain, plain_joins))
            for first in sorted({word for word, _open in _first_words(plain)}):
                factorised.setdefault(first, []).append((rx, entry))
        longest = _longest_wild(automaton)
        if longest is not None:
            source = _emit(automaton, joins)
            ordered.append((-longest, rank[entry], source, entry, _first_words(automaton)))
    ordered.sort(key=lambda item: item[:2])
    wildcard = [(re.compile(source), entry) for _size, _rank, source, entry, _f in ordered]
    by_first: dict[str, set[int]] = {}
    opened: set[tuple[str, int]] = set()
    for i, (*_item, firsts) in enumerate(ordered):
        for word, is_open in firsts:
            if is_open:
                opened.add((word, i))
            else:
                by_first.setdefault(word, set()).add(i)

    body = _emit(root, joins)
    # A phrase starts after a character that is not a word character, which the pattern
    # consumes: its class lets the regex engine skip the letters inside words in a tight
    # loop instead of entering the pattern at each one (the scan puts a space before the
    # text, so a phrase may start at its beginning). The phrase itself is a zero-width
    # lookahead: every start is tried, so a cue that begins inside another dimension's
    # cue is still found ("the team vision").
    pattern = re.compile(r"\W(?=(" + body + r")(?!\w))")
    return Lexicon(
        pattern=pattern,
        literal={k: tuple(v) for k, v in literal.items()},
        factorised={k: tuple(v) for k, v in factorised.items()},
        wildcard=tuple(wildcard),
        wildcard_by_first={k: tuple(sorted(v)) for k, v in sorted(by_first.items())},
        wildcard_open=tuple(sorted(opened)),
        rank=rank,
        rules=rules,
        digest=compute_digest(),
        expanded=len(variants),
        known={},
    )


# --- the compiled artefact ----------------------------------------------------
# Compiling the combined regex is almost all of the lexicon's cost (seconds: Python's regex
# parser and compiler are written in Python; only the last step, turning the compiled code
# into a pattern object, is C). So the result of ``build`` is kept in a file beside the
# package, like a .pyc: the compiled code of every pattern and the lookup tables, under a
# name made of the digest of the data files, this module's source and the Python and regex
# engine versions. ``load`` reads it (tens of milliseconds) and only compiles when it is
# missing or stale, then writes it for the next process. ``manage.py compile_lexicon``
# writes it ahead (make migrate and the deploy steps run it). Nothing in the file is
# trusted beyond its name: a file that does not read back is ignored and rebuilt.

ARTEFACT_DIR = Path(
    os.environ.get("REFLECT_LEXICON_CACHE") or Path(__file__).with_name("__lexcache__")
)


# This module's source as it was imported: the artefact's name must describe the code that
# builds it, not a newer copy of this file saved since (a process still running the old code
# would otherwise write its output under the new code's name).
_SOURCE = Path(__file__).read_bytes()


def artefact_path() -> Path:
    import _sre

    sha = hashlib.sha256()
    sha.update(compute_digest().encode())
    sha.update(_SOURCE)
    sha.update(f"{sys.implementation.cache_tag} {_sre.MAGIC} {_sre.CODESIZE}".encode())
    return ARTEFACT_DIR / f"lexicon-{sha.hexdigest()[:20]}.bin"


def _compiled(source: str) -> tuple:
    """A pattern as (source, flags, code, groups, groupindex, indexgroup): what _sre needs."""
    from re import _compiler, _parser

    parsed = _parser.parse(source, 0)
    code = _compiler._code(parsed, 0)
    indexgroup = [None] * parsed.state.groups
    for name, i in parsed.state.groupdict.items():
        indexgroup[i] = name
    return (
        source,
        parsed.state.flags,
        array("I", code).tobytes(),
        parsed.state.groups - 1,
        dict(parsed.state.groupdict),
        tuple(indexgroup),
    )


def _pattern(compiled: tuple) -> re.Pattern[str]:
    import _sre

    source, flags, code, groups, groupindex, indexgroup = compiled
    words = array("I")
    words.frombytes(code)
    return _sre.compile(source, flags, words.tolist(), groups, groupindex, indexgroup)


def _entry_fields(entry: Entry) -> tuple:
    return tuple(getattr(entry, name) for name in Entry.__slots__)


def dump(lexicon: Lexicon) -> bytes:
    """The artefact for ``lexicon`` (which must come from ``build``)."""
    entries = list(lexicon.rank)  # every entry, in file order
    index = {id(entry): i for i, entry in enumerate(entries)}
    return marshal.dumps(
        {
            "entries": [_entry_fields(e) for e in entries],
            "pattern": _compiled(lexicon.pattern.pattern),
            "literal": {k: [index[id(e)] for e in v] for k, v in lexicon.literal.items()},
            "factorised": {
                k: [(_compiled(rx.pattern), index[id(e)]) for rx, e in v]
                for k, v in lexicon.factorised.items()
            },
            "wildcard": [(_compiled(rx.pattern), index[id(e)]) for rx, e in lexicon.wildcard],
            "wildcard_by_first": lexicon.wildcard_by_first,
            "wildcard_open": lexicon.wildcard_open,
            "rules": lexicon.rules,
            "digest": lexicon.digest,
            "expanded": lexicon.expanded,
        }
    )


def undump(data: bytes) -> Lexicon:
    raw = marshal.loads(data)
    entries = [Entry(*fields) for fields in raw["entries"]]
    return Lexicon(
        pattern=_pattern(raw["pattern"]),
        literal={k: tuple(entries[i] for i in v) for k, v in raw["literal"].items()},
        factorised={
            k: tuple((_pattern(rx), entries[i]) for rx, i in v)
            for k, v in raw["factorised"].items()
        },
        wildcard=tuple((_pattern(rx), entries[i]) for rx, i in raw["wildcard"]),
        wildcard_by_first=raw["wildcard_by_first"],
        wildcard_open=raw["wildcard_open"],
        rank={entry: i for i, entry in enumerate(entries)},
        rules=raw["rules"],
        digest=raw["digest"],
        expanded=raw["expanded"],
        known={},
    )


def write_artefact(lexicon: Lexicon, path: Path | None = None) -> Path:
    """Write atomically (a temporary file renamed), so parallel processes never read half."""
    path = path or artefact_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        handle.write(dump(lexicon))
    os.chmod(handle.name, 0o644)  # readable by every process of the app, like a .pyc
    os.replace(handle.name, path)
    for old in path.parent.glob("lexicon-*.bin"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


def load() -> Lexicon:
    """The compiled lexicon: from the artefact when it is current, else built (and saved)."""
    path = artefact_path()
    try:
        return undump(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError, KeyError, RuntimeError):
        pass  # missing, stale name already excluded; unreadable: rebuild
    lexicon = build()
    try:
        write_artefact(lexicon, path)
    except OSError:
        pass  # a read-only checkout compiles in every process, as before
    return lexicon
