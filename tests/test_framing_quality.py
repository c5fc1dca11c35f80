"""How well the framing analyzer agrees with blind labels (/work/shared/FRAMING-CODEBOOK.md).

Printed side by side, per dimension: the tuned-on figure (development data: framing_dev.jsonl
and corpus writers w01-w72, on which the rules were tuned and the learned layer fitted) and
the fresh claim (FRESH_WRITERS, w73-w75 now: never read by anyone tuning the analyzer, scored
once after tuning had ended; the public page shows it): Spearman's rho with abstention scored
as 0, within-1 accuracy on the label scale, abstentions where the label is not 0, and the two
labellers' agreement; then by hard case, and pairs. All against the mean of two blind labels.
The labellers' agreement over the whole corpus (every writer, HELD_BACK_WRITERS too: held
back for the next claim, never scored) comes from the labels alone. Highlight agreement: the
fresh claim's (with a second reader's where one judged the same marks), with the development
writers' (w10-w63, judged for earlier claims) printed beside it.

The floors sit just under what the analyzer reached when they were set; the fresh floors were
set from the one measurement at the end of tuning (tests/data/corpus/README.md). The figures
the public page shows (reflect/framing/quality.json) must be this analyzer's.

Run with ``-s`` to see the tables (they are always printed).
"""

from __future__ import annotations

import json

import pytest

from reflect.framing import ANALYZER_VERSION, analyze
from tests.framing_eval import (
    CLAIMED_WRITERS,
    CORPUS,
    DATA,
    DEV_WRITERS,
    DIMENSIONS,
    FRESH_WRITERS,
    HELD_BACK_WRITERS,
    QUALITY_FILE,
    dev_items,
    evaluate,
    format_agreement,
    format_report,
    fresh_items,
    highlight_figures,
    labeller_agreement,
    read_jsonl,
    spearman,
)
from tests.framing_highlights import SECOND as SECOND_READERS
from tests.framing_highlights import agreement as highlight_agreement
from tests.framing_highlights import format_agreement as format_highlights
from tests.framing_highlights import stored_judgements, weak_marks

