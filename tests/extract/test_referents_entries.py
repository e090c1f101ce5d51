"""Every entry of the word tables of :mod:`builder.extract.referents` decides something: one passage per entry.

:class:`~builder.extract.referents.Referents` types each naming of a passage (person, organisation, place or other),
tells its gender and whether it is its clause's subject, and :class:`~builder.extract.referents.PronounScorer` picks a
pronoun's antecedent, with words the module keeps in tables, some of them written inside its patterns: the role
nouns and demonyms a name may follow ("Actor Rainn Wilson"), the nouns that end no person's name ("Harlow Valley"),
the capitalised words that are never a name ("Critics say"), the function words at either end of a run, the words
that make a name a clause's subject or keep it from being one, the fronting words and subordinators of a cataphor
("During her youth, Hobbs"), the place endings and locatives ("in Corvia"), the gendered nouns ("his wife
Henrietta") and pronouns, the particles and abbreviated titles inside a name, the verbs that make a word a person,
the speech verbs of "he said" and "Smith said on Monday he", the gendered pronouns whose count tells a name's
gender, and the words of the clauses, relatives, appositions and coordinations the scorer reads around a pronoun.

``referents_entries.json`` holds one short invented passage per entry and what the module makes of it: each referent
as ``"<as written> (<name>): <kind> <gender> [subject]"`` (the name only where it differs) and each gendered pronoun
as ``"<pronoun> <offset>: <antecedent>"``; for ``_NOT_A_NOUN_AFTER_HER`` the standalone text of the passage
(:func:`~builder.extract.standalone.resolve_passage`: "her" an object or a possessive), and for the pronoun roles of
``pronoun_role`` both. The passages were generated
from templates and each kept only where dropping its entry alone from the table (a private copy, patterns rebuilt)
changes that result; the tables and the cases are compared both ways.

Entries whose removal changes no passage (:data:`DECIDES_NOTHING`):

* ``ROLE_NOUNS``: "economist" (a title word of :mod:`~builder.extract.names`, kept apart from the name anyway);
  "businessman", "businesswoman" (``_DEMONYM``'s "-man" strips them as well).
* ``_THING_NOUNS``: "awards", "championships", "cup", "games", "island", "islands", "prize" (``names._NOT_PEOPLE``
  words: the run is no person before the table is asked); "center", "centre" (organisation words: an
  organisation); "children" (in ``_COMMON_OPENERS`` too, asked next).
* ``_SENTENCE_WORDS``: "how", "however", "there", "what" (``names._STARTERS``: a lone starter is never a name);
  "another", "earlier", "one", "other", "such" (in ``_COMMON_OPENERS`` too); "these" (read first as an adjective in
  "-ese", like "Chinese", and so never a name).
* ``_COMMON_OPENERS``: "all", "both", "each", "either", "every", "it", "many", "meanwhile", "most", "neither",
  "some", "they", "we" (``names._STARTERS``); "police", "records" (organisation words); "us" (a title word, "US").
* ``_LEADERS``: "how", "so", "then", "there", "what" (``names._STARTERS``, stripped from either end the same way).
* ``_GOVERNING``: "as", "that" (clause openers too, read first: the name is a subject).
* ``_PRONOUN_WORDS``: "us" (a title word, "US", split off the run before).
* not verbs in -s (``_VERB_AFTER``): "was", "has", "is" (verbs of its own list); "as", "us" (the pattern's word in
  "-s" has three letters or more).
* verbs after a name (``_VERB_AFTER``): "does", "says" (words in "-s", verbs to the pattern anyway).
* locative prepositions (``_LOCATIVE_BEFORE``): "before", "after" (clause openers too, which leave the pronoun no
  binder either).
* demonyms (``_DEMONYM``): "ians" ("ans" matches every word "ians" does).
* possessive pronouns, object pronouns (``pronoun_role``): "their", "them" (a passage leaves "they", "them" and
  "their" as written, and a plural pronoun has no gender the scorer is asked about).

Word lists written inside a function (``_abbreviation``, ``_fronted``, ``_paired``, ``_clause_break``,
``_is_subject``, ``pronoun_role``, ``Referents._index``) are read off the function's code, and a case was kept only
where a copy of the function without the entry changes the result. Without cases: the other phrases of
``_SAID_BEFORE`` (" reporters", " the …", " …ly", " that") and ``_SPEECH_BEFORE`` ("according to"), the punctuation of
``_OPENS_CLAUSE`` and ``_RELATIVE_END``, the weights of ``_WEIGHTS``, and the suffix and punctuation tuples the
functions test words with ("ing", "ly", "'s").
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

import pytest

from builder.extract import referents as r
from builder.extract.referents import PronounScorer, Referents, sentence_spans
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

CASES = read_cases(Path(__file__).with_name("referents_entries.json"))
TABLES: dict[str, Collection[str]] = {
    "ROLE_NOUNS": r.ROLE_NOUNS,
    "_THING_NOUNS": r._THING_NOUNS,
    "_SENTENCE_WORDS": r._SENTENCE_WORDS,
    "_COMMON_OPENERS": r._COMMON_OPENERS,
    "_LEADERS": r._LEADERS,
    "_CLAUSE_OPENERS": r._CLAUSE_OPENERS,
    "_GOVERNING": r._GOVERNING,
    "_FRONTING": r._FRONTING,
    "_PLACE_ENDINGS": r._PLACE_ENDINGS,
    "_PRONOUN_WORDS": r._PRONOUN_WORDS,
    "_NOT_A_NOUN_AFTER_HER": r._NOT_A_NOUN_AFTER_HER,
    "_SUBORDINATORS": r._SUBORDINATORS,
    "_GENDERED_NOUNS": r._GENDERED_NOUNS,
    "_MASCULINE": r._MASCULINE,
    "_FEMININE": r._FEMININE,
}


# Word lists written inside a pattern or a function: their entries, read off the code.
PATTERNS: dict[str, list[str]] = {
    "_LOCATIVE": list(r._LOCATIVE_WORDS),
    "name particles": pattern_words(r._RUN.pattern, " +(?:(?:", ") +)?"),
    "abbreviated titles": pattern_words(r._ABBREVIATED, "(?:", r")\."),
    "demonyms": pattern_words(r._DEMONYM.pattern, "(?:", ")"),
    "not verbs in -s": pattern_words(r._VERB_AFTER.pattern, "(?!(?:", r")\b)"),
    "verbs after a name": pattern_words(r._VERB_AFTER.pattern, r"[a-z]{2,}s\b|", ")"),
    "speech verbs": pattern_words(r._SPEECH, "(?:", ")"),
    "clause openers before an object pronoun": pattern_words(r._OPENS_CLAUSE.pattern, r"\b(?:", r")\b"),
    "locative prepositions": pattern_words(r._LOCATIVE_BEFORE.pattern, r"\b(?:", ")"),
    "coordination": pattern_words(r._COORDINATED.pattern, " (?:", ") "),
    "relative heads": pattern_words(r._RELATIVE.pattern, " (?:", r")\b|"),
    "apposition heads": pattern_words(r._RELATIVE.pattern, "|, (?:", r")\b"),
    "relative clause ends": pattern_words(r._RELATIVE_END.pattern, ", (?:", r")\b"),
    "apposition after a cataphor": pattern_words(r._APPOSED.pattern, ", (?:", r")\b"),
    "determiners after a name": pattern_words(r._NOUN_AFTER.pattern, "(?:", ")?"),
    "gendered pronouns": list(r._GENDERED_PRONOUNS),
    "subject pronouns binding an object": pattern_words(r._SUBJECT_PRONOUN.pattern, "(?:", ")"),
    "when a speaker said": pattern_words(r._SAID_BEFORE.pattern, "(?: (?:", ")"),
    "abbreviations that end no sentence": set_literal(r._abbreviation, "St"),
    "conjunctions before a fronted phrase": set_literal(r._fronted, "but"),
    "names joined as one phrase": set_literal(r._paired, " and "),
    "clause breaks": function_words(r._clause_break, "and"),
    "list joiners": set_literal(r._is_subject, "or"),
    "possessive pronouns": set_literal(r.pronoun_role, "hers"),
    "object pronouns": set_literal(r.pronoun_role, "them"),
    "adjective endings of a place": pattern_words(r._ADJECTIVE.pattern, "+(?:", ")"),
}
DECIDES_NOTHING: dict[str, frozenset[str]] = {
    "ROLE_NOUNS": frozenset({"economist", "businessman", "businesswoman"}),
    "_THING_NOUNS": frozenset(
        {"awards", "championships", "cup", "games", "island", "islands", "prize", "center", "centre", "children"}
    ),
    "_SENTENCE_WORDS": frozenset(
        {"how", "however", "there", "what", "another", "earlier", "one", "other", "such", "these"}
    ),
    "_COMMON_OPENERS": frozenset(
        {"all", "both", "each", "either", "every", "it", "many", "meanwhile", "most", "neither", "some", "they", "we"}
        | {"police", "records", "us"}
    ),
    "_LEADERS": frozenset({"how", "so", "then", "there", "what"}),
    "_GOVERNING": frozenset({"as", "that"}),
    "_PRONOUN_WORDS": frozenset({"us"}),
    "not verbs in -s": frozenset({"was", "has", "is", "as", "us"}),
    "verbs after a name": frozenset({"does", "says"}),
    "locative prepositions": frozenset({"before", "after"}),
    "demonyms": frozenset({"ians"}),
    "possessive pronouns": frozenset({"their"}),
    "object pronouns": frozenset({"them"}),
}
_PRONOUN = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)


def seen(text: str) -> list[str]:
    """Each referent of the passage (as written, its name where it differs, kind, gender, subject) and each gendered
    pronoun's antecedent."""
    referents = Referents(text, sentence_spans(text, [(0, len(text))]))
    scorer = PronounScorer(referents)
    found = []
    for referent in referents.items:
        written = text[referent.start : referent.end]
        label = written if written == referent.name else f"{written} ({referent.name})"
        subject = " subject" if referent.subject else ""
        found.append(f"{label}: {referent.kind} {referent.gender or '-'}{subject}")
    for pronoun in _PRONOUN.finditer(text):
        antecedent = scorer.antecedent(pronoun.start(), pronoun.end())
        found.append(f"{pronoun.group()} {pronoun.start()}: {antecedent.name if antecedent else None}")
    return found


