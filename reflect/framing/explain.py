"""Turn a stored analysis into words and highlights a person can check.

Plain functions over the stored JSON, so the entry page, the trends drill-down and the tests
all show the same thing. Words describe how something was framed, never how good it is.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reflect.framing import DIMENSION_LABELS, DIMENSIONS, LEAN_PHRASES
from reflect.framing.dimensions import DIMENSION_NAMES

POLE_CLASS = {1: "pole-pos", -1: "pole-neg"}
FLAG_NOTES = {
    "sarcasm": "Some of this reads as sarcastic, so those phrases count for less.",
    "very_short": "This entry is very short, so read these leanings lightly.",
}


def _cue_label(number: int, item: dict) -> str:
    towards = "towards" if item["pole"] > 0 else "away from"
    name = DIMENSION_NAMES.get(item["dimension"], item["dimension"])
    low, high, _idea = DIMENSION_LABELS[item["dimension"]]
    pole = high if item["pole"] > 0 else low
    return f"{number}. {name}: {pole} ({towards} the article's idea of leadership)"


def highlight_html(
    text: str, evidence: list[dict], ignored: list[dict], dimension: str | None = None
) -> SafeString:
    """The writer's text, escaped, with each evidence span in a numbered <mark> whose title
    names the dimension and pole (so highlights are not told apart by colour alone), and the
    deliberately ignored spans (someone else's words) marked as ignored.

    Overlapping spans: the earliest, longest one is drawn; the others stay listed in the panel.
    """
    spans: list[tuple[int, int, str]] = []
    same_span: dict[tuple[int, int], list[tuple[int, dict]]] = {}
    for number, item in enumerate(evidence, 1):
        if dimension is None or item["dimension"] == dimension:
            same_span.setdefault((item["start"], item["end"]), []).append((number, item))
    for (start, end), cues in same_span.items():
        # One phrase can count on several dimensions: one mark, every number and label.
        poles = {item["pole"] for _, item in cues}
        css = "cue " + (POLE_CLASS[poles.pop()] if len(poles) == 1 else "pole-mixed")
        css += "".join(f" dim-{item['dimension']}" for _, item in cues)
        label = escape("; ".join(_cue_label(number, item) for number, item in cues))
        numbers = ",".join(str(number) for number, _ in cues)
        opening = f'<mark class="{css}" title="{label}"><sup aria-hidden="true">{numbers}</sup>'
        spans.append((start, end, opening))
    for item in ignored:
        reason = escape(f"Ignored, not scored: {item['reason']}")
        spans.append((item["start"], item["end"], f'<span class="ignored" title="{reason}">'))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[str] = []
    position = 0
    for start, end, opening in spans:
        if start < position or end > len(text) or start >= end:
            continue
        closing = "</mark>" if opening.startswith("<mark") else "</span>"
        out += [escape(text[position:start]), opening, escape(text[start:end]), closing]
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


def lean_sentence(dimension: str, score: float | None) -> str:
    """Plain words for a score, tied to the article's idea; never a verdict."""
    if score is None:
        return "Not mentioned."
    low, high = LEAN_PHRASES[dimension]
    if dimension == "ripple":
        text = high if score > 0 else low
        return text[0].upper() + text[1:] + "."
    if abs(score) < 0.2:
        return f"Both ways: {low}, and {high}."
    text = ("clearly, " if abs(score) >= 0.6 else "") + (high if score > 0 else low)
    return text[0].upper() + text[1:] + "."


def explain_entry(entry) -> dict:
    """The context of the entry page's "How you framed this" panel."""
    framing = getattr(entry, "framing", None)
    if framing is None:
        return {"framing_panel": None}
    evidence = framing.evidence
    rows = []
    for dimension in DIMENSIONS:
        score = framing.scores.get(dimension)
        cues = [
            {"number": n, "text": entry.body[e["start"] : e["end"]], "pole": e["pole"], **e}
            for n, e in enumerate(evidence, 1)
            if e["dimension"] == dimension
        ]
        low, high, idea = DIMENSION_LABELS[dimension]
        rows.append(
            {
                "key": dimension,
                "name": DIMENSION_NAMES[dimension],
                "score": score,
                "lean": lean_sentence(dimension, score),
                "confidence": framing.confidence.get(dimension, 0),
                "low": low,
                "high": high,
                "idea": idea,
                "cues": cues,
            }
        )
    ignored = [
        {"text": entry.body[i["start"] : i["end"]], **i} for i in framing.ignored
    ]
    return {
        "framing_panel": {
            "framing": framing,
            "mentioned": [r for r in rows if r["score"] is not None and r["key"] != "tone"],
            "not_mentioned": [r for r in rows if r["score"] is None and r["key"] != "tone"],
            "tone": rows[-1],
            "highlighted": highlight_html(entry.body, evidence, framing.ignored),
            "ignored": ignored,
            "notes": [FLAG_NOTES[f] for f in framing.flags if f in FLAG_NOTES],
        }
    }