# History. First session of 2026-12-06, rules only (w04-w09 were fresh then, development data
# since). Fresh (w04-w05, 282 passages) before any tuning / after it (the one final
# measurement): action_vision .34/.36, position_choice .38/.37, self_collective .28/.33,
# obligation_agency .28/.53, ripple .48/.53, fixed_growth .28/.30, tone .21/.21; pairs 16/16
# both times. Dev (w01-w03, tuned on) after: .41 .47 .58 .60 .62 .55 .45, pairs 23/24.
# Fresh B (w06-w09, 460 passages), scored once on 2026-12-06 after all tuning: action_vision
# .33, position_choice .26, self_collective .41, obligation_agency .34, ripple .50,
# fixed_growth .32, tone .36; pairs 27/32. The gap to w04-w05 (obligation_agency .53 there)
# is what tuning against w04-w05's aggregates bought on them alone.
# Second session of 2026-12-06: the learned layer (reflect/framing/learned.py) fitted on w01-w09
# and framing_dev.jsonl. Leave one writer out on those (python -m tests.framing_train): rules
# alone .37 .39 .48 .50 .56 .43 .37, with the layer .54 .45 .56 .58 .62 .46 .48 (same order).
# The fresh claim w10-w12 (345 passages) was scored twice, and is reported as such:
# - first fit (each pole of the rules its own factor; function words and weekdays left out):
#   .45 .33 .53 .43 .55 .32 .34, pairs 22/24;
# - the fit kept (both poles one factor, so the rules' own balance, negation and concession
#   stand; no word a rule read, no "I"/"my", no times and places such as "shift" and "home"),
#   changed for the analyzer's unit tests and the codebook, not for those figures (leave one
#   writer out moved by at most .02): .43 .33 .50 .41 .53 .31 .33, pairs 22/24.
# (The rules alone read w06-w09, the previous claim, at .33 .26 .41 .34 .50 .32 .36.)
# Dev below is in-sample for the layer (fitted on it): .66 .58 .70 .70 .70 .64 .66, pairs 72/72.
# Third session of 2026-12-06, first round: w10-w12 became development data (their highlight
# judgements were read, per kind of rule, to choose which leanings the entry page marks); the
# layer was refitted on w01-w12 and framing_dev.jsonl (1,773 passages; leave one writer out:
# rules alone .35 .37 .46 .47 .55 .39 .34, with the layer .52 .43 .56 .56 .61 .44 .47). The
# fresh claim w13-w15 (345 passages, held back since the second session) was scored once,
# after that: .59 .40 .58 .51 .51 .33 .52, pairs 24/24.
# Second round, the same session: w13-w15 became development data (their readers' reports and
# the judged marks of w10-w15 were read per lexicon line); lines whose marks readers mostly
# rejected were turned off where the rules' agreement with the labels on w01-w15 did not drop
# ("people", "everyone", "good", "next week", "first time", "yet", "anyway", "decided" on
# position...); the layer was refitted on w01-w15 (2,118 passages; leave one writer out: rules
# alone .33 .37 .44 .46 .55 .41 .32, with the layer .54 .42 .57 .56 .60 .45 .49, against
# .54 .43 .57 .55 .59 .42 .48 with the lines on). The fresh claim w16-w18 (345 passages,
# written and labelled blind in this session, never read by anyone tuning) was scored once,
# after that: .48 .31 .46 .41 .52 .31 .38, pairs 21/24 (the floors below). The two claims
# differ by up to .14 on one dimension: a set of three writers is a small sample of how
# people write. Dev in-sample: .65 .56 .70 .68 .69 .64 .65, pairs 119/120.
# Fourth session of 2026-12-06: w16-w18 became development data (the layer is fitted on them);
# the layer was refitted on w01-w18 and framing_dev.jsonl (2,463 passages; leave one writer
# out: .53 .42 .55 .55 .59 .44 .48; a factor per lexicon line beside it, tried the same way,
# gained .005 on average and was left out). Nothing else changed. The fresh claim w19-w21
# (345 passages, written and labelled blind in the third session, held back and never scored
# since) was scored once, after that: .56 .38 .53 .50 .56 .39 .47, pairs 21/24 (the floors
# below). Three claims on three sets of three writers now: w13-w15 .59 .40 .58 .51 .51 .33
# .52, w16-w18 .48 .31 .46 .41 .52 .31 .38, w19-w21 .56 .38 .53 .50 .56 .39 .47. Dev
# in-sample: .64 .55 .68 .66 .67 .62 .64, pairs 141/144. Held back: w22-w24, never scored.
# Second round the same session: w19-w21 became development data (their judged marks were read
# per lexicon line and per how clearly the entry reads the scale, with w10-w18's); the entry
# page now marks a phrase only where the entry reads its scale at least 0.4 clearly, and not
# the 13 lexicon lines tagged @unmarked (explain.MARK_MIN_SCORE, lexicons/README.md); the layer
# was refitted on w01-w21 (2,808 passages). The fresh claim w22-w24 (345 passages, written and
# labelled blind in this session, never read by anyone tuning) was scored once, after that:
# .62 .44 .57 .61 .58 .46 .46, pairs 24/24 (the floors below): action_vision and
# obligation_agency at issue 10's 0.6 for the first time, five dimensions not. Four claims on
# four sets of three writers differ by up to .14 on a dimension. Dev in-sample: .64 .53 .67
# .66 .66 .61 .64. Held back: w25-w27, never scored.
# Fifth session of 2026-12-06 (begun 02:36 UTC on the 7th): w22-w24 became development data
# (the layer is fitted on them; nobody read their passages or errors). The layer now also
# weighs each dimension's rule evidence in the others (learned.Dimension.across: tried leave
# one writer out in the fourth session, .02 better in the mean); refitted on w01-w24 (3,153
# passages; leave one writer out .57 .42 .58 .58 .61 .46 .51). The fresh claim w25-w27 (345
# passages, written and labelled blind in the fourth session, held back and never scored
# since) was scored once, after that: .61 .48 .52 .58 .55 .52 .49, pairs 23/24 (the floors
# below; w26's pairs had been named out of the brief's form and counted only from then).
# Five claims on five sets of three writers: w13-w15 mean .49, w16-w18 .41, w19-w21 .48,
# w22-w24 .53, w25-w27 .54. Dev in-sample: .65 .53 .67 .66 .67 .61 .64, pairs 190/192.
# Second round the same session: the entry page marks only where the entry reads a scale at
# least 0.5 clearly (0.4 before) and four more lines are @unmarked, chosen on w10-w24's judged
# marks; scores unchanged. The fresh claim w28-w30 (345 passages, written and labelled blind in
# this session, held back and never scored) was scored once, after that, with the analyzer
# that scored w25-w27: .58 .43 .57 .56 .62 .43 .54, pairs 24/24 (the floors below). Six claims
# on six sets of three writers: means .49, .41, .48, .53, .54, .53. w25-w27 are an earlier
# claim's now (CLAIMED_WRITERS: neither tuned on nor fitted on). Held back: w31-w33 (written
# and labelled blind in this session), never scored.
# 2026-12-07: w28-w30 are an earlier claim's (CLAIMED_WRITERS). Only the marking changed
# (explain.MARK_MIN_SCORE 0.55, more phrases counted unmarked; chosen on w10-w30's judged
# marks); the scores are those of the analyzer that scored w25-w30. The fresh claim w31-w33
# (345 passages, written and labelled blind in the fifth session of 2026-12-06, held back and
# never scored) was scored once: .52 .42 .52 .52 .54 .35 .48, pairs 22/24 (the floors below).
# Seven claims on seven sets of three writers: means .49, .41, .48, .53, .54, .53, .48.
# Held back: w34-w39 (written and labelled blind this session), never scored.
# Second session of 2026-12-07: w25-w33 became development data (the layer is fitted on them;
# nobody read their passages or errors for it), and the layer was refitted on w01-w33 (4,188
# passages; six folds of writers .57 .41 .57 .58 .61 .47 .52, mean .533, against .531 for the
# fit on w01-w24 in the same six folds of w01-w24). Tried there and left out: stemmed words
# (.529), words weighed by their GloVe vectors' projection (+.006), a wider or narrower c, a
# dead zone around 0. The fresh claim w34-w36 (345 passages, written and labelled blind in the
# first session of 2026-12-07, held back and never scored) was scored once, after that:
# .56 .38 .53 .48 .55 .38 .52, pairs 21/24 (the floors below). Eight claims on eight sets of
# three writers: means .49, .41, .48, .53, .54, .53, .48, .49. Dev in-sample: .64 .53 .65 .65
# .66 .60 .63, pairs 260/264. Held back: w37-w42, never scored.
# Third session of 2026-12-07: w34-w36 are an earlier claim's (CLAIMED_WRITERS; their judged
# marks were read, with w10-w33's, to choose the writer's-clause rule of the marking). Scores
# unchanged: the layer as fitted on w01-w33 (tried beside it, six folds of writers on w01-w33:
# a name or third person before a word as a feature of its own, .533; words in someone else's
# clause dropped, .529; neither kept). The fresh claim w37-w39 (345 passages, written and
# labelled blind in the first session of 2026-12-07, held back and never scored) was scored
# once: .61 .28 .53 .53 .54 .37 .43, pairs 24/24 (the floors below). Nine claims on nine sets
# of three writers: means .49, .41, .48, .53, .54, .53, .48, .49, .47. Held back: w40-w42.
# Later the same session, with only ripple's trends change test changed (98 %; scores and
# marks as above): the fresh claim w40-w42 (345 passages, written and labelled blind in the
# second session of 2026-12-07, held back and never scored) was scored once: .61 .39 .57 .61
# .60 .42 .49, pairs 23/24 (the floors below): action_vision, obligation_agency and ripple at
# issue 10's 0.6, the other four not. Ten claims on ten sets of three writers: means .49, .41,
# .48, .53, .54, .53, .48, .49, .47, .53. w37-w39 are an earlier claim's. Held back: w43-w45.
# Fourth session of 2026-12-07, scores unchanged (a learned gate on
# whether a passage speaks to a scale at all, scores times its fitted chance to the power 0.5,
# six folds of writers on w01-w33: mean .534 -> .538, action_vision .575 -> .545: not kept):
# the fresh claim w43-w45 (345 passages, written and labelled blind in the third session of
# 2026-12-07, held back and never scored) was scored once: .62 .43 .58 .58 .58 .45 .43, pairs
# 24/24 (the floors below): action_vision at issue 10's 0.6, the other six not. Eleven claims
# on eleven sets of three writers: means .49, .41, .48, .53, .54, .53, .48, .49, .47, .53,
# .52. w40-w42 are an earlier claim's. Held back: w46-w48.
# Then, with only rules.toml [marking] changed (scores unchanged), the fresh claim w46-w48 (345
# passages, written and labelled blind in the third session of 2026-12-07, held back and never
# scored) was scored once: .57 .37 .59 .51 .57 .47 .50, pairs 24/24 (the floors below): none
# at 0.6. Twelve claims: means .49, .41, .48, .53, .54, .53, .48, .49, .47, .53, .52, .51.
# w43-w45 are an earlier claim's. Held back: w49-w51 (labelled the same session).
# Later the same session the learned layer was refitted on w01-w48 (w34-w48, five claims'
# sets, became development data; six folds of writers on w01-w33 with them in every training
# fold: mean .534 -> .544, every dimension up; tests/framing_train.py). The fresh claim w49-w51
# (345 passages, written and labelled blind earlier the same session, held back and never
# scored) was scored once after that: .71 .37 .58 .51 .56 .45 .52, pairs 24/24 (the floors
# below): action_vision at issue 10's 0.6, the other six not. Thirteen claims: means .49, .41,
# .48, .53, .54, .53, .48, .49, .47, .53, .52, .51, .53. Dev in-sample (w01-w48): .64 .51 .64
# .64 .65 .59 .61, pairs 379/384. Held back: w52-w54.
# Then, scores and marks unchanged, with ripple's pooled trends test counting its cue weights
# in units of a third (reflect/trends/series.py POOLED_UNIT), the fresh claim w52-w54
# (345 passages, written and labelled blind the same session, held back and never scored) was
# scored once: .60 .37 .58 .49 .60 .47 .55, pairs 23/24 (the floors below): action_vision and
# ripple at issue 10's 0.6, the other five not. Fourteen claims: means .49, .41, .48, .53, .54,
# .53, .48, .49, .47, .53, .52, .51, .53, .52. w49-w51 are an earlier claim's. Held back: w55-w57
# (written and labelled blind at the end of the same session).
# Fifth session of 2026-12-07: scores and marks unchanged; every scale's pooled trends test
# counts its cue weights in its own unit (reflect/trends/series.py POOLED_UNIT, chosen on the
# journals of w49-w54, development data for the trends since). The fresh claim w55-w57 (345
# passages, written and labelled blind in the fourth session, held back and never scored) was
# scored once: .66 .42 .59 .59 .66 .56 .53, pairs 24/24 (the floors below): action_vision and
# ripple at issue 10's 0.6, self_collective and obligation_agency at .59, position_choice,
# fixed_growth and tone not. Journals built from them (python -m tests.framing_journals
# --writers w55,w56,w57): 7/7 dimensions moved (5/5 on six, self_collective 4/5), no change
# told on the 35 steady charts. Fifteen claims: means .49, .41, .48, .53, .54, .53, .48, .49,
# .47, .53, .52, .51, .53, .52, .57. Held back: w58-w60 (written and labelled blind the same
# session).
# First session of 2026-12-08 (from 19:14 UTC on the 7th): scores unchanged; the page marks
# fewer phrases (explain.clear_scales, rules.toml [marking]; chosen on the judged marks of
# w10-w57, development data for the marks since: CLAIMED_WRITERS). The fresh claim w58-w63 (690
# passages: w58-w60 written and labelled blind in the fifth session of 2026-12-07, w61-w63 in
# this one, held back and never scored) was scored once: .60 .36 .56 .50 .59 .51 .51, pairs
# 41/48 (the floors below): action_vision at issue 10's 0.6, the other six not; company_we
# (n 25), sarcasm (38), very_short (183) and second_person (88) under 0.4 on most scales.
# Sixteen claims: means .49, .41, .48, .53, .54, .53, .48, .49, .47, .53, .52, .51, .53, .52,
# .57, .52.
# Later the same session the learned layer was refitted on w01-w63 (tests/framing_train.py;
# six folds over w01-w48 held out: .536 -> .543 in the mean with w49-w63 in every training fold,
# every scale up; six folds over w01-w63: .60 .41 .58 .57 .61 .49 .53). The fresh claim w64-w66
# (345 passages, written and labelled blind the same session, held back and never scored) was
# scored once after that: .56 .34 .53 .46 .52 .51 .46, pairs 24/24 (the floors below); marks
# judged blind by three new readers, 76 % of 55; journals 5/7 (position_choice and
# obligation_agency 1 of 5), no false alarm on 35 steady charts. Seventeen claims: means .49,
# .41, .48, .53, .54, .53, .48, .49, .47, .53, .52, .51, .53, .52, .57, .52, .48.
# Second session of 2026-12-08 (from 21:49 UTC on the 7th): w64-w66's judged marks chose three
# more phrases the page counts unmarked (rules.toml [marking]; nothing else changed). The fresh
# claim w67-w69 (345 passages, written and labelled blind the session before, held back and
# never scored) was scored once after that: .62 .37 .58 .51 .61 .47 .57, pairs 23/24 (the
# floors below); journals 7/7, no false alarm on 35 steady charts. Eighteen claims: means .49,
# .41, .48, .53, .54, .53, .48, .49, .47, .53, .52, .51, .53, .52, .57, .52, .48, .53.
# Nothing in the analyzer changed after that claim; w70-w72 (345 passages, written and labelled
# blind the same session by three new writers and six new labellers) were the next claim, scored
# once: .61 .45 .63 .56 .58 .61 .60 (mean .58), pairs 23/24 (the floors below); journals 6/7
# (ripple told on 2 of 5), no false alarm on 35 steady charts. Nineteen claims: means .49, .41,
# .48, .53, .54, .53, .48, .49, .47, .53, .52, .51, .53, .52, .57, .52, .48, .53, .58. Floors a
# little under what was reached; issue 10 asks for fresh >= 0.6 on every dimension: reached on
# action_vision, self_collective, fixed_growth and tone in this claim, not on position_choice,
# obligation_agency or ripple.
# Third session of 2026-12-08 (from 00:20 UTC): the learned layer refitted on w01-w72 (w64-w72,
# three claims' sets, in the fit) keeping 800 phrases per scale (tests/framing_train.py: six
# folds over w01-w63 held out, .541 -> .554 in the mean, every scale up); nothing else changed.
# The fresh claim w73-w75 (345 passages, written and labelled blind the session before, held
# back and never scored) was scored once after that: .67 .45 .59 .64 .65 .54 .59 (mean .59, the
# best of twenty claims), pairs 23/24 (the floors below); journals 7/7, no false alarm on 35
# steady charts; marks judged by two readers apart, 79 % and 78 % of 77, same verdict on 96 %
# (then "let", "send" and "walked" joined rules.toml [marking], chosen on w10-w72's judged marks
# alone, as this test asks: 79 % and 77 % of the 75 marks left). Scored twice: the full test run
# then found the refit weighing "think I" against the collective (a rule of the codebook,
# tests/test_framing_analyzer.py), so a phrase with the writer's own "I" is no feature on
# self_collective (learned.FIRST_PERSON: 57 such phrases of 800, either way); refitted, the same
# claim scored again: self_collective .59 -> .60, the rest and the pairs unchanged, journals
# 7/7 with the trends' units measured again (WEIGHT_SPREAD); the page marks 2 phrases more on
# w73-w75, each judged by two new readers apart (both: one true, one false): first readers 78 %
# of 77, second 77 % of 77, the same verdict on 96 %. The page shows the second scoring.
# Twenty claims: means .49, .41, .48, .53, .54, .53, .48, .49, .47, .53, .52, .51, .53, .52,
# .57, .52, .48, .53, .58, .59. Issue 10's fresh >= 0.6 reached on action_vision,
# self_collective (.60 on the second scoring), obligation_agency and ripple in this claim; tone
# .59, fixed_growth and position_choice not. Dev in-sample (w01-w72 and the first writer's
# file, 8,673 passages): .66 .51 .66 .65 .66 .62 .65.
RHO_FLOORS = {
    "dev": {
        "action_vision": 0.64,
        "position_choice": 0.49,
        "self_collective": 0.65,
        "obligation_agency": 0.63,
        "ripple": 0.64,
        "fixed_growth": 0.60,
        "tone": 0.63,
    },
    "fresh": {
        "action_vision": 0.65,
        "position_choice": 0.43,
        "self_collective": 0.58,
        "obligation_agency": 0.62,
        "ripple": 0.63,
        "fixed_growth": 0.52,
        "tone": 0.57,
    },
}
# framing_pairs.jsonl (the first writer's pairs, development data): 42/47 since the layer was
# refitted on w01-w21 (the floor was 0.9, 43/47, before).
PAIR_FLOORS = {"dev": 0.95, "fresh": 0.85, "dev_pairs_file": 0.89}
# Every phrase the entry page marks on w10-w12, judged by blind readers (tests/
# framing_highlights.py): 34 % of 3,081 agreed (obligation_agency 55 %, ripple 40 %, position
# 12 %) when every leaning was marked. By kind: carried across from another scale 145 of 869,
# leaning against the entry's reading 141 of 564, the rest 770 of 1,648; the page now marks
# only the rest, and no negated cue or someone else's feeling (reflect/framing/explain.py,
# _markable). First claim, w13-w15, judged blind after that change: 45 % of 1,561 agreed
# (action_vision 52 %, obligation_agency 50 %, ripple 51 %, position_choice 43 %, tone 42 %,
# self_collective 41 %, fixed_growth 35 %). What those readers rejected most: other people's
# feelings read as the writer's tone, a family or company "we" and bare "people"/"everyone"
# read as the team, routine verbs read as choosing, time words ("next week", "first time")
# read as growth; the lexicon lines behind the worst were turned off. Fresh claim w16-w18,
# judged blind after that: 44 % of 1,129 (action_vision 37 %, fixed_growth 25 %,
# obligation_agency 53 %, position_choice 67 % of 21, ripple 52 %, self_collective 44 %, tone
# 39 %); on the development writers w10-w15, where the lines were chosen, 54 % of the 2,418
# judged. Issue 10 asks for 85 %: not reached. Those readers' most rejected: words inside
# someone else's words or sarcasm, a word in another sense ("lessons" for swimming, "Great"
# Western Road), ordinary verbs read as choosing or ripple.
# Fourth session: w16-w18's judgements are development data (the layer is fitted on those
# writers); fresh claim w19-w21, judged blind by three new readers: 41 % of 1,272 (action_vision
# 44 %, fixed_growth 30 %, obligation_agency 54 %, position_choice 55 % of 20, ripple 45 %,
# self_collective 30 %, tone 35 %). What they rejected most, by their reports: a company or
# family "we", other people's words or feelings, negated or hypothetical phrases, sarcasm, a
# word inside a name ("great" in "great-grandmother"), loosely related single words.
# Then (second round) the page stopped marking where the entry reads a scale faintly (below
# 0.4: readers had agreed with 39-42 % of those marks on w10-w21, against 53 % at 0.4-0.6 and
# 73 % above) and the 13 lines whose marks readers agreed with under 30 % of the time (at least
# five judged): on w10-w21, leave one writer out, 57-59 % agreed of the 43-45 % of marks kept
# (48 % before). Two readers judging the same 444 marks of w19 agreed with each other on 96 %
# of them (kappa .92): the marks, not the readers, are what is wrong. Fresh claim w22-w24,
# judged blind by three new readers: 61 % of 367 (action_vision 45 % of 22, fixed_growth 40 %
# of 10, obligation_agency 72 % of 120, position_choice 69 % of 13, ripple 61 % of 93,
# self_collective 52 % of 103, tone 50 % of 6); 61 % of 1,954 on w10-w21, where it was chosen.
# Their most rejected: someone else's words, feelings or actions; negated or compelled uses; a
# company or store "we"; a word in another sense ("together" meaning at once); routine verbs.
# Fifth session: fresh claim w25-w27, judged blind by three new readers: 58 % of 352
# (action_vision 52 % of 31, fixed_growth 47 % of 15, obligation_agency 62 % of 138,
# position_choice 80 % of 10, ripple 58 % of 60, self_collective 58 % of 88, tone 20 % of 10);
# the readers agreed with 63 %, 66 % and 45 % of their writer's marks. Their most rejected:
# a word in another sense ("passion" for food, "float" of cash), routine verbs in task logs
# read as choosing or ripple, a national, family or company "we", someone else's words,
# replies or feelings credited to the writer, advice to others read as the writer's growth.
# Second round, the same session (chosen on w10-w24's 2,615 judged marks: 60 % agreed, 67 %
# of the 65 % kept): marks only where the entry reads a scale at least 0.5 clearly, and four
# more lines @unmarked. Fresh claim w28-w30, judged blind by three new readers: 65 % of 268
# (action_vision 40 % of 15, fixed_growth 50 % of 2, obligation_agency 74 % of 86,
# position_choice 75 % of 8, ripple 62 % of 65, self_collective 61 % of 87, tone 60 % of 5);
# 67 %, 65 % and 61 % per writer. Their most rejected: routine verbs ("told", "took", "ran")
# read as choosing or ripple; an organisation's, family's or association's "we" as the team;
# other people's words, actions or promises credited to the writer; filler words near the
# real cue read as vision or growth.
# 2026-12-07 (chosen on the 2,159 judged current marks of w10-w30: 67 % agreed before; 73 % of
# the 60 % kept after): marks only where the entry reads a scale at least 0.55 clearly, the
# shared "we" and "said yes" @unmarked, routine verbs, "told" as the team and a few phrases
# counted unmarked (rules.toml [marking]). Fresh claim w31-w33, judged blind by three new
# readers: 72 % of 149 (obligation_agency 83 % of 46, ripple 82 % of 39, self_collective 59 %
# of 44, action_vision 46 % of 13, position_choice 2 of 4, fixed_growth 3 of 3); 63 %, 70 % and
# 82 % per writer; a mark in 47 of the 345 passages. Their most rejected: someone else's words,
# feelings or actions; comforting a colleague read as ripple; routine or compelled acts.
# Second session of 2026-12-07 (the layer refitted on w01-w33; marking unchanged): fresh claim
# w34-w36, judged blind by three new readers: 74 % of 124 (obligation_agency 73 % of 52, ripple
# 76 % of 29, self_collective 78 % of 27, action_vision 55 % of 11, position_choice 5 of 5); 65 %,
# 90 % and 68 % per writer; a mark in 46 of the 345 passages. Their most rejected: someone
# else's act credited to the writer, ordinary verbs ("told", "give", "said yes", "asked"), an
# instruction or hand-off read as ripple, a word only loosely tied to the scale.
# Third session of 2026-12-07 (chosen on the 1,593 judged current marks of w10-w36: 74 %
# agreed; 78 % of the 1,352 kept): a phrase is marked only in a clause of the writer's own,
# except on ripple (explain.writers_clause). Fresh claim w37-w39, judged blind by three new
# readers: 62 % of 116 (obligation_agency 63 % of 59, ripple 57 % of 37, self_collective 80 %
# of 15, action_vision 2 of 5); 72 %, 54 % and 64 % per writer; a mark in 39 of the 345
# passages. Their most rejected: ordinary verbs ("told", "asked", "show", "sat with", "went
# up") read as choosing or as the writer's reach; a plan the writer says they dropped;
# someone else's act; a phrase only loosely tied to the scale.
# The same marking, fresh claim w40-w42, judged blind by three new readers: 69 % of 99
# (obligation_agency 77 % of 53, ripple 58 % of 26, self_collective 57 % of 14, action_vision
# 2 of 2, fixed_growth 2 of 2, position_choice 0 of 2); 80 %, 62 % and 63 % per writer; a mark
# in 41 of the 345 passages. Their most rejected: routine acts or ones a procedure required
# read as choosing; ordinary exchanges (answering, passing something on, praising a shift)
# read as the writer's reach; "nobody asked me to" read as leading without a title where the
# passage says nothing of titles; someone else's words or wishes.
# The same marking, fresh claim w43-w45, judged blind by three new readers: 73 % of 138
# (obligation_agency 69 % of 74, ripple 72 % of 40, self_collective 86 % of 14, action_vision 5
# of 5, position_choice 4 of 4, tone 0 of 1); 69 %, 71 % and 80 % per writer; a mark in 46 of
# the 345 passages. Their most rejected: someone else's words or feelings; a verb in another
# sense ("put" the blame on); an act a procedure required; showing or explaining read as
# choosing rather than as reach; a plan that never happened. A gate learned from the 1,568
# judged current marks of w10-w42 (each phrase's share agreed, shrunk to its rule's), left out
# by six folds of writers, kept 77-79 % of the marks it left (76 % of all): readers reject a
# phrase for its passage, not for itself. Not kept.
# Then rules.toml [marking] lists "explain", "tell", "ask" and "sat with" too, chosen on w10-w42's
# judged marks alone (76 % -> 77 % of 1,513): w43-w45's stored judgements give 73 % of 128.
# Fresh claim w46-w48 with that marking, judged blind by three new readers: 77 % of 107
# (obligation_agency 79 % of 52, ripple 70 % of 33, self_collective 73 % of 15, position_choice
# 5 of 5, action_vision 2 of 2); 71 %, 79 % and 85 % per writer; a mark in 34 of the 345
# passages. Their most rejected: a polite reply or an avoidant act read as a choice; an
# intention or a counterfactual read as done; "told" or "asked" only loosely tied to the
# scale; someone else's act; covering for a colleague read as the team.
# The layer refitted on w01-w48 (marking unchanged): fresh claim w49-w51, judged blind by three
# new readers: 75 % of 123 (obligation_agency 79 % of 62, ripple 70 % of 37, self_collective 65 %
# of 17, action_vision 3 of 3, position_choice 2 of 2, tone 1 of 2); 76 %, 59 % and 87 % per
# writer; a mark in 45 of the 345 passages. Their most rejected: an action of the writer's read
# as reach or as the team where it touches nobody else; everyday acts, one tied to a promise the
# writer keeps breaking; passing on advice read as choosing; someone else's words.
# The same marking, fresh claim w52-w54, judged blind by three new readers: 75 % of 111
# (obligation_agency 81 % of 57, ripple 60 % of 25, self_collective 87 % of 15, action_vision
# 5 of 7, position_choice 3 of 5, tone 1 of 2); 67 %, 83 % and 79 % per writer; a mark in 39 of
# the 345 passages. Their most rejected: someone else's act or words; a plain verb in another
# sense ("put" of storm damage, "cut", "teach"); "team" in a job title; an instruction read as
# reach; a routine duty read as choosing.
# The same marking, fresh claim w55-w57, judged blind by three new readers: 74 % of 143
# (obligation_agency 83 % of 54, ripple 60 % of 48, self_collective 69 % of 26, action_vision 9
# of 10, position_choice 3 of 3, fixed_growth 1 of 1, tone 1 of 1); 70 %, 84 % and 70 % per
# writer; a mark in 53 of the 345 passages. Their most rejected: someone else's words or acts
# (a head office's system, another volunteer's idea); a task a quota or a reporting rule
# required read as choosing; a comparison or a layout word only loosely tied to the scale; a
# phrase read on several scales that fits one; a negated or hedged act.
# First session of 2026-12-08 (from 19:14 UTC on the 7th): the page marks only the scales an
# entry reads clearly and one-sidedly (explain.clear_scales: from 0.6, at least 0.8 of the
# scale's weight on its pole) and never a phrase readers mostly rejected on w10-w57
# (rules.toml [marking]; 85 % of the judged development marks in four folds of writers). Fresh
# claim w58-w63, judged blind by three new readers: 77 % of 95 (obligation_agency 84 % of 43,
# ripple 70 % of 30, self_collective 71 % of 14); per writer 10/10, 11/23, 12/16, 10/13, 18/18,
# 12/15 (one reader, w59 and w62: 48 % and 100 %); a mark in 41 of the 690 passages.
# After the refit on w01-w63 (w58-w63's judged marks development data since): fresh claim
# w64-w66, three new blind readers, 76 % of 55 (obligation_agency 76 % of 21, ripple 75 % of
# 16, self_collective 7 of 8); per writer 8/11, 15/19, 19/25; a mark in 24 of 345 passages.
# Second session of 2026-12-08: w64-w66's judged marks development data; fresh claim w67-w69,
# each mark judged blind by two new readers apart (the second's in highlights/second/): the
# first agreed with 88 % of 49 (obligation_agency 93 % of 14, ripple 82 % of 17, self_collective
# 6 of 8, action_vision 5 of 5, fixed_growth 4 of 4), the second with 84 %; the two readers gave
# the same verdict on 92 % of the marks. A mark in 25 of 345 passages. Issue 10's 85 % holds for
# the first reader (49 marks: a small sample; the two readers' mean is 86 %). The next claim,
# w70-w72 (the same analyzer), two more new readers per writer: the first agreed with 77 % of 90
# (obligation_agency 78 % of 37, ripple 74 % of 34, self_collective 75 % of 16), the second with
# 81 %; the same verdict on 96 %; a mark in 30 of 345 passages. Both claims: 81 % and 82 % of
# 139. Issue 10's 85 %: reached on one claim of two, not on both together.
HIGHLIGHT_FLOOR = 0.75
ISSUE_GOAL = 0.6  # issue 10: fresh rho >= 0.6 on every dimension (not reached yet: printed)


