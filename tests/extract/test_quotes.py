from __future__ import annotations

import pytest

from builder.extract.document import Document
from builder.extract.quotes import find_quotes
from conftest import document_of


def quotes(*paragraphs: str) -> list[str]:
    document = document_of(*paragraphs)
    return [document.text[p.start : p.end] for p in document.quotes]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ('"A strong NATO," he said.', ["A strong NATO,"]),
        ("“Curly quotes,” she said.", ["Curly quotes,"]),
        ("«Guillemets», — he said.", ["Guillemets"]),
        ('"Outer with ‘inner’ quote," he said.', ["Outer with ‘inner’ quote,"]),
        ("“Outer with “nested” curly", ["Outer with “nested"]),  # unbalanced: pairs within the paragraph
        ('"One," he said, "two."', ["One,", "two."]),
        ("It’s a ‘British quote’ here.", ["British quote"]),
        ('He bought a 5" screen and said nothing.', []),
        ("''Typewriter quotes,'' he said.", ["Typewriter quotes,"]),
        ("``Opening backticks,'' she said.", ["Opening backticks,"]),
        ("''Outer with 'inner' quote,'' he said.", ["Outer with 'inner' quote,"]),
        ("It's Mr. O'Neill's ''last word'' on it.", ["last word"]),
    ],
)
def test_quote_marks_pair_within_a_paragraph(paragraph, expected):
    assert quotes(paragraph) == expected


def test_a_quotation_runs_over_paragraphs_only_when_the_next_one_reopens():
    assert quotes('"First part of it', '"Second part," he said.') == ["First part of it", "Second part,"]
    assert quotes('"Never closed', "Plain text follows.", '"Other," she said.') == ["Other,"]


def test_continued_pieces_are_flagged():
    text = '"First part\n\n"Second part."'
    document = Document.from_spans(text, [(0, 11), (13, len(text))])
    first, second = find_quotes(document.view, document.paragraphs)
    assert first.continues and first.close_at is None and second.continued


def test_ten_thousand_quote_marks_stay_within_their_paragraph():
    found = quotes('"' * 10_000, '"Real," he said.')
    assert found[-1] == "Real,"


def test_quoted_paragraphs_run_together_reopen_the_same_quotation():
    text = 'He said: "It was hard. "I was lucky to have him."'
    document = Document.from_spans(text, [(0, len(text))])
    first, second = find_quotes(document.view, document.paragraphs)
    assert (text[first.start : first.end], text[second.start : second.end]) == (
        "It was hard.",
        "I was lucky to have him.",
    )
    assert first.continues and second.continued


def test_a_wrapped_line_inside_a_quotation_is_no_boundary():
    text = '"It was hard\nto say," he said.'
    document = Document.from_spans(text, [(0, len(text))])
    (piece,) = document.quotes
    assert text[piece.start : piece.end] == "It was hard\nto say,"
