"""Indirect quotes: reported speech, thought and findings, and mixed quotes, as the whole reported content.

Every attribution (:mod:`~builder.extract.attribution`) that :mod:`.direct_quote` did not take gives one claim
per content piece, all pieces of one attribution sharing a ``quote_id``: ``Stoltenberg said there was no
contradiction …`` → "there was no contradiction …"; ``Trump said Clinton's plan would "lead to World War
Three," because …`` → the whole clause, quoted words included. A content of fewer than two words is no claim.
"""

from __future__ import annotations

from builder.extract.draft import Context, Draft
from builder.models import ClaimType

__all__ = ["find"]

_MIN_WORDS = 2


def find(context: Context) -> list[Draft]:
    document = context.document
    taken = context.taken()
    answers = context.answer_paragraphs
    drafts: list[Draft] = []
    for sentence in document.sentences:
        if sentence.paragraph in answers:
            continue
        for attribution in context.attributions(sentence):
            if attribution.cue in context.consumed or not attribution.content:
                continue
            pieces = [(start, end) for start, end in attribution.content if not taken.overlaps(start, end)]
            if sum(len(document.view[start:end].split()) for start, end in pieces) < _MIN_WORDS:
                continue  # "Democrats, Frank notes, applaud …": the pieces together are the claim
            for piece in pieces:
                drafts.append(Draft.attributed(ClaimType.INDIRECT_QUOTE, piece, attribution, ("said", attribution.cue)))
            if pieces:
                context.consumed.add(attribution.cue)
    return drafts
