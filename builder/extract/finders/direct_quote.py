"""Direct quotes: quotations a cue attributes as a whole, with the pieces of one quotation grouped.

* A quotation is a direct quote when it *is* an attribution's content: ``"…," she said`` · ``he said: "…"`` ·
  ``he noted that "…"`` · ``"A," he said, "B."`` (two pieces, one ``quote_id``). When the content holds other
  words too (``said Clinton's plan would "lead to World War Three," because …``) it is a mixed quote, left to
  :mod:`.indirect_quote` as one claim over the whole clause.
* A sentence that is nothing but a quotation continues the attributed quotation before it in its paragraph
  (same speaker, same ``quote_id``), or the one closing the paragraph before (a quotation running on over
  paragraphs); else it takes the attribution of a following ``He said.`` sentence, or of a ``She said:`` that
  ended the paragraph before. A quotation running on into the next paragraph without an attribution of its own
  takes the one its continuation gets there (``"… ¶ "…," she said.``). With none of these it is a direct quote
  without speaker.
* A quotation inside a sentence that attributes nothing is a scare quote, a slogan or a title
  (``a "Make America Great Again" cap``): no claim.
* The words of an interview answer are interview answers, not quotes; an interviewer's unattributed quotation
  is part of the question.
"""

from __future__ import annotations

import re

from builder.extract.attribution import Attribution
from builder.extract.document import Sentence
from builder.extract.draft import Context, Draft
from builder.extract.quotes import QuotePiece
from builder.models import ClaimType

__all__ = ["find"]

_WORD = re.compile(r"\w")
_THAT = re.compile(r"that ", re.IGNORECASE)


def _whole(masked: str, span: tuple[int, int]) -> bool:
    """The content is quotation marks, quoted words and punctuation only (a leading "that" aside)."""
    start, end = span
    that = _THAT.match(masked, start, end)
    if that:
        start = that.end()
    return _WORD.search(masked, start, end) is None


def _only_quotation(masked: str, sentence: Sentence) -> bool:
    return _WORD.search(masked, sentence.start, sentence.end) is None


