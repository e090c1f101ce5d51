"""Every entry of the cue lexicon and of the word tables that decide who speaks and where a content starts is behaviour.

Each entry has a sentence of its own whose claims it decides: with the entry removed, the sentence's claims change, so
removing a cue form, a frame of a lexicon line, an auxiliary, an adverb or a stop word fails a test here. The sentences
and their claims are data beside this file, one row per claim:

* ``cue_cases.tsv``: each form of :data:`~builder.extract.lexicon.CUE_FORMS` in each frame of its line, and
  "according to";
* ``word_cases.tsv``: each entry of the word tables of :mod:`~builder.extract.lexicon`,
  :mod:`~builder.extract.attribution`, :mod:`~builder.extract.clauses`, :mod:`~builder.extract.sentence` and
  :mod:`~builder.extract.mentions` (:data:`TABLES`).

The completeness tests run both ways: a cue or a table entry without a case fails, and so does a case whose form or
entry is not in the table. A table entry that no English sentence could be found to change is listed in
:data:`DECIDES_NOTHING` with the reason, so that adding one still needs a decision.

To add a cue: add its line to the lexicon and, for each of its forms and frames, a row to ``cue_cases.tsv`` (a sentence
the frame decides, and the claims the extractor gives it).
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import pytest

import builder.extract.attribution as attribution
import builder.extract.clauses as clauses
import builder.extract.lexicon as lexicon
import builder.extract.mentions as mentions
import builder.extract.naming as naming
import builder.extract.sentence as sentence
from builder.extract.lexicon import CUE_FORMS
from conftest import extracted

HERE = Path(__file__).parent
ACCORDING_TO = "according to"


class Case(NamedTuple):
    """A sentence, what it exercises (``table``, ``entry``: a cue form and its frame, or a word table and its entry)
    and the claims it gives."""

    table: str
    entry: str
    sentence: str
    claims: tuple[tuple[str, ...], ...]


def read_cases(name: str, columns: int = 6) -> list[Case]:
    """The cases of a data file: its rows grouped by (first column, second column, sentence), in file order; each
    claim has ``columns`` columns."""
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    grouped: dict[tuple[str, str, str], list[tuple[str, ...]]] = {}
    for line in lines[1:]:
        table, entry, sentence, *claim = line.split("\t")
        assert len(claim) == columns, line
        grouped.setdefault((table, entry, sentence), []).append(tuple(claim))
    return [Case(*key, tuple(claims)) for key, claims in grouped.items()]


CUE_CASES = read_cases("cue_cases.tsv", columns=7)
"""A cue case's claims carry their ``cue_kind`` too (empty when null): each form's kind in each frame is checked."""
WORD_CASES = read_cases("word_cases.tsv")


def claims_of(text: str, kinds: bool = False) -> tuple[tuple[str, ...], ...]:
    """(claim type, cue, speaker mention as written, speaker, medium, text) of each claim of a one-paragraph article,
    and its cue kind with ``kinds``."""
    found = []
    for claim in extracted(text):
        mention = text[claim.speaker_start : claim.speaker_end] if claim.speaker_start is not None else ""
        row = (claim.claim_type.value, claim.cue or "", mention, claim.speaker or "", claim.medium or "", claim.text)
        found.append((*row, claim.cue_kind.value if claim.cue_kind else "") if kinds else row)
    return tuple(found)


# -- the cue lexicon --------------------------------------------------------------------------------------------------


def lexicon_pairs() -> set[tuple[str, str]]:
    """Every (form, frame) the lexicon holds, and "according to", which has no frames."""
    return {(form, frame) for form, cue in CUE_FORMS.items() for frame in cue.frames} | {(ACCORDING_TO, "-")}


def by_line(cases: list[Case]) -> dict[str, list[Case]]:
    """Cue cases by lexicon line (the lemma of their form); "according to" is a line of its own."""
    lines: dict[str, list[Case]] = {}
    for case in cases:
        cue = CUE_FORMS.get(case.table)
        lines.setdefault(cue.lemma if cue is not None else case.table, []).append(case)
    return lines


def outcomes(cases: list[Case], actual: bool, kinds: bool = False) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each case's claims, as extracted now (``actual``, with their cue kinds with ``kinds``) or as the data file
    has them, by case."""
    return {
        f"{case.table} | {case.entry} | {case.sentence}": claims_of(case.sentence, kinds) if actual else case.claims
        for case in cases
    }


