"""Telling apart members who share a display name, without showing anyone more than their
role allows.

Managers must know which "Sam" they remove, promote or read a named summary of: they see a
hint from the email address (its first two letters and its domain, "sa…@acme.com"), which
tells colleagues apart in a directory the organisation already shares, and never the whole
address (a private address someone joined with stays private). Members, who act on nobody,
see when each joined instead. Hints appear only where names collide; a hint that still
collides falls back to the order of joining ("Sam (2)").
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    email: str
    joined_at: datetime | None = None


def email_hint(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:2]}…@{domain}" if len(local) > 2 else f"{local[:1]}…@{domain}"


def told_apart(people: list[Person], for_manager: bool) -> dict[int, str]:
    """Each person's label: their name, with a hint where two or more share it."""
    counts = Counter(p.name.casefold() for p in people)
    labels: dict[int, str] = {}
    clashing = [p for p in people if counts[p.name.casefold()] > 1]
    for person in people:
        labels[person.user_id] = person.name
    if not clashing:
        return labels
    hints = {
        p.user_id: email_hint(p.email) if for_manager else
        (f"joined {p.joined_at:%-d %b}" if p.joined_at else "")
        for p in clashing
    }
    hint_counts = Counter((p.name.casefold(), hints[p.user_id]) for p in clashing)
    order: Counter = Counter()
    ordered = sorted(clashing, key=lambda p: (p.joined_at is None, p.joined_at, p.user_id))
    for person in ordered:
        key = person.name.casefold()
        order[key] += 1
        hint = hints[person.user_id]
        if not hint or hint_counts[(key, hint)] > 1:
            hint = f"{hint}, {order[key]}" if hint else str(order[key])
        labels[person.user_id] = f"{person.name} ({hint})"
    return labels
