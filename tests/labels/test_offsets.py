from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.labels.offsets import to_code_points, to_utf16


@settings(deadline=None)
@given(st.text(), st.data())
def test_code_points_and_utf16_offsets_convert_both_ways(text, data):
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    units = text.encode("utf-16-le")
    start, end = to_utf16(text, i), to_utf16(text, j)
    # What a JavaScript string (Label Studio) indexes: UTF-16 code units.
    assert start == len(text[:i].encode("utf-16-le")) // 2
    assert units[2 * start : 2 * end].decode("utf-16-le") == text[i:j]
    assert (to_code_points(text, start), to_code_points(text, end)) == (i, j)


def test_a_character_outside_the_bmp_is_two_units():
    text = "🇷🇺 said 𝕏: ok"
    assert to_utf16(text, 2) == 4  # a flag is two regional indicators, each a surrogate pair
    assert to_utf16(text, text.index("𝕏") + 1) == text.index("𝕏") + 2 + 2
    assert to_utf16(text, len(text)) == len(text.encode("utf-16-le")) // 2
    assert to_utf16("plain ascii", 5) == 5


def test_the_last_character_of_the_bmp_is_one_unit_and_the_first_beyond_it_two():
    for text, units in (("\uffff x", 1), ("\U00010000 x", 2)):
        assert to_utf16(text, 1) == units and to_code_points(text, units) == 1
        assert to_code_points(text, units + 2) == 3


def test_an_offset_inside_a_pair_or_outside_the_text_is_refused():
    text = "a😀b"
    with pytest.raises(ValueError, match="inside the surrogate pair"):
        to_code_points(text, 2)
    with pytest.raises(ValueError, match="outside"):
        to_code_points(text, 5)
    with pytest.raises(ValueError, match="outside"):
        to_utf16(text, 4)
    with pytest.raises(ValueError, match="negative"):
        to_code_points(text, -1)
