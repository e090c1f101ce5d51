from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.text import EDGE_SPACE, iter_lines, trim


def test_lines_end_at_lf_crlf_and_lone_cr():
    text = "one\r\ntwo\rthree\nfour"
    assert [text[line.start : line.end] for line in iter_lines(text)] == ["one", "two", "three", "four"]
    assert [line.number for line in iter_lines(text)] == [1, 2, 3, 4]


def test_line_content_is_trimmed_of_nbsp_bom_and_zero_width_space():
    text = "\ufeff  Title\u00a0\u200b\n\t\n"
    lines = list(iter_lines(text))
    assert text[lines[0].start : lines[0].end] == "Title"
    assert lines[1].blank and lines[2].blank


def test_trim_collapses_an_all_space_range():
    assert trim("a   b", 1, 4) == (4, 4)
    assert trim(" ab ", 0, 4) == (1, 3)


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "b", " ", "\n", "\r", "\xa0", "\ufeff", "é"]), max_size=80))
def test_lines_are_exact_slices_with_no_edge_space(text):
    lines = list(iter_lines(text))
    assert lines[0].start >= 0 and lines[-1].end <= len(text)
    rebuilt = []
    for line in lines:
        content = text[line.start : line.end]
        assert "\n" not in content and "\r" not in content
        if content:
            assert content[0] not in EDGE_SPACE and content[-1] not in EDGE_SPACE
        rebuilt.append(content)

    # every non-space character belongs to some line
    def visible(value: str) -> str:
        return "".join(ch for ch in value if ch not in EDGE_SPACE)

    assert visible("".join(rebuilt)) == visible(text)
