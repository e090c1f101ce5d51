"""Offset-keeping text primitives shared by the stages: lines and trimmed spans of a raw string.

Nothing here copies or rewrites text; every function returns positions into the string it was given.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

__all__ = ["EDGE_SPACE", "MASK", "Line", "SpanSet", "iter_lines", "trim"]

# Characters that never start or end a span: Unicode white space plus the invisible characters scrapes carry
# (byte-order mark, zero-width space/joiners, word joiner), which str.isspace() does not count.
EDGE_SPACE = frozenset(
    " \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u200b\u200c\u200d\u2060"
)
MASK = "\ue000"
"""Stands for every character of quoted content in the extractor's masked view (a private-use code point, never
in news): a sentence may open with it, and no word rule ever matches it."""
_NEWLINE = re.compile(r"\r\n|\r|\n")


class Line(NamedTuple):
    """One line of a text: its 1-based number and the span of its content with the edges trimmed."""

    number: int
    start: int
    end: int

    @property
    def blank(self) -> bool:
        return self.start == self.end


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``[start, end)`` past edge white space; an all-space range collapses to ``(end, end)``."""
    while start < end and text[start] in EDGE_SPACE:
        start += 1
    while end > start and text[end - 1] in EDGE_SPACE:
        end -= 1
    return (start, end) if start < end else (end, end)


def iter_lines(text: str) -> Iterator[Line]:
    """Every line of ``text`` (``\\n``, ``\\r\\n`` and lone ``\\r`` all end a line), content trimmed."""
    start = 0
    number = 1
    for newline in _NEWLINE.finditer(text):
        yield Line(number, *trim(text, start, newline.start()))
        start = newline.end()
        number += 1
    yield Line(number, *trim(text, start, len(text)))


class SpanSet:
    """A fixed set of ``[start, end)`` spans that answers "does anything overlap this range?" in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._reach: list[int] = []  # the furthest end among the spans up to each index
        furthest = -1
        for _, end in ordered:
            furthest = max(furthest, end)
            self._reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self._starts, end)  # spans starting before the range ends
        return before > 0 and self._reach[before - 1] > start
