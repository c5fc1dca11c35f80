"""How well the framing analyzer agrees with blind labels (/work/shared/FRAMING-CODEBOOK.md).

Printed side by side, per dimension: the tuned-on figure (development data: framing_dev.jsonl
and corpus writers w01-w03), the fresh figure of the tuning round (w04-w05: its aggregates
were seen before and after tuning) and the fresh claim (w06-w09, written after that tuning,
scored once; the public page shows it), none of them read by anyone tuning the analyzer (only
aggregates are computed): Spearman's rho with abstention scored as 0, within-1 accuracy on
the label scale, abstentions where the label is not 0, and the two labellers' agreement; then
by hard case, and pairs. All against the mean of two blind labels. The labellers' agreement
over the whole corpus (w01-w12; w10-w12 held back for the next claim, never scored) comes
from the labels alone.

The floors sit just under what the analyzer reached when they were set; the fresh floors were
set from the one measurement at the end of tuning (tests/data/corpus/README.md). The figures
the public page shows (reflect/framing/quality.json) must be this analyzer's.

Run with ``-s`` to see the tables (they are always printed).
"""

from __future__ import annotations

import json

import pytest

from reflect.framing import ANALYZER_VERSION, analyze
from tests.framing_eval import (
    DATA,
    DIMENSIONS,
    QUALITY_FILE,
    dev_items,
    evaluate,
    format_agreement,
    format_report,
    fresh_b_items,
    fresh_items,
    labeller_agreement,
    read_jsonl,
    spearman,
)

# Fresh (w04-w05, 282 passages) before any tuning on 2026-12-06 / after it (the one final
# measurement): action_vision .34/.36, position_choice .38/.37, self_collective .28/.33,
# obligation_agency .28/.53, ripple .48/.53, fixed_growth .28/.30, tone .21/.21; pairs 16/16
# both times. Dev (tuned on) after: .41 .47 .58 .60 .62 .55 .45, pairs 23/24. Floors a little
# under what was reached; issue 10 asks for fresh >= 0.6, not reached.
# Fresh B (w06-w09, 460 passages), scored once on 2026-12-06 after all tuning: action_vision
# .33, position_choice .26, self_collective .41, obligation_agency .34, ripple .50,
# fixed_growth .32, tone .36; pairs 27/32. The gap to w04-w05 (obligation_agency .53 there)
# is what tuning against w04-w05's aggregates bought on them alone.
RHO_FLOORS = {
    "dev": {
        "action_vision": 0.39,
        "position_choice": 0.45,
        "self_collective": 0.56,
        "obligation_agency": 0.58,
        "ripple": 0.60,
        "fixed_growth": 0.53,
        "tone": 0.43,
    },
    "fresh": {
        "action_vision": 0.34,
        "position_choice": 0.35,
        "self_collective": 0.31,
        "obligation_agency": 0.51,
        "ripple": 0.51,
        "fixed_growth": 0.28,
        "tone": 0.19,
    },
    "fresh_b": {
        "action_vision": 0.31,
        "position_choice": 0.24,
        "self_collective": 0.39,
        "obligation_agency": 0.32,
        "ripple": 0.48,
        "fixed_growth": 0.30,
        "tone": 0.34,
    },
}
PAIR_FLOORS = {"dev": 0.9, "fresh": 15 / 16, "fresh_b": 0.8, "dev_pairs_file": 0.9}
ISSUE_GOAL = 0.6  # issue 10: fresh rho >= 0.6 on every dimension (not reached yet: printed)


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    return {
        "dev": evaluate(dev_items()),
        "fresh": evaluate(fresh_items()),
        "fresh_b": evaluate(fresh_b_items()),
    }


