"""In-flight records: passed between the per-article stages inside one process, never published, so plain
dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from builder.models.published import Article, Claim, ExcludedSpan, InputFormat, Span
from builder.models.reports import Rejection

__all__ = ["CleanArticle", "Extracted", "InferredValue", "RawArticle", "Rejected"]


@dataclass(frozen=True, slots=True)
class Rejected:
    """Every problem found with one article; it flows on through the stages in place of the article."""

    source: str
    problems: tuple[Rejection, ...]


@dataclass(frozen=True, slots=True)
class RawArticle:
    """An article as ingested: decoded text, its hash, and its metadata still unvalidated."""

    article_id: str
    source_file: str
    source_line: int | None
    input_format: InputFormat
    text: str
    sha256: str
    metadata: dict[str, Any]
    metadata_file: str | None
    metadata_source: str = "sidecar"
    """Where curated metadata came from, as ``field_sources`` names it: the sidecar, or the record's format."""
    ignored_fields: tuple[str, ...] = ()
    problems: tuple[Rejection, ...] = ()
    encoding: str = "utf-8"
    field_names: dict[str, str] = field(default_factory=dict)
    """factpack's field → the record's own name for it, where they differ (``published`` → ``date``): problems
    name the field as the user wrote it."""

    @property
    def source(self) -> str:
        """``path`` or ``path:line``: how reports name this article."""
        return self.source_file if self.source_line is None else f"{self.source_file}:{self.source_line}"


@dataclass(frozen=True, slots=True)
class InferredValue:
    """A metadata value read off the text, and the 1-based line it was read from."""

    value: str
    line: int


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article with its body located: spans into ``raw.text``, never a rewritten copy."""

    raw: RawArticle
    body: tuple[Span, ...]
    excluded: tuple[ExcludedSpan, ...]
    inferred: dict[str, InferredValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Extracted:
    """An accepted article and the claims extracted from it, before they are packed for the build."""

    article: Article
    claims: tuple[Claim, ...]
