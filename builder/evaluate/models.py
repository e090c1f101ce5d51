"""The records of an evaluation: a gold claim as read, and every score :mod:`builder.evaluate` reports."""

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from builder.models import ClaimType, CueKind
from builder.models.base import Record
from builder.write.quality import Accuracy, QualityTable

__all__ = ["Accuracy", "EvalReport", "GoldClaim", "MatchScores", "QuotationScores", "SpanScores", "TypeScores"]


def _end_after_start(end: int | None, info: ValidationInfo, start_field: str) -> int | None:
    """Both-or-neither and ``start < end``; reported on the end field so errors name a field."""
    if start_field not in info.data:  # the start itself failed validation; that error is enough
        return end
    start = info.data[start_field]
    if (start is None) != (end is None):
        raise ValueError(f"{start_field} and {info.field_name} must both be null or both be set")
    if start is not None and end is not None and end <= start:
        raise ValueError(f"{info.field_name} {end} must be greater than {start_field} {start}")
    return end


class GoldClaim(Record):
    """One gold record, exactly the public format of ``tests/gold/README.md``.

    Only what can be checked without the raw text is validated here: types, ordered non-empty spans, the
    length of ``text`` and ``cue`` against their spans, and that each optional span is both-or-neither.
    """

    article: str = Field(min_length=1, description="Raw file name of the article, e.g. '000_441cd17370331efe.txt'.")
    char_start: int = Field(ge=0, description="Code-point offset of the claim's first character in the raw text.")
    char_end: int = Field(ge=1, description="Code-point offset one past the claim's last character.")
    text: str = Field(min_length=1, description="raw[char_start:char_end].")
    claim_type: ClaimType = Field(description="direct_quote, indirect_quote, interview_answer or author_statement.")
    quoted: bool | None = Field(
        default=None,
        description=(
            "Whether the content holds a quotation mark (PolNeAR gold has it); "
            "null: a quotation exactly when claim_type is direct_quote."
        ),
    )
    speaker: str | None = Field(default=None, description="Canonical full name of the speaker; null if none.")
    speaker_start: int | None = Field(default=None, ge=0, description="Start of the speaker mention, or null.")
    speaker_end: int | None = Field(default=None, ge=1, description="End of the speaker mention, or null.")
    cue: str | None = Field(default=None, description="The attribution phrase exactly as in the raw text, or null.")
    cue_start: int | None = Field(default=None, ge=0, description="Start of the cue, or null.")
    cue_end: int | None = Field(default=None, ge=1, description="End of the cue, or null.")
    cue_kind: CueKind | None = Field(
        default=None, description="Optional: what the cue reports (speech, belief, intention), as claims' cue_kind."
    )

    @field_validator("char_end")
    @classmethod
    def _claim_span(cls, end: int, info: ValidationInfo) -> int:
        _end_after_start(end, info, "char_start")
        return end

    @field_validator("text")
    @classmethod
    def _text_fits_span(cls, text: str, info: ValidationInfo) -> str:
        if {"char_start", "char_end"} <= info.data.keys():
            width = info.data["char_end"] - info.data["char_start"]
            if len(text) != width:
                raise ValueError(f"text has {len(text)} characters but char_end - char_start is {width}")
        return text

    @field_validator("speaker_end")
    @classmethod
    def _speaker_span(cls, end: int | None, info: ValidationInfo) -> int | None:
        return _end_after_start(end, info, "speaker_start")

    @field_validator("cue_end")
    @classmethod
    def _cue_span(cls, end: int | None, info: ValidationInfo) -> int | None:
        _end_after_start(end, info, "cue_start")
        cue, start = info.data.get("cue"), info.data.get("cue_start")
        if cue is not None and start is not None and end is not None and len(cue) != end - start:
            raise ValueError(f"cue has {len(cue)} characters but cue_end - cue_start is {end - start}")
        return end


class SpanScores(Record):
    """Counts and ratios of one matching; a ratio with a zero denominator is 0.0."""

    tp: int = Field(ge=0, description="Matched pairs.")
    fp: int = Field(ge=0, description="Predictions left unmatched.")
    fn: int = Field(ge=0, description="Gold claims left unmatched.")
    precision: float = Field(ge=0.0, le=1.0, description="tp / (tp + fp), 0.0 when there are no predictions.")
    recall: float = Field(ge=0.0, le=1.0, description="tp / (tp + fn), 0.0 when there is no gold.")
    f1: float = Field(ge=0.0, le=1.0, description="Harmonic mean of precision and recall, 0.0 when both are 0.")


