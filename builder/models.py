"""Every record factpack reads or writes, as pydantic models: the one source of truth.

``schema/*.schema.json`` (see :mod:`builder.schemas`) and the ``datasets.Features`` of the published tables
(see :mod:`builder.features`) are derived from these classes; nothing restates their fields.

Offsets are Python code-point offsets into the *decoded raw text* of an article, end exclusive, so
``article.text[start:end]`` is the span, byte for byte as scraped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = [
    "Article",
    "ArticleCounts",
    "ArticleMetadata",
    "BuildCounts",
    "BuildManifest",
    "BuildReport",
    "Claim",
    "CleanArticle",
    "ConfigSummary",
    "DatasetSummary",
    "ExcludedKind",
    "ExcludedSpan",
    "FieldSources",
    "FileEntry",
    "InferredValue",
    "InputFormat",
    "RawArticle",
    "Rejected",
    "Rejection",
    "Span",
    "Stage",
    "ValidationReport",
]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def _iso_date(value: Any) -> Any:
    """Accept only ``YYYY-MM-DD`` strings (or dates); a timestamp's date part is its calendar date.

    pydantic's lax mode would also take integers as Unix times, which no curator means.
    """
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date string like 2014-10-06, got {type(value).__name__}")
    if _ISO_DATE.fullmatch(value):
        return value
    stamp = _ISO_DATETIME.fullmatch(value)
    if stamp:
        return stamp.group(1)
    raise ValueError(f"expected an ISO date like 2014-10-06, got {value!r}")


def _http_url(value: Any) -> Any:
    if value is None:
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an http(s) URL string, got {type(value).__name__}")
    if not _URL.fullmatch(value):
        raise ValueError(f"expected an absolute http:// or https:// URL, got {value!r}")
    return value


def _language(value: Any) -> Any:
    if value is None:
        return value
    if not isinstance(value, str) or not _LANGUAGE.fullmatch(value):
        raise ValueError(f"expected a BCP 47 language tag such as 'en' or 'pt-BR', got {value!r}")
    return value


IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
HttpUrl = Annotated[str | None, BeforeValidator(_http_url)]
LanguageTag = Annotated[str | None, BeforeValidator(_language)]


class InputFormat(StrEnum):
    """How an article reached raw/."""

    TXT = "txt"
    JSONL = "jsonl"


class Stage(StrEnum):
    """The pipeline stage that rejected an input."""

    INGEST = "ingest"
    VALIDATE = "validate"


class ExcludedKind(StrEnum):
    """Why a stretch of the raw text is not article body."""

    TITLE = "title"
    HEADER = "header"
    DATELINE = "dateline"
    BYLINE = "byline"
    HEADING = "heading"
    LIST_MARKER = "list_marker"
    PHOTO_CREDIT = "photo_credit"
    SHARE = "share"
    NAVIGATION = "navigation"
    NEWSLETTER = "newsletter"
    DONATION = "donation"
    COMMENTS = "comments"
    RELATED = "related"
    SOURCE_URL = "source_url"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(_Record):
    """A half-open range ``[start, end)`` of code points in the raw text."""

    start: int = Field(ge=0, description="First code point of the span.")
    end: int = Field(ge=0, description="One past the last code point of the span.")

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


class ExcludedSpan(Span):
    """A stretch of raw text kept out of the body, and why."""

    kind: ExcludedKind = Field(description="What the stretch is (title, share buttons, newsletter box, ...).")


class ArticleMetadata(_Record):
    """The curated sidecar ``<stem>.json`` beside an article: only what a curator can vouch for.

    Every field may be null: unknown stays null and is then inferred from the text where possible.
    """

    title: str | None = Field(default=None, description="Headline as published.")
    outlet: str | None = Field(default=None, description="Publisher name, e.g. 'The Moscow Times'.")
    url: HttpUrl = Field(default=None, description="Canonical http(s) URL of the article.")
    published: IsoDate = Field(default=None, description="Publication date, ISO 8601 (YYYY-MM-DD).")
    language: LanguageTag = Field(default=None, description="BCP 47 language tag of the text, e.g. 'en'.")
    notes: str | None = Field(default=None, description="Free-text curator notes on the source.")


class FieldSources(_Record):
    """Where each metadata value came from: ``sidecar``, ``jsonl`` or ``text:<line>`` (1-based); null if unknown."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    byline: str | None = None
    dateline: str | None = None


class Article(_Record):
    """One accepted article: the raw text, its metadata with provenance, and where its body is."""

    article_id: str = Field(description="Unique id: the path under the articles folder without '.txt', or 'file:line'.")
    source_file: str = Field(description="Path of the raw file, relative to the raw folder (POSIX separators).")
    source_line: int | None = Field(default=None, ge=1, description="1-based line for JSONL input, else null.")
    input_format: InputFormat = Field(description="txt (text + sidecar) or jsonl (one article per line).")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the raw bytes of the text.")
    title: str | None = Field(default=None, description="Headline (sidecar, else inferred from the text).")
    outlet: str | None = Field(default=None, description="Publisher name.")
    url: HttpUrl = Field(default=None, description="Article URL (sidecar, else inferred from the text).")
    published: IsoDate = Field(default=None, description="Publication date (sidecar, else inferred).")
    language: LanguageTag = Field(default=None, description="BCP 47 language tag.")
    byline: str | None = Field(default=None, description="Author or agency named in a 'By ...' line.")
    dateline: str | None = Field(default=None, description="Place named in the opening dateline, e.g. 'WARSAW'.")
    notes: str | None = Field(default=None, description="Curator notes from the sidecar.")
    field_sources: FieldSources = Field(description="Provenance of each metadata value.")
    ignored_fields: list[str] = Field(
        default_factory=list,
        description="Fields of a news-please/trafilatura JSONL record that factpack does not use.",
    )
    text: str = Field(description="The raw text exactly as scraped (decoded UTF-8).")
    body: list[Span] = Field(description="Body paragraphs as raw spans, in reading order.")
    excluded: list[ExcludedSpan] = Field(
        description="Non-body stretches (furniture, title, dateline...), as raw spans."
    )


