"""How well the framing analyzer agrees with blind labels, by the codebook's rules
(/work/shared/FRAMING-CODEBOOK.md, "How the analyzer is judged").

Sets:
- ``dev``: tests/data/framing_dev.jsonl (one writer and labeller, relabelled to the codebook)
  and the corpus writers marked development in tests/data/corpus/README.md (w01-w72): the
  analyzer is tuned on these, and its learned layer is fitted on them (tests/framing_train.py);
  anyone may read them. w04-w72 were fresh sets of earlier claims, development data since.
- ``fresh`` (FRESH_WRITERS): three corpus writers, the claim the public page makes: never read
  by anyone tuning the analyzer and scored once, after the tuning of this round had ended. Only
  aggregate figures are computed and printed here, never a text or a passage's error: looking
  at those would make them development data.
- HELD_BACK_WRITERS are never scored: the next fresh set, for the next claim. Only their labels
  are read, for the labellers' agreement (no text, no analyzer).

Every figure is against the mean of a passage's two blind labels; an abstention (None) is
scored as 0, as the codebook says.

``python -m tests.framing_eval --write`` stores the fresh figures in
reflect/framing/quality.json, which the public page "How the reading works" shows
(tests/test_framing_quality.py checks that the file matches the analyzer as it is).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reflect.framing.lexicon import DIMENSIONS

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
DEV_WRITERS = tuple(f"w{n:02d}" for n in range(1, 73))
# Earlier claims' writers kept out of the fit (scored for a claim, never fitted on; the
# analyzer's rules were never tuned on them). w34-w48, five claims' sets, became development
# data in the fourth session of 2026-12-07, when the learned layer was refitted on them
# (tests/framing_train.py). w49-w54's journals (tests/framing_journals.py, aggregates only)
# chose the trends' pooled units in the fifth session of 2026-12-07 (reflect/trends/series.py
# POOLED_UNIT): development data for the trends from then on.
# w55-w57 (the fifth session's claim) chose, with w10-w54, which phrases the entry page marks
# (the first session of 2026-12-08 (UTC 2026-12-07 19:14 on): tests/framing_highlights.py
# weak_marks, explain.MARK_MIN_SCORE): development data for the marks from then on.
# First session of 2026-12-08, later: the learned layer refitted on w01-w63 (w49-w63, four
# claims' sets, in the fit: six folds over w01-w48 held out, .536 -> .543 in the mean with them
# in every training fold, every scale up): development data, all of them.
# w64-w66 (the claim of the first session of 2026-12-08): their readers' reports named the marks
# they rejected, so they are development data for the marks (tests/framing_highlights.py weak);
# never fitted on.
# w67-w69 (the eighteenth claim, the same session): their readers named the marks they
# rejected (development data for the marks); nothing was changed after it, so the nineteenth
# claim (w70-w72, written and labelled blind the same session) measures the same analyzer.
# Third session of 2026-12-08 (from 00:20 UTC): the learned layer refitted on w01-w72
# (w64-w72, three claims' sets, in the fit: six folds over w01-w63 held out, .541 -> .546 in the
# mean with them in every training fold, and .554 keeping 800 phrases per scale rather than
# 400): development data, all of them; no earlier claim stands apart from the fit.
CLAIMED_WRITERS: tuple[str, ...] = ()
FRESH_WRITERS = ("w73", "w74", "w75")
HELD_BACK_WRITERS: tuple[str, ...] = ("w76", "w77", "w78")
QUALITY_FILE = Path(__file__).resolve().parent.parent / "reflect" / "framing" / "quality.json"

HARD_CASES = (
    "negation",
    "quoted_speech",
    "company_we",
    "sarcasm",
    "non_native",
    "very_short",
    "list",
    "second_person",
    "passive",
)


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --- statistics -----------------------------------------------------------------------


def average_ranks(values: list[float]) -> list[float]:
    """1-based ranks; tied values share the average of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        shared = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = shared
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rho: Pearson correlation of the average ranks (handles ties)."""
    if len(xs) != len(ys) or len(xs) < 3:
        return None
    rx, ry = average_ranks(xs), average_ranks(ys)
    mean_x, mean_y = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mean_x) * (b - mean_y) for a, b in zip(rx, ry, strict=True))
    var_x = sum((a - mean_x) ** 2 for a in rx)
    var_y = sum((b - mean_y) ** 2 for b in ry)
    if var_x == 0 or var_y == 0:
        return None
    return cov / (var_x * var_y) ** 0.5


def on_label_scale(dimension: str, score: float | None) -> int:
    """An analyzer score (-1..1, ripple 0..1, None = 0) on the label's scale."""
    value = score or 0.0
    return round(value * 4) if dimension == "ripple" else max(-2, min(2, round(value * 2)))


# --- the sets -------------------------------------------------------------------------


# framing_dev.jsonl's names for the codebook's hard cases.
_TAGS = {"nonnative": "non_native", "self_you": "second_person", "agentless_passive": "passive"}


