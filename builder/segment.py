"""Sentence segmentation with raw offsets, in one linear pass of a regex.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (plus any closing quotes or brackets) followed by white space
and then a character that can open a sentence (an upper-case letter, a digit or an opening quote/bracket).
It does not end after a title ("Mr.", "Gen.") or a single initial ("J. Smith"), after "Oct." or "No." before a
digit, or after another common abbreviation ("Co.", "ft.", "e.g.") or a dotted acronym ("U.S.") unless the next
word is a usual sentence opener.
Every check looks at a bounded window, so time is linear in the text length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.text import MASK, trim

__all__ = ["ABBREVIATIONS", "NUMBERED_ABBREVIATIONS", "TITLES", "iter_sentences"]

# Lower-cased, without the final dot. Titles never end a sentence when a capital follows...
TITLES = frozenset(
    "mr mrs ms dr prof gen col lt sgt capt cmdr adm maj gov sen rep rev hon pres supt insp det fr".split()
)
# ...nor do these, whatever follows...
_NEVER_FINAL = TITLES | frozenset("e.g i.e cf vs al".split())
# ...and other abbreviations end one only before a usual sentence opener ("… tell the FT. But Rover said …").
ABBREVIATIONS = _NEVER_FINAL | frozenset("sr jr st mt ft etc inc ltd co corp approx dept est".split())
# ...and these never end one when a digit follows ("Oct. 1", "No. 10").
NUMBERED_ABBREVIATIONS = frozenset("no nos vol fig p pp jan feb mar apr jun jul aug sep sept oct nov dec".split())
_OPENERS = frozenset(
    "the a an he she it they we i you his her its their our this that these those there but and so yet in "
    "on at for after before when while if as however meanwhile".split()
)
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_OPENING = re.compile(rf"[\"'“‘«(\[]*[A-Z0-9À-ÖØ-ÞĀ-ſ{MASK}]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]{0,15})\.$")
_LOOKBACK = 18


def iter_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each sentence in ``text[start:end]``, trimmed of edge white space."""
    sentence_start = start
    for found in _END.finditer(text, start, end):
        gap = found.end()
        if gap >= end or not text[gap].isspace():
            continue
        following = gap
        while following < end and text[following].isspace():
            following += 1
        if following >= end or not _OPENING.match(text, following, end):
            continue
        if found.group() == "." and _abbreviation_before(text, found.start(), following):
            continue
        span = trim(text, sentence_start, found.end())
        if span[0] < span[1]:
            yield span
        sentence_start = following
    span = trim(text, sentence_start, end)
    if span[0] < span[1]:
        yield span


def _abbreviation_before(text: str, dot: int, following: int) -> bool:
    """True when the dot at ``dot`` closes an abbreviation rather than a sentence."""
    word = _WORD_BEFORE.search(text, max(0, dot - _LOOKBACK), dot + 1)
    if word is None:
        return False
    token = word.group(1)
    if len(token) == 1 and token.isupper():
        return True  # an initial: "J. Smith"
    if token.lower() in _NEVER_FINAL:
        return True  # "Mr. Smith", "Gen. Petraeus", "e.g. This": never the end of a sentence
    if token.lower() in NUMBERED_ABBREVIATIONS:
        return text[following].isdigit()
    if token.lower() in ABBREVIATIONS or "." in token:
        # "Co.", "ft.", a dotted acronym ("U.S."): a sentence ends there only before a usual opener
        next_word = re.match(r"[A-Za-z]+", text[following : following + 20])
        return next_word is None or next_word.group().lower() not in _OPENERS
    return False
