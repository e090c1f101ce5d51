"""Every record factpack reads or writes, as pydantic models, grouped by role: the one source of truth.

* :mod:`.published`: the rows of the published configs (``Article``, ``Claim``, ``Speaker``);
* :mod:`.curated`: what curators write into the raw folder (sidecars, speakers, dataset metadata, labels,
  published fact-checks);
* :mod:`.manifest`: ``manifest.json``, its file entries and counts;
* :mod:`.reports`: what a command found or did (``Rejection``, the build, verify and export reports);
* :mod:`.inflight`: what passes between the per-article stages, never published (plain dataclasses);
* :mod:`.base`: the shared base class and the validated value types.

``schema/*.schema.json`` (see :mod:`builder.schemas`) and the ``datasets.Features`` of the published tables
(see :mod:`builder.features`) are derived from these classes; nothing restates their fields. Every record is
importable from here; the evaluation's records live beside it, in :mod:`builder.evaluate.models`.
"""

from builder.models.base import HttpUrl, IsoDate, LanguageTag, Record
from builder.models.curated import (
    ArticleMetadata,
    Creator,
    CuratedSpeaker,
    DatasetMeta,
    FactCheck,
    Label,
    LabelSelector,
)
from builder.models.inflight import CleanArticle, Extracted, InferredValue, RawArticle, Rejected
from builder.models.manifest import ArticleCounts, BuildCounts, BuildManifest, FileEntry
from builder.models.published import (
    Article,
    Claim,
    ClaimMatch,
    ClaimType,
    ExcludedKind,
    ExcludedSpan,
    FactCheckMatch,
    FieldSources,
    InputFormat,
    Resolution,
    ResolutionKind,
    Span,
    Speaker,
    Split,
    TextQuoteSelector,
)
from builder.models.reports import (
    BuildReport,
    ClaimReviewReport,
    ConfigSummary,
    DatasetSummary,
    FitReport,
    ImportReport,
    LabelStudioReport,
    MatchRankReport,
    MatchScoreReport,
    RankedFactCheck,
    RankedQuery,
    Rejection,
    ResolvedPassage,
    ScoredPair,
    ScoredText,
    ScoreReport,
    SiteReport,
    Stage,
    StageTiming,
    StandaloneReport,
    TaskProblem,
    ValidationReport,
    VerifyProblem,
    VerifyReport,
)

__all__ = [
    "Article",
    "ArticleCounts",
    "ArticleMetadata",
    "BuildCounts",
    "BuildManifest",
    "BuildReport",
    "Claim",
    "ClaimMatch",
    "ClaimReviewReport",
    "ClaimType",
    "CleanArticle",
    "ConfigSummary",
    "Creator",
    "CuratedSpeaker",
    "DatasetMeta",
    "DatasetSummary",
    "ExcludedKind",
    "ExcludedSpan",
    "Extracted",
    "FactCheck",
    "FactCheckMatch",
    "FieldSources",
    "FileEntry",
    "FitReport",
    "HttpUrl",
    "ImportReport",
    "InferredValue",
    "InputFormat",
    "IsoDate",
    "Label",
    "LabelSelector",
    "LabelStudioReport",
    "LanguageTag",
    "MatchRankReport",
    "MatchScoreReport",
    "RankedFactCheck",
    "RankedQuery",
    "RawArticle",
    "Record",
    "Rejected",
    "Rejection",
    "Resolution",
    "ResolutionKind",
    "ResolvedPassage",
    "ScoreReport",
    "ScoredPair",
    "ScoredText",
    "SiteReport",
    "Span",
    "Speaker",
    "Split",
    "Stage",
    "StageTiming",
    "StandaloneReport",
    "TaskProblem",
    "TextQuoteSelector",
    "ValidationReport",
    "VerifyProblem",
    "VerifyReport",
]
