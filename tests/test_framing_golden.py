"""The analyzer's behaviour is pinned by digests of its whole output (scores, evidence,
ignored spans, flags) on the dev passages, the pairs and the bench corpus: a refactor or a
faster matcher must reproduce them exactly. A deliberate change of behaviour records them
again (`python tests/framing_golden.py`) in the same commit, which says so."""

import json

from tests.framing_golden import GOLDEN_FILE, digests


def test_it_reproduces_the_recorded_analyses_exactly():
    recorded = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))
    now = digests()
    for name, want in recorded.items():
        got = now[name]
        assert got["count"] == want["count"], name
        pairs = zip(got["items"], want["items"], strict=True)
        changed = [i for i, (a, b) in enumerate(pairs) if a != b]
        assert not changed, f"{name}: {len(changed)} analyses differ, first at index {changed[:5]}"
