"""Turn a stored analysis into the entry page's "How you framed this" panel."""


def explain_entry(entry) -> dict:
    return {}
