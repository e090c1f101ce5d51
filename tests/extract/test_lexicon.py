"""The cue lexicon is data: every form parses, and each frame says what content the cue takes. Each form in each frame
of its line attributes a sentence of its own in test_lexicon_entries.py (cases in cue_cases.tsv)."""

from __future__ import annotations

import pytest

from builder.extract.lexicon import CUE_FORMS, FRAMES, cue_pattern, cue_spans, lookup
from conftest import extracted


def test_every_form_has_known_frames_and_a_lemma():
    assert len(CUE_FORMS) > 400
    for form, cue in CUE_FORMS.items():
        assert cue.frames and cue.frames <= FRAMES, form
        assert form == " ".join(form.split()) and form == form.lower()


@pytest.mark.parametrize(
    ("form", "lemma", "frames"),
    [
        ("said", "say", {"quote", "that", "bare"}),
        ("told", "tell", {"object"}),
        ("tweeted", "tweet", {"quote"}),
        ("pointed out", "point out", {"quote", "that"}),
        ("called for", "call for", {"topic"}),
        ("pledged", "pledge", {"to"}),
        ("called", "call", {"np"}),
        ("asked", "ask", {"wh", "object"}),
        ("believes", "believe", {"that", "bare"}),
        ("according to", None, None),
    ],
)
def test_cues_and_their_frames(form, lemma, frames):
    cue = lookup(form)
    if lemma is None:
        assert cue is None and cue_pattern().fullmatch(form)
        return
    assert cue is not None and cue.lemma == lemma and frames <= cue.frames


def test_participles_are_marked():
    assert lookup("saying").participle and lookup("adding").participle
    assert not lookup("said").participle


def test_the_pattern_finds_whole_words_longest_first_whatever_the_spacing():
    text = "He has said that, according to  him, she pointed out and Went on to say it; the sayings."
    assert [m.group() for m in cue_pattern().finditer(text)] == [
        "said",
        "according to",
        "pointed out",
        "Went on to say",
    ]


def test_cue_spans_are_the_patterns_matches_in_any_case():
    text = "Officials SAID the vote failed, According to aides; she Pointed  Out the cost."
    expected = [found.span() for found in cue_pattern().finditer(text)]
    assert cue_spans(text) == expected
    assert [text[start:end] for start, end in expected] == ["SAID", "According to", "Pointed  Out"]


def test_cue_spans_stay_exact_where_lower_casing_changes_the_length():
    text = "İstanbul officials said the vote was fair."  # "İ".lower() is two code points
    assert len(text.lower()) != len(text)
    assert [text[start:end] for start, end in cue_spans(text)] == ["said"]


def test_the_trie_of_forms_matches_exactly_those_forms_and_the_longest_first():
    import re

    from builder.extract.lexicon import _trie

    forms = ["say", "said", "says", "point out", "pointed out", "a.b", "a"]
    pattern = re.compile(rf"\b(?:{_trie(forms)})\b")
    for form in ["say", "said", "says", "point   out", "pointed out", "a.b", "a"]:
        assert pattern.fullmatch(form), form
    for other in ["sa", "sayx", "point", "pointed", "axb", "saids", "b", ""]:
        assert not pattern.fullmatch(other), other
    assert [found.group() for found in pattern.finditer("he says a.b and pointed  out a")] == [
        "says",
        "a.b",
        "pointed  out",
        "a",
    ]


@pytest.mark.parametrize(
    ("sentence", "cue", "kind"),
    [
        ("Marta Quillon said the bridge over the Brack would open in May.", "said", "speech"),
        ("According to the council, the bridge over the Brack will open in May.", "According to", "speech"),
        ("Analysts expect that grain prices will rise by ten percent next year.", "expect", "belief"),
        ("Most farmers in the valley believe the new dam will fail.", "believe", "belief"),
        ("Velmont Holdings Inc. plans to close its plant in Dorrow next year.", "plans", "intention"),
        ("The mayor vowed to cut the town's water charges before winter.", "vowed", "intention"),
        ("The mayor vowed that the water charges would fall before winter.", "vowed", "speech"),
    ],
)
def test_each_cue_kind_comes_out_of_a_sentence(sentence, cue, kind):
    claims = extracted(sentence)
    assert [(c.cue, c.cue_kind.value if c.cue_kind else None) for c in claims] == [(cue, kind)]


def test_an_author_statement_has_no_cue_kind_and_an_interview_answer_is_speech():
    text = (
        "The river flooded three villages in the valley on Tuesday night.\n\n"
        "Reporter: Will the dam hold?\n\n"
        "Marta Quillon: The dam will hold for another ten years at least."
    )
    found = [(c.claim_type.value, c.cue, c.cue_kind) for c in extracted(text)]
    assert ("author_statement", None, None) in found
    assert [kind for claim_type, _, kind in found if claim_type == "interview_answer"] == ["speech"]