@pytest.mark.parametrize(("lemma", "cases"), list(by_line(CUE_CASES).items()), ids=list(by_line(CUE_CASES)))
def test_each_cue_form_in_each_frame_of_its_line_attributes_its_sentence(lemma, cases):
    assert outcomes(cases, actual=True, kinds=True) == outcomes(cases, actual=False)


def test_each_cue_case_has_the_kind_of_its_lexicon_line_or_its_infinitive_kind():
    """The kind column is the lexicon's: a case's kind is its line's, or with content opening "to", its line's
    infinitive kind ("vowed to cut taxes"); "according to" is speech."""
    for case in CUE_CASES:
        cue = CUE_FORMS.get(case.table)
        for claim in case.claims:
            if " ".join(claim[1].lower().split()).endswith(case.table):
                allowed = {"speech"} if cue is None else {cue.kind.value, cue.infinitive_kind.value}
                assert claim[6] in allowed, case


def test_every_form_and_frame_of_the_lexicon_has_a_case_and_every_case_is_in_the_lexicon():
    cases = {(case.table, case.entry) for case in CUE_CASES}
    assert sorted(lexicon_pairs() - cases) == [], "cue forms and frames without a case in cue_cases.tsv"
    assert sorted(cases - lexicon_pairs()) == [], "cases of cue_cases.tsv whose form or frame the lexicon lacks"


def test_each_cue_case_is_attributed_by_the_form_it_is_a_case_of():
    """The form is the cue of one of the sentence's claims (after its auxiliaries: "has said"), not another cue."""
    for case in CUE_CASES:
        cues = {" ".join(claim[1].lower().split()) for claim in case.claims}
        assert any(cue == case.table or cue.endswith(" " + case.table) for cue in cues), case


# -- the word tables --------------------------------------------------------------------------------------------------

TABLES: dict[str, frozenset[str]] = {
    "lexicon.AUXILIARIES": lexicon.AUXILIARIES,
    "lexicon.ADVERBS": lexicon.ADVERBS,
    "naming._QUOTING": naming._QUOTING,
    "naming._OBJECT_PRONOUNS": naming._OBJECT_PRONOUNS,
    "attribution._ARTICLES": attribution._ARTICLES,
    "attribution._BE": attribution._BE,
    "attribution._PARTICIPLES": attribution._PARTICIPLES,
    "sentence.WH": sentence.WH,
    "sentence.ADJUNCT_PREPOSITIONS": sentence.ADJUNCT_PREPOSITIONS,
    "clauses.SEPARATORS": clauses.SEPARATORS,
    "sentence._DASHES": sentence._DASHES,
    "clauses._TIME_LEADS": clauses._TIME_LEADS,
    "clauses._SAY": clauses._SAY,
    "clauses._NO_CLAUSE": clauses._NO_CLAUSE,
    "clauses._PLURALS": clauses._PLURALS,
    "sentence._CONCESSIVE": sentence._CONCESSIVE,
    "sentence._SUBJECT_PRONOUNS": sentence._SUBJECT_PRONOUNS,
    "sentence._CLAUSE_DETERMINERS": sentence._CLAUSE_DETERMINERS,
    "sentence._PHRASE_LINKS": sentence._PHRASE_LINKS,
    "sentence._NOT_A_CLAUSE": sentence._NOT_A_CLAUSE,
    "clauses._HEAD_ENDS": clauses._HEAD_ENDS,
    "attribution._INNER_PREPOSITIONS": attribution._INNER_PREPOSITIONS,
    "clauses._RAISING": clauses._RAISING,
    "attribution._NOT_SPEAKERS": attribution._NOT_SPEAKERS,
    "clauses._GO": clauses._GO,
    "clauses._PAST_AS_BARE": clauses._PAST_AS_BARE,
    "clauses._TOPIC_ENDS": clauses._TOPIC_ENDS,
    "clauses._CLAUSE_LINKS": clauses._CLAUSE_LINKS,
    "clauses._SUBORDINATING": clauses._SUBORDINATING,
    "clauses.ADVERBIAL_OPENERS": clauses.ADVERBIAL_OPENERS,
    "attribution._NOT_TOPIC": attribution._NOT_TOPIC,
    "clauses._SUBORDINATORS": clauses._SUBORDINATORS,
    "mentions._BARE_VERB_BEFORE": mentions._BARE_VERB_BEFORE,
    "mentions.ISSUED": mentions.ISSUED,
    "mentions.PRONOUNS": mentions.PRONOUNS,
    "mentions.RELATIVES": mentions.RELATIVES,
    "mentions._OBJECT_PRONOUNS": mentions._OBJECT_PRONOUNS,
    "mentions.DETERMINERS": mentions.DETERMINERS,
    "mentions.HONORIFICS": mentions.HONORIFICS,
    "mentions.TIME_WORDS": mentions.TIME_WORDS,
    "mentions._INNER": mentions._INNER,
    "mentions._STANDALONE": mentions._STANDALONE,
    "mentions._CLAUSE_WORDS": mentions._CLAUSE_WORDS,
    "mentions._VERBS": mentions._VERBS,
    "mentions._CLAUSE_OPENING": mentions._CLAUSE_OPENING,
    "mentions._BOUNDARY_PUNCT": mentions._BOUNDARY_PUNCT,
    "mentions._APPOSITION_MARKS": mentions._APPOSITION_MARKS,
    "mentions._LEADING": mentions._LEADING,
}
"""The word tables that decide whether a cue is one, who its speaker is and where its content starts or ends."""

