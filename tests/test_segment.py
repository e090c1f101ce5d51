from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.segment import iter_sentences
from builder.text import EDGE_SPACE


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in iter_sentences(text, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It rained. Then it stopped.", ["It rained.", "Then it stopped."]),
        ("Mr. Putin met Gen. Smith. They talked.", ["Mr. Putin met Gen. Smith.", "They talked."]),
        ("He took office Oct. 1, the alliance said.", ["He took office Oct. 1, the alliance said."]),
        ("J. Smith spoke. No. 10 replied.", ["J. Smith spoke.", "No. 10 replied."]),
        (
            "The U.S. Army moved. It was in the U.S. The end.",
            ["The U.S. Army moved.", "It was in the U.S.", "The end."],
        ),
        ('"We are strong." He left.', ['"We are strong."', "He left."]),
        ("Is it? “Yes!” she said… and left.", ["Is it?", "“Yes!” she said… and left."]),
        ("Profits rose 1.5% to $1.13bn. Shares fell.", ["Profits rose 1.5% to $1.13bn.", "Shares fell."]),
        ("e.g. This stays whole.", ["e.g. This stays whole."]),
    ],
)
def test_sentence_boundaries(text, expected):
    assert sentences(text) == expected


def test_offsets_are_into_the_whole_text_within_the_range():
    text = "HEADER. One. Two. FOOTER."
    spans = list(iter_sentences(text, 8, 17))
    assert [text[a:b] for a, b in spans] == ["One.", "Two."]
    assert spans[0][0] == 8


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab A.!?"” \n\xa0Mr1')), max_size=120))
def test_sentences_are_ordered_trimmed_and_cover_all_non_space(text):
    spans = list(iter_sentences(text, 0, len(text)))
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start] not in EDGE_SPACE and text[end - 1] not in EDGE_SPACE
        assert all(ch in EDGE_SPACE for ch in text[previous_end:start])
        previous_end = end
    assert all(ch in EDGE_SPACE for ch in text[previous_end:])
