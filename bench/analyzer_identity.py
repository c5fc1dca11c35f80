"""Does this working tree's analyzer give exactly the output of another revision's?

Run from the repository root:  .venv/bin/python bench/analyzer_identity.py [--base REV]

For speed work on the analyzer: a change that only makes it faster must pass this (exit 0).

Every passage of every tests/data/corpus/writers/*.jsonl file, the bench corpus
(bench/analyzer.py's generated entries) and a few edge cases (empty, NUL, a lone surrogate,
5,000 emoji, a 20,000-word text, quotes and typography) are analysed by ``REV``'s
reflect/framing (default: HEAD, the last commit; a ``git worktree`` copy in a temporary
directory) and by this tree's, each in its own process (``--dump``).
Every field of each Analysis is written out (floats as float.hex, so equal means bit-equal:
scores, each DimensionResult's sums, confidence and evidence, every Evidence's fields in
order, ignored, flags, word count), and the two dumps are compared line by line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def texts() -> list[tuple[str, str]]:
    """(name, text) for every passage compared."""
    out: list[tuple[str, str]] = []
    for path in sorted((ROOT / "tests/data/corpus/writers").glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                row = json.loads(line)
                out.append((f"{path.name}:{n + 1}:{row.get('id')}", row["text"]))
    sys.path.insert(0, str(ROOT / "bench"))
    from analyzer import make_corpus  # noqa: PLC0415  (bench/analyzer.py, same directory)

    out.extend((f"bench:{i}", entry) for i, entry in enumerate(make_corpus()[:1500]))
    writers = [t for _name, t in out[:2000]]
    long_text = " ".join(writers)
    words = long_text.split()
    edge = {
        "empty": "",
        "nul": "\x00",
        "surrogate": "\ud800",
        "surrogate-in-text": "I decided \ud800 to lead the team \udfff.",
        "emoji-5000": "\U0001f629" * 5000,
        "emoji-spaced": "\U0001f629 " * 3000,
        "words-20000": " ".join(words[:20000]),
        "words-20000-crlf": " ".join(words[:20000]).replace(". ", ".\r\n"),
        "typographic": "I \u2018chose\u2019 to \u201clead\u201d \u2014 we didn\u2019t have "
        "to\u2026 \u0130stanbul trip. She said \u201cwe need a vision\u201d and left.",
        "quotes": 'She said "we need a clearer vision" and left. I said \'no\'. "Together!" '
        "Together. Oh great, another 'vision' day. Brilliant. Another reorg.",
        "numbers": "Scanned 140 drops and 3 pallets, bed 4 at 7:10, 12 boxes. 2024 was hard.",
        "bullets": "- Took the lead on onboarding\n- Had to cover the late shift\n"
        "* Decided to run the retro myself\n1. asked the team what if",
        "whitespace": " \t\n\r\n  ",
        "apostrophes": "don't ''can't'' 'tis ' ' '' wasn't it's we've I'm I'd",
        "nonascii-words": "J'ai d\u00e9cid\u00e9 \u00e0 diriger l'\u00e9quipe. \u00c9t\u00e9 "
        "\u4e2d\u6587 \u0440\u0443\u0441\u0441\u043a\u0438\u0439 \u00df\u00df STRASSE",
        "caps": "I HAD TO STAY LATE. WE DECIDED TOGETHER. PRIYA VOLUNTEERED.",
        "no-space": "ihadtostaylate.wedecidedtogether",
    }
    out.extend((f"edge:{k}", v) for k, v in edge.items())
    body = (
        "I had to stay late again because the rota was decided for us, but then I chose to ask "
        "the other team what if we shared the handover. We talked about why the ward exists. "
    ) * 9
    for i, suffix in enumerate(["today", "tomorrow", "again", "everyone", "honestly"]):
        out.append((f"entry315:{i}", body + suffix))
    return out


def _f(x: float | None) -> str | None:
    return None if x is None else float.hex(x)


def _ev(ev) -> list:
    return [ev.start, ev.end, ev.dimension, ev.pole, ev.rule, _f(ev.weight), ev.text,
            type(ev).__name__, type(ev.pole).__name__, type(ev.weight).__name__]


def serialise(analysis) -> str:
    fields = {
        "scores": [[d, _f(s)] for d, s in analysis.scores.items()],
        "dimensions": [
            [d, _f(r.positive), _f(r.negative), _f(r.confidence), [_ev(ev) for ev in r.evidence]]
            for d, r in analysis.dimensions.items()
        ],
        "evidence": [_ev(ev) for ev in analysis.evidence],
        "ignored": [[i.start, i.end, i.reason] for i in analysis.ignored],
        "flags": sorted(analysis.flags),
        "word_count": analysis.word_count,
        "types": [type(analysis.word_count).__name__, type(analysis.flags).__name__,
                  type(analysis.evidence).__name__],
    }
    return json.dumps(fields, ensure_ascii=True)


def dump(out_path: str) -> None:
    """Analyse every text with the reflect package this interpreter imports; one line each."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflect.settings")
    import django

    django.setup()
    from reflect.framing import analyze
    from reflect.framing import analyzer as module

    print(f"analyzer: {module.__file__}", file=sys.stderr)
    with open(out_path, "w", encoding="ascii") as out:
        for name, text in texts():
            out.write(json.dumps(name, ensure_ascii=True) + "\t" + serialise(analyze(text)) + "\n")


def run_dump(package_root: Path, out_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(package_root), PYTHONDONTWRITEBYTECODE="1")
    subprocess.run(
        [sys.executable, str(ROOT / "bench/analyzer_identity.py"), "--dump", str(out_path)],
        cwd=package_root, env=env, check=True,
    )


def main() -> None:
    if "--dump" in sys.argv:
        dump(sys.argv[sys.argv.index("--dump") + 1])
        return
    base = sys.argv[sys.argv.index("--base") + 1] if "--base" in sys.argv else "HEAD"
    with tempfile.TemporaryDirectory(prefix="reflect-identity-") as tmp:
        old_tree = Path(tmp, "base")
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(old_tree), base],
                       cwd=ROOT, check=True)
        try:
            old_out, new_out = Path(tmp, "old.txt"), Path(tmp, "new.txt")
            run_dump(old_tree, old_out)
            run_dump(ROOT, new_out)
            old_lines = old_out.read_text(encoding="ascii").splitlines()
            new_lines = new_out.read_text(encoding="ascii").splitlines()
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT,
                           check=True)
    assert len(old_lines) == len(new_lines), (len(old_lines), len(new_lines))
    differ = [o.split("\t")[0] for o, n in zip(old_lines, new_lines, strict=True) if o != n]
    evidence = sum(line.count('"Evidence"') for line in old_lines)
    print(f"{len(old_lines)} texts compared ({evidence} evidence items in {base}'s output): "
          f"{len(old_lines) - len(differ)} identical, {len(differ)} different")
    for name in differ[:20]:
        print("  differs:", name)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
