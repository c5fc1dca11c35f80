"""The analyzer's learned layer (reflect/framing/learned.py): what it may read, how it counts,
and that what it counts is shown."""

from __future__ import annotations

import pytest

from reflect.framing import analyze, analyzer, explain, learned
from reflect.framing.explain import DRAW_MIN, highlights
from reflect.framing.lexicon import DIMENSIONS
from tests.framing_eval import DEV_WRITERS, FRESH_WRITERS, HELD_BACK_WRITERS


def phrases_of(text: str) -> dict[str, tuple[int, int]]:
    return analyzer.unread_words(*analyzer.rules_reading(text))


def test_it_reads_words_and_two_word_phrases_with_their_first_place():
    text = "Porridge at the depot. More porridge later. Snow on the tram lines."
    found = phrases_of(text)
    assert found["porridge"] == (0, 8)  # the first place, not the second
    assert text[slice(*found["more porridge"])] == "More porridge"
    assert text[slice(*found["tram lines"])] == "tram lines"


def test_a_phrase_never_runs_across_sentences():
    found = phrases_of("I stayed late. Nobody asked me to.")
    assert "late nobody" not in found
    assert "stayed late" in found


def test_it_leaves_what_the_rules_read_to_the_rules():
    found = phrases_of("I had to stay. Then I decided to ask the team.")
    assert "had" not in found and "decided" not in found
    assert "stay" in found


def test_it_skips_someone_elses_words():
    text = 'My manager said "we need a bold vision for the team" and I nodded.'
    found = phrases_of(text)
    assert "vision" not in found and "bold vision" not in found
    assert "nodded" in found


def test_function_words_carry_no_weight_and_pronouns_only_say_who_acts():
    assert not learned.usable("action_vision", "the")
    assert not learned.usable("action_vision", "to the")
    assert not learned.usable("tone", "thursday")
    assert learned.usable("action_vision", "the vision")
    assert learned.usable("self_collective", "we")
    assert not learned.usable("obligation_agency", "we")
    assert not learned.usable("self_collective", "my")  # "I" is never against the writer
    # nor inside a phrase: "think I" weighed on whom the writer leads would be "I" weighed
    assert not learned.usable("self_collective", "think i")
    assert not learned.usable("self_collective", "my fault")
    assert learned.usable("action_vision", "my fault")


def test_the_stored_fit_uses_only_usable_words():
    fitted = learned.layer()
    assert set(fitted) == set(DIMENSIONS), "lexicons/learned.toml has every dimension"
    for dim, layer in fitted.items():
        assert layer.positive_scale >= 0 and layer.negative_scale >= 0
        assert layer.words, dim
        bad = [g for g in layer.words if not learned.usable(dim, g)]
        assert not bad, (dim, bad[:5])


def test_it_is_fitted_on_development_writers_only():
    pytest.importorskip("numpy", reason="numpy (the dev extra) fits the layer")
    from tests.framing_train import training_items

    writers = {item["writer"] for item in training_items()}
    assert writers == {"dev-file", *DEV_WRITERS}
    assert not writers & {*FRESH_WRITERS, *HELD_BACK_WRITERS}


def a_learned_word(dimension: str, sign: int) -> str:
    """The strongest single word the stored fit leans on for ``dimension``."""
    words = learned.layer()[dimension].words
    singles = [(w, g) for g, w in words.items() if " " not in g and w * sign > 0]
    return max(singles, key=lambda wg: abs(wg[0]))[1]


def test_a_learned_word_counts_once_as_evidence_with_its_span_and_weight():
    word = a_learned_word("ripple", 1)
    text = f"Some notes. {word.capitalize()} came up twice: {word}."
    result = analyze(text)
    found = [
        ev for ev in result.evidence if ev.rule == f'learned.toml "{word}"'
        and ev.dimension == "ripple"
    ]
    assert len(found) == 1
    ev = found[0]
    assert text[ev.start : ev.end].lower() == word and ev.text == text[ev.start : ev.end]
    assert ev.weight == pytest.approx(abs(learned.layer()["ripple"].words[word]))


