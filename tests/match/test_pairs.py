"""The matcher's features, its rules and its decision, on sentence pairs of the shapes news gives."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.match.default_weights import DEFAULT_BIAS, DEFAULT_WEIGHTS
from builder.match.pairs import (
    FEATURES,
    MIN_SHARED,
    STATEMENT_THRESHOLD,
    THRESHOLD,
    default_score,
    expanded,
    pair_features,
    polarity_differs,
    same_speaker,
    score_pair,
)
from builder.match.text import match_text

NATO = "There is no contradiction between a strong NATO and building constructive relations with Russia"


def test_the_same_claim_told_twice_in_other_words_matches():
    found = score_pair(
        "Even during the cold war we had good working relationships with Russia",
        "Even in the coldest period of the cold war, we had a working relationship with Russia",
    )
    assert found.match and found.score >= THRESHOLD and found.ruled_out is None


def test_a_claim_and_its_denial_never_match_however_alike():
    found = score_pair(NATO, NATO.replace("no contradiction", "a clear contradiction"))
    assert found.score >= THRESHOLD  # the words agree ...
    assert (found.match, found.ruled_out) == (False, "polarity_differs")  # ... the claims do not


def test_a_negation_about_something_else_is_detail_not_the_opposite():
    first = match_text("The minister did not comment on the plan to cut fuel taxes by half")
    second = match_text("The minister announced a plan to cut fuel taxes by half")
    assert not polarity_differs(first, second)


def test_other_figures_are_another_claim():
    found = score_pair("Unemployment fell to 5.2% in March", "Unemployment fell to 6.1% in March")
    assert (found.match, found.ruled_out) == (False, "numbers_differ")


def test_two_named_speakers_are_two_claims_and_one_unknown_speaker_decides_nothing():
    claim = "We must spend two percent of our economy on defence"
    assert score_pair(claim, claim, "Jens Stoltenberg", "Donald Tusk").ruled_out == "speakers_differ"
    assert score_pair(claim, claim, "Jens Stoltenberg", "Mr. Stoltenberg").match
    assert score_pair(claim, claim, "Jens Stoltenberg", None).match
    assert same_speaker(None, "Stoltenberg") is None


def test_pairs_sharing_too_few_words_are_never_matches_whatever_the_score():
    found = score_pair(
        "Norway is a small country that neighbours Russia and has always talked with it",
        "Our message is that we need deterrence and defence, and we also need dialogue",
    )
    assert found.terms["stem_jaccard"] < MIN_SHARED and not found.match


def test_the_features_are_the_documented_ones_and_the_default_weighs_each_and_each_product():
    found = pair_features(match_text(NATO), match_text(NATO))
    assert tuple(found) == FEATURES
    assert set(expanded(found)) == set(DEFAULT_WEIGHTS)
    assert math.isclose(
        default_score(found),
        1
        / (
            1
            + math.exp(-(DEFAULT_BIAS + sum(DEFAULT_WEIGHTS[name] * value for name, value in expanded(found).items())))
        ),
    )


_SENTENCE = st.lists(
    st.sampled_from(
        "the NATO no not Russia 2.5 two cold war relations strong said 1,000 "
        "contradiction June we had didn't relationship".split()
    ),
    max_size=25,
).map(" ".join)


@settings(deadline=None)
@given(_SENTENCE, _SENTENCE)
def test_scoring_is_symmetric_bounded_and_a_sentence_matches_itself(first, second):
    forward, backward = score_pair(first, second), score_pair(second, first)
    assert forward == backward
    assert 0.0 <= forward.score <= 1.0
    assert all(0.0 <= forward.terms[name] <= 1.0 for name in FEATURES[:7])
    assert all(
        0.0 <= forward.terms[name] <= 12.0 for name in ("unmatched_most", "unmatched_least", "length_difference")
    )
    assert score_pair(first, first).ruled_out is None


def test_two_outlets_own_statements_need_the_higher_score_to_be_one_claim():
    first = "The bakery chain was founded by former miller Jon Berg in 1998 and is now run by the Lund family"
    second = "The bakery chain is run by the Lund family, which bought it from the founder Jon Berg"
    quoted = score_pair(first, second, speakers_agree=True)
    told = score_pair(first, second, statements=True)
    assert quoted.score == told.score and THRESHOLD <= told.score < STATEMENT_THRESHOLD
    assert quoted.match and not told.match


def _table_lcs(first, second):
    previous = [0] * (len(second) + 1)
    for word in first:
        current = [0]
        for at, other in enumerate(second):
            current.append(previous[at] + 1 if word == other else max(previous[at + 1], current[at]))
        previous = current
    return previous[-1]


@settings(deadline=None, max_examples=300)
@given(st.lists(st.sampled_from("abcdefg"), max_size=40), st.lists(st.sampled_from("abcdefg"), max_size=40))
def test_the_bit_parallel_subsequence_is_the_tables(first, second):
    from builder.match.pairs import _lcs

    assert _lcs(tuple(first), tuple(second)) == _table_lcs(first, second)