class Claim(_Record):
    """One claim candidate: an exact slice of an article's raw text, with its provenance."""

    claim_id: str = Field(pattern=r"^[0-9a-f]{16}$", description="Stable id: hash of article sha256 and span.")
    article_id: str = Field(description="The article the claim comes from.")
    source_file: str = Field(description="Raw file of the article, relative to the raw folder.")
    source_line: int | None = Field(default=None, ge=1, description="1-based JSONL line, else null.")
    article_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the article's raw bytes.")
    text: str = Field(min_length=1, description="The claim, exactly raw[char_start:char_end].")
    char_start: int = Field(ge=0, description="Code-point offset of the first character in the raw text.")
    char_end: int = Field(ge=1, description="Code-point offset one past the last character.")
    sentence_index: int = Field(ge=0, description="0-based index of the sentence in the article body.")
    paragraph_index: int = Field(ge=0, description="0-based index of the body paragraph.")
    outlet: str | None = Field(default=None, description="Publisher of the article.")
    url: str | None = Field(default=None, description="URL of the article.")
    published: date | None = Field(default=None, description="Publication date of the article.")
    language: str | None = Field(default=None, description="Language of the article.")

    @model_validator(mode="after")
    def _span(self) -> Claim:
        if self.char_end - self.char_start != len(self.text):
            raise ValueError("char_end - char_start must equal len(text)")
        return self


class Rejection(_Record):
    """One problem with one input: which file (and line), which field, and why."""

    file: str = Field(description="The file at fault, relative to the raw folder.")
    line: int | None = Field(default=None, ge=1, description="1-based line within the file, when it has one.")
    loc: str = Field(description="Dotted path of the field at fault; empty for the file as a whole.")
    reason: str = Field(description="What is wrong and how to fix it.")
    stage: Stage = Field(description="The stage that found the problem.")
    article: str = Field(description="Source of the article the problem belongs to: 'path' or 'path:line'.")

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        return f"{where}: {self.loc or '(file)'}: {self.reason}"


class FileEntry(_Record):
    """A file with its size and content hash."""

    path: str = Field(description="Path relative to its root folder (POSIX separators).")
    bytes: int = Field(ge=0, description="Size in bytes.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the content.")


class ArticleCounts(_Record):
    """Counts that must reconcile: articles_seen == articles_accepted + articles_rejected."""

    articles_seen: int = Field(ge=0, description="Inputs read: text files, JSONL lines, stray sidecars.")
    articles_accepted: int = Field(ge=0)
    articles_rejected: int = Field(ge=0)
    rejections: int = Field(ge=0, description="Problems found; one article may have several.")

    @model_validator(mode="after")
    def _reconciles(self) -> ArticleCounts:
        if self.articles_seen != self.articles_accepted + self.articles_rejected:
            raise ValueError("articles_seen must equal articles_accepted + articles_rejected")
        return self


class BuildCounts(ArticleCounts):
    """Article counts plus the claims written."""

    claims: int = Field(ge=0)


class ValidationReport(_Record):
    """What ``factpack validate`` found."""

    counts: ArticleCounts
    rejections: list[Rejection]

    @property
    def ok(self) -> bool:
        return not self.rejections


class BuildReport(_Record):
    """What ``factpack build`` did."""

    out_dir: str
    counts: BuildCounts
    rejections: list[Rejection]
    outputs: list[FileEntry]


class ConfigSummary(_Record):
    """Counts of one published config, as ``factpack inspect`` shows them."""

    name: str
    rows_per_split: dict[str, int]
    rows_per_outlet: dict[str, int]
    nulls_per_field: dict[str, int]


class DatasetSummary(_Record):
    """Every config of a dataset folder."""

    path: str
    configs: list[ConfigSummary]


class BuildManifest(_Record):
    """``manifest.json``: what went in, what came out, and with which tools. No wall-clock time."""

    factpack_version: str
    versions: dict[str, str] = Field(description="Versions of Python and the packages that shape the output.")
    config: dict[str, Any] = Field(description="The build options (paths excluded).")
    counts: BuildCounts
    inputs: list[FileEntry] = Field(description="Every raw file read, relative to the raw folder.")
    outputs: list[FileEntry] = Field(description="Every file written, relative to the output folder.")


# In-flight records: passed between stages inside one process, never published, so plain dataclasses.


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
    ignored_fields: tuple[str, ...] = ()
    problems: tuple[Rejection, ...] = ()

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
