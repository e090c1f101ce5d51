"""What a fitted check-worthiness model knows of a sentence beyond its words: its place in its document.

A sentence scorer sees one sentence; whether a fact-checker checks it also depends on where it stands. In a debate
the line after a question is an answer, a speaker who holds the floor for most of the lines is a candidate, not a
moderator, and a short line is seldom a claim. :func:`context_features` gives each line of one document these
numbers, by name (:data:`CONTEXT_FEATURES`):

================  ====================================================================================
feature           value
================  ====================================================================================
after_question    1 when the line before ends with a question mark (an answer follows a question)
speaker_changed   1 when the line before has another speaker, or there is none (a turn starts)
speaker_share     the share of the document's lines its speaker says (no speaker: the share with none)
position          where it stands, 0 for the first line to just under 1 for the last
length            its words, divided by 30 (about a long sentence)
type:<type>       1 for its ``claim_type`` (direct_quote, indirect_quote, interview_answer, statement) when
                  known, all 0 when not
kind:<kind>       1 for its ``cue_kind`` (speech, belief, intention) when known, all 0 when not
================  ====================================================================================

They are features for a learner to weigh (``factpack worthiness fit``), not rules: the default score
(:mod:`builder.extract.worthiness`) does not use them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from builder.extract.worthiness import is_question
from builder.models import ClaimType, CueKind

__all__ = ["CONTEXT_FEATURES", "ContextLine", "context_features"]

ContextLine = tuple[str, str | None, str | None, str | None]
"""(text, speaker, claim type, cue kind) of one line of a document; the last three None when not known."""

_TYPES = tuple(kind.value for kind in ClaimType)
_KINDS = tuple(kind.value for kind in CueKind)
_LONG_SENTENCE = 30

CONTEXT_FEATURES = (
    "after_question",
    "speaker_changed",
    "speaker_share",
    "position",
    "length",
    *(f"type:{name}" for name in _TYPES),
    *(f"kind:{name}" for name in _KINDS),
)
"""The names of :func:`context_features`, in a fixed order."""


def context_features(lines: Sequence[ContextLine]) -> list[dict[str, float]]:
    """The :data:`CONTEXT_FEATURES` of each line of one document, in its order."""
    said = Counter(speaker for _, speaker, _, _ in lines)
    found = []
    for index, (text, speaker, claim_type, kind) in enumerate(lines):
        before = lines[index - 1] if index else None
        features = dict.fromkeys(CONTEXT_FEATURES, 0.0)
        features["after_question"] = float(before is not None and is_question(before[0]))
        features["speaker_changed"] = float(before is None or before[1] != speaker)
        features["speaker_share"] = said[speaker] / len(lines)
        features["position"] = index / len(lines)
        features["length"] = len(text.split()) / _LONG_SENTENCE
        if claim_type in _TYPES:
            features[f"type:{claim_type}"] = 1.0
        if kind in _KINDS:
            features[f"kind:{kind}"] = 1.0
        found.append(features)
    return found
