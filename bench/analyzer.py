"""Benchmark the framing analyzer against VADER on the same generated corpus.

Run from the repository root:  .venv/bin/python bench/analyzer.py

``--against REV`` (e.g. HEAD~1) times the analyzer of that revision beside this working
tree's instead, in one process, in alternating chunks of the corpus (``--rounds`` passes,
default 3), and prints each one's CPU words/s: on a shared machine only such a side-by-side
comparison says whether a change is faster.

The corpus is about 2 MB of journal-like entries generated from templates with
a fixed seed, so every run measures the same text. The analyzer is timed on
the whole corpus (median of 5 runs, one core), in wall-clock and CPU words/s: on
a shared machine the wall clock also counts time spent waiting for the CPU, so
the load average is printed too. The ratio to VADER (issue 10: at least as fast
as VADER's sentiment alone per sentence, on the same corpus in the same run)
comes from a side-by-side run: VADER per sentence and the analyzer each read the
whole corpus in alternating chunks (``--rounds`` passes), so both see the same
load, and each one's CPU time is summed.
"""

from __future__ import annotations

import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from machine import cpu_model

from reflect.framing import analyze  # noqa: E402

SEED = 20261101
TARGET_BYTES = 2_000_000
CHUNK = 50  # entries each side reads in turn in a side-by-side run

OPENERS = [
    "Today",
    "Yesterday",
    "This morning",
    "After lunch",
    "On the late shift",
    "In standup",
    "During the team meeting",
    "Before the client call",
    "At the end of the week",
    "Tonight",
]
SUBJECTS = ["I", "We", "My manager", "The team", "Management", "She", "Priya", "Our lead"]
VERBS = [
    "had to redo the schedule",
    "decided to explain why the change matters",
    "took the lead on the handover",
    "finished every ticket in the backlog",
    "asked the other department what if we shared the rota",
    "was told the plan got changed again",
    "didn't wait to be told what to do",
    "helped the new starter find her confidence",
    "cleared my inbox and chased invoices",
    "talked about the bigger picture with the whole team",
    "stepped up even though I'm not the manager",
    "kept my head down and got through the list",
    "invited the night shift to suggest improvements",
    "crushed the targets for the quarter",
    "felt completely drained after back-to-back meetings",
    "learned that I can ask for help",
    "said no to another last-minute request",
    "worked on the deadline by myself",
]
TAILS = [
    "It felt good.",
    "Honestly I'm exhausted.",
    "Next time I'll try a different approach.",
    "Oh great, another reorg.",
    "Not sure it made a difference.",
    "We figured it out together.",
    "I'm just not a leader type.",
    "How might we make this easier for everyone?",
    "Nobody asked us.",
    "Proud of the team.",
    "It is what it is.",
    "Small steps.",
    'She said "we need a clearer vision" and left.',
    "Drowning in emails again \U0001f629",
    "Tomorrow is another chance.",
    "I used to think leading meant a title; now I see it differently.",
]
# Journals are mostly narrative; these carry little or no framing, as in real entries.
NARRATIVE = [
    "The bus was twenty minutes late and it rained the whole way in.",
    "Grabbed a sandwich from the place near the station at about one.",
    "The printer on the second floor jammed twice before ten o'clock.",
    "Spent a while looking for the spare keys, which were in the drawer after all.",
    "It was cold in the building until the heating came on around eleven.",
    "Mum rang at lunchtime about the weekend and the car's MOT.",
    "Traffic on the ring road was slow because of roadworks near the bridge.",
    "The coffee machine is still broken so I walked to the café on the corner.",
    "There was a fire drill at half past two and we stood in the car park.",
    "Wore the new shoes, which was a mistake by the afternoon.",
    "The Wi-Fi dropped out in the east wing for most of the morning.",
    "Had soup for dinner and watched half a film before bed.",
    "It snowed a little overnight but it had melted by the time I left.",
    "The new chairs arrived in the break room, blue ones this time.",
    "My phone battery died on the train home, so I read the paper instead.",
]
BULLETS = [
    "- Took the lead on onboarding",
    "- Finished the stocktake",
    "- Asked the warehouse team for ideas",
    "- Had to cover the late shift",
    "- Decided to run the retro myself",
]


def make_entry(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(3, 9)):
        for _ in range(rng.choice((1, 1, 2))):
            parts.append(rng.choice(NARRATIVE))
        sentence = f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)}."
        sentence = sentence[0].upper() + sentence[1:]
        parts.append(sentence.replace(" i ", " I "))
        if rng.random() < 0.6:
            parts.append(rng.choice(TAILS))
    text = " ".join(parts)
    if rng.random() < 0.25:
        text += "\n" + "\n".join(rng.sample(BULLETS, 3))
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    return text


def make_corpus() -> list[str]:
    rng = random.Random(SEED)
    entries: list[str] = []
    size = 0
    while size < TARGET_BYTES:
        entry = make_entry(rng)
        entries.append(entry)
        size += len(entry.encode("utf-8")) + 1
    return entries



WORD_RX = re.compile(r"\w+(?:['\u2019]\w+)*")


def count_words(texts: list[str]) -> int:
    return sum(len(WORD_RX.findall(t)) for t in texts)


def words_per_cue(entries: list[str]) -> float:
    words = cues = 0
    for entry in entries:
        analysis = analyze(entry)
        words += analysis.word_count
        cues += len(analysis.evidence)
    return words / max(cues, 1)


def time_analyzer(entries: list[str], runs: int = 5) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds per run. CPU time (process_time) is what one core
    spends; wall time also counts waiting while other processes hold the CPU."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        for entry in entries:
            analyze(entry)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


SENTENCE_RX = re.compile(r"(?<=[.!?])\s+|\n+")


