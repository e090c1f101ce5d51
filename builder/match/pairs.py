"""Two sentences: the same claim or not. The features of a pair, and the default matcher over them.

Features (the similarities in [0, 1]; the counts of words and numbers as they are):

* ``word_jaccard``, ``content_jaccard``, ``stem_jaccard``: Jaccard similarity of the two sets of all words, of the
  content words (no function words), of the content words' stems;
* ``bigram_dice``: Dice similarity of the sets of adjacent word pairs (the same words in another order and
  structure share few);
* ``char3_dice``: Dice similarity of the sets of character 3-grams (meets ``relations``/``relationship``);
* ``lcs_ratio``: the longest common subsequence of words, twice over the two lengths;
* ``length_ratio``: the shorter sentence's words over the longer's;
* ``common_jaccard``, ``common_unmatched``: the Jaccard similarity of the stems of the content words written in
  lower case, and how many of them the side missing more misses: two sentences about the same names may say
  different things of them (``Davenport progressed`` / ``Davenport will compete``);
* ``unmatched_most``, ``unmatched_least``: content-word stems of the one sentence missing from the other, for the
  side missing more and the side missing fewer (what one adds that the other does not say);
* ``length_difference``: the difference in words (the three counts capped at 12);
* ``numbers_one_side``: numbers and months named in one sentence only (a claim with other figures is another);
* ``negation_mismatch``: 1 when exactly one of them holds a negation.

The default matcher is a logistic function of these features and of their pairwise products (the similarities
agree or disagree in ways a sum misses). Its constants were chosen by 10-fold cross-validation on the MRPC training
pairs (news sentences from the same stories, paraphrase or not; research use only, not shipped) and fitted on all
of them, together with 4,000 pairs of sentences from two different MRPC stories that share two content words,
taught as different: MRPC's own pairs all overlap a lot, and a corpus asks about pairs that share only a few
words. Feature weights only, never a weight per word. ``bench/matching.py`` measures it and writes the constants.

A pair is a **match** when the score reaches :data:`THRESHOLD` (:data:`STATEMENT_THRESHOLD` for two outlets' own
statements), the two share at least :data:`MIN_SHARED` of their
content-word stems (the matcher learned from pairs that all overlap; it is not asked about pairs that barely do),
and nothing rules it out (:func:`ruled_out`): one denies what the other asserts (``no contradiction`` / ``a clear
contradiction``), both give figures and none is the same, or two different speakers are named.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, NamedTuple

from builder.match.default_weights import DEFAULT_BIAS, DEFAULT_WEIGHTS
from builder.match.text import MatchText, match_text

if TYPE_CHECKING:  # the model's module builds on this one's features
    from builder.match.model import MatchModel

__all__ = [
    "FEATURES",
    "MIN_SHARED",
    "STATEMENT_THRESHOLD",
    "THRESHOLD",
    "PairScore",
    "default_score",
    "expanded",
    "pair_features",
    "polarity_differs",
    "ruled_out",
    "same_speaker",
    "score_pair",
]

FEATURES = (
    "word_jaccard",
    "content_jaccard",
    "stem_jaccard",
    "bigram_dice",
    "char3_dice",
    "lcs_ratio",
    "length_ratio",
    "common_jaccard",
    "common_unmatched",
    "unmatched_most",
    "unmatched_least",
    "length_difference",
    "numbers_one_side",
    "negation_mismatch",
)
THRESHOLD = 0.5
STATEMENT_THRESHOLD = 0.75
"""Two outlets telling one event in their own words share its names, places and figures whatever each asserts of
them: two author statements are one claim only at this score, where the decision's cross-validated precision on
MRPC reaches 0.9 (bench/matching.py prints it by threshold)."""
_MOST = 12
"""Counts are capped here: about the largest the MRPC pairs hold, so that the products of two long, different
sentences are not extrapolated far beyond anything the weights were chosen on."""
MIN_SHARED = 0.25
"""Jaccard similarity of the content-word stems below which a pair is never a match."""


def _jaccard(first: frozenset[str] | set[str], second: frozenset[str] | set[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 1.0


def _dice(first: frozenset[str] | set[str], second: frozenset[str] | set[str]) -> float:
    total = len(first) + len(second)
    return 2 * len(first & second) / total if total else 1.0


def _lcs(first: tuple[str, ...], second: tuple[str, ...]) -> int:
    """The length of the longest common subsequence of words, bit-parallel (Hyyrö 2004): one bit per word of
    ``first``; each word of ``second`` advances every row of the dynamic programme at once, by big-integer
    addition. Exact, and about 30 times faster than the table for sentences of 60 words."""
    masks: dict[str, int] = {}
    for at, word in enumerate(first):
        masks[word] = masks.get(word, 0) | (1 << at)
    full = (1 << len(first)) - 1
    row = full
    for word in second:
        matched = row & masks.get(word, 0)
        row = ((row + matched) | (row - matched)) & full
    return len(first) - row.bit_count()


def _bigrams(found: tuple[str, ...]) -> set[str]:
    return {f"{first} {second}" for first, second in itertools.pairwise(found)}


def polarity_differs(first: MatchText, second: MatchText) -> bool:
    """Whether one sentence denies what the other asserts: only one of them holds a negation, and a word it negates
    (``no contradiction``) is in the other (``a clear contradiction``). A negation about something the other
    does not mention (``did not comment``) is extra detail, not the opposite claim."""
    if first.negated == second.negated:
        return False  # both deny something: their scopes are read too loosely to tell them apart
    denying, asserting = (first, second) if first.negated else (second, first)
    return bool(denying.denied & asserting.stems)


def pair_features(first: MatchText, second: MatchText) -> dict[str, float]:
    """The features of a pair, by name (see the module's docstring)."""
    a, b = first.words, second.words
    return {
        "word_jaccard": _jaccard(set(a), set(b)),
        "content_jaccard": _jaccard(first.content, second.content),
        "stem_jaccard": _jaccard(first.stems, second.stems),
        "bigram_dice": _dice(_bigrams(a), _bigrams(b)),
        "char3_dice": _dice(first.chars, second.chars),
        "lcs_ratio": 2 * _lcs(a, b) / max(len(a) + len(b), 1),
        "length_ratio": min(len(a), len(b)) / max(len(a), len(b), 1),
        "common_jaccard": _jaccard(first.common, second.common),
        "common_unmatched": float(
            min(max(len(first.common - second.common), len(second.common - first.common)), _MOST)
        ),
        "unmatched_most": float(min(max(len(first.stems - second.stems), len(second.stems - first.stems)), _MOST)),
        "unmatched_least": float(min(len(first.stems - second.stems), len(second.stems - first.stems), _MOST)),
        "length_difference": float(min(abs(len(a) - len(b)), _MOST)),
        "numbers_one_side": float(len(first.numbers ^ second.numbers)),
        "negation_mismatch": float(first.negated != second.negated),
    }


def expanded(features: dict[str, float]) -> dict[str, float]:
    """The features and their pairwise products (``a*b``, squares included), as the linear matchers weigh them."""
    terms = dict(features)
    names = list(features)
    for at, name in enumerate(names):
        for other in names[at:]:
            terms[f"{name}*{other}"] = features[name] * features[other]
    return terms


def default_score(features: dict[str, float]) -> float:
    """The default matcher's score of a pair with these features: the logistic of its weighted terms."""
    terms = expanded(features)
    margin = DEFAULT_BIAS + math.fsum(DEFAULT_WEIGHTS[name] * value for name, value in terms.items())
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, margin))))


