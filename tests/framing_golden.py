"""Golden outputs of the framing analyzer: a canonical form of every `analyze()` result for
the labelled dev passages, the pairs and bench/analyzer.py's generated corpus, reduced to
digests. A refactor that must not change behaviour reproduces them exactly
(tests/test_framing_golden.py); `python tests/framing_golden.py` records them again after a
deliberate change (say so in the commit)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
GOLDEN_FILE = DATA / "framing_golden.json"


def canonical(analysis) -> str:
    """Everything a page, a stored row or a trend could read from one analysis."""
    dims = {
        d: [r.positive, r.negative, r.confidence, [_ev(e) for e in r.evidence]]
        for d, r in analysis.dimensions.items()
    }
    return json.dumps(
        [
            analysis.scores,
            dims,
            [_ev(e) for e in analysis.evidence],
            [[i.start, i.end, i.reason] for i in analysis.ignored],
            sorted(analysis.flags),
            analysis.word_count,
        ],
        sort_keys=True,
    )


def _ev(e) -> list:
    return [e.start, e.end, e.dimension, e.pole, e.rule, e.weight, e.text]


def _texts() -> dict[str, list[str]]:
    sys.path.insert(0, str(ROOT / "bench"))
    from analyzer import make_corpus  # bench/analyzer.py

    dev = [json.loads(line)["text"] for line in (DATA / "framing_dev.jsonl").open()]
    pairs = []
    for line in (DATA / "framing_pairs.jsonl").open():
        pair = json.loads(line)
        pairs += [pair["more"], pair["less"]]
    return {"dev": dev, "pairs": pairs, "bench": make_corpus()}


def digests() -> dict[str, dict]:
    from reflect.framing import analyze

    result = {}
    for name, texts in _texts().items():
        per_text = [hashlib.sha256(canonical(analyze(t)).encode()).hexdigest()[:12] for t in texts]
        whole = hashlib.sha256("".join(per_text).encode()).hexdigest()
        result[name] = {"count": len(texts), "digest": whole, "items": per_text}
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    GOLDEN_FILE.write_text(json.dumps(digests(), indent=0) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN_FILE}")