@pytest.fixture(scope="module")
def highlight() -> dict:
    return highlight_agreement(
        stored_judgements(FRESH_WRITERS), stored_judgements(FRESH_WRITERS, SECOND_READERS)
    )


@pytest.fixture(scope="module")
def highlight_dev() -> dict:
    return highlight_agreement(stored_judgements(DEV_WRITERS))


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    return {
        "dev": evaluate(dev_items()),
        "fresh": evaluate(fresh_items()),
    }


def side_by_side(reports: dict[str, dict], highlight: dict) -> str:
    dev, fresh = reports["dev"]["dimensions"], reports["fresh"]["dimensions"]
    agreed = highlight["by_dimension"]
    lines = [
        f"framing analyzer vs blind labels: tuned-on (dev, {reports['dev']['n']} passages) and "
        f"fresh claim ({', '.join(FRESH_WRITERS)}, {reports['fresh']['n']}; win1, abstained, "
        "labellers and highlights agreed are the fresh set's); "
        f"goal: fresh rho >= {ISSUE_GOAL}",
        f"{'dimension':18s} {'dev rho':>7s} {'fresh rho':>9s} {'win1':>5s} "
        f"{'abstained':>9s} {'labellers':>9s} {'highlights':>10s}",
    ]
    for dim in DIMENSIONS:
        row = fresh[dim]
        share = f"{agreed[dim][0]:.0%} of {agreed[dim][1]}" if dim in agreed else "-"
        lines.append(
            f"{dim:18s} {dev[dim]['rho']:7.2f} {row['rho']:9.2f} "
            f"{row['within_1']:5.2f} {row['abstained_labelled']:>4d}/{row['labelled']:<4d} "
            f"{row['agreement']:9.2f} {share:>10s}"
        )
    return "\n".join(lines)


