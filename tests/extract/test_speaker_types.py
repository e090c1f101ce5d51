"""A speaker's type, rule family by rule family (invented names), and through extraction of invented sentences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.extract.names import GROUP_NOUNS
from builder.extract.speaker_types import DOCUMENTS, NAMED_ORGANISATIONS, ORGANISATION_HEADS, speaker_type
from builder.link import most_frequent_type
from builder.models import SpeakerType
from conftest import extracted

PERSON, ORGANISATION, GROUP = SpeakerType.PERSON, SpeakerType.ORGANISATION, SpeakerType.GROUP


def test_no_speaker_has_no_type():
    assert speaker_type(None) is None
    assert speaker_type(None, "he", "Mayor") is None


@pytest.mark.parametrize(
    ("speaker", "mention", "expected"),
    [
        ("Marta Quillon", "he", PERSON),
        ("Marta Quillon", "She", PERSON),
        ("Marta Quillon", "I", PERSON),
        ("Velmont", "it", ORGANISATION),
        ("Velmont Holdings", "it", ORGANISATION),
        ("crop traders", "they", GROUP),
        ("Dorrow", "They", GROUP),  # a lone word "they" stands for: a group before a guessed organisation
        ("Velmont Holdings Inc.", "they", ORGANISATION),  # the name says more than the pronoun
    ],
)
def test_the_mention_as_written_types_a_pronoun(speaker, mention, expected):
    assert speaker_type(speaker, mention) is expected


@pytest.mark.parametrize(
    "speaker",
    [
        "Velmont Holdings Inc.",
        "Quarrel Corp",
        "Brisk Ledger Ltd",
        "Tallow & Finch LLC",
        "Harnet Co.",
        "the Brackenford Ministry of Water",
        "the Justice Department",
        "the Dorrow Police",
        "the Supreme Court",
        "the Bank of Brackenford",
        "the company",
        "the firm",
        "the administration",
        "the Quillon campaign",
        "the regulator",
        "the prime minister's office",
        "banks",
        "the White House",
        "Kremlin",
        "the Kremlin",
        "Interfax",
        "NATO",
        "the UN",
        "TASS",
        "A report",
        "the survey",
        "Official figures",
        "a statement issued by the council",
    ],
)
def test_an_organisations_name_head_acronym_or_document_is_an_organisation(speaker):
    assert speaker_type(speaker, speaker) is ORGANISATION


@pytest.mark.parametrize(
    "speaker",
    ["Analysts", "senior officials", "Democrats", "Republicans", "economists at Velmont", "ministers", "MPs"],
)
def test_a_plural_of_people_is_a_group(speaker):
    assert speaker_type(speaker, speaker) is GROUP


@pytest.mark.parametrize(
    ("speaker", "title", "named"),
    [
        ("Marta Quillon", None, True),
        ("Mr Quillon", None, False),
        ("Marta Quillon MP", None, False),
        ("Quillon", "Mayor", False),
        ("the mayor", None, False),
        ("a spokesman for the ministry", None, False),
        ("the secretary-general", None, False),
        ("the company's chief executive", None, False),
    ],
)
def test_a_name_a_title_or_a_singular_role_is_a_person(speaker, title, named):
    assert speaker_type(speaker, speaker, title, named_person=named) is PERSON


def test_a_lone_word_no_one_is_named_by_is_an_organisation_and_a_named_person_is_not():
    assert speaker_type("Velmont", "Velmont") is ORGANISATION
    assert speaker_type("Velmont", "Velmont", named_person=True) is PERSON


@settings(deadline=None)
@given(st.sampled_from(sorted(GROUP_NOUNS - ORGANISATION_HEADS - DOCUMENTS)), st.sampled_from(["", "senior ", "The "]))
def test_every_group_noun_heads_a_group(noun, before):
    assert speaker_type(before + noun, before + noun) is GROUP


@settings(deadline=None)
@given(st.sampled_from(sorted(w for w in ORGANISATION_HEADS if w.isalpha())), st.sampled_from(["the ", "Velmont "]))
def test_every_organisation_head_heads_an_organisation(head, before):
    speaker = before + head.capitalize()
    assert speaker_type(speaker, speaker) is ORGANISATION


@settings(deadline=None)
@given(st.sampled_from(sorted(NAMED_ORGANISATIONS)))
def test_every_curated_organisation_is_one_capitalised(name):
    speaker = " ".join(word[:1].upper() + word[1:] for word in name.split())
    assert speaker_type(speaker, speaker) is ORGANISATION


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(list(SpeakerType)), st.integers(min_value=1, max_value=5)))
def test_a_speakers_type_is_its_most_frequent_ties_by_the_enum_order(counts):
    from collections import Counter

    found = most_frequent_type(Counter(counts))
    if not counts:
        assert found is None
        return
    top = max(counts.values())
    assert found is next(kind for kind in SpeakerType if counts.get(kind) == top)


def types_of(text: str) -> list[tuple[str | None, str | None]]:
    return [(claim.speaker, claim.speaker_type.value if claim.speaker_type else None) for claim in extracted(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Marta Quillon, the mayor, said the new bridge would open in May.", ("Marta Quillon", "person")),
        ("Velmont Holdings Inc. said its profits would fall this year.", ("Velmont Holdings Inc.", "organisation")),
        ("Officials said the road would stay closed until Friday.", ("Officials", "group")),
        ("The river flooded three villages in the valley on Tuesday night.", (None, None)),
    ],
)
def test_extraction_types_each_claims_speaker(text, expected):
    assert types_of(text) == [expected]


def test_a_pronoun_takes_the_type_of_what_it_stands_for():
    text = (
        "Velmont Holdings Inc. said on Monday that sales had fallen. It said the plant would hire 300 people. "
        "Marta Quillon runs the plant. She said the first orders had arrived."
    )
    assert types_of(text) == [
        ("Velmont Holdings Inc.", "organisation"),
        ("Velmont Holdings Inc.", "organisation"),  # "It"
        (None, None),
        ("Marta Quillon", "person"),  # "She"
    ]
