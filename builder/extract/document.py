"""The body of one article as the extractors see it: paragraphs and sentences, all as raw offsets."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from builder.models import Article
from builder.segment import iter_sentences

__all__ = ["Document", "Sentence"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A body sentence: raw span, its paragraph and its 0-based index in the body."""

    start: int
    end: int
    paragraph: int
    index: int


@dataclass
class Document:
    """Paragraphs and sentences of an article body, searchable by offset."""

    text: str
    paragraphs: list[tuple[int, int]]
    sentences: list[Sentence]
    _starts: list[int] = field(default_factory=list, repr=False)
    _paragraph_starts: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, article: Article) -> Document:
        return cls.from_spans(article.text, [(span.start, span.end) for span in article.body])

    @classmethod
    def from_spans(cls, text: str, paragraphs: list[tuple[int, int]]) -> Document:
        sentences: list[Sentence] = []
        for number, (start, end) in enumerate(paragraphs):
            for sentence_start, sentence_end in iter_sentences(text, start, end):
                sentences.append(Sentence(sentence_start, sentence_end, number, len(sentences)))
        return cls(text, paragraphs, sentences, [s.start for s in sentences], [start for start, _ in paragraphs])

    def sentence_at(self, position: int) -> Sentence | None:
        """The sentence holding ``position``, or the last one starting before it."""
        index = bisect.bisect_right(self._starts, position) - 1
        return self.sentences[index] if index >= 0 else None

    def sentences_between(self, start: int, end: int) -> list[Sentence]:
        """Every sentence overlapping ``[start, end)``."""
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        found = []
        for sentence in self.sentences[first:]:
            if sentence.start >= end:
                break
            if sentence.end > start:
                found.append(sentence)
        return found

    def paragraph_of(self, position: int) -> int:
        return max(0, bisect.bisect_right(self._paragraph_starts, position) - 1)
