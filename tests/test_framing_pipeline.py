"""The analyzer's stages one by one (reflect/framing/analyzer.py): read_passage -> scan ->
read_context -> Modifiers.read -> derive -> score, each on a small input."""

from reflect.framing.analyzer import (
    Modifiers,
    Tally,
    analyze,
    derive,
    learn,
    read_context,
    read_passage,
    scan,
    score,
)


def staged(text: str):
    passage = read_passage(text)
    cues, hits = scan(passage)
    context = read_context(passage, cues, hits)
    return passage, cues, hits, context


def read_cues(text: str, dimension: str) -> list:
    passage, cues, hits, context = staged(text)
    modifiers = Modifiers(passage, context, hits)
    read = [modifiers.read(cue) for cue in cues if cue[2].dimension == dimension]
    return [ev for ev in read if ev is not None]


def test_it_reads_the_passage_with_offsets_of_the_original():
    passage = read_passage("Ran the rota. İstanbul team—great! Next")
    assert len(passage.work) == len(passage.text)
    assert passage.sentence_starts == [0, 13, 34]
    assert passage.word_count == 7
    assert passage.sentence_of(20) == 1 and passage.sentence_end(1) == 34


def test_it_scans_cues_and_rule_words_in_one_pass():
    text = "I didn't have to wait. Oh great."
    _passage, cues, hits, _context = staged(text)
    found = {(text[s:e], c.dimension) for s, e, c in cues}
    assert ("have to", "obligation_agency") in found
    assert hits["_neg"] and hits["_sarcasm"]
    assert all(not c[2].dimension.startswith("_") for c in cues)


def test_it_finds_whose_words_and_which_sentences_are_sarcastic():
    text = 'My boss said "you must lead". We announced a reorg. Oh great, more meetings.'
    _passage, _cues, _hits, context = staged(text)
    reasons = {i.reason for i in context.ignored}
    assert "someone else's words (quoted)" in reasons
    assert "company 'we' (the organisation)" in reasons
    assert context.sarcastic == {2} and context.flags == {"sarcasm"}
    assert [ev.dimension for ev in context.company_evidence] == ["obligation_agency"]


def test_it_modifies_each_cue_by_its_window():
    (decided,) = read_cues("Management decided the rota.", "obligation_agency")
    assert decided.pole == -1 and "someone else decided" in decided.rule
    (waited,) = read_cues("I didn't wait to be told.", "obligation_agency")[:1]
    assert waited.pole == 1 or "negated" in waited.rule
    (proud,) = read_cues("Tired but proud.", "tone")[1:]
    assert proud.pole == 1 and "after 'but'" in proud.rule
    conceded = read_cues("Not my place to change it, but I raised it.", "position_choice")
    assert any("acted anyway" in ev.rule and ev.pole == 1 for ev in conceded)


def test_it_derives_small_cross_dimension_weights():
    passage, cues, hits, context = staged("Finished the stocktake and 140 drops.")
    modifiers = Modifiers(passage, context, hits)
    tally = Tally()
    for cue in cues:
        ev = modifiers.read(cue)
        if ev:
            tally.add(ev)
    derive(tally, passage, context, cues)
    rules = [ev.rule for ev in tally.evidence["self_collective"]]
    assert rules and all(r == "rules.toml derived: only tasks in view" for r in rules)
    assert "rules.toml derived: quantities" in [ev.rule for ev in tally.evidence["action_vision"]]


def test_it_scores_the_tally_and_flags_the_passage():
    passage, _cues, _hits, context = staged("Hm.")
    analysis = score(learn(Tally(), passage, context), passage, context)
    assert analysis.scores["obligation_agency"] is None
    assert {"very_short"} <= analysis.flags
    assert analysis == analyze("Hm.")


def test_it_keeps_none_of_the_writers_words_in_its_caches():
    """The scan caches what lexicon phrases resolve to; a gapped phrase's match carries the
    writer's own words ("asked <anyone> to lead"), which no process keeps past the analysis."""
    from reflect.framing import analyzer

    analysis = analyze("I asked Zorblax Quennel to lead the retro. Asked Zorblax Quennel to lead.")
    assert any("Zorblax" in ev.text for ev in analysis.evidence)  # the gapped phrase counted
    cached = [*analyzer._MATCH_CACHE, *analyzer._LEX.known]
    assert cached and not [key for key in cached if "zorblax" in key]


