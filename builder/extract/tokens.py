"""Tokens of one sentence of a document's masked view: words, punctuation, quotation marks, quoted content.

The masked view (:class:`~builder.extract.document.Document`) has line wraps as spaces and the words inside
quotation marks replaced by :data:`MASK`, so a quotation is one opaque ``QUOTED`` token between its marks and no
rule ever mistakes a quoted word for a cue or a speaker. Tokens carry raw offsets; nothing is copied but the words.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from builder.segment import ABBREVIATIONS
from builder.text import MASK

__all__ = ["MARK", "MASK", "PUNCT", "QUOTED", "WORD", "Token", "tokenize"]


WORD, PUNCT, MARK, QUOTED = "word", "punct", "mark", "quoted"

_TOKEN = re.compile(
    rf"(?P<quoted>{MASK}+)"
    # a word: "42%", "1,300", "D.C.-based", "it’s", "voters’ " (a plural possessive), "Mr." (its dot, if any)
    r"|(?P<word>\d+(?:[.,]\d+)*%|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|[^\W_]+(?:['’][^\W_]+|[.\-&/][^\W_]+|\.(?=-\w))*(?:(?<=s)['’](?= ))?\.?)"
    r"|(?P<mark>''|``|[\"“”«»„‘’])"
    r"|(?P<punct>--|[^\w\s])"
)


class Token(NamedTuple):
    """One token: raw span, text, kind (``word``, ``punct``, ``mark`` or ``quoted``) and the text in lower case."""

    start: int
    end: int
    text: str
    kind: str
    lower: str

    @property
    def capitalised(self) -> bool:
        return self.kind == WORD and self.text[:1].isupper()


def _keeps_dot(word: str) -> bool:
    """A final dot that belongs to the word: "Mr.", "U.S.", "J.", "Ltd."; not the full stop after "Tuesday."."""
    stem = word[:-1]
    return (len(stem) == 1 and stem.isalpha()) or "." in stem or stem.lower() in ABBREVIATIONS


_new_token = tuple.__new__  # a sentence holds dozens of tokens: skip NamedTuple's keyword-handling constructor


def tokenize(view: str, start: int, end: int) -> list[Token]:
    """The tokens of ``view[start:end]``."""
    tokens: list[Token] = []
    append = tokens.append
    for found in _TOKEN.finditer(view, start, end):
        kind = found.lastgroup or PUNCT
        text = found.group()
        first, last = found.span()
        if kind == WORD and text[-1] == "." and len(text) > 1 and not _keeps_dot(text):
            append(_new_token(Token, (first, last - 1, text[:-1], WORD, text[:-1].lower())))
            append(_new_token(Token, (last - 1, last, ".", PUNCT, ".")))
            continue
        append(_new_token(Token, (first, last, text, kind, text.lower())))
    return tokens