def dev_file_items() -> list[dict]:
    """framing_dev.jsonl as corpus items: one label (its writer's), every split."""
    items = []
    for row in read_jsonl(DATA / "framing_dev.jsonl"):
        labels = {d: (row["labels"][d] or 0) for d in DIMENSIONS}
        items.append(
            {
                "text": row["text"],
                "labels": labels,
                "second": None,
                "hard": {_TAGS.get(t, t) for t in row.get("hard_cases", [])},
                "pair": None,
            }
        )
    return items


def corpus_items(writers: tuple[str, ...]) -> list[dict]:
    """Each passage with the mean of its two labels, the other labeller's labels kept apart
    for agreement, and the union of the labellers' hard-case tags."""
    items = []
    for writer in writers:
        label_files = sorted((CORPUS / "labels").glob(f"*-{writer}.jsonl"))
        assert len(label_files) == 2, f"{writer}: two blind labellers expected"
        first, second = ({r["id"]: r for r in read_jsonl(f)} for f in label_files)
        for row in read_jsonl(CORPUS / "writers" / f"{writer}.jsonl"):
            a, b = first[row["id"]], second[row["id"]]
            items.append(
                {
                    "text": row["text"],
                    "labels": {d: ((a[d] or 0) + (b[d] or 0)) / 2 for d in DIMENSIONS},
                    "pair_labels": (
                        {d: a[d] or 0 for d in DIMENSIONS},
                        {d: b[d] or 0 for d in DIMENSIONS},
                    ),
                    "hard": set(a.get("hard", [])) | set(b.get("hard", [])),
                    "pair": f"{writer}-{row['pair']}" if row.get("pair") else None,
                }
            )
    return items


def dev_items() -> list[dict]:
    return dev_file_items() + corpus_items(DEV_WRITERS)


def fresh_items() -> list[dict]:
    return corpus_items(FRESH_WRITERS)


def labeller_agreement() -> dict:
    """The two blind labellers' agreement on every corpus passage (all writers, held-back ones
    too): from the labels alone, no text and no analyzer. Per dimension: rho, exact share and
    share within 1."""
    firsts: list[dict] = []
    seconds: list[dict] = []
    writers = DEV_WRITERS + CLAIMED_WRITERS + FRESH_WRITERS + HELD_BACK_WRITERS
    for writer in writers:
        label_files = sorted((CORPUS / "labels").glob(f"*-{writer}.jsonl"))
        assert len(label_files) == 2, f"{writer}: two blind labellers expected"
        first, second = ({r["id"]: r for r in read_jsonl(f)} for f in label_files)
        assert first.keys() == second.keys(), f"{writer}: the labellers labelled other passages"
        for key in first:
            firsts.append(first[key])
            seconds.append(second[key])
    report = {"writers": len(writers), "n": len(firsts), "dimensions": {}}
    for dim in DIMENSIONS:
        a = [row[dim] or 0 for row in firsts]
        b = [row[dim] or 0 for row in seconds]
        report["dimensions"][dim] = {
            "rho": spearman(a, b),
            "exact": sum(x == y for x, y in zip(a, b, strict=True)) / len(a),
            "within_1": sum(abs(x - y) <= 1 for x, y in zip(a, b, strict=True)) / len(a),
        }
    return report


def format_agreement(report: dict) -> str:
    lines = [
        f"labellers' agreement: {report['n']} passages by {report['writers']} writers, two "
        "blind labels each",
        f"{'dimension':18s} {'rho':>5s} {'exact':>6s} {'win1':>5s}",
    ]
    for dim, row in report["dimensions"].items():
        lines.append(f"{dim:18s} {_cell(row['rho'])} {row['exact']:6.2f} {row['within_1']:5.2f}")
    return "\n".join(lines)


# --- figures --------------------------------------------------------------------------


def composite(values: dict[str, float]) -> float:
    """The codebook's overall framing of leadership: action_vision + position_choice +
    obligation_agency + fixed_growth + ripple + half of self_collective."""
    return (
        values["action_vision"]
        + values["position_choice"]
        + values["obligation_agency"]
        + values["fixed_growth"]
        + values["ripple"]
        + 0.5 * values["self_collective"]
    )