def test_it_orders_evidence_as_its_sort_key_says_without_calling_it():
    """score lists evidence by analyzer._evidence_order (a lexicon cue before what rules
    derived from it at one span, then dimension order; equal keys in the order found), sorted
    by two integer sorts over a partition (analyzer._in_order): the same list, ties included."""
    import itertools

    from reflect.framing import analyzer
    from reflect.framing.lexicon import DIMENSIONS

    def reference(tally):
        everything = sorted(
            itertools.chain(*tally.evidence.values()), key=analyzer._evidence_order
        )
        return everything, {d: [ev for ev in everything if ev.dimension == d] for d in DIMENSIONS}

    def ev(start, end, dim, rule, weight=1.0):
        return analyzer._evidence(start, end, dim, 1, rule, weight, "x" * (end - start))

    tally = Tally()
    # Out of order, the same span on several dimensions, derived before plain in the tally,
    # equal keys (kept in the order found: their weights tell them apart).
    for item in [
        ev(5, 9, "tone", "rules.toml derived: x"),
        ev(5, 9, "ripple", "ripple.txt:1"),
        ev(5, 9, "tone", "tone.txt:2"),
        ev(0, 3, "action_vision", "rules.toml derived: quantities"),
        ev(5, 9, "action_vision", "rules.toml derived: y"),
        ev(5, 9, "action_vision", "action_vision.txt:3"),
        ev(5, 9, "tone", "tone.txt:2", 2.0),
        ev(5, 8, "tone", "tone.txt:4"),
        ev(0, 3, "action_vision", "rules.toml derived: quantities", 3.0),
    ]:
        tally.add(item)
    assert analyzer._in_order(tally) == reference(tally)

    text = (
        "Took the lead on onboarding. 140 drops done; we figured it out together, I chose to "
        'run it and asked Priya to help. She said "we need a vision". Proud of the team.'
    )
    passage, _cues, _hits, context = staged(text)
    rules = analyzer.rules_reading(text)[0]
    layered = learn(rules, passage, context)
    assert layered.derived_from is not None  # the partition learn made, not the fallback
    expected = reference(layered)
    # learn lists derived evidence last: as found, but that order only matters within a key.
    assert analyzer._in_order(layered) == expected
    assert analyze(text).evidence == expected[0]


