"""Every entry of the word tables of :mod:`builder.extract.standalone` decides a standalone text: one passage per entry.

A claim's standalone text replaces its references by what the article says they stand for, with words the module
keeps in tables, some of them inside its patterns: the third-person pronouns and contractions it reads ("she'd"),
those it resolves to a person and those that flag a claim as needing context when left as written, the heads of a
group that reports ("The pair said they …"), the nouns of an organisation ("the alliance" → "NATO") and the words
that may stand before them ("the new alliance") or say who already after them ("the group of …"), the participles
that make "’s" a "has", the subjects that keep "its" from the organisation before them, and the nouns and origins
of a person described without a name ("the banker", "the Corvian"), who keeps a claim's pronoun from the one man or
woman it names; inside functions, the opening words a reporting group is lowered with ("the farmers"), the verbs
that tie an organisation to a noun ("NATO is the alliance"), the plural pronouns a named group answers ("Russia
must change their …"), the pronouns a claim reads as a man's and those a country may take ("she’s not going
anywhere").

``standalone_entries.json`` holds one short invented passage per entry and its result: for a passage read on its
own (:func:`~builder.extract.standalone.resolve_passage`) its standalone text; for an article's claims
(``claims_of``, the build) ``[standalone, needs_context]`` of each claim. The passages were generated from templates
and each kept only where dropping its entry alone from the table (a private copy, patterns rebuilt) changes that
result; the tables and the cases are compared both ways.

``_PERSON_DESCRIBED`` is built from ``speakers.PERSON_NOUNS`` and ``referents.ROLE_NOUNS``. Their entries have cases
in ``test_speakers_entries.py`` and ``test_referents_entries.py`` for other rules (who speaks, where a name starts);
each has one here too, for this rule: a described person with no name is a rival the pronoun may stand for. The
nouns of ``_DESCRIPTION`` are ``_ORGANISATION_NOUNS`` (here) and ``names.ROLE_WORDS`` (``test_names_entries.py``).

Entries whose removal changes no passage (:data:`DECIDES_NOTHING`):

* ``_PLURAL_GROUPS``: "all", "both" (extraction gives no reporting phrase that ends in them: "Both said they …" is
  no reported speech, and "The farmers all said they …" is reported by "The farmers"); "others" (a plural in "-s",
  a group anyway).
* description modifiers (``_DESCRIPTION``): "western", "Western" (the pattern ignores case: each is the other).
* words that open no organisation's name (``_organisations_called``): "The", "A", "An", "This", "That" (a name they
  open is no referent's span: a run of capitals drops its leading starter, and only a tie whose span is an
  organisation's counts).

Word lists written inside a function (``_reported``, ``_organisations_called``, ``_group_named``, ``_antecedent``,
``resolve``) are read off the function's code, and a case was kept only where a copy of the function without the
entry changes the result. Without cases: the verbs of ``_verb`` (a dictionary; its forms are the contractions of
``_THIRD_PERSON``, which have cases), the endings ``_GROUP`` refuses as a plural ("ss", "us", "is", "as"), and the
punctuation of ``_OTHER_SUBJECT``.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pytest

from builder.extract import standalone as s
from builder.extract.names import ROLE_WORDS
from builder.extract.referents import ROLE_NOUNS
from builder.extract.speakers import PERSON_NOUNS
from builder.extract.standalone import resolve_passage
from entry_cases import (
    assert_dead_entries_explained,
    assert_entries_match_cases,
    function_words,
    params,
    pattern_words,
    read_cases,
    set_literal,
)
from extract.test_extract import claims_of

CASES = read_cases(Path(__file__).with_name("standalone_entries.json"))
TABLES: dict[str, Collection[str]] = {
    "_PERSONAL": s._PERSONAL,
    "_FLAGGED": s._FLAGGED,
    "_PLURAL_GROUPS": s._PLURAL_GROUPS,
    "_ORGANISATION_NOUNS": s._ORGANISATION_NOUNS,
}


# Word lists written inside a pattern or a function: their entries, read off the code.
PATTERNS: dict[str, list[str]] = {
    "description modifiers": pattern_words(s._DESCRIPTION.pattern, "(?:(?:", ") )?("),
    "specified descriptions": pattern_words(s._SPECIFIED.pattern, "(?:", ")"),
    "perfect participles": pattern_words(s._PERFECT.pattern, "(?:", ")"),
    "other subjects before its": pattern_words(s._OTHER_SUBJECT.pattern, r"\b(?:", r")\b"),
    "_PERSON_DESCRIBED": pattern_words(s._PERSON_DESCRIBED.pattern, "(?:[a-z-]+ )?(?:", "))"),
    "described by origin": pattern_words(s._PERSON_DESCRIBED.pattern, "[a-z]+(?:", ")"),
    "third-person pronouns": list(s._THIRD_PERSON_WORDS),
    "contractions": pattern_words(s._THIRD_PERSON.pattern, "(?:['’](?:", ")"),
    "heads lowered in a replacement": set_literal(s.PassageResolver._reported, "Several"),
    "verbs that tie an organisation to a noun": function_words(s._organisations_called, "is"),
    "words that open no organisation's name": set_literal(s._organisations_called, "This"),
    "plural pronouns after a name": set_literal(s.PassageResolver._group_named, "theirs"),
    "masculine pronouns of a claim": set_literal(s.PassageResolver._antecedent, "him"),
    "a country's feminine pronouns": set_literal(s.PassageResolver.resolve, "hers"),
}
DECIDES_NOTHING: dict[str, frozenset[str]] = {
    "_PLURAL_GROUPS": frozenset({"all", "both", "others"}),
    "description modifiers": frozenset({"western", "Western"}),
    "words that open no organisation's name": frozenset({"The", "A", "An", "This", "That"}),
}


def claims(text: str) -> list[list[str | bool]]:
    """[standalone, needs_context] of each claim the build extracts from the article ``text``."""
    return [[claim.standalone, claim.needs_context] for claim in claims_of(text)]


def standalone(text: str) -> str:
    return resolve_passage(text)[0]


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_PERSONAL"))
def test_a_personal_pronoun_becomes_the_person_it_stands_for(text, expected):
    assert standalone(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_FLAGGED"))
def test_a_third_person_reference_left_as_written_needs_context(text, expected):
    assert claims(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "third-person pronouns", "contractions"))
def test_a_third_person_pronoun_with_or_without_its_contraction_is_a_reference(text, expected):
    assert claims(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_PLURAL_GROUPS"))
def test_they_opening_what_a_group_reports_is_that_group(text, expected):
    assert claims(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_ORGANISATION_NOUNS", "description modifiers"))
def test_the_noun_of_an_organisation_is_the_one_organisation_the_passage_calls_so(text, expected):
    assert standalone(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "specified descriptions"))
def test_a_description_followed_by_of_for_or_a_name_says_who_already(text, expected):
    assert standalone(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "perfect participles"))
def test_a_contraction_before_a_participle_is_has_or_had(text, expected):
    assert standalone(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "other subjects before its"))
def test_its_after_a_clause_with_a_subject_of_its_own_stays(text, expected):
    assert standalone(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_PERSON_DESCRIBED", "described by origin"))
def test_a_person_described_without_a_name_keeps_a_claims_pronoun_from_the_one_named(text, expected):
    assert claims(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "heads lowered in a replacement"))
def test_a_reporting_groups_opening_word_is_lowered_inside_a_claim(text, expected):
    assert claims(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "verbs that tie an organisation to a noun"))
def test_an_organisation_that_is_the_noun_is_what_the_noun_stands_for(text, expected):
    assert standalone(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "plural pronouns after a name"))
def test_a_plural_pronoun_after_a_name_in_its_claim_needs_no_context(text, expected):
    assert claims(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "masculine pronouns of a claim"))
def test_a_masculine_pronoun_of_a_claim_looks_for_a_man(text, expected):
    assert claims(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "a country's feminine pronouns"))
def test_a_feminine_pronoun_after_a_country_in_a_quotation_is_that_country(text, expected):
    assert claims(text) == expected, text


def test_the_nouns_of_the_description_patterns_are_the_tables_that_hold_them():
    assert set(PATTERNS["_PERSON_DESCRIBED"]) == PERSON_NOUNS | ROLE_NOUNS
    nouns = pattern_words(s._DESCRIPTION.pattern, ") )?(", r"))(?![\w-])")
    assert set(nouns) == {*s._ORGANISATION_NOUNS, *ROLE_WORDS}


@pytest.mark.parametrize("table", [*TABLES, *PATTERNS])
def test_every_entry_has_a_passage_or_decides_nothing_and_every_passage_an_entry(table):
    entries = set(TABLES[table] if table in TABLES else PATTERNS[table])
    assert_entries_match_cases(CASES, entries, DECIDES_NOTHING.get(table, frozenset()), table)


def test_every_table_has_its_passages():
    assert set(CASES) == set(TABLES) | set(PATTERNS)
    assert set(DECIDES_NOTHING) <= set(CASES)


def test_what_decides_nothing_is_listed_with_its_reason():
    assert_dead_entries_explained(__doc__, DECIDES_NOTHING)
