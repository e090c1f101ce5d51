"""Every entry of the check-worthiness word lists moves its feature, one sentence per entry.

The lists in :mod:`builder.extract.worthiness` are data that decide the score: a cue dropped from one would go
unnoticed by the tests of the score as a whole. ``worthiness_entries.json`` holds, for each list, one sentence per
entry and how many hits of the list's feature :func:`~builder.extract.worthiness.worthiness_features` counts in it
(its term over the feature's weight: what fires, not a float). The cases were generated from templates and kept
only where dropping the entry changes that count; the lists and the cases are compared both ways, so an entry added
needs a sentence and an entry dropped fails.

Entries whose removal changes no sentence (no sentence found; they keep a case all the same):

* ``COMPARATIVES``: "at least" and "the least" (``least`` alone is a cue, and a multi-word cue is one hit as its
  last word alone would be); "largest", "biggest", "highest", "lowest" (any word of six letters or more in "-est"
  is counted as a superlative when it is not in the list).
* ``CURRENCY_SIGNS``: no code reads the set; the tokeniser's pattern lists the same signs itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.extract import worthiness

W = worthiness
CASES: dict[str, dict[str, list]] = json.loads(
    Path(__file__).with_name("worthiness_entries.json").read_text(encoding="utf-8")
)

# list -> (the feature its entries move, its entries)
TABLES: dict[str, tuple[str, frozenset[str]]] = {
    "SPELLED_NUMBERS": ("number", W.SPELLED_NUMBERS),
    "MEASURE_WORDS": ("measure", W.MEASURE_WORDS),
    "UNITS_AFTER_NUMBER": ("measure", W.UNITS_AFTER_NUMBER),
    "CURRENCY_SIGNS": ("measure", W.CURRENCY_SIGNS),
    "MONTHS": ("date", W.MONTHS),
    "WEEKDAYS": ("date", W.WEEKDAYS),
    "AMBIGUOUS_MONTHS": ("date", W.AMBIGUOUS_MONTHS),
    "RELATIVE_DATES": ("date", W.RELATIVE_DATES),
    "HONORIFICS": ("entity", W.HONORIFICS),
    "ABBREVIATIONS": ("entity", W.ABBREVIATIONS - W.HONORIFICS),  # the honorifics are abbreviations too
    "COMPARATIVES": ("comparative", W.COMPARATIVES),
    "NOT_SUPERLATIVES": ("comparative", W.NOT_SUPERLATIVES),
    "CHANGE_CAUSE": ("change_cause", W.CHANGE_CAUSE),
    "QUANTIFIERS": ("quantifier", W.QUANTIFIERS),
    "RECORD_VERBS": ("record_verb", W.RECORD_VERBS),
    "ECONOMY": ("economy", W.ECONOMY),
    "HEDGES": ("hedge", W.HEDGES),
    "FIRST_PERSON": ("first_person", W.FIRST_PERSON),
    "PLEDGES": ("pledge", W.PLEDGES),
    "NORMATIVES": ("normative", W.NORMATIVES),
    "EVALUATIVES": ("evaluative", W.EVALUATIVES),
    "PLEASANTRIES": ("pleasantry", W.PLEASANTRIES),
    "IMPERATIVE_OPENERS": ("imperative", W.IMPERATIVE_OPENERS),
}
WEIGHTS = {feature.name: feature.weight for feature in W.WORTHINESS_FEATURES}


def hits(text: str, feature: str) -> int:
    """The hits of ``feature`` that the breakdown of ``text`` counts (capped): its term over its weight."""
    return round(W.worthiness_features(text)[feature] / WEIGHTS[feature])


def cases(*tables: str) -> list:
    return [
        pytest.param(table, text, expected, id=f"{table}:{entry}")
        for table in tables
        for entry, (text, expected) in CASES[table].items()
    ]


# The lists whose entries each add a hit; the other four take one away or tell sentences apart.
CUE_LISTS = [t for t in TABLES if t not in {"AMBIGUOUS_MONTHS", "NOT_SUPERLATIVES", "HONORIFICS", "ABBREVIATIONS"}]


@pytest.mark.parametrize(("table", "text", "expected"), cases(*CUE_LISTS))
def test_each_cue_fires_its_feature(table, text, expected):
    assert hits(text, TABLES[table][0]) == expected == 1, text


@pytest.mark.parametrize(("table", "text", "expected"), cases("NOT_SUPERLATIVES"))
def test_a_word_in_est_that_is_no_superlative_is_no_comparison(table, text, expected):
    assert hits(text, "comparative") == expected == 0, text


@pytest.mark.parametrize(("table", "text", "expected"), cases("AMBIGUOUS_MONTHS"))
def test_a_month_name_that_is_also_a_name_is_no_date_opening_a_sentence(table, text, expected):
    assert hits(text, "date") == expected == 0, text


@pytest.mark.parametrize(("table", "text", "expected"), cases("HONORIFICS"))
def test_an_honorific_is_no_named_entity_of_its_own(table, text, expected):
    assert hits(text, "entity") == expected == 1, text  # "Brown" alone


@pytest.mark.parametrize(("table", "text", "expected"), cases("ABBREVIATIONS"))
def test_the_dot_of_an_abbreviation_does_not_end_the_sentence(table, text, expected):
    assert hits(text, "entity") == expected == 2, text  # the abbreviation and the name after its dot


@pytest.mark.parametrize("table", TABLES)
def test_every_entry_has_a_sentence_and_every_sentence_an_entry(table):
    assert set(CASES[table]) == set(TABLES[table][1])


def test_every_list_has_its_sentences():
    assert set(CASES) == set(TABLES)