class _Finder:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.document = context.document
        self.quotes = context.document.quotes
        self.drafts: list[Draft] = []
        self.group_of: dict[int, object] = {}
        self.attribution_of: dict[object, Attribution | None] = {}
        self.last: tuple[int, object] | None = None  # (paragraph, group) of the latest attributed quotation
        self.pending: tuple[int, Attribution] | None = None  # "She said:" closing paragraph n
        self.deferred: set[int] = set()  # pieces running on into a paragraph whose piece may be attributed

    def emit(self, index: int, attribution: Attribution | None, group: object) -> None:
        piece: QuotePiece = self.quotes[index]
        if attribution is not None and piece.continued and index - 1 in self.deferred:
            # the quotation opened a paragraph earlier and is attributed only here: its first pieces are the same
            # speaker's, in the same group
            self.deferred.discard(index - 1)
            self.emit(index - 1, attribution, group)
        draft = Draft.attributed(ClaimType.DIRECT_QUOTE, (piece.start, piece.end), attribution, group)
        draft.reach = (min(draft.reach[0], piece.open_at), max(draft.reach[1], piece.outer_end))
        self.drafts.append(draft)
        self.group_of[index] = group
        self.attribution_of[group] = attribution
        if attribution is not None:
            if group == ("quote", attribution.cue):
                self.context.consumed.add(attribution.cue)
            self.last = (piece.paragraph, group)

    def run(self) -> list[Draft]:
        by_sentence: dict[int, list[int]] = {}
        for index, piece in enumerate(self.quotes):
            sentence = self.document.sentence_at(piece.open_at)
            if sentence is not None:
                by_sentence.setdefault(sentence.index, []).append(index)
        answers = self.context.answer_paragraphs
        sentences = self.document.sentences
        for position, sentence in enumerate(sentences):
            if sentence.paragraph in answers:
                continue  # an answer's own words are interview answers
            pieces = by_sentence.get(sentence.index, [])
            handled = self.attributed(sentence, pieces)
            following = sentences[position + 1] if position + 1 < len(sentences) else None
            for index in pieces:
                if index not in handled:
                    self.unattributed(index, sentence, following)
        for index in sorted(self.deferred):  # never attributed after all
            self.deferred.discard(index)
            self.unattributed(index, self.document.sentence_at(self.quotes[index].open_at), None, defer=False)
        return self.drafts

    def attributed(self, sentence: Sentence, pieces: list[int]) -> set[int]:
        """Quotations that are an attribution's content; mixed ones are marked handled and left alone."""
        handled: set[int] = set()
        for attribution in self.context.attributions(sentence):
            if attribution.open:
                self.pending = (sentence.paragraph, attribution)
                continue
            whole: list[int] = []
            mixed = False
            for span in attribution.content:
                inside = [i for i in pieces if i not in handled and span[0] <= self.quotes[i].open_at < span[1]]
                if not inside:
                    continue
                if _whole(self.document.masked, span):
                    whole += inside
                else:
                    mixed = True
                    handled.update(inside)
            if whole and not mixed:
                group = ("quote", attribution.cue)
                for index in whole:
                    self.emit(index, attribution, group)
                handled.update(whole)
            elif mixed:
                # A quotation sentence after a mixed quote continues it: same speaker, same quote_id.
                group = ("said", attribution.cue)
                self.attribution_of[group] = attribution
                self.last = (sentence.paragraph, group)
        return handled

    def unattributed(
        self, index: int, sentence: Sentence | None, following: Sentence | None, defer: bool = True
    ) -> None:
        piece = self.quotes[index]
        if piece.continued and index - 1 in self.deferred:
            # its continuation has no attribution either: the first piece is read as it would have been
            self.deferred.discard(index - 1)
            self.unattributed(index - 1, self.document.sentence_at(self.quotes[index - 1].open_at), None, defer=False)
        if piece.continued and index - 1 in self.group_of:
            group = self.group_of[index - 1]
            self.emit(index, self.attribution_of[group], group)
            return
        runs_on = piece.continues and index + 1 < len(self.quotes) and self.quotes[index + 1].continued
        opens = sentence is not None and self.document.paragraphs[sentence.paragraph][0] == sentence.start
        quoted_here = self.last is not None and sentence is not None and self.last[0] == sentence.paragraph
        if defer and runs_on and opens and not quoted_here:
            self.deferred.add(index)  # wait for the paragraph it runs on into: "… (no closing mark) ¶ "…," she said."
            return
        if sentence is None:
            return
        masked = self.document.masked
        if not _only_quotation(masked, sentence):
            return  # a scare quote, a slogan, a title
        paragraph = sentence.paragraph
        if following is not None and following.paragraph == paragraph:
            orphan = next(
                (a for a in self.context.attributions(following) if not a.content and not a.open and a.speaker),
                None,
            )
            if orphan is not None:  # `"…?" Trump said.` (the question mark ended a sentence)
                self.emit(index, orphan, ("quote", orphan.cue))
                return
        opens_paragraph = self.document.sentence_at(self.document.paragraphs[paragraph][0]) is sentence
        if self.last is not None and (self.last[0] == paragraph or (self.last[0] == paragraph - 1 and opens_paragraph)):
            group = self.last[1]
            self.emit(index, self.attribution_of[group], group)
            return
        if self.pending is not None and self.pending[0] == paragraph - 1:
            attribution = self.pending[1]
            self.emit(index, attribution, ("quote", attribution.cue))
            return
        if paragraph in self.context.turns:
            return  # an interviewer's unattributed quotation is part of the question
        self.emit(index, None, ("unattributed", index))


def find(context: Context) -> list[Draft]:
    return _Finder(context).run()
