"""Markdown to safe HTML: markdown-it-py with raw HTML off, then cleaned by nh3.

Any text within the length limit renders in well under a second. markdown-it-py spends
10-20 µs on each bracket, emphasis marker or backtick it tries to pair ("![" × 50,000 took
2-9 s), and a table of a thousand columns makes tens of thousands of cells. So a document
has a budget of markup characters and of inline runs (paragraphs, headings, table cells):
what lies beyond it is shown as plain text, every character still there, only not
formatted. Ordinary entries are nowhere near it.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import nh3
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

# Characters the inline parser tries to pair or match, and what a document may hold of them.
MARKUP_CHARS = frozenset("[]!*_`<~\\&")
MARKUP_BUDGET = 12_000
INLINE_BUDGET = 5_000
# A table costs a few microseconds per cell however short: beyond this many pipes, a
# document's tables are shown as the text they are written in.
TABLE_PIPE_BUDGET = 20_000


def _plain_beyond_budget(state: StateCore) -> None:
    """Before inline parsing: runs beyond the budget become plain (escaped) text."""
    markup = inline = 0
    for token in state.tokens:
        if token.type != "inline":
            continue
        inline += 1
        cost = sum(1 for ch in token.content if ch in MARKUP_CHARS)
        if inline > INLINE_BUDGET or markup + cost > MARKUP_BUDGET:
            token.type = "text"  # skipped by the inline rule, escaped by the renderer
        else:
            markup += cost


# Remote images are never loaded: fetching one would tell its host when (and from where) the
# journal is read. The image shows as its description and a link, with that reason.
IMAGE_NOTE = "image not loaded: its website would learn when you read this"


def _image_as_link(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = escape(token.attrGet("src") or "")
    alt = escape(self.renderInlineAsText(token.children or [], options, env)) or src
    return (
        f'<span class="md-image">Image: <a href="{src}">{alt}</a> '
        f'<small>({IMAGE_NOTE})</small></span>'
    )


def _parser(*, tables: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"] if tables else ["strikethrough"])
    md.core.ruler.before("inline", "plain_beyond_budget", _plain_beyond_budget)
    md.add_render_rule("image", _image_as_link)
    return md


_md = _parser(tables=True)
_md_without_tables = _parser(tables=False)

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "small",
}


@dataclass(frozen=True)
class Mark:
    """A span of the source text to wrap in trusted HTML once rendered: `opening` and
    `closing` wrap the span's text (again after every tag it crosses), `label` follows the
    first opening only (a highlight's number)."""

    start: int
    end: int
    opening: str
    closing: str
    label: str = ""


# Marks travel through Markdown as characters of Unicode's supplementary private use area A,
# which no keyboard produces (any in the text itself are replaced first, one for one, so the
# offsets hold): mark k opens with U+F0000+k and closes with U+F8000+k.
_OPEN, _CLOSE, _LAST = 0xF0000, 0xF8000, 0xFFFFF
MAX_MARKS = _CLOSE - _OPEN
_PRIVATE = re.compile("[\U000F0000-\U000FFFFF]")
# Tags as nh3 writes them: every attribute in double quotes (a quote inside is &quot;).
_TAG_OR_SENTINEL = re.compile('(<(?:[^>"]|"[^"]*")*>|[\U000F0000-\U000FFFFF])')


def _with_sentinels(text: str, marks: Sequence[Mark]) -> str:
    text = _PRIVATE.sub("\ufffd", text)
    inserts: list[tuple[int, int, str]] = []
    for k, mark in enumerate(marks[:MAX_MARKS]):
        inserts.append((mark.start, 1, chr(_OPEN + k)))
        inserts.append((mark.end, 0, chr(_CLOSE + k)))
    pieces, position = [], 0
    for offset, _order, sentinel in sorted(inserts):  # at one offset: closings first
        pieces += [text[position:offset], sentinel]
        position = offset
    pieces.append(text[position:])
    return "".join(pieces)


def _sentinels_to_tags(html: str, marks: Sequence[Mark]) -> str:
    """Replace the sentinels by the marks' HTML, closing an open mark before every tag and
    reopening it on the next text, so marks never cross an element (well-formed HTML).
    A sentinel that Markdown moved into an attribute (a link's address) is dropped."""
    out: list[str] = []
    active: Mark | None = None
    is_open = False
    for piece in _TAG_OR_SENTINEL.split(html):
        if not piece:
            continue
        if piece[0] == "<":
            if is_open:
                out.append(active.closing)
                is_open = False
            out.append(_PRIVATE.sub("", piece))
        elif len(piece) == 1 and _OPEN <= ord(piece) <= _LAST:
            code = ord(piece)
            if code < _CLOSE:
                if is_open:
                    out.append(active.closing)
                active, is_open = marks[code - _OPEN], True
                out += [active.opening, active.label]
            elif active is not None and active is marks[code - _CLOSE]:
                if is_open:
                    out.append(active.closing)
                active, is_open = None, False
        else:
            if active is not None and not is_open and piece.strip():
                out.append(active.opening)
                is_open = True
            out.append(piece)
    if is_open:
        out.append(active.closing)
    return "".join(out)


def render_markdown(text: str, marks: Sequence[Mark] = ()) -> str:
    """Safe HTML for a Markdown text; `marks` (non-overlapping, in order) wrap spans of the
    source text in trusted HTML once it is rendered and cleaned."""
    md = _md if text.count("|") <= TABLE_PIPE_BUDGET else _md_without_tables
    source = _with_sentinels(text, marks) if marks else text
    html = md.render(source.replace("\x00", ""))
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"},
                    "span": {"class"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return _sentinels_to_tags(html, marks) if marks else html


def prose_runs(text: str) -> list[str]:
    """The plain text of a document as the reader sees it, in runs: no code (inline or
    blocks), no link addresses, no heading marks; text beyond the budget as it is written."""
    md = _md if text.count("|") <= TABLE_PIPE_BUDGET else _md_without_tables
    runs = []
    for token in md.parse(text.replace("\x00", "")):
        if token.type == "text":  # beyond the budget: never parsed inline
            runs.append(token.content)
        elif token.type == "inline" and token.children:
            runs.extend(child.content for child in token.children if child.type == "text")
    return runs


# Plain prose that Markdown leaves as it is: no inline markup character anywhere, and no line
# that could open a block (indented code, heading, quote, list, rule, setext underline, table,
# fence). Lines as markdown-it splits them: at \n, \r\n and \r.
_INLINE_MARKUP = re.compile(r"[`*_\[\]<&\\~|]")
_BLOCK_START = re.compile(r"(?:^|[\r\n])(?:[ \t#>+=*_-]|[0-9]+[.)])")


def plain_text(text: str) -> str:
    """A Markdown text as plain words for excerpts: no `#`, `- `, `**` or link addresses;
    blocks joined by a space. Not memoised across requests: a process keeps no one's words
    (Entry.opening_line parses a list entry's first line once instead). Prose without any
    Markdown (most entries) skips the parser: its plain words are its words."""
    text = text.replace("\x00", "")
    if is_plain_prose(text):
        return " ".join(text.split())
    words = _bulleted_prose_words(text)
    if words is not None:
        return words
    return _parsed_plain_text(text)


def is_plain_prose(text: str) -> bool:
    """True when Markdown would read `text` as nothing but words, spaces and line breaks."""
    return not _INLINE_MARKUP.search(text) and not _BLOCK_START.search(text)


_LINE_BREAK = re.compile(r"\r\n?|\n")
_BLOCK_LINE = re.compile(r"[ \t#>+=*_-]|[0-9]+[.)]")


def _bulleted_prose_words(text: str) -> str | None:
    """plain_text of prose whose only Markdown is bullet items ('- ' or '+ ' at a line's
    start, then words that open no block), as journals often hold: its words without the
    bullets, as the parser reads them (an item's paragraph is its words; a bullet item with
    text interrupts a paragraph). None for any other text, which the parser reads."""
    if _INLINE_MARKUP.search(text):
        return None
    lines = _LINE_BREAK.split(text)
    for index, line in enumerate(lines):
        if not line or not _BLOCK_LINE.match(line):
            continue
        item = line[2:]
        if line[1:2] != " " or line[0] not in "-+" or not item or _BLOCK_LINE.match(item):
            return None
        lines[index] = item
    return " ".join(" ".join(lines).split())


def _parsed_plain_text(text: str) -> str:
    md = _md if text.count("|") <= TABLE_PIPE_BUDGET else _md_without_tables
    blocks = []
    for token in md.parse(text):
        if token.type == "text":  # beyond the budget: as written
            blocks.append(token.content)
        elif token.type == "inline":
            blocks.append("".join(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or ()
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            ))
    return " ".join(" ".join(blocks).split())


TITLE_CHARS = 80


def first_line(text: str) -> str:
    """The first non-empty line of a Markdown text as plain words, shortened to a title."""
    for line in text.splitlines():
        words = plain_text(line)
        if words:
            if len(words) <= TITLE_CHARS:
                return words
            return words[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
    return ""
