"""Quotation marks: pair them paragraph by paragraph, in one pass over the marks.

* Marks: ``“ ”``, ``« »``, ``„``, the straight ``"``, the typewriter pair ``''`` of newspaper archives (and
  ``````…''``), and ``‘ ’`` (British style, top level only).
* Openers: ``“``, ``«``, ``„``, ``````; a ``"`` or ``''`` that stands after a space, a bracket, a dash or the start
  of the paragraph with a non-space after it; ``‘`` only at the top level, after a space.
* A quotation closes at the first closing mark of its family (``”``/``"`` for ``“``, ``''`` for ``''`` and
  ``````, ``»`` for ``«``, and so on); marks of another family inside it are a quote within the quote.
* A straight mark after a full stop and a space and before a word reopens the same quotation (quoted paragraphs
  run together by the scrape): the piece before it ends, a continued piece starts.
* A paragraph that ends inside a quotation continues it when the next paragraph opens with a quotation mark (the
  classic multi-paragraph quotation: one piece per paragraph, one quotation). Otherwise the opening mark was a
  stray: it is dropped, and nothing past the paragraph is ever swallowed.

The piece's span is the content between the marks, trimmed of edge white space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.text import trim

__all__ = ["QuotePiece", "find_quotes"]

_MARKS = re.compile(r"''|``|[\"“”«»„‘’]")
_CLOSERS = {'"': ('"', "”"), "“": ("”", '"'), "«": ("»",), "„": ("“", "”"), "‘": ("’",), "''": ("''",), "``": ("''",)}
_ALWAYS_OPEN = frozenset({"“", "«", "„", "``"})
_NEVER_OPEN = frozenset({"’", "”", "»"})
_OPEN_AFTER = frozenset(" \t\n\r\xa0([{—–-/:;,")


@dataclass(frozen=True, slots=True)
class QuotePiece:
    """One piece of a quotation: its content span and where its marks stand (``close_*`` None when left open)."""

    start: int
    end: int
    open_at: int
    open_end: int
    close_at: int | None
    close_end: int | None
    paragraph: int
    continued: bool = False
    continues: bool = False

    @property
    def outer_end(self) -> int:
        """Past the closing mark, or the content's end when the piece runs on into the next paragraph."""
        return self.close_end if self.close_end is not None else self.end


def _opens(text: str, mark: str, at: int, paragraph_start: int, paragraph_end: int) -> bool:
    after_at = at + len(mark)
    after = text[after_at] if after_at < paragraph_end else " "
    if after.isspace():
        return False
    if mark in _ALWAYS_OPEN:
        return True
    before = text[at - 1] if at > paragraph_start else " "
    return before in _OPEN_AFTER


def _first_mark_opens(text: str, paragraph: tuple[int, int]) -> bool:
    start, end = paragraph
    found = _MARKS.match(text, start, end)
    return found is not None and found.group() not in _NEVER_OPEN and _opens(text, found.group(), start, start, end)


def find_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[QuotePiece]:
    """Every quotation piece of the paragraphs of ``text``, in text order."""
    pieces: list[QuotePiece] = []
    carried = False
    for number, (start, end) in enumerate(paragraphs):
        opener: str | None = None
        open_at = open_end = -1
        continued = carried
        carried = False
        for found in _MARKS.finditer(text, start, end):
            mark, at = found.group(), found.start()
            if opener is None:
                if mark in _NEVER_OPEN or not _opens(text, mark, at, start, end):
                    continue
                opener, open_at, open_end = mark, at, found.end()
            elif mark in _CLOSERS[opener] and not _inside_word(text, at, start, end):
                content = trim(text, open_end, at)
                reopens = mark in {'"', "''"} and _reopens(text, at, found.end(), end)
                if content[0] < content[1]:
                    piece = QuotePiece(*content, open_at, open_end, at, found.end(), number, continued, reopens)
                    pieces.append(piece)
                continued = reopens
                if reopens:
                    opener, open_at, open_end = mark, at, found.end()
                else:
                    opener, open_at, open_end = None, -1, -1
        if opener is not None and number + 1 < len(paragraphs) and _first_mark_opens(text, paragraphs[number + 1]):
            content = trim(text, open_end, end)
            if content[0] < content[1]:
                pieces.append(QuotePiece(*content, open_at, open_end, None, None, number, continued, True))
                carried = True
    return pieces


def _reopens(text: str, at: int, after: int, end: int) -> bool:
    """``…afterwards. "I was lucky…``: a straight mark after a full stop and a space, before a word, closes
    nothing: it reopens the same quotation, as scrapes that ran quoted paragraphs together leave them."""
    return at >= 2 and text[at - 1] == " " and text[at - 2] in ".!?…" and after < end and text[after].isalnum()


def _inside_word(text: str, at: int, start: int, end: int) -> bool:
    """A ’ between two letters is an apostrophe ("it’s"), not a closing mark."""
    if text[at] != "’":
        return False
    return start < at < end - 1 and text[at - 1].isalpha() and text[at + 1].isalpha()