def test_the_analyzers_evidence_is_a_frozen_evidence():
    import dataclasses

    import pytest

    from reflect.framing.analyzer import Evidence, _evidence

    made = _evidence(1, 4, "tone", -1, "tone.txt:1", 0.5, "bad")
    assert type(made) is Evidence
    assert made == Evidence(1, 4, "tone", -1, "tone.txt:1", 0.5, "bad")
    assert hash(made) == hash(Evidence(1, 4, "tone", -1, "tone.txt:1", 0.5, "bad"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.weight = 2.0


def test_it_counts_words_as_its_word_pattern_finds_them():
    """read_passage counts words without making them (analyzer._word_count): the same count as
    _WORD_RX.findall, apostrophes, digits, underscores and non-ASCII letters or symbols
    included."""
    import itertools

    from reflect.framing.analyzer import _WORD_RX, _word_count

    alphabet = ["a", "Z", "9", "_", "'", "''", " ", "-", ".", "é", "²", "中", "\U0001f629", "\n"]
    for size in range(5):
        for parts in itertools.product(alphabet, repeat=size):
            text = "".join(parts)
            assert _word_count(text) == len(_WORD_RX.findall(text)), repr(text)
    text = "Don't stop: rock'n'roll at 5pm, café déjà-vu ''quoted'' it's_ok ٣٤ x'"
    assert _word_count(text) == len(_WORD_RX.findall(text)) == 12


def test_it_rounds_shown_weights_as_round_does():
    from reflect.framing.analyzer import _round4

    for weight in (0.123456, 0.00004, 0.00005, 2.675, 1e-9, 0.4551 * 0.35, -0.0, 0.0, 7.0):
        assert repr(_round4(weight)) == repr(round(weight, 4))
        assert repr(_round4(weight)) == repr(round(weight, 4))  # the remembered answer too


_LAYERED_TEXTS = (
    "Took the lead on onboarding. 140 drops done; we figured it out together, I chose to "
    'run it and asked Priya to help. She said "we need a vision". Proud of the team.',
    "Had to cover the late shift again. Management decided for us. Oh great, another reorg. "
    "I trained Leo on the till and trained all morning. We didn't wait to be told.",
    "Not my place, but I raised it anyway. Used to dread the angry callers; tired but proud.",
)


def test_learn_reweighing_in_place_reads_as_copying():
    """analyze() lets learn give the rules' Evidence its scaled weight in place (reweigh=True):
    the same analysis as copying it, and without reweigh the rules' tally is left as it was."""
    from reflect.framing import analyzer

    for text in _LAYERED_TEXTS:
        tally, passage, context = analyzer.rules_reading(text)
        before = {dim: list(found) for dim, found in tally.evidence.items()}
        weights = {dim: [ev.weight for ev in found] for dim, found in tally.evidence.items()}
        copied = score(learn(tally, passage, context), passage, context)
        assert {dim: [ev.weight for ev in found] for dim, found in before.items()} == weights
        tally, passage, context = analyzer.rules_reading(text)
        rules = [(ev, ev.weight) for found in tally.evidence.values() for ev in found]
        in_place = score(learn(tally, passage, context, reweigh=True), passage, context)
        assert in_place == copied == analyze(text)
        assert any(ev.weight != weight for ev, weight in rules)  # reweighed in place indeed


def test_what_the_learned_layer_leaves_alone_skips_only_spans_it_has():
    """_unread leaves out the spans of the evidence read from cues (Tally.from_cues): each lies
    on its cue's span, which Tally.read holds; the merged spans are those of every evidence."""
    from reflect.framing import analyzer

    for text in _LAYERED_TEXTS:
        tally, _passage, context = analyzer.rules_reading(text)
        assert tally.from_cues is not None
        for dim, found in tally.evidence.items():
            assert {(ev.start, ev.end) for ev in found[: tally.from_cues[dim]]} <= set(tally.read)
        quick = analyzer._unread(tally, context)
        tally.from_cues = None
        assert quick == analyzer._unread(tally, context)


def test_score_rounds_its_sums_and_confidences_as_before():
    """score skips round() where it cannot change the value (a zero sum, a confidence already
    rounded to 3 digits when the factor is 1): each figure is still the rounded one."""
    from reflect.framing import analyzer
    from reflect.framing.scoring import confidence_from_counts

    texts = (*_LAYERED_TEXTS, "Great.", "Oh great, another reorg. Living the dream.", "x", "")
    for text in texts:
        tally, passage, context = analyzer.rules_reading(text)
        layered = learn(tally, passage, context)
        analysis = score(layered, passage, context)
        factor = 1.0
        if "very_short" in analysis.flags:
            factor *= analyzer.RULES["short"]["confidence_factor"]
        if "sarcasm" in analysis.flags:
            factor *= analyzer._SARCASM["confidence_factor"]
        for dim, result in analysis.dimensions.items():
            pos, neg = round(layered.positive[dim], 4), round(layered.negative[dim], 4)
            assert (repr(result.positive), repr(result.negative)) == (repr(pos), repr(neg))
            words = passage.word_count
            expected = round(confidence_from_counts(dim, pos, neg, words) * factor, 3)
            assert repr(result.confidence) == repr(expected)


def test_no_cache_keeps_the_writers_words_after_an_entry_is_read_and_marked():
    """Analysing an entry and drawing its marks leave none of its words anywhere in the process:
    not in the re module's cache of compiled patterns (a short sentence echoing a quoted word
    once compiled a pattern of that word), not in a functools cache (the clause finder once
    kept the last eight entries)."""
    import uuid

    from tests.framing_highlights import page_highlights
    from tests.kept_words import containers_holding

    def read_and_mark(word: str) -> int:
        echo = f'They put up a poster: "Together we are {word}!" {word}.'
        assert "sarcasm" in analyze(echo).flags  # the echo was read (what compiled a pattern)
        text = (
            f"Had to cover {word}'s late shift again. I had no choice. They made me do it. I was "
            "forced to. Had to, again. I have to do it all again tomorrow, no choice."
        )
        return len(page_highlights(text)[1].groups)

    marks = read_and_mark("Zq" + uuid.uuid4().hex[:10])
    assert marks  # the entry was marked, so the clause finder ran
    marker = "Zq" + uuid.uuid4().hex[:10]
    read_and_mark(marker)
    assert containers_holding(marker.lower()) == []
    assert containers_holding(marker) == []