class MatchScores(Record):
    """Scores of one set of claims under both span criteria."""

    exact: SpanScores = Field(description="Pairs with identical (char_start, char_end).")
    overlap: SpanScores = Field(description="Pairs with IoU >= the overlap threshold.")


class TypeScores(Record):
    """Typed scores of one claim type: gold of this type matched only with predictions of this type."""

    gold: int = Field(ge=0, description="Gold claims of this type.")
    predicted: int = Field(ge=0, description="Predictions of this type (in articles that have gold).")
    exact: SpanScores
    overlap: SpanScores
    speaker_span: Accuracy = Field(description="speaker_span over the overlap pairs (type ignored) of this gold type.")
    speaker_name: Accuracy = Field(description="speaker_name over the overlap pairs (type ignored) of this gold type.")


class QuotationScores(Record):
    """PolNeAR's quotation attribution figures (its ``score.py``); :mod:`builder.evaluate` defines each number."""

    gold_quotations: int = Field(ge=0, description="Gold records that are quotations (quoted, else direct_quote).")
    predicted_direct_groups: int = Field(
        ge=0, description="Predicted direct_quote groups (one per quote_id), in every article, with gold or not."
    )
    predicted_indirect_groups: int = Field(ge=0, description="Predicted indirect_quote groups, likewise.")
    matched: int = Field(ge=0, description="One-to-one pairs of a gold quotation and a group (either type).")
    matched_direct: int = Field(ge=0, description="Matched pairs whose group is a direct_quote group.")
    precision: float = Field(
        ge=0.0, le=1.0, description="matched_direct / predicted_direct_groups, 0.0 when there are none."
    )
    recall: float = Field(ge=0.0, le=1.0, description="matched / gold_quotations, 0.0 when there are none.")
    f1: float = Field(ge=0.0, le=1.0, description="Harmonic mean of precision and recall, 0.0 when both are 0.")
    speaker_pairs: int = Field(ge=0, description="Matched pairs whose gold has a speaker mention span.")
    speaker_correct: int = Field(ge=0, description="Of those, pairs whose predicted mention overlaps the gold one.")
    speaker_acc: float = Field(ge=0.0, le=1.0, description="speaker_correct / speaker_pairs, 0.0 when there are none.")
    unquoted_gold: int = Field(ge=0, description="Gold records that are not quotations (reported speech).")
    unquoted_recalled: int = Field(
        ge=0, description="Of those, records that some group of their article (either type) overlaps at IoU >= 0.5."
    )
    indirect_recall: float = Field(
        ge=0.0, le=1.0, description="unquoted_recalled / unquoted_gold, 0.0 when there are none."
    )


class EvalReport(Record):
    """Everything :func:`evaluate` measures; the module docstring defines each number."""

    gold: int = Field(ge=0, description="Gold records.")
    predictions: int = Field(ge=0, description="Predictions in articles that have gold (the ones scored).")
    ignored_predictions: int = Field(
        ge=0, description="Predictions in articles with no gold record, scored by the quotation figures alone."
    )
    articles: int = Field(ge=0, description="Distinct articles in the gold set.")
    overlap_threshold: float = Field(description="Least IoU of an overlap match.")
    per_type: dict[ClaimType, TypeScores] = Field(description="Typed scores of each claim type.")
    overall_typed: MatchScores = Field(description="All types together; a match needs the same type.")
    overall_untyped: MatchScores = Field(description="All types together; type ignored (span detection).")
    speaker_span: Accuracy = Field(description="Predicted mention overlaps the gold mention (overlap pairs).")
    speaker_name: Accuracy = Field(description="Normalised speaker names equal (overlap pairs).")
    cue_span: Accuracy = Field(description="Predicted cue overlaps the gold cue (overlap pairs).")
    cue_text: Accuracy = Field(description="Normalised cue texts equal (overlap pairs).")
    confusion: dict[ClaimType, dict[ClaimType, int]] = Field(
        description="Gold type -> predicted type -> pairs, over type-agnostic overlap matching."
    )
    unmatched_gold: dict[ClaimType, int] = Field(description="Gold left unmatched by type-agnostic overlap matching.")
    unmatched_predicted: dict[ClaimType, int] = Field(
        description="Predictions left unmatched by type-agnostic overlap matching, by predicted type."
    )
    quotations: QuotationScores = Field(
        description="PolNeAR's quotation figures; unlike the rest, predictions of articles without gold count."
    )
    quality: QualityTable = Field(
        description="The table the dataset card shows: per type and all, typed overlap P/R/F1 and speaker accuracy "
        "(as per_type, overall_typed and the attribution above); per cue kind, counts and precision."
    )