def test_it_agrees_with_blind_labels_tuned_on_and_fresh(
    reports, highlight, highlight_dev, capsys
) -> None:
    with capsys.disabled():  # the tables are the point of this test: always show them
        print("\n" + side_by_side(reports, highlight))
        print(format_report("\ndev (tuned on)", reports["dev"]))
        fresh = ", ".join(FRESH_WRITERS)
        print(format_report(f"\nfresh claim ({fresh}; aggregates only)", reports["fresh"]))
        print(f"\nfresh claim ({fresh}): " + format_highlights(highlight))
        print("development writers (judged for an earlier claim; the page marks fewer now): "
              + format_highlights(highlight_dev))
        print("\n" + format_agreement(labeller_agreement()))
    for split, floors in RHO_FLOORS.items():
        for dim, floor in floors.items():
            rho = reports[split]["dimensions"][dim]["rho"]
            assert rho is not None and rho >= floor, f"{split} {dim}: rho {rho} below {floor}"


def test_a_blind_reader_agrees_with_the_highlights(highlight) -> None:
    """Every phrase the entry page marks on the fresh passages was judged by a blind reader
    (tests/framing_highlights.py); a changed analyzer that marks other phrases needs judging
    again."""
    assert highlight["judged"] == highlight["marked"], (
        f"{highlight['marked'] - highlight['judged']} highlights were never judged: "
        "re-run tests/framing_highlights.py export and have them judged"
    )
    assert highlight["agreed"] >= HIGHLIGHT_FLOOR


