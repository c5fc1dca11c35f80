"""The copy of an entry that full-text search indexes: the same words, none of the traps.

PostgreSQL's text-search parser tries to read every run of non-space characters as an email
address, a URL, a host or a file path, and on long runs joined by `_`, `@`, `/`, `~` or `.`
its time grows with the square of the run: `to_tsvector` of "_a" × 50,000 takes minutes and
held a worker through every save. This copy keeps ordinary text exactly as written (so the
search snippets read like the entry) and changes only what no one searches for:

- a run of more than LONG_RUN non-space characters is split at its punctuation, and any word
  left longer than LONG_WORD is cut into pieces (an identifier or a long URL stays findable
  by its parts);
- a character repeated more than MAX_REPEAT times in a row is kept MAX_REPEAT times;
- emoji and other symbols, which PostgreSQL's parser drops, become word tokens
  (EMOJI_MARK + "emoji" + hex code point), turned back into the symbol in snippets;
- whitespace runs become one space, and the whole copy is at most MAX_CHARS long.

The same function is applied to the search query, so both sides tokenise alike.
"""

import re
import unicodedata

LONG_RUN = 32
LONG_WORD = 40
MAX_REPEAT = 8
MAX_CHARS = 120_000
# Private-use characters: the search snippet markers (browse.HIT_START/HIT_STOP) and ours.
EMOJI_MARK = "\ue002"
_PRIVATE_MARKERS = re.compile("[\ue000-\ue002\x00]")
_REPEAT = re.compile(rf"(.)\1{{{MAX_REPEAT},}}", re.DOTALL)
# Joiners and presentation selectors carry no searchable meaning (they glue emoji sequences).
_INVISIBLE = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
_EMOJI_TOKEN = re.compile(EMOJI_MARK + r"(\ue000?)emoji([0-9a-f]{2,6})")


def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch) == "So"


def _symbols_to_tokens(text: str) -> str:
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch > "\u2000" and _is_symbol(ch):
            out.append(f" {EMOJI_MARK}emoji{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def _split_long_run(run: str) -> str:
    """Punctuation becomes space; words longer than LONG_WORD are cut into pieces."""
    words = "".join(ch if _is_word_char(ch) else " " for ch in run).split()
    pieces = []
    for word in words:
        pieces.extend(word[i : i + LONG_WORD] for i in range(0, len(word), LONG_WORD))
    return " ".join(pieces)


def search_text(body: str) -> str:
    """The bounded, search-safe copy of `body` (pure; see the module docstring)."""
    text = unicodedata.normalize("NFC", _PRIVATE_MARKERS.sub("", body))
    text = _REPEAT.sub(lambda m: m.group(1) * MAX_REPEAT, text)
    text = _symbols_to_tokens(_INVISIBLE.sub("", text))
    runs = []
    size = 0
    for run in text.split():
        if len(run) > LONG_RUN and not run.startswith(EMOJI_MARK):
            run = _split_long_run(run)
            if not run:
                continue
        size += len(run) + 1
        if size > MAX_CHARS:
            break
        runs.append(run)
    return " ".join(runs)


def restore_symbols(snippet: str) -> str:
    """Turn emoji tokens in a snippet of the search copy back into the symbols written."""
    return _EMOJI_TOKEN.sub(lambda m: m.group(1) + chr(int(m.group(2), 16)), snippet).replace(
        EMOJI_MARK, ""
    )
