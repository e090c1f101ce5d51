"""Author statements: full declarative sentences of the body in the outlet's own voice, that no earlier finder took.

A sentence is a statement when it

* has at least four words and ends like a sentence (``.``, ``!`` or ``…``, maybe inside a closing quotation mark
  or bracket): a fragment ("The new measures"), a heading, a list item ("Spend three years on probation") or a
  line ending in a colon is none, and neither is a question;
* opens with a capital, a digit or an opening mark, not in the middle of a sentence ("23.5 pct to 70.9 mln dlrs."
  opens with a figure but has no verb, see below);
* holds a finite verb (:func:`~builder.extract.verbs.finite`): a table row, a score line or a figure list
  ("Shr 33 cts vs 28 cts", "Riggott 74, Graham 86.", "Soybean prev 100.9, …") holds none;
* is mostly words: at most 40% of its tokens carry a digit, and at least two are lower-case words.

Interview turns are never author statements (their sentences are answers or questions).
"""

from __future__ import annotations

import re

from builder.extract.document import Sentence
from builder.extract.draft import Context, Draft
from builder.extract.verbs import has_finite_verb
from builder.models import ClaimType

__all__ = ["find", "statement_like"]

_MIN_WORDS = 4
_MAX_DIGIT_SHARE = 0.4
_ENDS = re.compile(r"[.!…][\"'”’»)\]]*$")
_OPENS = re.compile(r"[\"'“‘«(\[]*[A-Z0-9À-ÖØ-ÞĀ-ſ]")
_WORD = re.compile(r"[^\W_][\w'’.-]*")
_DIGIT = re.compile(r"\d")


def statement_like(text: str) -> bool:
    """``text`` (one sentence, line wraps as spaces) reads as a full declarative sentence."""
    words = _WORD.findall(text)
    if len(words) < _MIN_WORDS or not _ENDS.search(text) or not _OPENS.match(text):
        return False
    digits = sum(1 for word in words if not word.isalpha() and _DIGIT.search(word))
    lower = sum(word[:1].islower() for word in words)
    if digits > _MAX_DIGIT_SHARE * len(words) or lower < 2:
        return False
    return has_finite_verb([word.rstrip(".") for word in words])


def find(context: Context) -> list[Draft]:
    document = context.document
    taken = context.taken()
    drafts: list[Draft] = []
    for sentence in document.sentences:
        if sentence.paragraph in context.turns or taken.overlaps(sentence.start, sentence.end):
            continue
        if _statement(document.view, sentence):
            span = (sentence.start, sentence.end)
            drafts.append(Draft(ClaimType.AUTHOR_STATEMENT, *span, reach=span))
    return drafts


def _statement(view: str, sentence: Sentence) -> bool:
    return statement_like(view[sentence.start : sentence.end])
