"""Quotations a naming verb introduces, and the one quoted "as saying": shapes whose speaker or content is not where
a cue's usually are, read for :mod:`.attribution` over one :class:`~builder.extract.sentence.Sentence`.

* ``in what he called "a betrayal," Tarn left``: the quotation alone is the content (:func:`named_quotation`);
* ``was described as "reckless" by the minister``: a naming verb in the passive, the quotation spoken by the "by"
  phrase; without one it is a label (``was labeled "Mostly True"``), no report (:func:`passive_naming`);
* ``The Herald quoted him as saying …``: the one quoted speaks, the cue is "as saying" (:func:`quoted_as`);
* ``called Palin a "clown" on his radio show when …``: a noun-phrase content holding quoted words ends with them
  (:func:`to_quotation_end`).
"""

from __future__ import annotations

from builder.extract.lexicon import Cue
from builder.extract.mentions import Mention, mention_after, subject_before
from builder.extract.sentence import Sentence
from builder.extract.tokens import MARK, PUNCT, QUOTED, WORD

__all__ = ["named_quotation", "passive_naming", "quoted_as", "to_quotation_end"]

Span = tuple[int, int]

_QUOTING = frozenset({"quoted", "quotes", "quoting", "quote"})
_OBJECT_PRONOUNS = frozenset({"him", "her", "them"})


def quoted_as(sentence: Sentence, cue: Cue, first: int, last: int) -> tuple[Span, Mention] | None:
    """The cue span ("as saying") and the one quoted, for "quoted him as saying" ending at ``tokens[last]``."""
    if cue.lemma != "say" or sentence.low(last) != "saying" or sentence.low(first - 1) != "as":
        return None
    verb = next((i for i in range(first - 2, max(-1, first - 9), -1) if sentence.low(i) in _QUOTING), None)
    if verb is None or verb + 1 > first - 2:
        return None
    speaker = subject_before(sentence.tokens, first - 2, verb + 1)
    if sentence.low(first - 2) in _OBJECT_PRONOUNS and first - 2 == verb + 1:
        token = sentence.tokens[first - 2]  # "quoted him as saying": "him" is "he", resolved as a pronoun
        speaker = Mention(token.start, token.end, "pronoun", (token.start, token.end), first=first - 2)
    if speaker is None:
        return None
    return (sentence.tokens[first - 1].start, sentence.tokens[last].end), speaker


def passive_naming(sentence: Sentence, earliest: int, last: int) -> tuple[Span, Mention, Span] | None:
    """The cue span, the "by" phrase and the quotation of a naming verb in the passive ending at ``tokens[last]``
    ("was described as "reckless" by the minister"); None without a quotation or without its author."""
    index = last + 1
    if sentence.low(index) == "as":
        index += 1
    if index >= sentence.count or sentence.tokens[index].kind != MARK:
        return None
    closing = next((i for i in range(index + 1, sentence.count) if sentence.tokens[i].kind == MARK), None)
    if closing is None:
        return None
    quotation = sentence.content(index, closing)
    after = closing + 1
    while after < sentence.count and sentence.tokens[after].kind == PUNCT and sentence.text(after) == ",":
        after += 1
    speaker = mention_after(sentence.tokens, after + 1) if sentence.low(after) == "by" else None
    if speaker is None or quotation is None:
        return None  # "was labeled "Mostly True"": without its author, a label, not a report
    return (sentence.tokens[earliest].start, sentence.tokens[last].end), speaker, quotation


def named_quotation(sentence: Sentence, cue: Cue, index: int, subject_first: int | None) -> Span | None:
    """The quotation at ``tokens[index]`` after "what S called": the speaker's words; the rest of the sentence is
    not."""
    if "np" not in cue.frames or subject_first is None or sentence.low(subject_first - 1) != "what":
        return None
    if index >= sentence.count or sentence.tokens[index].kind != MARK:
        return None
    closing = next((i for i in range(index + 1, sentence.count) if sentence.tokens[i].kind == MARK), None)
    return sentence.content(index, closing) if closing is not None else None


def to_quotation_end(sentence: Sentence, span: Span | None) -> Span | None:
    """``span`` cut after its last closing quotation mark when words follow it ("defended his manager as a "very
    decent man" Tuesday, hours after …"); a possessive after the mark keeps the span whole."""
    if span is None:
        return None
    closing = None
    for i in range(1, sentence.count):
        token = sentence.tokens[i]
        if token.start >= span[1]:
            break
        if token.start >= span[0] and token.kind == MARK and sentence.tokens[i - 1].kind in (QUOTED, PUNCT):
            closing = i
    if closing is None or closing + 1 >= sentence.count or sentence.tokens[closing + 1].start >= span[1]:
        return span
    if sentence.tokens[closing + 1].kind == WORD and sentence.low(closing + 1) in {"'s", "’s"}:
        return span
    return (span[0], sentence.tokens[closing].end)
