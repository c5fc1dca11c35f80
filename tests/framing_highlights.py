"""Highlights a reader agrees with (issue 10, point 4): a blind reader judges every phrase the
entry page would mark on the fresh claim's passages.

    .venv/bin/python -m tests.framing_highlights export DIR   # one file per writer, for readers
    .venv/bin/python -m tests.framing_highlights score DIR    # store their judgements

``export`` writes, per fresh writer, the passages with the phrases the entry page marks (the
same function, reflect.framing.explain.highlights, so faint words are left out as on the page)
and nobody has judged yet:
each with its number, the scale's name and the pole it leans to. It prints counts only (never a
text): whoever runs it does not read the files; readers (people given only the codebook, the
article and that file, never the analyzer or its rules) write, per highlight, whether the phrase
in that passage does lean that way on that scale.

``score`` adds the readers' judgements to those stored in tests/data/corpus/highlights/ (which
the quality test reads) and prints the share agreed, overall and per dimension. After an
analyzer change, export and score again: only the newly marked phrases go to the readers.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from reflect.framing import analyze
from reflect.framing.dimensions import REGISTRY
from reflect.framing.explain import Highlighting, clear_scales, highlights
from tests.framing_eval import CLAIMED_WRITERS, CORPUS, DEV_WRITERS, FRESH_WRITERS, read_jsonl

JUDGED = CORPUS / "highlights"
# A second blind reader's judgements of the same marks (from the claim of the second session of
# 2026-12-08 on): how often two careful readers agree with each other on a mark, beside how
# often each agrees with the analyzer.
SECOND = JUDGED / "second"


def marked(text: str) -> list[dict]:
    """The phrases the entry page marks in ``text``, each with every leaning it counts for (what
    a reader is shown: never the rules behind a mark)."""
    return [{k: v for k, v in row.items() if k != "rules"} for row in _marks(text)]


def page_highlights(text: str) -> tuple[list[dict], Highlighting]:
    """``text``'s analysis as the entry page marks it: its evidence as a stored analysis holds
    it, and reflect.framing.explain.highlights of it on the scales the entry reads clearly."""
    result = analyze(text)
    evidence = [
        {"start": ev.start, "end": ev.end, "dimension": ev.dimension, "pole": ev.pole,
         "weight": ev.weight, "rule": ev.rule}
        for ev in result.evidence
    ]
    sums = {d: (r.positive, r.negative) for d, r in result.dimensions.items()}
    return evidence, highlights(text, evidence, [], clear_scales(result.scores, sums))


def _marks(text: str) -> list[dict]:
    """``marked`` with, per leaning, the rules that read it ("file.txt:12" or a rules.toml
    rule's name, as rules.toml [marking] names them)."""
    evidence, shown = page_highlights(text)
    out = []
    for group in shown.groups:
        for lean in group.weighed:
            dim = REGISTRY[lean.dimension]
            rules = {
                RULE_QUOTE.sub("", evidence[i]["rule"]).strip()
                for i in group.evidence
                if evidence[i]["dimension"] == lean.dimension and evidence[i]["pole"] == lean.pole
            }
            out.append({
                "phrase": group.text,
                "dimension": lean.dimension,
                "pole": lean.pole,
                "scale": dim.name,
                "leans_towards": dim.high_label if lean.pole > 0 else dim.low_label,
                "away_from": dim.low_label if lean.pole > 0 else dim.high_label,
                "rules": sorted(rules),
            })
    return out


# Readers agreed with less than this share of a rule's marks on one phrase (at least
# WEAK_LEAST judged): the phrase is counted, never marked (rules.toml [marking] unmarked).
WEAK_BAR = 0.7
WEAK_LEAST = 4
RULE_QUOTE = re.compile(r'"[^"]*"')


def weak_marks(writers: tuple[str, ...]) -> list[tuple[str, str, int, float]]:
    """The (rule, phrase) the entry page still marks on ``writers``' judged passages whose
    stored judgements readers mostly rejected: fewer than WEAK_BAR of at least WEAK_LEAST
    agreed (a phrase's every mark, wherever it is still made). Each with its count and share."""
    verdicts = {tuple(j["key"]): j["agree"] for j in stored_judgements(writers)}
    judged = sorted({passage.split("-")[0] for passage, *_ in verdicts})
    seen: dict[tuple[str, str], list[bool]] = {}
    for writer in judged:  # only writers whose marks were judged (w10 on) need reading
        for item in read_jsonl(CORPUS / "writers" / f"{writer}.jsonl"):
            for row in _marks(item["text"]):
                verdict = verdicts.get(key(item, row))
                if verdict is None:
                    continue
                phrase = " ".join(row["phrase"].lower().split())
                for rule in row["rules"]:
                    seen.setdefault((rule, phrase), []).append(verdict)
    return sorted(
        (rule, phrase, len(v), sum(v) / len(v))
        for (rule, phrase), v in seen.items()
        if len(v) >= WEAK_LEAST and sum(v) / len(v) < WEAK_BAR
    )


def key(item: dict, row: dict) -> tuple:
    return (item["id"], " ".join(row["phrase"].lower().split()), row["dimension"], row["pole"])


def export(folder: Path) -> None:
    """Per fresh writer, the passages with the marks nobody has judged yet (all of them the
    first time; after an analyzer change, only the phrases it now marks differently)."""
    folder.mkdir(parents=True, exist_ok=True)
    have = {tuple(j["key"]) for j in stored_judgements()}
    for writer in FRESH_WRITERS:
        rows = []
        for item in read_jsonl(CORPUS / "writers" / f"{writer}.jsonl"):
            marks = [m for m in marked(item["text"]) if key(item, m) not in have]
            for n, row in enumerate(marks, 1):
                row["n"] = n
            if marks:
                rows.append({"id": item["id"], "text": item["text"], "highlights": marks})
        path = folder / f"highlights-{writer}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        total = sum(len(r["highlights"]) for r in rows)
        print(f"{path}: {len(rows)} passages, {total} highlights to judge")


def agreement(judged: list[dict], second: list[dict] | None = None) -> dict:
    """Share of the highlights this analyzer marks that the reader agreed with (and how many of
    them were judged: a changed analyzer marks phrases nobody judged). With ``second`` (another
    reader's judgements of the same marks), that reader's share too and how often the two
    readers gave the same verdict on a mark both judged."""
    verdicts = {tuple(j["key"]): j["agree"] for j in judged}
    texts: dict[str, str] = {}
    for writer in {j["key"][0].split("-")[0] for j in judged}:
        for item in read_jsonl(CORPUS / "writers" / f"{writer}.jsonl"):
            texts[item["id"]] = item["text"]
    now = [key({"id": pid}, row) for pid, text in texts.items() for row in marked(text)]
    seen = [verdicts[k] for k in now if k in verdicts]
    by_dim: dict[str, list[bool]] = {}
    for k in now:
        if k in verdicts:
            by_dim.setdefault(k[2], []).append(verdicts[k])
    report = {
        "marked": len(now),
        "judged": len(seen),
        "agreed": sum(seen) / len(seen) if seen else None,
        "by_dimension": {d: (sum(v) / len(v), len(v)) for d, v in sorted(by_dim.items())},
    }
    if second:
        others = {tuple(j["key"]): j["agree"] for j in second}
        both = [(verdicts[k], others[k]) for k in now if k in verdicts and k in others]
        if both:
            report["second"] = {
                "judged": len(both),
                "agreed": sum(b for _a, b in both) / len(both),
                "first_agreed": sum(a for a, _b in both) / len(both),
                "readers_agree": sum(a == b for a, b in both) / len(both),
                "either_agreed": sum(a or b for a, b in both) / len(both),
            }
    return report


def score(folder: Path) -> dict:
    """Add the readers' judgements of an export to the stored ones (kept per writer, keyed by
    passage, phrase, dimension and pole, so judgements of phrases no longer marked stay for
    later work) and report the agreement on what this analyzer marks."""
    for writer in FRESH_WRITERS:
        exported = {r["id"]: r for r in read_jsonl(folder / f"highlights-{writer}.jsonl")}
        _store(exported, folder / f"judged-{writer}.jsonl", JUDGED / f"{writer}.jsonl")
        again = folder / f"judged2-{writer}.jsonl"
        if again.exists():
            _store(exported, again, SECOND / f"{writer}.jsonl")
    return agreement(stored_judgements(FRESH_WRITERS), stored_judgements(FRESH_WRITERS, SECOND))


def _store(exported: dict[str, dict], judged: Path, stored: Path) -> None:
    """One reader's verdicts on an export, merged into ``stored``."""
    stored.parent.mkdir(parents=True, exist_ok=True)
    writer = stored.stem
    verdicts = read_jsonl(judged) if exported else []
    merged = {}
    if stored.exists():
        merged = {tuple(j["key"]): j["agree"] for j in read_jsonl(stored)}
    for v in verdicts:
        item = exported[v["id"]]
        row = next(h for h in item["highlights"] if h["n"] == v["n"])
        merged[key(item, row)] = bool(v["agree"])
    missing = sum(len(r["highlights"]) for r in exported.values()) - len(verdicts)
    assert missing == 0, f"{writer}: {missing} highlights not judged"
    with stored.open("w", encoding="utf-8") as handle:
        for k, agree in merged.items():
            line = json.dumps({"key": list(k), "agree": agree}, ensure_ascii=False)
            handle.write(line + "\n")


def stored_judgements(writers: tuple[str, ...] | None = None, folder: Path = JUDGED) -> list[dict]:
    """Every stored judgement, or those of ``writers`` (the fresh claim's, or a development
    set's, reported apart); ``folder``: SECOND for the second readers'."""
    rows: list[dict] = []
    for path in sorted(folder.glob("*.jsonl")):
        if writers is None or path.stem in writers:
            rows += read_jsonl(path)
    return rows


def format_agreement(report: dict) -> str:
    if report["agreed"] is None:
        return "highlights: none judged"
    lines = [
        f"highlights a blind reader agrees with: {report['agreed']:.0%} of {report['judged']} "
        f"judged ({report['marked']} marked by this analyzer on the judged passages)"
    ]
    for dim, (share, n) in report["by_dimension"].items():
        lines.append(f"  {dim:18s} {share:5.0%} of {n}")
    second = report.get("second")
    if second:
        lines.append(
            f"a second blind reader of the same {second['judged']} marks agrees with "
            f"{second['agreed']:.0%} (the first with {second['first_agreed']:.0%} of these); "
            f"the two readers give the same verdict on {second['readers_agree']:.0%}; at least one "
            f"agrees "
            f"with {second['either_agreed']:.0%}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    command = sys.argv[1]
    if command == "weak":
        for rule, phrase, n, share in weak_marks(DEV_WRITERS + CLAIMED_WRITERS):
            print(f"{rule}\t{phrase}\t{share:.0%} of {n}")
        sys.exit()
    folder = Path(sys.argv[2])
    if command == "export":
        export(folder)
    else:
        print(format_agreement(score(folder)))
