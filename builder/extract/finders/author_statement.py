"""Author statements: the body sentences in the outlet's own voice that no earlier finder took.

Only full declarative sentences: at least four words, not a question, with lower-case words in it (a heading
in title case or a figure list is none), outside interview turns.
"""

from __future__ import annotations

from builder.extract.document import Sentence
from builder.extract.draft import Context, Draft
from builder.models import ClaimType

__all__ = ["find"]

_MIN_WORDS = 4


def _statement_like(text: str, sentence: Sentence) -> bool:
    content = text[sentence.start : sentence.end].rstrip("\"'”’»)] \xa0")
    words = content.split()
    return (
        len(words) >= _MIN_WORDS
        and not content.endswith("?")
        and any(ch.islower() for ch in content)
        and any(ch.isalpha() for ch in content)
    )


def find(context: Context) -> list[Draft]:
    document = context.document
    taken = context.taken()
    drafts: list[Draft] = []
    for sentence in document.sentences:
        if sentence.paragraph in context.turns or taken.overlaps(sentence.start, sentence.end):
            continue
        if _statement_like(document.view, sentence):
            span = (sentence.start, sentence.end)
            drafts.append(Draft(ClaimType.AUTHOR_STATEMENT, *span, reach=span))
    return drafts