def figures(items: list[dict], scores: list[dict]) -> dict:
    """Aggregate figures only: per dimension, by hard case, pairs, labeller agreement."""
    report: dict = {"n": len(items), "dimensions": {}, "hard_cases": {}, "pairs": None}
    for dim in DIMENSIONS:
        gold = [item["labels"][dim] for item in items]
        predicted = [s[dim] or 0.0 for s in scores]
        scaled = [on_label_scale(dim, s[dim]) for s in scores]
        labelled = [i for i, g in enumerate(gold) if g != 0]
        row = {
            "rho": spearman(gold, predicted),
            "within_1": sum(abs(p - g) <= 1 for p, g in zip(scaled, gold, strict=True)) / len(gold),
            "abstained_labelled": sum(scores[i][dim] is None for i in labelled),
            "labelled": len(labelled),
            "agreement": None,
        }
        pairs = [item["pair_labels"] for item in items if item.get("pair_labels")]
        if pairs:
            row["agreement"] = spearman([a[dim] for a, _ in pairs], [b[dim] for _, b in pairs])
        report["dimensions"][dim] = row
    for tag in HARD_CASES:
        chosen = [i for i, item in enumerate(items) if tag in item["hard"]]
        if len(chosen) < 5:
            continue
        report["hard_cases"][tag] = {
            "n": len(chosen),
            **{
                dim: spearman(
                    [items[i]["labels"][dim] for i in chosen],
                    [scores[i][dim] or 0.0 for i in chosen],
                )
                for dim in DIMENSIONS
            },
        }
    by_pair: dict[str, dict[str, dict]] = {}
    for item, score in zip(items, scores, strict=True):
        if item["pair"]:
            name, side = item["pair"].rsplit("-", 1)
            by_pair.setdefault(name, {})[side] = {d: score[d] or 0.0 for d in DIMENSIONS}
    complete = [p for p in by_pair.values() if {"A", "B"} <= set(p)]
    if complete:
        report["pairs"] = {
            "right": sum(composite(p["B"]) > composite(p["A"]) for p in complete),
            "total": len(complete),
        }
    return report


def evaluate(items: list[dict]) -> dict:
    from reflect.framing import analyze

    return figures(items, [analyze(item["text"]).scores for item in items])


def _cell(value: float | None) -> str:
    return "   -" if value is None else f"{value:5.2f}"


def format_report(name: str, report: dict) -> str:
    lines = [
        f"{name}: {report['n']} passages; rho with abstention = 0, within-1 on the label "
        "scale, abstained where the label is not 0, agreement = rho between the two labellers",
        f"{'dimension':18s} {'rho':>5s} {'win1':>5s} {'abst':>9s} {'agree':>5s}",
    ]
    for dim, row in report["dimensions"].items():
        abst = f"{row['abstained_labelled']}/{row['labelled']}"
        lines.append(
            f"{dim:18s} {_cell(row['rho'])} {row['within_1']:5.2f} {abst:>9s} "
            f"{_cell(row['agreement'])}"
        )
    if report["hard_cases"]:
        short = " ".join(f"{d[:6]:>6s}" for d in DIMENSIONS)
        lines.append(f"{'by hard case':18s} {'n':>4s} {short}")
        for tag, row in report["hard_cases"].items():
            cells = " ".join(f"{_cell(row[d]):>6s}" for d in DIMENSIONS)
            lines.append(f"{tag:18s} {row['n']:>4d} {cells}")
    if report["pairs"]:
        pairs = report["pairs"]
        lines.append(f"pairs: composite ranks B above A in {pairs['right']}/{pairs['total']}")
    return "\n".join(lines)


def _highlights() -> dict:
    """How many of the phrases this analyzer marks on the fresh passages a blind reader agreed
    with (tests/framing_highlights.py)."""
    from tests.framing_highlights import SECOND, agreement, stored_judgements

    report = agreement(stored_judgements(FRESH_WRITERS), stored_judgements(FRESH_WRITERS, SECOND))
    return highlight_figures(report)


def highlight_figures(report: dict) -> dict:
    """What quality.json (and the public page) keeps of a highlights agreement report."""
    found = {"judged": report["judged"], "agreed": round(report["agreed"] or 0, 2)}
    if "second" in report:  # a second blind reader judged the same marks
        second = report["second"]
        found["second_reader"] = {
            "judged": second["judged"],
            "agreed": round(second["agreed"], 2),
            "readers_agree": round(second["readers_agree"], 2),
        }
    return found


def write_quality_file(fresh: dict) -> None:
    from reflect.framing import ANALYZER_VERSION

    stored = {
        "analyzer_version": ANALYZER_VERSION,
        "fresh_writers": list(FRESH_WRITERS),
        "passages": fresh["n"],
        "dimensions": {
            d: {k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items()}
            for d, row in fresh["dimensions"].items()
        },
        "pairs": fresh["pairs"],
        # What the learned layer was fitted on (tests/framing_train.py): the public page says it.
        "trained_passages": len(dev_items()),
        "highlights": _highlights(),
    }
    QUALITY_FILE.write_text(json.dumps(stored, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    print(format_report("dev (tuned on)", evaluate(dev_items())))
    print(format_agreement(labeller_agreement()))
    if "--fresh" in sys.argv or "--write" in sys.argv:
        fresh = evaluate(fresh_items())
        print(format_report(f"fresh claim ({', '.join(FRESH_WRITERS)})", fresh))
        if "--write" in sys.argv:
            write_quality_file(fresh)
            print(f"wrote {QUALITY_FILE}")