NOT_TABLES_OF_BEHAVIOUR = {
    "lexicon._AUXILIARIES": "the straight-apostrophe half of AUXILIARIES, which is checked entry by entry",
    "lexicon.FRAMES": "the names of the frames; test_lexicon.py checks every line uses only these",
    "attribution._CLAUSE_OPENERS": "never read",
    "sentence._CLAUSE_FRAMES": "names of the lexicon's frames, not words",
}
"""Word sets of those modules that are not checked entry by entry here, and why."""

_ADVERB = "also in lexicon.ADVERBS, which is read first"
_ADJUNCT = "also an adjunct preposition: skip_adjuncts() passes over it (and its phrase) first"
_TIME = "a time word (mentions.TIME_WORDS), which is read first"
_ABBREVIATED_MONTH = "the tokenizer splits 'Jan.' into 'Jan' and '.' (only segment.ABBREVIATIONS keep their dot)"
_CLEANED = "the cleaner drops the line ('Note: …', 'Correction: …', 'Photo: …') as furniture before extraction"
_GROUP = "also in names.GROUP_NOUNS, which agrees() accepts as plural too"
_ODD = "only text no writer would use reaches it (e.g. 'officials onto the plant said')"
DECIDES_NOTHING: dict[str, dict[str, str]] = {
    "sentence._CLAUSE_DETERMINERS": {"this": "a clause opening with 'this' is not read as a clause with or without it"},
    "attribution._PARTICIPLES": {"known": "no cue form is 'known'"},
    "sentence.WH": {"when": _ADJUNCT},
    "sentence.ADJUNCT_PREPOSITIONS": {"earlier": _TIME, "later": _TIME},
    "clauses._TIME_LEADS": {
        "earlier": _TIME,
        "later": _TIME,
        "early": "an -ly adverb, which the verb group walks over anyway",
    },
    "clauses._PLURALS": {
        **dict.fromkeys(["people", "police", "many", "most", "some", "few", "others"], _GROUP),
        "all": "before the verb it is an adverb (lexicon.ADVERBS): 'All say' has no subject",
        "both": "before the verb it is an adverb (lexicon.ADVERBS): 'Both say' has no subject",
    },
    "clauses._HEAD_ENDS": dict.fromkeys(
        ["who", "that", "which"], "a speaker's noun phrase stops before a relative pronoun, so agrees() never sees one"
    ),
    "attribution._NOT_SPEAKERS": dict.fromkeys(["note", "correction", "clarification", "photo"], _CLEANED),
    "clauses._PAST_AS_BARE": dict.fromkeys(
        ["put", "set", "cut", "let"], "not the first word of a cue lemma ('put it' is compared by its last word)"
    ),
    "clauses._CLAUSE_LINKS": {
        **dict.fromkeys(["after", "before", "when", "while"], "also an adjunct preposition, which is read first"),
        **dict.fromkeys(["also", "even", "just", "now", "once", "still", "then"], _ADVERB),
        "only": "ends in -ly, which reduced_relative() rules out first",
        "that": "reduced_relative() rules out which/who/whom/that by itself",
    },
    "clauses._SUBORDINATING": dict.fromkeys(
        ["unless", "whereas"], "not in ADVERBIAL_OPENERS, so no opening adverbial starts with it"
    ),
    "clauses._SUBORDINATORS": dict.fromkeys(["after", "before", "following", "when", "while"], _ADJUNCT),
    "mentions.HONORIFICS": dict.fromkeys(
        sorted(mentions.HONORIFICS), "the set is never read (speakers.py reads names.HONORIFICS)"
    ),
    "mentions.TIME_WORDS": {
        **dict.fromkeys(
            ["jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec."],
            _ABBREVIATED_MONTH,
        ),
        "earlier": "also an adverb, an adjunct preposition and a clause word, each read where this is",
        "later": "also an adverb, an adjunct preposition and a clause word, each read where this is",
    },
    "mentions._INNER": {"close": "a noun phrase takes 'close' in as a plain word anyway, and its mention is the same"},
    "mentions._STANDALONE": {"others": "not a determiner, so 'Others' is a noun phrase without it"},
    "mentions._CLAUSE_WORDS": {
        **dict.fromkeys(["again", "also", "even", "just", "later", "now", "still", "then"], _ADVERB),
        "not": "also in lexicon.AUXILIARIES, which is read first",
        "n't": "also in lexicon.AUXILIARIES, which is read first",
        "by": "also in _INNER, which is read first",
        "on": "also in _INNER, which is read first",
        "most": "also a determiner, which is read first",
        "during": "ends in -ing, which _is_verb() takes as a verb anyway",
        "according": "always followed by 'to', which no noun phrase reaches",
        **dict.fromkeys(["onto", "upon", "less", "very"], _ODD),
        "too": "'Officials too said …' loses its speaker with it, and gains one without: no sentence it helps",
    },
    "mentions._VERBS": {
        **dict.fromkeys(["appeared", "seemed", "wanted", "led", "need"], "ends in -ed: _is_verb() takes it anyway"),
        **dict.fromkeys(["felt", "knew", "thought", "want", "wants"], "a cue form, which _is_verb() takes anyway"),
    },
    "mentions._CLAUSE_OPENING": dict.fromkeys(
        ["and", "but", "so"], "also in _LEADING, which _opens_clause() steps over first"
    ),
    "mentions._BOUNDARY_PUNCT": {
        ")": "_segments_before() jumps from ')' to its '(' first",
        "]": _ODD.replace("'officials onto the plant said'", "'[Prices rose] Smith, an analyst, said'"),
    },
}
"""Table entries no sentence was found to change, with what was tried or why (dead data, kept for a decision)."""


