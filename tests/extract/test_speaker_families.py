"""The speaker families of wire copy, one real shape each (invented names): the speaker is a name, a pronoun
resolved to one, or a noun phrase naming people or an organisation; never a verb phrase, a bare common noun or the
description in front of a name."""

from __future__ import annotations

import pytest

from entry_cases import attributed

SHAPES = [
    # an inverted subject: all before the name describes it
    ("Prices will rise, said oil and gas worker Mike Tarn.", ["Prices will rise", "Mike Tarn", "Mike Tarn", None]),
    (
        "Voters are tired, said University of the Lakes political scientist Hamid Tull.",
        ["Voters are tired", "Hamid Tull", "Hamid Tull", None],
    ),
    (
        "The plan is risky, says Heart Fund senior manager Erin Kowal.",
        ["The plan is risky", "Erin Kowal", "Erin Kowal", None],
    ),
    # a description, then the name in apposition
    (
        "Campbell's partner, Jason Louth, said the house was sold in May.",
        ["the house was sold in May", "Jason Louth", "Jason Louth", None],
    ),
    (
        "The economist at Bank North, Laura Chen, said rates would stay high.",
        ["rates would stay high", "Laura Chen", "Laura Chen", None],
    ),
    (
        '"We are full," its director, Anna Berg, told reporters.',
        ["We are full,", "Anna Berg", "Anna Berg", None],
    ),
    (
        "John Mead, Canada's ambassador to Peru, said talks would resume.",
        ["talks would resume", "John Mead", "John Mead", None],
    ),
    # a title glued to a name, an office and a surname
    (
        "Councilman Robert Hale said the bridge was unsafe.",
        ["the bridge was unsafe", "Robert Hale", "Robert Hale", "Councilman"],
    ),
    ("Mayor Lin said the tram would run by May.", ["the tram would run by May", "Lin", "Lin", "Mayor"]),
    # two title words are no title and surname
    (
        "NATO Secretary General Anna Berg spoke. The Secretary General said talks would resume.",
        ["talks would resume", "The Secretary General", "Anna Berg", "NATO Secretary General"],
    ),
    # documents speak for who issued them; a poll nobody is named for has no speaker
    (
        '"The harvest failed," said a document issued by the Farmers Party.',
        ["The harvest failed,", "a document issued by the Farmers Party", "the Farmers Party", None],
    ),
    ("A new Gallup poll shows the tax is unpopular.", ["the tax is unpopular", "A new Gallup poll", "Gallup", None]),
    ("A new poll shows the tax is unpopular.", ["the tax is unpopular", "A new poll", None, None]),
    # no speaker: a verb after a modal, a bare singular noun
    ("The sale may affect government plans to sell the port.", None),
]


@pytest.mark.parametrize(("sentence", "expected"), SHAPES, ids=[shape[0][:40] for shape in SHAPES])
def test_each_speaker_shape(sentence, expected):
    assert attributed(sentence) == ([expected] if expected else [])


def test_the_noun_of_an_organisation_resolves_only_to_an_organisation_it_fits():
    text = (
        "Zentrix Inc. said profits fell. The ministry said exports rose. The company said it would hire. "
        "The agency said fraud was rising."
    )
    assert [row[2] for row in attributed(text)] == ["Zentrix Inc.", "The ministry", "Zentrix Inc.", "The agency"]
