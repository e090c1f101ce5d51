"""Claim finders: one module per claim kind, run in this order over one article.

Each finder is ``find(context) -> list[Draft]`` and sees the drafts of the finders before it
(``context.drafts``), so a sentence has one role:

1. :mod:`.direct_quote`: quotations a cue attributes as a whole, the pieces of one quotation, and quotation
   sentences that continue an attributed one;
2. :mod:`.interview_answer`: each sentence of an answer turn in a Q&A layout;
3. :mod:`.indirect_quote`: reported speech, mixed quotes included (``said Clinton's plan would "lead to …"``);
4. :mod:`.author_statement`: the remaining full declarative sentences in the outlet's own voice.

A new claim kind is one module here, with a ``find`` function, and its place in :data:`FINDERS`.
"""

from __future__ import annotations

from builder.extract.draft import Finder
from builder.extract.finders import author_statement, direct_quote, indirect_quote, interview_answer

__all__ = ["FINDERS"]

FINDERS: tuple[tuple[str, Finder], ...] = (
    ("direct_quote", direct_quote.find),
    ("interview_answer", interview_answer.find),
    ("indirect_quote", indirect_quote.find),
    ("author_statement", author_statement.find),
)
"""Every finder, by the claim type it yields, in the order they run."""