def test_no_phrase_readers_mostly_rejected_is_marked() -> None:
    """A phrase whose judged marks on the development writers readers agreed with less than
    WEAK_BAR of the time (at least WEAK_LEAST judged) is counted and listed, never marked
    (rules.toml [marking] unmarked): a lexicon edit or a refit that marks one again fails here."""
    weak = weak_marks(DEV_WRITERS + CLAIMED_WRITERS)
    assert weak == [], "add these to rules.toml [marking]: " + "; ".join(
        f"{rule}: {phrase!r} ({share:.0%} of {n})" for rule, phrase, n, share in weak
    )


def test_it_ranks_the_more_leaderly_twin_higher(reports) -> None:
    for split in ("dev", "fresh"):
        pairs = reports[split]["pairs"]
        assert pairs["right"] / pairs["total"] >= PAIR_FLOORS[split], (split, pairs)
    right = total = 0
    for pair in read_jsonl(DATA / "framing_pairs.jsonl"):
        more, less = analyze(pair["more"]).scores, analyze(pair["less"]).scores
        total += 1
        right += sum(more[d] or 0 for d in DIMENSIONS if d != "tone") > sum(
            less[d] or 0 for d in DIMENSIONS if d != "tone"
        )
    assert right / total >= PAIR_FLOORS["dev_pairs_file"], f"framing_pairs: {right}/{total}"


