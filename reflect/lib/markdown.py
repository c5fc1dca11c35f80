"""Markdown to safe HTML: markdown-it-py with raw HTML off, then cleaned by nh3.

Any text within the length limit renders in well under a second. markdown-it-py spends
10-20 µs on each bracket, emphasis marker or backtick it tries to pair ("![" × 50,000 took
2-9 s), and a table of a thousand columns makes tens of thousands of cells. So a document
has a budget of markup characters and of inline runs (paragraphs, headings, table cells):
what lies beyond it is shown as plain text, every character still there, only not
formatted. Ordinary entries are nowhere near it.
"""

import nh3
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


def _parser(*, tables: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"] if tables else ["strikethrough"])
    md.core.ruler.before("inline", "plain_beyond_budget", _plain_beyond_budget)
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
}


def render_markdown(text: str) -> str:
    md = _md if text.count("|") <= TABLE_PIPE_BUDGET else _md_without_tables
    html = md.render(text.replace("\x00", ""))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


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
