"""Claim spans as a tree of marks over the raw text: the shape HTML needs, whatever the spans do.

HTML elements nest, spans need not: two claims may be nested, adjacent, identical or cross each other. Spans
that start together open longest first, so nesting stays nesting. A span that ends while a span opened inside
it is still open cannot close in HTML, so the inner one is closed with it and reopened as a continuation
``Piece`` (``part`` 1, 2 …); the pieces of one span, read in document order, are exactly its text.

Offsets are Python code points, as in the dataset, and the tree holds ``str`` slices: nothing here counts
UTF-16 units, so characters outside the BMP cannot shift a highlight.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Highlight", "Node", "Piece", "nest"]


@dataclass(frozen=True)
class Highlight:
    """A span ``[start, end)`` of the text to mark, named by ``key`` (a claim id)."""

    key: str
    start: int
    end: int


@dataclass(frozen=True)
class Piece:
    """One mark element: a whole span (``part`` 0) or a continuation of one cut by a crossing span."""

    key: str
    part: int
    children: tuple[Node, ...]


Node = str | Piece


@dataclass
class _Open:
    index: int
    part: int
    children: list[Node] = field(default_factory=list)


def nest(text: str, highlights: Sequence[Highlight]) -> list[Node]:
    """The text as strings and marks, in document order; ties keep the order of ``highlights``."""
    for highlight in highlights:
        if not 0 <= highlight.start < highlight.end <= len(text):
            raise ValueError(f"span {highlight.key} [{highlight.start}, {highlight.end}) is empty or outside the text")
    starting: defaultdict[int, list[int]] = defaultdict(list)
    for index, highlight in enumerate(highlights):
        starting[highlight.start].append(index)
    points = sorted({h.start for h in highlights} | {h.end for h in highlights})
    parts = [0] * len(highlights)
    root: list[Node] = []
    stack: list[_Open] = []

    def outer_first(index: int) -> tuple[int, int]:
        # Longest first: a span that ends later encloses the others here, so it need not be cut at their end.
        return (-highlights[index].end, index)

    def close() -> None:
        done = stack.pop()
        (stack[-1].children if stack else root).append(
            Piece(highlights[done.index].key, done.part, tuple(done.children))
        )

    at = 0
    for point in points:
        if point > at:
            (stack[-1].children if stack else root).append(text[at:point])
            at = point
        ending = [depth for depth, entry in enumerate(stack) if highlights[entry.index].end == point]
        reopen: list[int] = []
        if ending:
            reopen = [entry.index for entry in stack[ending[0] :] if highlights[entry.index].end != point]
            while len(stack) > ending[0]:
                close()
        for index in sorted(reopen + starting.get(point, []), key=outer_first):
            stack.append(_Open(index, parts[index]))
            parts[index] += 1
    if at < len(text):
        root.append(text[at:])
    return root