@pytest.mark.parametrize(("text", "expected"), params(CASES, "ROLE_NOUNS", "demonyms"))
def test_a_role_noun_or_demonym_before_a_name_is_no_first_name(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_THING_NOUNS"))
def test_a_thing_noun_ends_no_persons_name(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_SENTENCE_WORDS", "_COMMON_OPENERS"))
def test_a_capitalised_common_word_is_no_persons_name(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_LEADERS"))
def test_a_function_word_at_either_end_of_a_run_is_no_part_of_the_name(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_CLAUSE_OPENERS"))
def test_a_name_right_after_a_clause_opener_is_the_clauses_subject(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_GOVERNING"))
def test_a_name_a_preposition_or_determiner_governs_is_no_subject(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_FRONTING"))
def test_a_phrase_opening_with_a_fronting_word_leads_to_the_subject_after_it(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_SUBORDINATORS"))
def test_a_subject_pronoun_right_after_a_subordinator_is_a_cataphor(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_PLACE_ENDINGS", "_LOCATIVE"))
def test_a_word_with_a_place_ending_or_after_a_locative_is_a_place(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_PRONOUN_WORDS"))
def test_a_run_holding_a_pronoun_word_is_a_title_not_a_person(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_NOT_A_NOUN_AFTER_HER"))
def test_her_before_a_function_word_is_an_object_not_a_possessive(text, expected):
    assert resolve_passage(text)[0] == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_GENDERED_NOUNS", "determiners after a name"))
def test_a_gendered_noun_beside_a_name_tells_its_gender(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "gendered pronouns"))
def test_the_pronouns_after_a_name_alone_tell_its_gender(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "subject pronouns binding an object"))
def test_an_object_pronoun_is_not_who_its_clauses_subject_pronoun_stands_for(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "when a speaker said"))
def test_a_subject_pronoun_after_name_said_on_a_day_is_that_name(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "abbreviations that end no sentence"))
def test_an_abbreviation_with_its_dot_ends_no_sentence(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "conjunctions before a fronted phrase"))
def test_a_conjunction_before_a_fronted_phrase_keeps_it_fronted(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "names joined as one phrase"))
def test_two_names_joined_as_one_phrase_leave_the_pronoun_after_them_unresolved(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "clause breaks"))
def test_a_clause_break_puts_a_name_out_of_the_pronouns_clause(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "list joiners"))
def test_the_last_name_of_a_list_is_no_clauses_subject(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "possessive pronouns", "object pronouns"))
def test_a_pronouns_form_tells_a_possessive_or_an_object(text, expected):
    assert [resolve_passage(text)[0], *seen(text)] == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "adjective endings of a place"))
