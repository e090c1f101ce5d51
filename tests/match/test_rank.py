"""BM25 over fact-checks."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.match.rank import Bm25Index, ranking_words

CHECKS = [
    "NATO promised Russia in writing never to expand eastward",
    "There is no contradiction between a strong NATO and dialogue with Russia",
    "The Cold War ended in 1991 with the dissolution of the Soviet Union",
]


def test_the_fact_check_sharing_the_rarest_words_ranks_first():
    index = Bm25Index(CHECKS)
    ranked = index.top("Stoltenberg: no contradiction between strong NATO and talking to Russia", 3)
    assert [number for number, _ in ranked][:1] == [1]
    assert [score for _, score in ranked] == sorted((score for _, score in ranked), reverse=True)


def test_tweets_are_read_without_addresses_handles_and_with_hashtags_split():
    assert ranking_words("@nato #ColdWar ended https://t.co/xyz") == ["cold", "war", "end"]


def test_nothing_shared_is_nothing_ranked_and_top_is_respected():
    index = Bm25Index(CHECKS)
    assert index.top("bananas", 5) == []
    assert len(index.top("NATO Russia", 1)) == 1


@settings(deadline=None)
@given(st.lists(st.sampled_from(["NATO", "Russia", "war", "cold", "strong"]), min_size=1, max_size=6).map(" ".join))
def test_ties_go_to_the_earlier_fact_check_so_rankings_never_change(query):
    index = Bm25Index(CHECKS + CHECKS)  # each text twice: equal scores
    ranked = index.top(query, 6)
    for (first, score), (second, other) in itertools.pairwise(ranked):
        assert score > other or (score == other and first < second)