def side_by_side(reports: dict[str, dict]) -> str:
    dev, fresh = reports["dev"]["dimensions"], reports["fresh"]["dimensions"]
    claim = reports["fresh_b"]["dimensions"]
    lines = [
        f"framing analyzer vs blind labels: tuned-on (dev, {reports['dev']['n']} passages), "
        f"fresh of the tuning round (w04-w05, {reports['fresh']['n']}) and fresh claim "
        f"(w06-w09, {reports['fresh_b']['n']}; win1, abstained, labellers are its own); "
        f"goal: fresh rho >= {ISSUE_GOAL}",
        f"{'dimension':18s} {'dev rho':>7s} {'w04-05':>6s} {'fresh rho':>9s} {'win1':>5s} "
        f"{'abstained':>9s} {'labellers':>9s}",
    ]
    for dim in DIMENSIONS:
        row = claim[dim]
        lines.append(
            f"{dim:18s} {dev[dim]['rho']:7.2f} {fresh[dim]['rho']:6.2f} {row['rho']:9.2f} "
            f"{row['within_1']:5.2f} {row['abstained_labelled']:>4d}/{row['labelled']:<4d} "
            f"{row['agreement']:9.2f}"
        )
    return "\n".join(lines)


def test_it_agrees_with_blind_labels_tuned_on_and_fresh(reports, capsys) -> None:
    with capsys.disabled():  # the tables are the point of this test: always show them
        print("\n" + side_by_side(reports))
        print(format_report("\ndev (tuned on)", reports["dev"]))
        print(format_report("\nfresh (w04, w05; aggregates only)", reports["fresh"]))
        print(format_report("\nfresh claim (w06-w09; aggregates only)", reports["fresh_b"]))
        print("\n" + format_agreement(labeller_agreement()))
    for split, floors in RHO_FLOORS.items():
        for dim, floor in floors.items():
            rho = reports[split]["dimensions"][dim]["rho"]
            assert rho is not None and rho >= floor, f"{split} {dim}: rho {rho} below {floor}"


def test_it_ranks_the_more_leaderly_twin_higher(reports) -> None:
    for split in ("dev", "fresh", "fresh_b"):
        pairs = reports[split]["pairs"]
        assert pairs["right"] / pairs["total"] >= PAIR_FLOORS[split], (split, pairs)
    right = total = 0
    for pair in read_jsonl(DATA / "framing_pairs.jsonl"):
        more, less = analyze(pair["more"]).scores, analyze(pair["less"]).scores
        total += 1
        right += sum(more[d] or 0 for d in DIMENSIONS if d != "tone") > sum(
            less[d] or 0 for d in DIMENSIONS if d != "tone"
        )
    assert right / total >= PAIR_FLOORS["dev_pairs_file"], f"framing_pairs: {right}/{total}"


def test_it_shows_the_figures_of_this_analyzer_on_the_public_page(reports) -> None:
    stored = json.loads(QUALITY_FILE.read_text(encoding="utf-8"))
    assert stored["analyzer_version"] == ANALYZER_VERSION, (
        "reflect/framing/quality.json is another analyzer's: run python -m tests.framing_eval "
        "--write once tuning is done"
    )
    fresh = reports["fresh_b"]["dimensions"]
    assert stored["passages"] == reports["fresh_b"]["n"]
    for dim in DIMENSIONS:
        assert stored["dimensions"][dim]["rho"] == round(fresh[dim]["rho"], 2), dim


def test_it_reports_the_labellers_agreement_on_the_whole_corpus() -> None:
    agreement = labeller_agreement()
    assert agreement["writers"] >= 12 and agreement["n"] >= 1500
    for dim in DIMENSIONS:
        # Two careful readers of the codebook agree far above chance on every dimension: the
        # ceiling a reading can approach (0.83-0.95 on 2026-12-06).
        assert agreement["dimensions"][dim]["rho"] >= 0.75, dim


def test_it_computes_spearman_with_average_ranks() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # Ties: scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]) == 0.9486832980505138
    assert spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(0.9486832980505138)
    assert spearman([1, 1, 1], [1, 2, 3]) is None
