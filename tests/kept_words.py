"""What a process keeps of a person's words once it has read them: nothing (the analyzer's caches
hold only its own vocabulary, never the text it read)."""

import functools
import gc


def containers_holding(marker: str) -> list[str]:
    """The types of every live container (dicts, lists, tuples, sets: what caches are made of,
    the re module's and functools' included) holding a string with ``marker`` in it, looked
    into one level of tuples and frozensets (cache keys)."""

    def holds(value, depth=0) -> bool:
        if isinstance(value, str):
            return marker in value
        if depth < 2 and isinstance(value, (tuple, frozenset)):
            return any(holds(item, depth + 1) for item in value)
        return False

    gc.collect()
    found = []
    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper):
            # Its cache is a dict of atomic keys, which the collector does not track: reached
            # through the wrapper.
            items = [k for d in gc.get_referents(obj) if isinstance(d, dict) for k in d]
        elif isinstance(obj, dict):
            items = [*obj.keys(), *obj.values()]
        elif isinstance(obj, (list, tuple, set, frozenset)):
            items = obj
        else:
            continue
        if any(holds(item) for item in items):
            found.append(type(obj).__name__)
    return found