def by_table(cases: list[Case]) -> dict[str, list[Case]]:
    tables: dict[str, list[Case]] = {}
    for case in cases:
        tables.setdefault(case.table, []).append(case)
    return tables


@pytest.mark.parametrize(("table", "cases"), list(by_table(WORD_CASES).items()), ids=list(by_table(WORD_CASES)))
def test_each_word_table_entry_decides_its_sentence(table, cases):
    assert outcomes(cases, actual=True) == outcomes(cases, actual=False)


def test_every_table_entry_has_a_case_or_is_listed_as_deciding_nothing_and_nothing_else_is():
    cased: dict[str, set[str]] = {}
    for case in WORD_CASES:
        cased.setdefault(case.table, set()).add(case.entry)
    assert set(cased) | set(DECIDES_NOTHING) <= set(TABLES)
    for name, table in TABLES.items():
        has_case, nothing = cased.get(name, set()), set(DECIDES_NOTHING.get(name, {}))
        assert sorted(table - has_case - nothing) == [], f"entries of {name} without a case in word_cases.tsv"
        assert sorted((has_case | nothing) - table) == [], f"cases or listed entries of {name} that it lacks"
        assert sorted(has_case & nothing) == [], f"entries of {name} both with a case and listed as deciding nothing"


def module_word_sets(module: ModuleType) -> set[str]:
    """The sets of words a module assigns at its top level (not the ones it imports), as "module.NAME"."""
    assigned = {
        target.id
        for node in ast.parse(inspect.getsource(module)).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    short = module.__name__.rsplit(".", 1)[-1]
    return {
        f"{short}.{name}"
        for name in assigned
        if isinstance(value := getattr(module, name), frozenset) and value and all(isinstance(w, str) for w in value)
    }


def test_every_word_set_of_the_lexicon_attribution_and_mentions_is_checked_or_set_aside():
    modules = (lexicon, attribution, clauses, sentence, mentions, naming)
    found = set().union(*(module_word_sets(module) for module in modules))
    assert found == set(TABLES) | set(NOT_TABLES_OF_BEHAVIOUR)
