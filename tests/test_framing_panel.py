"""The framing panel's repeated lists are written in Python (explain.py) rather than by template
loops, for speed: they must read exactly as the template wrote them, weights as floatformat:2
writes them, and the writer's words escaped everywhere."""

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse

from reflect.framing.explain import two_places
from reflect.journal.models import create_entry


@pytest.mark.parametrize(
    "value", [0.125, 0.345, 2.675, -0.005, -0.001, 0.0, -0.0, 1e-05, 0.1 + 0.2, 1.0, 12.5]
)
def test_it_writes_weights_as_floatformat_does(value):
    assert two_places(value) == floatformat(value, 2)


def test_it_escapes_the_writers_words_in_every_list_of_the_panel(alice_client, alice):
    body = (
        'My boss said "<b>you have to</b> ship it by Friday" and I had to <i>agree</i>. '
        "I decided <em>&amp;</em> chose to wait, I decided. Nobody asked me to. I volunteered "
        "and I offered to "
        "lead. I felt <u>proud</u>, so proud."
    )  # clear enough readings that phrases are marked as well as listed
    entry = create_entry(author=alice, body=body, written_on=alice.today(), prompt=None,
                         draft=False)
    response = alice_client.get(reverse("entry", args=[entry.pk]))
    assert response.status_code == 200
    panel = response.content.decode().split('<section class="framing card"')[1]
    for tag in ("<b>", "<i>", "<em>", "<u>"):
        assert tag not in panel
    assert '<q class="ignored" dir="auto">&quot;&lt;b&gt;you have to&lt;/b&gt;' in panel
    assert '<option value="1">1. ' in panel
    assert '<li value="1"><q dir="auto">' in panel


def test_a_negated_cue_and_someone_elses_feeling_count_but_are_not_marked():
    """"Didn't decide" counts against choosing, and "she was nervous" a little toward the
    tone, as the rules say; blind readers rarely agreed with either as a mark, so both are
    listed under the marks instead."""
    from reflect.framing.explain import highlights

    body = "I didn't decide. She was nervous. I chose."
    evidence = [
        {"start": 9, "end": 15, "dimension": "obligation_agency", "pole": -1, "weight": 0.5,
         "rule": 'obligation_agency.txt:86 "decide"; negated'},
        {"start": 25, "end": 32, "dimension": "tone", "pole": -1, "weight": 0.2,
         "rule": "tone.txt:60 \"nervous\"; someone else's feeling"},
        {"start": 36, "end": 41, "dimension": "obligation_agency", "pole": 1, "weight": 0.4,
         "rule": 'obligation_agency.txt:86 "chose"'},
    ]
    shown = highlights(body, evidence, [], {})
    assert shown.groups == []  # the entry reads no scale clearly: "chose" is listed too
    assert [g.text for g in shown.faint] == ["decide", "nervous", "chose"]
    shown = highlights(body, evidence, [], {"obligation_agency": 1, "tone": -1})
    assert [g.text for g in shown.groups] == ["chose"]
    shown = highlights(body, evidence, [], {"obligation_agency": -1, "tone": -1})
    assert shown.groups == []  # "chose" leans against the entry's reading: listed


def test_a_faint_or_mixed_reading_is_listed_not_marked():
    """A phrase is marked only where the entry reads its scale at least MARK_MIN_SCORE
    clearly and one-sidedly (MARK_MIN_SIDE of the scale's weight on the pole it leans to):
    blind readers agreed with 64 % of the marks where the entry's pole held under 70 % of the
    weight and 81-85 % above 90 % (w10-w57). Otherwise the phrase still counts and is listed."""
    from reflect.framing.explain import MARK_MIN_SCORE, MARK_MIN_SIDE, clear_scales, highlights

    body = "I chose."
    evidence = [{"start": 2, "end": 7, "dimension": "obligation_agency", "pole": 1,
                 "weight": 0.4, "rule": 'obligation_agency.txt:86 "chose"'}]
    one_sided = {"obligation_agency": (1.0, 0.0)}
    mixed = {"obligation_agency": (MARK_MIN_SIDE - 0.01, 1 - MARK_MIN_SIDE + 0.01)}
    just = {"obligation_agency": (MARK_MIN_SIDE, 1 - MARK_MIN_SIDE)}
    faint = clear_scales({"obligation_agency": MARK_MIN_SCORE - 0.01}, one_sided)
    assert faint == {} == clear_scales({"obligation_agency": 0.9}, mixed)
    assert clear_scales({"obligation_agency": MARK_MIN_SCORE}, just) == {"obligation_agency": 1}
    assert clear_scales({"obligation_agency": -0.9}, {"obligation_agency": (0.0, 2.0)}) == {
        "obligation_agency": -1
    }
    shown = highlights(body, evidence, [], faint)
    assert shown.groups == [] and [g.text for g in shown.faint] == ["chose"]
    clear = highlights(body, evidence, [], {"obligation_agency": 1})
    assert [g.text for g in clear.groups] == ["chose"] and clear.faint == []


