"""Every entry of the word tables that resolve a speaker mention decides who speaks: one article per entry, through
extraction.

:mod:`builder.extract.speakers` turns "the company", "a spokesman", "the president", "according to him" or "Sen.
Anna Berg" into a speaker with words it keeps in tables, some of them inside its patterns: the nouns of an
organisation ("the company" is the organisation named last) and of one person ("a spokesman": "he" next), the
leading roles that fall to the person a story is about, the object pronouns, the pronouns never read as a surname,
the abbreviated titles a run of name words takes with their dot, the particles inside a name ("Anna van Berg"),
and the words that name a medium told something ("told Polish daily Gazeta Wyborcza": an outlet, no person).

``speakers_entries.json`` holds one short article per entry and the claims extraction attributes in it:
``[claim text, speaker mention as written, speaker, speaker title]`` for each claim with a cue. Each article was
kept only where dropping its entry changes those claims; the tables and the cases are compared both ways.

Entries whose removal changes no sentence: ``_SUBJECT_FORM``'s "me" and "us" (the writer's "I" and "we" resolve
to no one, and so do "me" and "us" unread). ``_PRONOUN_KINDS`` is reached only by a pronoun that is the antecedent
of "who" and also a surname in the article ("Wei He … It was He who said"); "It" and "They" as surnames are made
up for the purpose.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pytest

from builder.extract import speakers
from entry_cases import attributed, params, read_cases

CASES = read_cases(Path(__file__).with_name("speakers_entries.json"))
TABLES: dict[str, Collection[str]] = {
    "ORGANISATION_NOUNS": speakers.ORGANISATION_NOUNS,
    "PERSON_NOUNS": speakers.PERSON_NOUNS,
    "_LEADING_ROLES": speakers._LEADING_ROLES,
    "_SUBJECT_FORM": speakers._SUBJECT_FORM,
    "_PRONOUN_KINDS": speakers._PRONOUN_KINDS,
}
# Word lists written inside a pattern: (the pattern, how the list is written in it)
PATTERNS: dict[str, tuple[str, str]] = {
    "title abbreviations": (speakers._TITLE_ABBREVIATION, "(?:{})\\."),
    "name particles": (speakers._NAME_RUN.pattern, "(?:{}) +"),
    "media words": (speakers._MEDIUM_WORD, "(?:[A-Z][\\w.'’&-]*|{})"),
    "media verbs": (speakers._MEDIUM.pattern, "\\b(?:{}) +"),
    "interview prepositions": (speakers._MEDIUM.pattern, "[Ii]nterview (?:{})"),
}


@pytest.mark.parametrize(("text", "expected"), params(CASES, "ORGANISATION_NOUNS"))
def test_the_noun_of_an_organisation_is_the_organisation_named_last(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "PERSON_NOUNS"))
def test_a_phrase_naming_one_person_is_who_the_next_pronoun_means(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_LEADING_ROLES"))
def test_a_leading_role_no_one_is_given_falls_to_the_person_the_story_is_about(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_SUBJECT_FORM"))
def test_an_object_pronoun_resolves_as_its_subject_form(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_PRONOUN_KINDS"))
def test_a_pronoun_is_never_read_as_a_surname(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "title abbreviations"))
def test_an_abbreviated_title_keeps_its_dot_inside_the_name_run(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "name particles"))
def test_a_particle_inside_a_name_keeps_the_name_whole(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "media words", "media verbs", "interview prepositions"))
def test_a_medium_told_something_is_no_person(text, expected):
    assert attributed(text) == expected, text


@pytest.mark.parametrize("table", TABLES)
def test_every_entry_has_a_sentence_and_every_sentence_an_entry(table):
    assert set(CASES[table]) == set(TABLES[table])


@pytest.mark.parametrize("group", PATTERNS)
def test_every_word_of_a_pattern_has_a_sentence_and_every_sentence_a_word(group):
    pattern, written = PATTERNS[group]
    assert written.format("|".join(CASES[group])) in pattern


def test_every_table_has_its_sentences():
    assert set(CASES) == set(TABLES) | set(PATTERNS)
