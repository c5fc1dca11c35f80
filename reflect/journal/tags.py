"""Tags: `#tags` written in an entry, and those typed in the editor's tag field.

Pure functions, no database: what counts as a tag in a text, and one normal form for every
tag so that #Leadership, #leadership and "leadership" in the field are one tag.

A hashtag is `#` followed by a letter or digit of any script and then letters, digits, `_`
or `-` (`#one-to-ones`, `#équipe`, `#家族`), at least one of them not a digit (`#1` is a
number), not right after a letter, digit, `/`, `&` or another `#` (so `C#`, a link's
`page/#anchor`, `&#39;` and `##` are not tags). Code (inline and blocks) is skipped, and a
heading's own `#` marks are not tags (markdown-it has already removed them from the text).
"""

import re
import unicodedata

from reflect.lib.markdown import prose_runs

TAG_MAX_CHARS = 64
TAGS_PER_ENTRY = 30

_TAG = r"[^\W_][\w-]*"
_HASHTAG_RE = re.compile(rf"(?<![\w/&#])#({_TAG})")
_FIELD_SEPARATORS = re.compile(r"[\s,;]+")


def normalise(name: str) -> str | None:
    """One form for a tag (NFC, lower case, no leading '#', no trailing '-'), or None when
    what is left is not a tag."""
    name = unicodedata.normalize("NFC", name).strip().lstrip("#").rstrip("-").lower()
    if not name or len(name) > TAG_MAX_CHARS or not re.fullmatch(_TAG, name):
        return None
    if name.replace("-", "").isdigit():
        return None
    return name


def hashtags(text: str) -> list[str]:
    """The tags written in a text as #tags, normalised, in order of first appearance."""
    if "#" not in text:
        return []
    found: dict[str, None] = {}
    for run in prose_runs(text):
        for match in _HASHTAG_RE.finditer(run):
            name = normalise(match.group(1))
            if name:
                found.setdefault(name)
    return list(found)


def parse_field(value: str) -> tuple[list[str], list[str]]:
    """Tags typed in the tag field ("leadership, one-to-ones #team"), as (tags, refused)."""
    tags: dict[str, None] = {}
    refused = []
    for word in _FIELD_SEPARATORS.split(value):
        if not word.strip("#"):
            continue
        name = normalise(word)
        if name is None:
            refused.append(word)
        else:
            tags.setdefault(name)
    return list(tags), refused
