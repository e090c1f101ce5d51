"""Fact-checks ranked against a claim: BM25 over each fact-check's claim and headline.

A fact-check is one document: its ``claimReviewed`` and its headline, one field (the headline often names who
said it and what about). Both sides are read the same way: web addresses and ``@handles`` dropped, ``#`` taken off
hashtags and a CamelCase hashtag split into words (``#ColdWar`` → ``Cold War``), then the content words' stems of
:mod:`builder.match.text`. The score is Okapi BM25 with ``k1`` 1.2 and ``b`` 0.75 (the textbook constants, not
tuned), each query word counted once, ``idf = ln(1 + (N − df + 0.5) / (df + 0.5))``. Ties go to the earlier
fact-check, so a ranking is the same in every run.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from builder.match.text import content_words, stem, words

__all__ = ["K1", "B", "Bm25Index", "ranking_words"]

K1 = 1.2
B = 0.75
_ADDRESS = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|\bwww\.\S+")
_HANDLE = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")


def _hashtag(found: re.Match[str]) -> str:
    return _CAMEL.sub(" ", found.group(1))


def ranking_words(text: str) -> list[str]:
    """The stems BM25 compares (see the module's docstring)."""
    plain = _HASHTAG.sub(_hashtag, _HANDLE.sub(" ", _ADDRESS.sub(" ", text)))
    return [stem(word) for word in content_words(words(plain))]


class Bm25Index:
    """BM25 over a fixed list of documents (texts)."""

    def __init__(self, documents: Sequence[str]) -> None:
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = []
        for number, text in enumerate(documents):
            counts = Counter(ranking_words(text))
            lengths.append(sum(counts.values()))
            for word, count in counts.items():
                self._postings[word].append((number, count))
        self.size = len(lengths)
        average = sum(lengths) / len(lengths) if lengths else 1.0
        self._norm = [K1 * (1 - B + B * length / (average or 1.0)) for length in lengths]
        self._idf = {
            word: math.log(1 + (self.size - len(found) + 0.5) / (len(found) + 0.5))
            for word, found in self._postings.items()
        }

    def top(self, query: str, count: int) -> list[tuple[int, float]]:
        """The ``count`` best documents for ``query``: (index, score), best first; none that shares no word."""
        totals: dict[int, float] = defaultdict(float)
        for word in set(ranking_words(query)):
            idf = self._idf.get(word)
            if idf is None:
                continue
            for number, found in self._postings[word]:
                totals[number] += idf * found * (K1 + 1) / (found + self._norm[number])
        best = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:count]
        return [(number, round(score, 4)) for number, score in best]