def test_a_lexicon_line_tagged_unmarked_counts_but_is_listed_not_marked():
    """`@unmarked` (lexicons/README.md) lines are those whose marks blind readers mostly
    rejected ("great", bare "team"): their weight counts, the page lists them."""
    from reflect.framing.analyzer import analyze
    from reflect.framing.lexicon import unmarked_sources
    from tests.framing_highlights import page_highlights

    assert "tone.txt:12" in unmarked_sources()
    body = "Great. Great. Great. Lovely day, proud of it, and happy, so happy."
    evidence, shown = page_highlights(body)
    great = [e for e in evidence if e["rule"].startswith("tone.txt:12 ")]
    assert great and analyze(body).scores["tone"] >= 0.4  # read, counted, and a clear reading
    marked = {g.text.lower() for g in shown.groups}
    assert "great" not in marked
    assert "proud of" in marked  # an ordinary line on the same scale is still marked
    assert "great" in {g.text.lower() for g in shown.faint}


@pytest.mark.parametrize(
    ("body", "phrase", "writers"),
    [
        ("I decided to stay.", "decided", True),
        ("Decided to stay.", "Decided", True),  # a note's clause opens with the act
        ("Long day, decided to stay.", "decided", True),
        ("Then we decided to stay.", "decided", True),
        ("Then I’d decided to stay.", "decided", True),
        ("Then I decided to stay.", "I decided", True),  # the phrase starts with "I"
        ("She decided to stay.", "decided", False),
        ("After the meeting Kofi decided to stay.", "decided", False),
        ("I think they decided to stay.", "decided", False),  # the nearest subject
        ("They asked me. I decided to stay.", "decided", True),  # another sentence's subject
        ("Then decided to stay.", "decided", False),  # words, and no subject among them
    ],
)
def test_it_tells_whether_a_phrase_sits_in_the_writers_own_clause(body, phrase, writers):
    from reflect.framing.explain import writers_clause

    assert writers_clause(body, body.index(phrase)) is writers


def test_a_phrase_in_someone_elses_clause_is_listed_not_marked():
    """Blind readers agreed with 58 % of the marks in a clause whose subject is someone else
    and 78-79 % of those in the writer's own (w10-w36): "she volunteered" is her choice, not
    the writer's. Ripple reads what others do because of the writer, so it marks their clauses:
    "three of them volunteered" is the reach of the writer's work."""
    from reflect.framing.explain import highlight_html, highlights

    body = "She volunteered. I volunteered."
    item = {"dimension": "obligation_agency", "pole": 1, "weight": 0.4,
            "rule": 'obligation_agency.txt:1 "volunteered"'}
    evidence = [{**item, "start": 4, "end": 15}, {**item, "start": 19, "end": 30}]
    shown = highlights(body, evidence, [], {"obligation_agency": 1})
    assert [g.spans for g in shown.groups] == [[(19, 30)]]
    assert [g.spans for g in shown.faint] == [[(4, 15)]]
    # The trends period page marks the same way.
    period = highlight_html(body, evidence, [])
    assert period.count("<mark") == 1 and period.startswith("She volunteered. I <mark")
    ripple = [{**e, "dimension": "ripple"} for e in evidence]
    both = highlights(body, ripple, [], {"ripple": 1})
    assert [g.spans for g in both.groups] == [[(4, 15), (19, 30)]]
