"""Email helpers shared by every message Reflect sends."""

import unicodedata

SUBJECT_MAX = 150


def header_safe(text: str) -> str:
    """A value for one email header line: line and paragraph separators (CR, LF, U+2028,
    U+2029, NEL) and other control characters become spaces, runs of spaces one space, capped
    in length. Django refuses a header with a newline (BadHeaderError), which would leave a
    team name such as "Ops\\nBerlin" unable to send any mail."""
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text
    )
    return " ".join(cleaned.split())[:SUBJECT_MAX]
