"""What the finders share: the article's context (document, interview turns, people, attributions) and drafts.

A :class:`Draft` is a claim before its speaker is resolved and its row is built. A finder is a function
``(context) -> list[Draft]``; :mod:`.finders` runs them in order, and each sees the drafts of the earlier ones
(``context.drafts``), so a sentence has one role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from builder.extract.attribution import Attribution, find_attributions
from builder.extract.document import Document, Sentence
from builder.extract.interview import Turn
from builder.extract.mentions import Mention
from builder.extract.speakers import People
from builder.models import Article, ClaimType
from builder.text import SpanSet

__all__ = ["Context", "Draft", "Finder"]


@dataclass
class Draft:
    """A claim in the making: type, span, attribution, and the group (``quote_id``) it belongs to."""

    claim_type: ClaimType
    start: int
    end: int
    cue: tuple[int, int] | None = None
    mention: Mention | None = None
    medium: str | None = None
    speaker: str | None = None
    speaker_title: str | None = None
    group: object | None = None
    question: str | None = None
    reach: tuple[int, int] = (0, 0)

    @classmethod
    def attributed(
        cls, claim_type: ClaimType, span: tuple[int, int], attribution: Attribution | None, group: object
    ) -> Draft:
        """A draft of ``span`` carrying ``attribution``; its reach covers the cue and the speaker mention."""
        start, end = span
        points = [start, end]
        if attribution is None:
            return cls(claim_type, start, end, group=group, reach=(start, end))
        points += list(attribution.cue)
        if attribution.speaker is not None:
            points += [attribution.speaker.start, attribution.speaker.end]
        return cls(
            claim_type,
            start,
            end,
            cue=attribution.cue,
            mention=attribution.speaker,
            medium=attribution.medium,
            group=group,
            reach=(min(points), max(points)),
        )


@dataclass
class Context:
    """One article as every finder sees it."""

    article: Article
    document: Document
    turns: dict[int, Turn]
    asking: set[str]
    people: People
    drafts: list[Draft] = field(default_factory=list)
    consumed: set[tuple[int, int]] = field(default_factory=set)
    """Cue spans whose attribution a finder already turned into claims."""
    _attributions: dict[int, list[Attribution]] = field(default_factory=dict)

    def attributions(self, sentence: Sentence) -> list[Attribution]:
        """The attributions of a sentence (computed once)."""
        found = self._attributions.get(sentence.index)
        if found is None:
            document = self.document
            start = sentence.start
            turn = self.turns.get(sentence.paragraph)
            if turn is not None and turn.content_start > start:
                start = min(turn.content_start, sentence.end)  # a speaker label is no part of a sentence's grammar
            opens = start == document.paragraphs[sentence.paragraph][0] and turn is None
            cues = document.cues_between(start, sentence.end)
            found = find_attributions(document.view, document.masked, start, sentence.end, opens, cues)
            self._attributions[sentence.index] = found
        return found

    def taken(self) -> SpanSet:
        return SpanSet(draft.reach for draft in self.drafts)

    @property
    def answer_paragraphs(self) -> set[int]:
        return {number for number, turn in self.turns.items() if turn.name not in self.asking}


Finder = Callable[[Context], list[Draft]]