def test_every_score_is_the_sum_of_its_evidence():
    text = (
        "I had to cover the late shift again. Then I decided to ask Priya to run the "
        "handover, and she did it her own way. We will get better at this."
    )
    result = analyze(text)
    # As the panel lists it: the stored evidence and what it carries across (not stored).
    listed = explain.shown_evidence(_items(result))
    assert len(listed) > len(result.evidence)
    for dim in DIMENSIONS:
        shown = result.dimensions[dim]
        pos = sum(e["weight"] for e in listed if e["dimension"] == dim and e["pole"] > 0)
        neg = sum(e["weight"] for e in listed if e["dimension"] == dim and e["pole"] < 0)
        assert pos == pytest.approx(shown.positive, abs=1e-3), dim
        assert neg == pytest.approx(shown.negative, abs=1e-3), dim


def test_faint_words_are_listed_but_not_marked():
    body = "one, two"
    evidence = [
        {"start": 0, "end": 3, "dimension": "tone", "pole": 1, "weight": DRAW_MIN / 2},
        {"start": 5, "end": 8, "dimension": "tone", "pole": 1, "weight": DRAW_MIN * 3},
    ]
    shown = highlights(body, evidence, [], {"tone": 1})
    assert [g.text for g in shown.groups] == ["two"]
    assert [g.text for g in shown.faint] == ["one"]
    assert [(m.start, m.end) for m in shown.marks] == [(5, 8)]


def test_words_only_the_learned_layer_weighs_are_listed_not_marked():
    body = "home, late"
    learned_rule = f'{learned.RULE} "home"'
    evidence = [
        {"start": 0, "end": 4, "dimension": "ripple", "pole": -1, "weight": 0.3,
         "rule": learned_rule},
        {"start": 6, "end": 10, "dimension": "tone", "pole": -1, "weight": 0.3,
         "rule": "tone.txt:3 \"late\""},
    ]
    shown = highlights(body, evidence, [], {"tone": -1})
    assert [g.text for g in shown.groups] == ["late"]
    assert [g.text for g in shown.faint] == ["home"]


def test_readings_carried_across_from_another_scale_are_listed_not_marked():
    """ "sort the invoices" is task language (marked on action and vision); that it also
    means "only my tasks in view" is a reading carried across (rules.toml [derived]): it
    counts and is listed, but the mark claims only what a rule read on its own scale."""
    body = "sort invoices"
    evidence = [
        {"start": 0, "end": 4, "dimension": "action_vision", "pole": -1, "weight": 0.3,
         "rule": 'action_vision.txt:80 "sort"'},
        {"start": 0, "end": 4, "dimension": "self_collective", "pole": -1, "weight": 0.2,
         "rule": "rules.toml derived: only tasks in view"},
    ]
    shown = highlights(body, evidence, [], {"action_vision": -1})
    assert [(g.text, list(g.leanings)) for g in shown.groups] == [
        ("sort", [("action_vision", -1)])
    ]
    assert [(g.text, list(g.leanings)) for g in shown.faint] == [
        ("sort", [("self_collective", -1)])
    ]
    assert "Self and collective" not in shown.marks[0].opening


def test_a_phrase_leaning_against_the_entrys_reading_is_listed_not_marked():
    """The entry reads as chosen (agency); one "had to" in it still counts, listed, but a
    mark on it would point at the opposite of what the panel says. On a scale with no
    reading at all (None), nothing is marked either."""
    body = "I chose it. I had to. Proud."
    evidence = [
        {"start": 2, "end": 7, "dimension": "obligation_agency", "pole": 1, "weight": 0.6,
         "rule": "obligation_agency.txt:1 \"chose\""},
        {"start": 14, "end": 20, "dimension": "obligation_agency", "pole": -1, "weight": 0.4,
         "rule": "obligation_agency.txt:10 \"had to\""},
        {"start": 22, "end": 27, "dimension": "tone", "pole": 1, "weight": 0.5,
         "rule": "tone.txt:2 \"proud\""},
    ]
    shown = highlights(body, evidence, [], {"obligation_agency": 1})
    assert [g.text for g in shown.groups] == ["chose"]
    assert [g.text for g in shown.faint] == ["had to", "Proud"]
    assert [(m.start, m.end) for m in shown.marks] == [(2, 7)]


