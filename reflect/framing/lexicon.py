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
import re
import tomllib
from dataclasses import dataclass
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
    literal: dict[str, tuple[Entry, ...]]
    wildcard: tuple[tuple[re.Pattern[str], Entry], ...]
    # For a literal key, shorter phrases from other dimensions that start at the
    # same place (the combined regex reports only the longest one there):
    # (number of words, entries).
    prefixes: dict[str, tuple[tuple[int, tuple[Entry, ...]], ...]]
    rules: dict
    digest: str


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


def _trie_regex(variants: list[str]) -> str:
    trie: dict = {}
    for variant in variants:
        node = trie
        for unit in _units(variant):
            node = node.setdefault(unit, {})
        node[""] = {}

    def order(unit: str) -> tuple[int, str]:
        # Literal characters before the separator before the wildcard, so the
        # first path the regex engine finds is the longest, most specific one.
        # A gap comes last: any literal phrase beats a gapped one at the same place.
        rank = {_SEP: 1, _WILD: 2, _GAP: 3}.get(unit, 0)
        return (rank, unit)

    def emit(node: dict) -> str:
        alternatives: list[str] = []
        for unit in sorted((u for u in node if u), key=order):
            head = _UNIT_REGEX.get(unit) or re.escape(unit)
            alternatives.append(head + emit(node[unit]))
        if not alternatives:
            return ""
        ends_here = "" in node
        if len(alternatives) == 1 and not ends_here:
            return alternatives[0]
        group = "(?:" + "|".join(alternatives) + ")"
        return group + "?" if ends_here else group

    return emit(trie)


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
    negation_default = rules["negation"]["default_by_dimension"].get(dimension, "flip")
    rows: list[tuple[str, Entry]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LINE_RX.match(line)
        if not match:
            raise ValueError(f"{path.name}:{number}: cannot read {raw!r}")
        tags = _parse_tags(match["tags"])
        unknown = set(tags) - {"agent", "other", "neg", "passive", "person", "concede"}
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
        for variant in _expand(phrase.translate(TYPOGRAPHIC)):
            rows.append((variant, entry))
    return rows


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


def load() -> Lexicon:
    rules = tomllib.loads((LEXICON_DIR / "rules.toml").read_text(encoding="utf-8"))
    literal: dict[str, list[Entry]] = {}
    wild_variants: dict[Entry, list[str]] = {}
    variants: set[str] = set()
    rows: list[tuple[str, Entry]] = []
    for dimension in DIMENSIONS:
        rows.extend(_parse_file(LEXICON_DIR / f"{dimension}.txt", dimension, rules))
    rows.extend(_rule_rows(rules))
    for variant, entry in rows:
        if variant:
            variants.add(variant)
            if "*" in variant or GAP_MARK in variant:
                wild_variants.setdefault(entry, []).append(variant)
            else:
                literal.setdefault(normalise_key(variant), []).append(entry)

    # One regex per lexicon line; longest phrase first, so "took the lead" is
    # tried before "took*".
    ordered = sorted(wild_variants.items(), key=lambda item: -max(map(len, item[1])))
    wildcard = [(re.compile(_trie_regex(vs)), entry) for entry, vs in ordered]

    prefixes: dict[str, tuple[tuple[int, tuple[Entry, ...]], ...]] = {}
    for key, entries in literal.items():
        words = key.split(" ")
        covered = {e.dimension for e in entries}
        extra = []
        for n in range(len(words) - 1, 0, -1):
            shorter = literal.get(" ".join(words[:n]))
            if not shorter:
                continue
            fresh = tuple(e for e in shorter if e.dimension not in covered)
            if fresh:
                extra.append((n, fresh))
                covered |= {e.dimension for e in fresh}
        if extra:
            prefixes[key] = tuple(extra)

    body = _trie_regex(sorted(variants))
    # Zero-width lookahead: every start position is tried, so a cue that begins
    # inside another dimension's cue is still found ("the team vision").
    pattern = re.compile(r"(?<!\w)(?=(" + body + r")(?!\w))")
    return Lexicon(
        pattern=pattern,
        literal={k: tuple(v) for k, v in literal.items()},
        wildcard=tuple(wildcard),
        prefixes=prefixes,
        rules=rules,
        digest=compute_digest(),
    )
