"""The extractor's measured quality as the card states it: the records of ``quality.json`` and their reading.

``quality.json`` (beside this module, committed) holds figures only: per gold corpus the quality table that
``factpack eval`` prints (counts and ratios, never a text), with the date, the factpack version and the extractor
id of the measurement; and the hand-checked precision of each ``cue_kind``, counts a maintainer recorded after
reading samples. ``bench/quality.py`` writes it; the card renders it (:func:`builder.write.card.render_quality`),
so a build never measures anything and the card stays deterministic.
"""

from __future__ import annotations

from datetime import date
from importlib.resources import files

from pydantic import Field, model_validator

from builder.models import CueKind
from builder.models.base import Record

__all__ = [
    "QUALITY_FILE",
    "Accuracy",
    "CorpusQuality",
    "CueKindRow",
    "HandCheck",
    "QualityRecord",
    "QualityRow",
    "QualityTable",
    "load_quality",
]

QUALITY_FILE = "quality.json"
"""The committed record's name in ``builder/write/``."""


class Accuracy(Record):
    """correct / total, 0.0 when total is 0."""

    correct: int = Field(ge=0)
    total: int = Field(ge=0)
    accuracy: float = Field(ge=0.0, le=1.0)


class QualityRow(Record):
    """One row of the quality table: a claim type, or ``all``."""

    claim_type: str = Field(description="A claim type, or 'all' for every type together.")
    gold: int = Field(ge=0, description="Gold claims of this type.")
    predicted: int = Field(ge=0, description="Predicted claims of this type, in articles that have gold.")
    precision: float = Field(ge=0.0, le=1.0, description="Typed overlap precision (IoU >= 0.5, same type).")
    recall: float = Field(ge=0.0, le=1.0, description="Typed overlap recall.")
    f1: float = Field(ge=0.0, le=1.0, description="Typed overlap F1.")
    speaker_span: Accuracy = Field(description="Predicted mention overlaps the gold one, over the pairs found.")
    speaker_name: Accuracy = Field(description="Normalised speaker names equal, over the pairs found.")


class CueKindRow(Record):
    """What the extractor says of one ``cue_kind``, and how often the gold agrees where it has one."""

    cue_kind: CueKind
    gold: int = Field(ge=0, description="Gold records annotated with this kind.")
    predicted: int = Field(ge=0, description="Predictions of this kind, in articles that have gold.")
    precision: Accuracy = Field(
        description="Over overlap pairs (type ignored) whose prediction has this kind and whose gold has a kind: "
        "the share where the gold has this kind."
    )


class QualityTable(Record):
    """The table ``factpack eval`` prints and the card shows."""

    rows: list[QualityRow] = Field(description="One row per claim type, then 'all'.")
    cue_kinds: list[CueKindRow] = Field(description="One row per cue kind, in the ClassLabel's order.")


class CorpusQuality(Record):
    """The quality table of one gold corpus, and when and with what it was measured."""

    corpus: str = Field(min_length=1, description="What was measured, e.g. 'PolNeAR dev (84 articles)'.")
    date: date
    factpack_version: str = Field(min_length=1)
    extractor: str = Field(min_length=1, description="The claims' extractor id when measured.")
    note: str = Field(default="", description="What to bear in mind reading these figures (one or two sentences).")
    table: QualityTable
    quotations: str = Field(
        default="", description="PolNeAR score.py's figure line, when the gold marks quotations (``quoted``)."
    )


class HandCheck(Record):
    """A maintainer's reading of sampled claims of one cue kind: how many were checked and how many were right."""

    cue_kind: CueKind
    checked: int = Field(ge=1)
    right: int = Field(ge=0)
    corpus: str = Field(min_length=1, description="Where the claims were drawn from, e.g. 'BBC'.")
    date: date

    @model_validator(mode="after")
    def _right_of_checked(self) -> HandCheck:
        if self.right > self.checked:
            raise ValueError(f"right ({self.right}) exceeds checked ({self.checked})")
        return self


class QualityRecord(Record):
    """The whole of ``quality.json``."""

    corpora: list[CorpusQuality] = Field(default_factory=list)
    hand_checks: list[HandCheck] = Field(default_factory=list)


def load_quality() -> QualityRecord:
    """The committed record (an empty one when the file is absent)."""
    resource = files("builder.write").joinpath(QUALITY_FILE)
    if not resource.is_file():
        return QualityRecord()
    return QualityRecord.model_validate_json(resource.read_text(encoding="utf-8"))