def test_it_weighs_the_fitted_features_in_their_order_in_one_pass():
    """learned.weighed (what analyze() uses) finds what learned.features finds (what the layer
    is fitted on), kept to the fitted words and phrases, in the same order with the same spans."""
    fitted = learned.by_word()
    pairs = [g for g in fitted if " " in g][:40]
    singles = [g for g in fitted if " " not in g][:40]
    texts = [
        "Porridge at the depot. More porridge later. Snow on the tram lines.",
        " ".join(pairs) + ". " + " ".join(singles) + "\n" + ", ".join(reversed(pairs)),
        'I had to stay. She said "' + " ".join(singles[:8]) + '" and left. ' + " ".join(pairs),
        "don't won't it's rock'n'roll 5pm café " + " ".join(pairs[:10]).upper(),
    ]
    for text in texts:
        tally, passage, context = analyzer.rules_reading(text)
        unread = analyzer._unread(tally, context)
        found = learned.features(passage.work, passage.sentence_starts, *unread)
        expected = [(*span, fitted[g]) for g, span in found.items() if g in fitted]
        got = learned.weighed(passage.work, passage.sentence_starts, *unread)
        assert got == expected
        assert unread[0] or text != texts[2]  # someone else's words are blocked there
    assert any(" " in g for g in fitted), "the fit has two-word phrases to test"


def _items(analysis) -> list[dict]:
    """An analysis's evidence as Framing.evidence stores it."""
    return [
        {"start": e.start, "end": e.end, "dimension": e.dimension, "pole": e.pole,
         "weight": e.weight, "rule": e.rule}
        for e in analysis.evidence
    ]


def test_a_phrase_read_on_one_scale_also_counts_where_the_fit_weighs_it_listed_not_marked():
    """learned.Dimension.across: what the rules read on one scale also counts on another by
    the fitted weight (its poles turned when the weight is negative). Not stored: the panel
    derives those items from the stored evidence (learned.carried), on the same spans, and
    they add up with the rest to the scores; never marked, never a phrase trends name."""
    fitted = learned.layer()
    links = [(dim, source, w) for dim, layer in fitted.items() for source, w in layer.across]
    assert links, "the stored fit weighs some dimension's rule evidence in another"
    text = "I had to cover the late shift again because nobody else would."
    result = analyze(text)
    stored = _items(result)
    assert not [e for e in stored if e["rule"].startswith(learned.ACROSS_RULE)]
    carried = learned.carried(stored)
    checked = 0
    for dim, source, weight in links:
        scale = fitted[source]
        for item in stored:
            if item["dimension"] != source or item["rule"].startswith(learned.RULE):
                continue
            own = scale.positive_scale if item["pole"] > 0 else scale.negative_scale
            expected = round(item["weight"] / own * abs(weight), 4)
            found = [
                e for e in carried
                if e["rule"] == f"{learned.ACROSS_RULE} {source}" and e["dimension"] == dim
                and (e["start"], e["end"]) == (item["start"], item["end"])
            ]
            assert len(found) == (1 if expected else 0), (dim, source, item)
            if expected:
                assert found[0]["pole"] == item["pole"] * (1 if weight > 0 else -1)
                assert found[0]["weight"] == pytest.approx(expected, abs=1e-4)
                checked += 1
    assert checked, "the example's rule phrases reach another scale"
    # Even where the entry reads each scale fully the way the phrase leans: not marked.
    shown = highlights(text, carried, [], {e["dimension"]: e["pole"] for e in carried})
    assert not shown.marks and shown.faint
