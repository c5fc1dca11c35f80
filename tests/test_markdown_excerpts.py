"""Excerpts of bulleted prose: the journal's lists read it without the Markdown parser, and
get exactly the parser's words."""

import random

from reflect.lib.markdown import (
    _bulleted_prose_words,
    _parsed_plain_text,
    is_plain_prose,
    plain_text,
)


def test_it_reads_bulleted_prose_as_markdown_would():
    pieces = ["word", "Team", " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "1.", "2)", "12",
              "-", "+", "=", "#", ">", "!", "?", ":", "(", ")", "'", "é", "\u00a0", "\u2028",
              "\x0c", "\x0b", "\x85", ".", ",", "http://a.b", "\n- ", "\n+ ", "- ", "\n\n- ",
              "\n-", "\n1. ", "\n  - ", "- - ", "\n---", "\n- - -", "*", "`", "&", "|"]
    rng = random.Random(14)
    bulleted = 0
    for _ in range(40_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        words = _bulleted_prose_words(text)
        if words is not None and not is_plain_prose(text):
            bulleted += 1
            assert words == _parsed_plain_text(text), repr(text)
    assert bulleted > 500


def test_it_reads_journal_like_lists_as_markdown_would():
    """Lines of words, some of them bullet items, with every kind of line break."""
    words = ["I", "went", "to", "the", "shop.", "12", "2020", "é", "1.", "a-b", "x+y", "#1", ">",
             "-", "+"]
    rng = random.Random(15)
    bulleted = 0
    for _ in range(10_000):
        lines = []
        for _ in range(rng.randint(1, 8)):
            marker = rng.choice(["- ", "- ", "+ ", "", "", "-", "-  ", "1. "])
            lines.append(marker + " ".join(rng.choice(words) for _ in range(rng.randint(0, 5))))
        text = rng.choice(["\n", "\r\n", "\r", "\n\n"]).join(lines)
        words_read = _bulleted_prose_words(text)
        if words_read is not None and not is_plain_prose(text):
            bulleted += 1
            assert words_read == _parsed_plain_text(text), repr(text)
    assert bulleted > 500


def test_it_reads_an_excerpt_with_bullets_without_their_marks():
    text = "Short shift today.\n\n- I have to fill in the audit forms.\n+ I explained the why"
    assert plain_text(text) == (
        "Short shift today. I have to fill in the audit forms. I explained the why"
    )
    assert plain_text("Today:\n- - -\n- done") == _parsed_plain_text("Today:\n- - -\n- done")
    assert plain_text("- [x] done\n- *now*") == "[x] done now"
