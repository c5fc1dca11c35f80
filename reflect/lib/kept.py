"""Bounded per-process stores of answers kept under everything they are computed from (the
entry panel, list items, the calendar's parts): a store's key changes whenever its answer
would, so nothing is ever stale, and the first kept is forgotten first."""


def keep(store: dict, key, value, limit: int):
    """Put ``value`` under ``key`` in ``store``, forgetting the oldest beyond ``limit``."""
    while len(store) >= limit:
        store.pop(next(iter(store)), None)
    store[key] = value
    return value