def test_a_word_whose_adjective_the_passage_uses_is_a_place(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "_MASCULINE", "_FEMININE"))
def test_a_gendered_pronoun_stands_only_for_someone_of_its_gender(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "name particles", "abbreviated titles"))
def test_a_particle_or_abbreviated_title_stays_inside_the_name(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "not verbs in -s", "verbs after a name"))
def test_a_word_a_verb_follows_is_a_person_and_a_word_in_s_that_is_no_verb_is_not(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "speech verbs"))
def test_a_pronoun_reporting_speech_stands_for_the_last_person_quoted(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(
    ("text", "expected"), params(CASES, "clause openers before an object pronoun", "locative prepositions")
)
def test_a_new_clause_or_a_locative_frees_an_object_pronoun_from_the_subject_before_it(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "coordination"))
def test_a_possessive_right_after_name_and_is_that_names(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(
    ("text", "expected"), params(CASES, "relative heads", "apposition heads", "relative clause ends")
)
def test_a_pronoun_inside_a_relative_clause_or_apposition_stands_for_its_head(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), params(CASES, "apposition after a cataphor"))
def test_a_cataphor_stands_for_a_name_its_apposition_follows(text, expected):
    assert seen(text) == expected, text


@pytest.mark.parametrize("table", [*TABLES, *PATTERNS])
def test_every_entry_has_a_passage_or_decides_nothing_and_every_passage_an_entry(table):
    entries = set(TABLES[table] if table in TABLES else PATTERNS[table])
    assert_entries_match_cases(CASES, entries, DECIDES_NOTHING.get(table, frozenset()), table)


def test_every_table_has_its_passages():
    assert set(CASES) == set(TABLES) | set(PATTERNS)
    assert set(DECIDES_NOTHING) <= set(CASES)


def test_what_decides_nothing_is_listed_with_its_reason():
    assert_dead_entries_explained(__doc__, DECIDES_NOTHING)
