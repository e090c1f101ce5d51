"""Interview layouts: paragraphs that open with a speaker label ("Jens Stoltenberg: …", "euronews: …").

A body is an interview when at least two paragraphs carry labels of at least two different speakers and one of them
asks questions. The speaker whose turns end in questions most often is the interviewer; the others answer. A label
that names no one ("Q:" / "A:", "Question:" / "Answer:") stands for the interviewee the article introduces: the
person it names most before the first turn. A label seen with its colon elsewhere is recognised without it too ("Jens
Stoltenberg, NATO Secretary General It's …", a colon lost in the scrape).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from builder.extract.document import Document

__all__ = ["Turn", "find_turns", "generic_label"]

# Labels that name a role in the exchange, not a person: "Q:" / "A:", "Question:" / "Answer:".
_GENERIC_LABELS = frozenset({"q", "a", "question", "answer", "interviewer", "interviewee"})

_LABEL = re.compile(
    r"(?P<label>(?P<name>[A-Z][\w.'’-]*(?:[ \xa0][A-Z][\w.'’-]*){0,3}|[a-z][\w.-]{1,20})"
    r"(?:,[ \xa0]*(?P<role>[^:,.!?\n]{1,60}))?):[ \xa0]+(?=\S)"
)


@dataclass(frozen=True, slots=True)
class Turn:
    """One labelled paragraph: who speaks, where the label's name is, and where the words start."""

    paragraph: int
    name: str
    role: str | None
    name_span: tuple[int, int]
    content_start: int
    asks: bool


def find_turns(document: Document) -> dict[int, Turn]:
    """Labelled paragraphs by index, or nothing when the body is not an interview."""
    text = document.view
    turns: dict[int, Turn] = {}
    labels: dict[str, tuple[str, str | None]] = {}
    for number, (start, end) in enumerate(document.paragraphs):
        found = _LABEL.match(text, start, end)
        if found is None:
            continue
        name, role = found.group("name"), found.group("role")
        labels[found.group("label")] = (name, role)
        turns[number] = Turn(number, name, role, found.span("name"), found.end(), _asks(text, found.end(), end))
    for number, (start, end) in enumerate(document.paragraphs):
        if number in turns:
            continue
        for label, (name, role) in labels.items():
            if role and text.startswith(label, start) and text[start + len(label) : start + len(label) + 1] in " \xa0":
                content = start + len(label) + 1
                turns[number] = Turn(number, name, role, (start, start + len(name)), content, _asks(text, content, end))
                break
    speakers = Counter(turn.name for turn in turns.values())
    if len(turns) < 2 or len(speakers) < 2 or not any(turn.asks for turn in turns.values()):
        return {}
    return turns


def generic_label(name: str) -> bool:
    """A label that stands for the interviewer or the interviewee, not a name: "A", "Answer"."""
    return name.lower().rstrip(".") in _GENERIC_LABELS


def interviewers(turns: dict[int, Turn]) -> set[str]:
    """Speakers whose turns are mostly questions."""
    asked = Counter(turn.name for turn in turns.values() if turn.asks)
    total = Counter(turn.name for turn in turns.values())
    return {name for name in total if asked[name] * 2 > total[name]}


def _asks(text: str, start: int, end: int) -> bool:
    return "?" in text[start:end]