def test_it_shows_the_figures_of_this_analyzer_on_the_public_page(reports, highlight) -> None:
    stored = json.loads(QUALITY_FILE.read_text(encoding="utf-8"))
    assert stored["analyzer_version"] == ANALYZER_VERSION, (
        "reflect/framing/quality.json is another analyzer's: run python -m tests.framing_eval "
        "--write once tuning is done"
    )
    fresh = reports["fresh"]["dimensions"]
    assert stored["passages"] == reports["fresh"]["n"]
    for dim in DIMENSIONS:
        assert stored["dimensions"][dim]["rho"] == round(fresh[dim]["rho"], 2), dim
    # The readers' judgements of the fresh claim's marks, as stored now (written with --write
    # after `framing_highlights score`; a --write before it showed "0 phrases" on the page).
    assert stored["highlights"] == highlight_figures(highlight), (
        "run python -m tests.framing_eval --write after the readers' judgements are scored"
    )


def test_it_reports_the_labellers_agreement_on_the_whole_corpus() -> None:
    agreement = labeller_agreement()
    assert agreement["writers"] >= 12 and agreement["n"] >= 1500
    for dim in DIMENSIONS:
        # Two careful readers of the codebook agree far above chance on every dimension: the
        # ceiling a reading can approach (0.83-0.95 on 2026-12-06).
        assert agreement["dimensions"][dim]["rho"] >= 0.75, dim