def vader_reader():
    """VADER's sentiment alone, per sentence: a function of one entry (None when vaderSentiment
    is not installed)."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    vader = SentimentIntensityAnalyzer()

    def read(entry: str) -> None:
        for sentence in SENTENCE_RX.split(entry):
            if sentence.strip():
                vader.polarity_scores(sentence)

    return read


def side_by_side(entries: list[str], sides: dict, rounds: int) -> dict[str, float]:
    """CPU seconds each side (name -> function of one entry) spends on ``rounds`` passes over
    ``entries``, read in chunks of CHUNK entries, the sides taking turns in alternating order
    so that both see the same load."""
    spent = dict.fromkeys(sides, 0.0)
    for round_ in range(rounds):
        for i in range(0, len(entries), CHUNK):
            chunk = entries[i : i + CHUNK]
            names = list(sides) if (i // CHUNK + round_) % 2 == 0 else list(sides)[::-1]
            for name in names:
                run = sides[name]
                start = time.process_time()
                for entry in chunk:
                    run(entry)
                spent[name] += time.process_time() - start
    return spent


STARTUP_PROBE = """
import time
started = time.perf_counter()
import reflect.framing
imported = time.perf_counter()
reflect.framing.analyze("Short shift today. I ran the handover anyway.")
print(imported - started, time.perf_counter() - imported)
"""


def time_startup() -> tuple[float, float]:
    """In a fresh interpreter, as a process starts: `import reflect.framing`, then the first
    analyze() (which reads the compiled lexicon's artefact; written here first if missing)."""
    import subprocess

    from reflect.framing.analyzer import _LEX  # noqa: F401  (writes the artefact if missing)

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", STARTUP_PROBE], cwd=root, capture_output=True, text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def against(rev: str, rounds: int) -> None:
    """This working tree's analyzer beside ``rev``'s in one process: ``rev``'s reflect/framing
    (git archive into a temporary directory, imported as another package: its modules import
    each other relatively; its lexicon artefact is compiled there on first use) and this
    tree's each analyse the corpus in chunks (``side_by_side``), so that both see the same
    load."""
    import importlib
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parent.parent
    entries = make_corpus()
    words = count_words(entries)
    with tempfile.TemporaryDirectory(prefix="reflect-ab-") as old:
        archive = subprocess.run(
            ["git", "archive", rev, "reflect/__init__.py", "reflect/framing"], cwd=root,
            capture_output=True, check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        Path(old, "reflect").rename(Path(old, "reflect_ab_base"))
        sys.path.insert(0, old)
        sides = {
            rev: importlib.import_module("reflect_ab_base.framing.analyzer").analyze,
            "working tree": analyze,
        }
        for run in sides.values():
            for entry in entries:  # warm-up: caches, and the artefact compiled if missing
                run(entry)
        spent = side_by_side(entries, sides, rounds)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        for name, seconds in spent.items():
            print(f"{name:>14s}: {words * rounds / seconds:,.0f} words/s CPU ({seconds:.2f} s)")
        print(f"working tree / {rev}: {spent[rev] / spent['working tree']:.3f}x the speed "
              f"({rounds} rounds, load {load:.2f} at the end)")


def main() -> None:
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    if "--against" in sys.argv:
        against(sys.argv[sys.argv.index("--against") + 1], rounds)
        return
    entries = make_corpus()
    total_bytes = sum(len(e.encode("utf-8")) + 1 for e in entries)
    words = count_words(entries)
    print(f"machine:  {platform.platform()}")
    print(f"cpu:      {cpu_model()}")
    print(f"python:   {platform.python_implementation()} {platform.python_version()}")
    if hasattr(os, "getloadavg"):
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"load:     {load} on {os.cpu_count()} CPUs (other work on the machine slows both)")
    print(
        f"corpus:   {len(entries)} entries, {total_bytes / 1e6:.2f} MB, {words:,} words "
        f"(seed {SEED})"
    )
    print(
        f"density:  one evidence span per {words_per_cue(entries[:500]):.1f} words "
        "(the labelled dev set, written to be dense with framing: one per 4.3)"
    )
    imported, first = time_startup()
    print(
        f"startup:  import reflect.framing {imported:.3f}s, first analyze() {first:.3f}s "
        "(fresh interpreter, compiled lexicon read from its artefact; wall clock)"
    )
    analyze(entries[0])  # warm-up outside the timing
    wall, cpu = time_analyzer(entries)
    median, median_cpu = statistics.median(wall), statistics.median(cpu)
    print(
        f"analyzer: {words / median:,.0f} words/s wall, {words / median_cpu:,.0f} words/s CPU "
        f"(median of {len(wall)} runs: "
        + ", ".join(f"{t:.2f}s" for t in wall)
        + f"; {median / len(entries) * 1000:.3f} ms/entry)"
    )
    vader = vader_reader()
    if vader is None:
        print("vader:    vaderSentiment is not installed")
        return
    vader(entries[0])  # warm-up outside the timing
    spent = side_by_side(entries, {"vader": vader, "analyzer": analyze}, rounds)
    print(
        f"vader:    {words * rounds / spent['vader']:,.0f} words/s CPU per sentence, beside the "
        f"analyzer's {words * rounds / spent['analyzer']:,.0f} (the whole corpus, {rounds} "
        f"rounds in alternating chunks of {CHUNK} entries: {spent['vader']:.2f} s and "
        f"{spent['analyzer']:.2f} s)"
    )
    print(
        f"ratio:    analyzer runs at {spent['vader'] / spent['analyzer']:.2f}x VADER's speed "
        "(CPU time, same corpus, same run) while scoring all seven dimensions with evidence"
    )


if __name__ == "__main__":
    main()
