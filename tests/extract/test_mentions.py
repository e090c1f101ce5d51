"""Speaker mentions: the noun phrase a cue attaches to, read backwards (or forwards, inverted) over tokens."""

from __future__ import annotations

import pytest

from builder.extract.mentions import mention_after, subject_before
from builder.extract.tokens import tokenize


def before(text: str) -> tuple[str, str] | None:
    """The subject of the cue after the last word of ``text`` + " said"."""
    tokens = tokenize(text, 0, len(text))
    found = subject_before(tokens, len(tokens) - 1)
    return (text[found.start : found.end], found.kind) if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He", ("He", "pronoun")),
        ("Mr. Kelly", ("Mr. Kelly", "name")),
        ("NATO Secretary General Jens Stoltenberg", ("Jens Stoltenberg", "name")),
        ("Senate Majority Leader Mitch McConnell", ("Mitch McConnell", "name")),
        ("Mujtaba Rahman of the Eurasia Group", ("Mujtaba Rahman", "name")),
        ("the Association of Flight Attendants", ("the Association of Flight Attendants", "name")),
        ("Clinton's spokesman", ("Clinton's spokesman", "phrase")),
        ("another economist", ("another economist", "phrase")),
        ("Analysts", ("Analysts", "phrase")),
        ("teachers and union officials", ("teachers and union officials", "phrase")),
        ("Chris Weston, chief market strategist in Melbourne at IG Ltd.,", ("Chris Weston", "name")),
        ("Sandy Phillips, who lost her daughter in Aurora, Colorado, in July 2012,", ("Sandy Phillips", "name")),
        ("Deborah Reynolds - Santilli's girlfriend and co-host -", ("Deborah Reynolds", "name")),
        ("Prices fell, Smith, an analyst,", ("Smith", "name")),
        ("Sen. Chuck Schumer (D-N.Y.)", ("Chuck Schumer", "name")),
        ("Trump, who", ("who", "relative")),
        # a quantifier stands for people where no noun comes before it
        ("Another", ("Another", "phrase")),
        ("Prices fell but most", ("most", "phrase")),
        ("The voters of some", ("some", "phrase")),
        ("Union leaders most", None),
        ("The economy grew", None),
        ("In May", None),
    ],
)
def test_subjects_before_a_cue(text, expected):
    assert before(text) == expected


@pytest.mark.parametrize(
    ("text", "antecedent"),
    [
        ("Hillary Clinton, who", "Hillary Clinton"),
        ("Clinton who", "Clinton"),  # no comma
        ("Hillary Clinton who", "Hillary Clinton"),
        ("Prices rose. The mayor, who", "The mayor"),
        ("who", None),  # nothing before it
        (", who", None),  # only the comma
    ],
)
def test_a_relative_pronoun_points_back_to_its_antecedent(text, antecedent):
    tokens = tokenize(text, 0, len(text))
    floor = next((i + 1 for i, t in enumerate(tokens) if t.text == "."), 0)  # the sentence's first token
    found = subject_before(tokens, len(tokens) - 1, floor)
    who = text.rindex("who")
    assert found is not None and (found.start, found.end, found.kind) == (who, who + 3, "relative")
    assert found.phrase == (who, who + 3) and found.first == len(tokens) - 1
    assert (text[slice(*found.antecedent)] if found.antecedent else None) == antecedent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Morris.", "Mr. Morris"),
        ("Ben Domenech, publisher of The Federalist.", "Ben Domenech"),
        ("one owner of a shop that sells shoes.", "one owner of a shop"),
        ("the Secretary General at the forum.", "the Secretary General"),
        ("Jason Gilbert of Cheyenne.", "Jason Gilbert"),
        ("in a statement.", None),
        ("Tuesday.", None),
    ],
)
def test_inverted_subjects_after_a_cue(text, expected):
    tokens = tokenize(text, 0, len(text))
    found = mention_after(tokens, 0)
    assert (text[found.start : found.end] if found else None) == expected
