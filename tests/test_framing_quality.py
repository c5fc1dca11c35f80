"""How well the framing analyzer agrees with hand labels (tests/data/CODEBOOK.md).

Spearman's rho per dimension, on the items where both the label and the score
are non-null, for the "dev" split (the rules were tuned against it) and the
"holdout" split (never tuned against) separately. Also counted: how often the
analyzer abstains (None) where a label exists, and scores where the label is
null. The floors below sit just under what the analyzer reached when they were
set; a lexicon change that drops below them fails the suite.

Run with ``-s`` to see the table (it is also printed in the terminal summary).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reflect.framing import DIMENSIONS, analyze

DATA = Path(__file__).parent / "data"
DEV_FILE = DATA / "framing_dev.jsonl"
PAIRS_FILE = DATA / "framing_pairs.jsonl"

# The pair composite leaves tone out: feelings are kept apart from framing.
FRAMING_DIMENSIONS = tuple(d for d in DIMENSIONS if d != "tone")

# Floors set just under the achieved values (see the table printed by the tests).
# Achieved at 2026.11.2 (dev / holdout): action_vision .82/.67, position_choice .82/.59,
# self_collective .83/.72, obligation_agency .89/.84, ripple .91/.63, fixed_growth .83/.79,
# tone .81/.65; pairs 34/35 and 11/12. At 2026.11.3: action_vision .82/.69,
# position_choice .85/.60, the rest unchanged. (2026.11.1 had holdout ripple .38, position .56,
# tone .60: broad phrase families replaced wording fitted to the dev split.)
RHO_FLOORS = {
    "dev": {
        "action_vision": 0.80,
        "position_choice": 0.83,
        "self_collective": 0.80,
        "obligation_agency": 0.86,
        "ripple": 0.88,
        "fixed_growth": 0.80,
        "tone": 0.78,
    },
    "holdout": {
        "action_vision": 0.67,
        "position_choice": 0.58,
        "self_collective": 0.69,
        "obligation_agency": 0.81,
        "ripple": 0.60,
        "fixed_growth": 0.76,
        "tone": 0.62,
    },
}
PAIR_FLOORS = {"dev": 0.94, "holdout": 0.90}

needs_data = pytest.mark.skipif(
    not (DEV_FILE.exists() and PAIRS_FILE.exists()), reason="labelled data not present"
)


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_items(split: str) -> list[dict]:
    return [item for item in _read_jsonl(DEV_FILE) if item["split"] == split]


def load_pairs(split: str) -> list[dict]:
    return [pair for pair in _read_jsonl(PAIRS_FILE) if pair["split"] == split]


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


def evaluate(items: list[dict]) -> dict[str, dict]:
    """Per dimension: rho, n compared, abstentions on labelled items, scores on null labels."""
    scores = [analyze(item["text"]).scores for item in items]
    report = {}
    for dim in DIMENSIONS:
        gold, predicted = [], []
        abstained = scored_null = 0
        for item, score in zip(items, scores, strict=True):
            label = item["labels"][dim]
            value = score[dim]
            if label is not None and value is not None:
                gold.append(label)
                predicted.append(value)
            elif label is not None:
                abstained += 1
            elif value is not None:
                scored_null += 1
        report[dim] = {
            "rho": spearman(gold, predicted),
            "n": len(gold),
            "abstained": abstained,
            "scored_null": scored_null,
        }
    return report


def composite(scores: dict[str, float | None]) -> float:
    """How strongly an entry frames the writer as leading: the sum of the framing scores.

    Tone is left out (feelings are kept apart). A dimension the text says nothing
    about (None) adds 0, so a passage that shows leadership on more dimensions
    frames it more; ripple (0..1) adds its outward reach. A sum rather than a
    mean, so a twin that only adds evidence on one dimension is not averaged
    down by the dimensions the pair shares.
    """
    return sum(scores[d] or 0.0 for d in FRAMING_DIMENSIONS)


def pair_accuracy(pairs: list[dict]) -> tuple[int, int, int, int]:
    """(composite right, dimension right, ties, total): ties count as wrong."""
    right = dim_right = ties = 0
    for pair in pairs:
        more, less = analyze(pair["more"]).scores, analyze(pair["less"]).scores
        a, b = composite(more), composite(less)
        right += a > b
        ties += a == b
        dim = pair["dimension"]
        dim_right += (more[dim] or 0.0) > (less[dim] or 0.0)
    return right, dim_right, ties, len(pairs)


def format_table(reports: dict[str, dict[str, dict]]) -> str:
    header = " ".join(
        f"{split + ' rho':>12s} {'n':>4s} {'abst':>4s} {'xtra':>4s}" for split in reports
    )
    lines = [f"{'dimension':18s} {header}"]
    for dim in DIMENSIONS:
        cells = []
        for report in reports.values():
            row = report[dim]
            rho = "   -" if row["rho"] is None else f"{row['rho']:.2f}"
            cells.append(
                f"{rho:>12s} {row['n']:>4d} {row['abstained']:>4d} {row['scored_null']:>4d}"
            )
        lines.append(f"{dim:18s} " + " ".join(cells))
    return "\n".join(lines)


@needs_data
@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_it_agrees_with_the_labels_on_every_dimension(split: str, capsys) -> None:
    report = evaluate(load_items(split))
    table = format_table({split: report})
    with capsys.disabled():  # the table is the point of this test: always show it
        print(
            f"\nframing analyzer vs labels ({split}; abst = None where labelled, "
            f"xtra = scored where label is null):\n{table}"
        )
    for dim, floor in RHO_FLOORS[split].items():
        rho = report[dim]["rho"]
        assert rho is not None and rho >= floor, f"{split} {dim}: rho {rho} below {floor}"


@needs_data
@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_it_ranks_the_more_leaderly_twin_higher(split: str, capsys) -> None:
    right, dim_right, ties, total = pair_accuracy(load_pairs(split))
    line = (
        f"pairs ({split}): composite {right}/{total}, on the pair's own dimension "
        f"{dim_right}/{total}, ties {ties}"
    )
    with capsys.disabled():
        print("\n" + line)
    assert right / total >= PAIR_FLOORS[split], line


def test_it_computes_spearman_with_average_ranks() -> None:
    assert average_ranks([10, 20, 20, 30]) == [1.0, 2.5, 2.5, 4.0]
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # Ties: scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]) == 0.9486832980505138
    assert spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(0.9486832980505138)
    assert spearman([1, 1, 1], [1, 2, 3]) is None
