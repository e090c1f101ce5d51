"""What the matcher reads of a sentence: its words, their stems, its numbers and what it denies.

Everything here is written by hand and small: a tokeniser that keeps numbers whole (``2.5``, ``1,000``), a list
of English function words, a suffix-stripping stemmer of seven rules, number words up to twenty, month names
(a date's month is part of what a claim says) and the negations. No table was learned from data.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from builder.segment import iter_sentences

__all__ = [
    "NEGATIONS",
    "STOP_WORDS",
    "MatchText",
    "char_ngrams",
    "claim_parts",
    "content_words",
    "match_text",
    "numbers_of",
    "stem",
    "words",
]

_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*")
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "`": "'"})

STOP_WORDS = frozenset(
    """a an the and or but so yet if then than that this these those there here of in on at to from by for with
    without about into onto over under after before between through during as is am are was were be been being do
    does did doing have has had having will would shall should can could may might must i me my we our us you your
    he him his she her it its they them their who whom whose which what when where why how all any both each few
    more most other some such only own same too very just also s t 'll 're 've 'd said says say saying told tells
    tell according added adds""".split()
)
"""Function words, and the reporting verbs every outlet uses in its own way: they say nothing about the claim."""

NEGATIONS = frozenset("not no never nor cannot none nobody nothing neither nowhere without".split())

_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}
_MONTHS = {
    word: f"month:{number}"
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march",),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for word in names
}
_MONTHS.pop("may")  # the verb far more often than the month
_MONTHS.pop("march")


def words(text: str) -> list[str]:
    """The lower-cased words and numbers of ``text``, in order (``didn't`` and ``2.5`` are one each)."""
    return _TOKEN.findall(text.lower().translate(_TYPOGRAPHY))


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """``word`` without its commonest English suffix (plural, past, ``-ing``, ``-ly``): near enough for two
    sentences to meet on ``relations``/``relationship`` no, but on ``cooperated``/``cooperating`` yes."""
    if len(word) <= 3 or word[0].isdigit():
        return word
    for suffix, replacement, shortest in _SUFFIXES:
        if not word.endswith(suffix) or len(word) < shortest:
            continue
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            return word
        if suffix == "es" and not word.endswith(("sses", "xes", "ches", "shes", "zes")):
            continue  # "rules": the plain plural rule below takes it
        base = word[: -len(suffix)] + replacement
        if suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
            base = base[:-1]  # "stopped" -> "stop"
        return base
    return word


_SUFFIXES = (
    ("ies", "y", 5),
    ("ing", "", 6),
    ("edly", "", 7),
    ("ly", "", 6),
    ("ed", "", 5),
    ("es", "", 5),
    ("s", "", 4),
)


def numbers_of(found: list[str]) -> frozenset[str]:
    """The numbers among ``found`` words (``1,000`` as ``1000``; ``two`` as ``2``) and the months named."""
    kept = set()
    for word in found:
        if word[0].isdigit():
            kept.add(word.replace(",", ""))
        elif word in _NUMBER_WORDS:
            kept.add(_NUMBER_WORDS[word])
        elif word in _MONTHS:
            kept.add(_MONTHS[word])
    return frozenset(kept)


def content_words(found: list[str]) -> list[str]:
    """``found`` without the function words and the negations (those are compared on their own)."""
    return [word for word in found if word not in STOP_WORDS and word not in NEGATIONS]


def char_ngrams(text: str, size: int = 3) -> set[str]:
    """The character ``size``-grams of ``text``, lower-cased, runs of blanks as one space, padded by one."""
    flat = " " + " ".join(text.lower().translate(_TYPOGRAPHY).split()) + " "
    return {flat[start : start + size] for start in range(len(flat) - size + 1)}


class MatchText(NamedTuple):
    """A sentence as the matcher compares it."""

    words: tuple[str, ...]
    content: frozenset[str]
    stems: frozenset[str]
    numbers: frozenset[str]
    negated: bool
    denied: frozenset[str]
    """The stems a negation denies: the first two content words within three words after each negation."""
    chars: frozenset[str]
    common: frozenset[str]
    """The stems of the content words written in lower case: what is said of the names, not the names."""


_SCOPE = 3
_WRITTEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _denied(found: list[str]) -> frozenset[str]:
    denied: set[str] = set()
    for at, word in enumerate(found):
        if word in NEGATIONS or word.endswith("n't"):
            after = content_words(list(found[at + 1 : at + 1 + _SCOPE]))[:2]
            denied.update(stem(other) for other in after)
    return frozenset(denied)


def match_text(text: str) -> MatchText:
    """What the matcher needs of ``text``, read once."""
    found = words(text)
    content = content_words(found)
    return MatchText(
        tuple(found),
        frozenset(content),
        frozenset(stem(word) for word in content),
        numbers_of(found),
        any(word in NEGATIONS or word.endswith("n't") for word in found),
        _denied(found),
        frozenset(char_ngrams(text)),
        frozenset(stem(word) for word in content_words(_lower_case_words(text))),
    )


def _lower_case_words(text: str) -> list[str]:
    return [word.replace("’", "'") for word in _WRITTEN.findall(text) if word.islower()]


_PART = re.compile(r"\s*(?:[:;]|\s[–—-]\s)\s*")
_SHORTEST_PART = 4


def claim_parts(text: str) -> list[str]:
    """What of a claim is compared: each of its sentences, and, when a sentence has parts of four words or more
    around a colon, a semicolon or a spaced dash, each part too (``we had good relations on many issues: on
    borders, on visas, ...`` states its claim before the colon and lists after it)."""
    found = []
    for start, end in iter_sentences(text, 0, len(text)):
        sentence = text[start:end]
        parts = [part for part in _PART.split(sentence) if len(part.split()) >= _SHORTEST_PART]
        found.append(sentence)
        if len(parts) > 1:
            found.extend(parts)
    return found or [text]