def _surname(name: str) -> str:
    kept = [word for word in name.replace(".", " ").split() if word[:1].isalpha()]
    return kept[-1].casefold() if kept else name.casefold().strip()


def same_speaker(first: str | None, second: str | None) -> bool | None:
    """Whether two speaker names name one person (the same surname); None when either is unknown."""
    if not first or not second:
        return None
    return _surname(first) == _surname(second)


def ruled_out(first: MatchText, second: MatchText, speakers_agree: bool | None) -> str | None:
    """Why two sentences cannot state one claim whatever their score, or None: one denies what the other
    asserts, figures on both sides with none shared, or two different speakers."""
    if polarity_differs(first, second):
        return "polarity_differs"
    if first.numbers and second.numbers and not first.numbers & second.numbers:
        return "numbers_differ"
    if speakers_agree is False:
        return "speakers_differ"
    return None


class PairScore(NamedTuple):
    """A scored pair: the score, the decision, the features, and what ruled the pair out (None if nothing)."""

    score: float
    match: bool
    terms: dict[str, float]
    ruled_out: str | None


def score_pair(
    first: str | MatchText,
    second: str | MatchText,
    first_speaker: str | None = None,
    second_speaker: str | None = None,
    speakers_agree: bool | None = None,
    statements: bool = False,
    thresholds: tuple[float, float] = (THRESHOLD, STATEMENT_THRESHOLD),
    model: MatchModel | None = None,
) -> PairScore:
    """Score two sentences with the default matcher, or with a fitted ``model`` (``factpack match fit``). Speakers
    count by name (``first_speaker``) or, when the caller knows better (linked speaker ids), by ``speakers_agree``.
    ``statements``: both are an outlet's own statements (claim type ``author_statement``), decided at the second of
    ``thresholds``, else at the first. A model's score is on its own scale, so its pairs are decided at its own
    threshold instead of the first, and its statements at its own statement threshold when it carries one (else,
    still, at the second). The rules and :data:`MIN_SHARED` apply whichever scores."""
    a = match_text(first) if isinstance(first, str) else first
    b = match_text(second) if isinstance(second, str) else second
    features = pair_features(a, b)
    score = round(default_score(features), 3) if model is None else model.score(a, b)
    agree = speakers_agree if speakers_agree is not None else same_speaker(first_speaker, second_speaker)
    reason = ruled_out(a, b, agree)
    if model is not None:
        statement_bar = thresholds[1] if model.statement_threshold is None else model.statement_threshold
        thresholds = (model.threshold, statement_bar)
    bar = thresholds[1] if statements else thresholds[0]
    matched = reason is None and score >= bar and features["stem_jaccard"] >= MIN_SHARED
    return PairScore(score, matched, features, reason)
