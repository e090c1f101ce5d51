"""Indirect quotes: reported speech, thought and findings, and mixed quotes, as the whole reported content.

Every attribution (:mod:`~builder.extract.attribution`) that :mod:`.direct_quote` did not take gives one claim
per content piece, all pieces of one attribution sharing a ``quote_id``: ``Stoltenberg said there was no
contradiction …`` → "there was no contradiction …"; ``Trump said Clinton's plan would "lead to World War
Three," because …`` → the whole clause, quoted words included. A content of fewer than two words is no claim,
nor is a refusal to speak ("declined to comment", "did not respond to a request for comment") or a report that is
denied ("did not say the plant would close", "never commented on the deal": nothing in it was said).
"""

from __future__ import annotations

import re

from builder.extract.draft import Context, Draft
from builder.extract.verbs import has_finite_verb
from builder.models import ClaimType

__all__ = ["find", "reports_nothing"]

_MIN_WORDS = 2
# "declined to comment", "did not respond to a request for comment", "refused to elaborate": a refusal to speak
# holds no statement, whatever follows about what it was on.
_SILENCE = re.compile(
    r"(?:to (?:comment|elaborate|respond|reply|speculate|answer|talk|say|discuss|be interviewed|give details)"
    r"|(?:(?:a|any|repeated|several|multiple|written|emailed|telephone|phone) )*"
    r"(?:requests?|calls?|messages?|e-?mails?|inquiries|questions?) (?:for|seeking) comments?)"
    r"(?![\w-])(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
_CLAUSE_WORDS = frozenset("whether if that what why how when who which".split())
_NEGATIONS = frozenset({"not", "never", "cannot"})


def _negated(view: str, cue: tuple[int, int]) -> bool:
    """The cue is denied: a negation inside it ("did not say", "hasn't commented on") or right before it ("never
    mentioned")."""
    words = view[max(0, cue[0] - 12) : cue[1]].lower().replace("’", "'").split()
    inside = view[cue[0] : cue[1]].lower().replace("’", "'").split()
    before = words[-len(inside) - 1] if len(words) > len(inside) else ""
    return bool(_NEGATIONS & {*inside, before}) or any(word.endswith("n't") for word in inside)


def reports_nothing(content: str) -> bool:
    """The content is only a refusal's object: "to comment", "to comment on the report", "a request for comment";
    not "to say whether the plant would close"."""
    found = _SILENCE.match(content)
    if found is None:
        return False
    rest = found.group("rest").split()
    return not has_finite_verb(rest) and not any(word.lower() in _CLAUSE_WORDS for word in rest)


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
            if len(pieces) == 1 and reports_nothing(document.view[pieces[0][0] : pieces[0][1]]):
                continue
            if _negated(document.view, attribution.cue):
                continue  # "did not say the plant would close", "never commented on the deal": nothing was said
            for piece in pieces:
                drafts.append(Draft.attributed(ClaimType.INDIRECT_QUOTE, piece, attribution, ("said", attribution.cue)))
            if pieces:
                context.consumed.add(attribution.cue)
    return drafts