@pytest.mark.parametrize(
    "writer", [*DEV_WRITERS[3:], *CLAIMED_WRITERS, *FRESH_WRITERS, *HELD_BACK_WRITERS]
)
def test_every_corpus_writer_has_eight_complete_pairs(writer) -> None:
    """The shape the writers' briefs asked for (tests/data/corpus/briefs/WRITER-BRIEF.md): at
    least 115 passages and eight pairs, each an A and a B ("...-A", "...-B"). A pair named any
    other way silently drops out of the pairs figure: w26's did ("w26p3A") until the fifth
    session of 2026-12-06, when its names were put in the brief's form (pair field only)."""
    rows = read_jsonl(CORPUS / "writers" / f"{writer}.jsonl")
    assert len(rows) >= 115 and {r["writer"] for r in rows} == {writer}
    sides: dict[str, set[str]] = {}
    for row in rows:
        if row["pair"]:
            name, side = row["pair"].rsplit("-", 1)
            sides.setdefault(name, set()).add(side)
    assert len(sides) == 8 and all(s == {"A", "B"} for s in sides.values()), sides


# The lowest two labellers of one writer ever reached on one scale is 0.72 (w10); a file whose
# lines slip off their passages falls far below it (RN's of w73, one line off for about fifty
# passages: 0.44-0.63 against RM, left out for RS's in the second session of 2026-12-08).
WRITER_LABELLERS_FLOOR = 0.65


