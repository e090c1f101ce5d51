"""Every entry of the name tables decides who speaks in a sentence: one sentence per entry, through extraction.

The word tables of :mod:`builder.extract.names` are built at import and decide, word by word, what a run of
capitalised words is: a title kept apart from the name ("Senator Anna Berg"), an honorific kept with it ("Mr
Kelly"), the gender a pronoun looks for ("Mrs", "Mary"), a role linked to the person the article gives it ("the
captain"), an organisation ("Alpha Bank": "it") or no one at all ("Alpha War", "Deal With Russia", "But Anna
Berg"). ``names_entries.json`` holds, for each table, one short article per entry and the claims extraction
attributes in it: ``[claim text, speaker mention as written, speaker, speaker title]`` for each claim with a cue.
The articles were generated from templates and each kept only where dropping its entry from the table changes
those claims; the tables and the cases are compared both ways, so an entry added needs a case, and an entry
dropped fails.

``_NOT_PEOPLE`` and ``ORGANISATION_WORDS`` are matched here without ``INDUSTRY_WORDS``, which the module adds to
both ("Andes Meridian Mining" is no person and is a company).

Entries whose removal changes no sentence (none found; they keep a case all the same):

* ``TITLE_WORDS``: "rep." "sen." "gov." "gen." "lt." "col." "capt." "prof." "rev." "adm." "sgt.": a title's final
  dot is stripped before the lookup, and the undotted forms are entries. ("minister" is written twice.)
* ``_NOT_PEOPLE``: "airlines", an industry word as well (its case is under ``INDUSTRY_WORDS``).
* ``ORGANISATION_WORDS``: "inc." "corp." "co." "ltd.": a run of name words never takes the final dot, and a
  mention's last word is looked up without it. ("court" is written twice.)
* ``_STARTERS``: "a" and "i" (a lone capital letter without a dot never opens a run of name words); "and" "in"
  "on" "at" "for" (``_FUNCTION`` words too, and those reject a run wherever they stand).
* ``GROUP_NOUNS``: "some" "many" "most" "few": as a subject they are read as quantifiers standing for people
  before the table is asked.
* ``MALE_NAMES``: "bill": "bill" is in ``_NOT_PEOPLE``, so "Bill Kelly" is never a person whose gender is asked
  (nor is "Bill Clinton"). ("benjamin" and "justin" are written twice, and in ``FEMALE_NAMES`` "sarah", "nancy",
  "donna", "angela", "christine" and "theresa".)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.extract import names
from entry_cases import attributed, params, read_cases

CASES = read_cases(Path(__file__).with_name("names_entries.json"))
TABLES: dict[str, frozenset[str] | tuple[str, ...]] = {
    "TITLE_WORDS": names.TITLE_WORDS,
    "HONORIFICS": names.HONORIFICS,
    "_FEMALE": names._FEMALE,
    "_MALE": names._MALE,
    "ROLE_WORDS": names.ROLE_WORDS,
    "_NOT_PEOPLE": names._NOT_PEOPLE - names.INDUSTRY_WORDS,
    "ORGANISATION_WORDS": names.ORGANISATION_WORDS - names.INDUSTRY_WORDS,
    "INDUSTRY_WORDS": names.INDUSTRY_WORDS,
    "_STARTERS": names._STARTERS,
    "_FUNCTION": names._FUNCTION,
    "GROUP_NOUNS": names.GROUP_NOUNS,
    "FEMALE_NAMES": names.FEMALE_NAMES,
    "MALE_NAMES": names.MALE_NAMES,
}


@pytest.mark.parametrize(("text", "expected"), params(CASES, "TITLE_WORDS"))
def test_a_title_before_a_name_is_kept_apart_from_it(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "HONORIFICS"))
def test_an_honorific_stays_with_the_surname_and_leads_to_the_full_name(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_FEMALE", "_MALE"))
def test_a_gendered_honorific_keeps_the_other_pronoun_off_the_person(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "ROLE_WORDS"))
def test_a_role_links_to_the_person_the_article_gives_it(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_NOT_PEOPLE"))
def test_a_word_that_names_no_person_keeps_a_run_of_capitals_from_being_one(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "ORGANISATION_WORDS", "INDUSTRY_WORDS"))
def test_an_organisation_word_ending_a_name_makes_it_an_organisation(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_STARTERS"))
def test_a_word_opening_a_sentence_is_no_first_name(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_FUNCTION"))
def test_a_headlines_function_word_is_no_part_of_a_name(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "GROUP_NOUNS"))
def test_a_group_noun_is_people_in_general_never_a_name(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "FEMALE_NAMES", "MALE_NAMES"))
def test_a_given_name_tells_he_from_she(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize("table", TABLES)
def test_every_entry_has_a_sentence_and_every_sentence_an_entry(table):
    assert set(CASES[table]) == set(TABLES[table])


def test_every_table_has_its_sentences():
    assert set(CASES) == set(TABLES)
