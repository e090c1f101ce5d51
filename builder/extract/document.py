"""The body of one article as the finders see it: paragraphs, quotations and sentences, all as raw offsets.

Two same-length views of the raw text let every rule be simple while offsets stay exact:

* ``view``: every white-space character (a line wrap, a tab, a no-break space) is a plain space, so a line
  wrapped inside a paragraph reads as one line to every rule;
* ``masked``: the view with the words inside quotation marks replaced by :data:`~builder.text.MASK`
  (the final punctuation before a closing mark stays), so sentences never split inside a quotation and no
  cue or name is ever found inside one.

Sentences are split on the masked view: a quotation of several sentences is inside one sentence.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from builder.extract.lexicon import cue_spans
from builder.extract.quotes import QuotePiece, find_quotes
from builder.models import Article
from builder.segment import iter_sentences
from builder.text import EDGE_SPACE, MASK

__all__ = ["Document", "Sentence"]

_AS_SPACE = str.maketrans(dict.fromkeys(EDGE_SPACE, " "))
_KEPT_BEFORE_CLOSE = frozenset(".,!?;:…")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A body sentence: raw span, its paragraph and its 0-based index in the body."""

    start: int
    end: int
    paragraph: int
    index: int


@dataclass
class Document:
    """Paragraphs, quotations and sentences of an article body, searchable by offset."""

    text: str
    view: str
    masked: str
    paragraphs: list[tuple[int, int]]
    quotes: list[QuotePiece]
    sentences: list[Sentence]
    _starts: list[int] = field(default_factory=list, repr=False)
    _paragraph_starts: list[int] = field(default_factory=list, repr=False)
    _cues: list[tuple[int, int]] | None = field(default=None, repr=False)
    _cue_starts: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, article: Article) -> Document:
        return cls.from_spans(article.text, [(span.start, span.end) for span in article.body])

    @classmethod
    def from_spans(cls, text: str, paragraphs: list[tuple[int, int]]) -> Document:
        view = text.translate(_AS_SPACE)
        quotes = find_quotes(view, paragraphs)
        masked = _mask(view, quotes)
        sentences: list[Sentence] = []
        for number, (start, end) in enumerate(paragraphs):
            for sentence_start, sentence_end in iter_sentences(masked, start, end):
                sentences.append(Sentence(sentence_start, sentence_end, number, len(sentences)))
        return cls(
            text,
            view,
            masked,
            paragraphs,
            quotes,
            sentences,
            [s.start for s in sentences],
            [start for start, _ in paragraphs],
        )

    def sentence_at(self, position: int) -> Sentence | None:
        """The sentence holding ``position``, or the last one starting before it."""
        index = bisect.bisect_right(self._starts, position) - 1
        return self.sentences[index] if index >= 0 else None

    def sentences_between(self, start: int, end: int) -> list[Sentence]:
        """Every sentence overlapping ``[start, end)``."""
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        last = bisect.bisect_left(self._starts, end)  # a slice to the end would copy the rest for every claim
        return [sentence for sentence in self.sentences[first:last] if sentence.end > start]

    def cues_between(self, start: int, end: int) -> list[tuple[int, int]]:
        """The cues of the lexicon inside ``[start, end)`` of the masked view (found once for the document)."""
        if self._cues is None:
            self._cues = cue_spans(self.masked)
            self._cue_starts = [first for first, _ in self._cues]
        first = bisect.bisect_left(self._cue_starts, start)
        last = bisect.bisect_left(self._cue_starts, end)
        return [span for span in self._cues[first:last] if span[1] <= end]

    def paragraph_of(self, position: int) -> int:
        return max(0, bisect.bisect_right(self._paragraph_starts, position) - 1)


def _mask(view: str, quotes: list[QuotePiece]) -> str:
    parts: list[str] = []
    done = 0
    for piece in quotes:
        end = piece.end
        while end > piece.start and view[end - 1] in _KEPT_BEFORE_CLOSE:
            end -= 1
        if end <= piece.start:
            continue
        parts.append(view[done : piece.start])
        parts.append(MASK * (end - piece.start))
        done = end
    parts.append(view[done:])
    return "".join(parts)