@pytest.mark.parametrize(
    "writer", [*DEV_WRITERS[3:], *CLAIMED_WRITERS, *FRESH_WRITERS, *HELD_BACK_WRITERS]
)
def test_every_writers_two_blind_labellers_agree_on_every_scale(writer) -> None:
    first, second = (
        {row["id"]: row for row in read_jsonl(path)}
        for path in sorted((CORPUS / "labels").glob(f"*-{writer}.jsonl"))
    )
    ids = sorted(first)
    for dim in DIMENSIONS:
        rho = spearman([first[i][dim] or 0 for i in ids], [second[i][dim] or 0 for i in ids])
        assert rho is not None and rho >= WRITER_LABELLERS_FLOOR, (writer, dim, rho)


def test_it_computes_spearman_with_average_ranks() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # Ties: scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]) == 0.9486832980505138
    assert spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(0.9486832980505138)
    assert spearman([1, 1, 1], [1, 2, 3]) is None


def test_the_trends_pooled_units_follow_the_analyzers_cue_weights() -> None:
    """The trends' pooled change tests count each scale's summed weights in units of its cues'
    mean squared weight over their mean weight (reflect/trends/series.py WEIGHT_SPREAD),
    measured on the development writers' passages: a refitted layer or a lexicon edit that
    moves it by more than a tenth must measure it again (and check the journals:
    tests/framing_journals.py), or the charts would tell changes too readily or not at all."""
    from reflect.framing.learned import carried
    from reflect.trends.series import WEIGHT_SPREAD
    from tests.framing_eval import corpus_items

    sums = {d: [0.0, 0.0] for d in DIMENSIONS}
    for item in corpus_items(DEV_WRITERS):
        stored = [
            {"start": ev.start, "end": ev.end, "dimension": ev.dimension, "pole": ev.pole,
             "weight": ev.weight, "rule": ev.rule}
            for ev in analyze(item["text"]).evidence
        ]
        for ev in stored + carried(stored):
            sums[ev["dimension"]][0] += ev["weight"]
            sums[ev["dimension"]][1] += ev["weight"] ** 2
    measured = {d: squares / total for d, (total, squares) in sums.items()}
    assert set(WEIGHT_SPREAD) == set(DIMENSIONS)
    for dimension, spread in WEIGHT_SPREAD.items():
        assert measured[dimension] == pytest.approx(spread, rel=0.1), dimension
