"""Interview answers: each sentence of an answer turn in a Q&A layout (:mod:`~builder.extract.interview`),
spoken by the turn's label (an "A:" label by the interviewee the article introduced); the interviewer's turn
before it is kept as the claim's ``question``."""

from __future__ import annotations

from builder.extract.draft import Context, Draft
from builder.extract.interview import generic_label
from builder.extract.mentions import Mention
from builder.models import ClaimType

__all__ = ["find"]


def find(context: Context) -> list[Draft]:
    document = context.document
    text = document.text
    drafts: list[Draft] = []
    question: str | None = None
    for sentence in document.sentences:
        turn = context.turns.get(sentence.paragraph)
        if turn is None:
            continue
        paragraph_end = document.paragraphs[sentence.paragraph][1]
        if turn.name in context.asking:
            question = text[turn.content_start : paragraph_end]
            continue
        start = max(sentence.start, turn.content_start)
        if start >= sentence.end or not any(ch.isalnum() for ch in text[start : sentence.end]):
            continue
        interviewee = context.people.interviewee
        generic = generic_label(turn.name) and interviewee is not None
        name = interviewee if generic and interviewee else context.people.canonical(turn.name)
        drafts.append(
            Draft(
                ClaimType.INTERVIEW_ANSWER,
                start,
                sentence.end,
                mention=Mention(*turn.name_span, "name", turn.name_span),
                speaker=name,
                speaker_title=turn.role or context.people.names.get(name),
                question=question,
                reach=(start, sentence.end),
            )
        )
    return drafts
