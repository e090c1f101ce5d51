"""Direct quotations: pair quotation marks paragraph by paragraph, in one pass over the marks.

* Openers: ``“``, ``«``, ``„``, and a straight ``"`` that stands after a space, a bracket, a dash or the start of
  the paragraph with a non-space after it. ``‘`` opens only at the top level (British style), after a space.
* A quotation closes at the first closing mark of its family (``”``/``"`` for ``“``, ``»`` for ``«``, and so on);
  marks of another family inside it are a quote within the quote and part of its content.
* A straight ``"`` after a full stop and a space and before a word reopens the same quotation (quoted
  paragraphs run together by the scrape): the piece before it ends, a continued piece starts.
* A paragraph that ends inside a quotation continues it when the next paragraph opens with a quotation mark (the
  classic multi-paragraph quotation: one piece per paragraph, one quotation). Otherwise the opening mark was a
  stray: it is dropped, and nothing past the paragraph is ever swallowed.

The piece's span is the content between the marks, trimmed of edge white space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.extract.document import Document
from builder.text import trim

__all__ = ["QuotePiece", "find_quotes"]

_MARKS = re.compile(r"[\"“”«»„‘’]")
_CLOSERS = {'"': '"”', "“": '”"', "«": "»", "„": "“”", "‘": "’"}
_OPEN_AFTER = frozenset(" \t\n\r\xa0([{—–-/:;,")


@dataclass(frozen=True, slots=True)
class QuotePiece:
    """One piece of a quotation: its content span and where its marks stand."""

    start: int
    end: int
    open_at: int
    close_at: int | None
    paragraph: int
    continued: bool = False
    continues: bool = False


def _opens(text: str, at: int, paragraph_start: int, paragraph_end: int) -> bool:
    mark = text[at]
    after = text[at + 1] if at + 1 < paragraph_end else " "
    if after.isspace():
        return False
    if mark in "“«„":
        return True
    before = text[at - 1] if at > paragraph_start else " "
    return before in _OPEN_AFTER


def _first_mark_opens(document: Document, paragraph: int) -> bool:
    start, end = document.paragraphs[paragraph]
    return start < end and document.text[start] in '"“«„‘' and _opens(document.text, start, start, end)


def find_quotes(document: Document) -> list[QuotePiece]:
    """Every quotation piece of the body, in text order."""
    text = document.text
    pieces: list[QuotePiece] = []
    carried = False
    for number, (start, end) in enumerate(document.paragraphs):
        opener: str | None = None
        open_at = -1
        continued = carried
        carried = False
        for found in _MARKS.finditer(text, start, end):
            mark, at = found.group(), found.start()
            if opener is None:
                if mark in "’”»" or not _opens(text, at, start, end):
                    continue
                opener, open_at = mark, at
            elif mark in _CLOSERS[opener] and not _inside_word(text, at, start, end):
                content = trim(text, open_at + 1, at)
                reopens = mark == '"' and _reopens(text, at, end)
                if content[0] < content[1]:
                    pieces.append(QuotePiece(*content, open_at, at, number, continued=continued, continues=reopens))
                continued = reopens
                opener, open_at = (mark, at) if reopens else (None, -1)
        if opener is not None and number + 1 < len(document.paragraphs) and _first_mark_opens(document, number + 1):
            content = trim(text, open_at + 1, end)
            if content[0] < content[1]:
                pieces.append(QuotePiece(*content, open_at, None, number, continued=continued, continues=True))
                carried = True
    return pieces


def _reopens(text: str, at: int, end: int) -> bool:
    """``…afterwards. "I was lucky…``: a straight mark after a full stop and a space, before a word, closes
    nothing: it reopens the same quotation, as scrapes that ran quoted paragraphs together leave them."""
    return at >= 2 and text[at - 1] in " \xa0" and text[at - 2] in ".!?…" and at + 1 < end and text[at + 1].isalnum()


def _inside_word(text: str, at: int, start: int, end: int) -> bool:
    """A ’ between two letters is an apostrophe ("it’s"), not a closing mark."""
    if text[at] != "’":
        return False
    return start < at < end - 1 and text[at - 1].isalpha() and text[at + 1].isalpha()
