"""What the matcher reads of a sentence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.match.text import char_ngrams, claim_parts, match_text, numbers_of, stem, words


def test_words_keep_numbers_and_contractions_whole():
    assert words("It didn’t rise 2.5% to $1,000 in June") == [
        "it",
        "didn't",
        "rise",
        "2.5",
        "to",
        "1,000",
        "in",
        "june",
    ]


def test_numbers_are_read_as_figures_whatever_their_spelling_and_months_count_as_dates():
    assert numbers_of(words("two of 1,000 jobs, since June 2019")) == {"2", "1000", "month:6", "2019"}
    assert numbers_of(words("They may march in May")) == frozenset()  # 'may' and 'march' are verbs first


def test_the_stemmer_meets_inflections_and_leaves_short_words_and_numbers_alone():
    assert {stem(w) for w in ("cooperated", "cooperating")} == {"cooperat"}
    assert stem("stopped") == "stop" and stem("relations") == "relation" and stem("policies") == "policy"
    assert stem("gas") == "gas" and stem("2019s") == "2019s" and stem("business") == "business"


def test_a_sentence_denies_the_words_after_its_negation():
    read = match_text("There is no contradiction between a strong NATO and Russia")
    assert read.negated and read.denied == {"contradiction"}
    assert not match_text("There is a clear contradiction").negated


@settings(deadline=None)
@given(st.text(max_size=80))
def test_reading_any_text_is_total_and_its_stems_come_from_its_content_words(text):
    read = match_text(text)
    assert read.stems == {stem(word) for word in read.content}
    assert read.denied <= read.stems | {stem(w) for w in read.words}
    assert all(len(gram) == 3 for gram in char_ngrams(text))


def test_a_claim_is_compared_by_sentence_and_by_the_parts_around_a_colon_or_semicolon():
    text = (
        "Even during the cold war we had good relations on many issues: on borders, on visa-free travel. "
        "So I have developed it; that was hard work for all."
    )
    assert claim_parts(text) == [
        "Even during the cold war we had good relations on many issues: on borders, on visa-free travel.",
        "Even during the cold war we had good relations on many issues",
        "on borders, on visa-free travel.",
        "So I have developed it; that was hard work for all.",
        "So I have developed it",
        "that was hard work for all.",
    ]
    assert claim_parts("Yes: no.") == ["Yes: no."]  # parts under four words are not compared on their own
