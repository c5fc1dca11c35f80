"""The worst texts within the length limit: save, entry page, editor and search times.

    .venv/bin/python bench/worst_texts.py        # make bench-worst

Each text is exactly settings.ENTRY_MAX_CHARS (100,000) characters: long tokens, underscore
and punctuation runs, nested Markdown, "![" × 50,000, emphasis and backtick runs, quotes,
deep lists, a table of 1,000 columns, emoji, combining characters, right-to-left script, and
a few random fuzz mixes. Seeds its own PostgreSQL database `reflect_bench_worst` on
postgres://postgres@127.0.0.1:5432 (BENCH_DATABASE_URL overrides it), migrated, one writer.
Times, in this process with Django's test Client (whole server side, no HTTP): the save
(create_entry: insert, search copy and index, framing analysis), the entry page, the editor,
the preview, the journal list and a search for a word the text contains. Flags anything
over 1 s.
"""

import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 100_000
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reflect_bench_worst"


def _fill(unit: str, limit: int = LIMIT) -> str:
    return (unit * (limit // len(unit) + 1))[:limit]


def worst_texts(limit: int = LIMIT) -> dict[str, str]:
    """name -> a text of exactly `limit` characters (pure; the tests use it too)."""
    rng = random.Random(9)
    deep_list = "".join("  " * (i % 400) + "- item\n" for i in range(limit // 10))
    table = "|" + "a|" * 1000 + "\n|" + "-|" * 1000 + "\n"
    texts = {
        "underscore _a": _fill("_a"),
        "email-ish 1@a": _fill("1@a"),
        "path ~/": _fill("~/"),
        "one long token": _fill("a"),
        "long word mix": _fill("Leadership"),
        "dots a.b/": _fill("a.b/"),
        "image ![": _fill("!["),
        "brackets [[[[": _fill("[[[[") [: limit // 2] + _fill("]]]]", limit - limit // 2),
        "links [a](": _fill("[a]("),
        "emphasis *_": _fill("*_"),
        "bold **a": _fill("**a"),
        "backticks `": _fill("`a"),
        "quotes >>>>": _fill(">" * 99 + " a\n"),
        "deep list": _fill(deep_list),
        "table 1000 cols": _fill(table + "|" + "a|" * 1000 + "\n"),
        "emoji": _fill("😀"),
        "emoji mix": _fill("👍🏽 party 🎉 "),
        "combining": _fill("e" + "\u0301" * 30 + " "),
        "rtl": _fill("שלום עולם مرحبا "),
        "html <": _fill("<a "),
        "entities &": _fill("&amp;"),
        "scare quotes": _fill("'vision' "),
        "prose": _fill("I chose to lead the team today and we had to ship it. What if we "),
    }
    alphabet = "_@/~.-[]()!*`<>#|&\\'\" a1é😀\n"
    for n in range(3):
        texts[f"fuzz {n}"] = "".join(rng.choice(alphabet) for _ in range(limit))
    return texts



def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from machine import cpu_model, setup_django

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    setup_django(url)
    import django
    import markdown_it
    import nh3  # noqa: F401
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from reflect.accounts.models import User
    from reflect.journal.models import Entry, create_entry

    call_command("migrate", verbosity=0)
    settings.DEBUG = False
    user, _ = User.objects.get_or_create(email="worst@example.com")
    Entry.objects.filter(author=user).delete()
    client = Client()
    client.force_login(user)
    texts = worst_texts(settings.ENTRY_MAX_CHARS)

    def timed(fn):
        start = time.perf_counter()
        result = fn()
        return time.perf_counter() - start, result

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    print(f"Worst texts, {len(texts)} of {settings.ENTRY_MAX_CHARS:,} characters each")
    print(f"  {platform.platform()}, {cpu_model()}, {os.cpu_count()} cores, "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"  Python {platform.python_version()}, Django {django.get_version()}, "
          f"PostgreSQL {pg}, markdown-it-py {markdown_it.__version__}")
    header = f"{'text':18} {'save':>7} {'entry':>7} {'editor':>7} {'preview':>7} {'list':>7} " \
             f"{'search':>7}  search_text"
    print(header)
    # Warm-up, not counted: the analyzer's lexicon, templates and connection.
    warm = create_entry(author=user, body="I chose to lead.", written_on=user.today(),
                        prompt=None, draft=False)
    client.get(reverse("entry", args=[warm.pk]))
    client.get(reverse("search"), {"q": "lead"})
    warm.delete()
    slow = []
    for name, body in texts.items():
        save, entry = timed(lambda body=body: create_entry(
            author=user, body=body, written_on=user.today(), prompt=None, draft=False))
        times = {"save": save}
        times["entry"], _ = timed(lambda pk=entry.pk: client.get(reverse("entry", args=[pk])))
        times["editor"], _ = timed(lambda pk=entry.pk: client.get(reverse("entry_edit", args=[pk])))
        times["preview"], _ = timed(lambda body=body: client.post(
            reverse("entry_preview"), {"body": body}, headers={"HX-Request": "true"}))
        times["list"], _ = timed(lambda: client.get(reverse("journal")))
        word = next((w for w in body.split() if w.isalpha()), "party")[:20]
        times["search"], _ = timed(lambda word=word: client.get(reverse("search"), {"q": word}))
        stored = Entry.objects.get(pk=entry.pk)
        assert stored.body == body, f"{name}: body changed"
        cells = " ".join(f"{t:7.3f}" for t in times.values())
        over = [k for k, t in times.items() if t > 1.0]
        print(f"{name:18} {cells}  {len(stored.search_text):>7,}" + (
            "  OVER 1 s: " + ", ".join(over) if over else ""), flush=True)
        slow += [(name, k) for k in over]
    print(f"Seconds of server time; load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("Nothing over 1 s." if not slow else f"{len(slow)} over 1 s: {slow}")


if __name__ == "__main__":
    main()
