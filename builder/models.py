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
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

__all__ = [
    "Accuracy",
    "Article",
    "ArticleCounts",
    "ArticleMetadata",
    "BuildCounts",
    "BuildManifest",
    "BuildReport",
    "Claim",
    "ClaimType",
    "CleanArticle",
    "ConfigSummary",
    "Creator",
    "CuratedSpeaker",
    "DatasetMeta",
    "DatasetSummary",
    "EvalReport",
    "ExcludedKind",
    "ExcludedSpan",
    "FieldSources",
    "FileEntry",
    "GoldClaim",
    "HttpUrl",
    "InferredValue",
    "InputFormat",
    "IsoDate",
    "Label",
    "LabelSelector",
    "MatchScores",
    "QuotationScores",
    "RawArticle",
    "Rejected",
    "Rejection",
    "Span",
    "SpanScores",
    "Speaker",
    "Split",
    "Stage",
    "TextQuoteSelector",
    "TypeScores",
    "ValidationReport",
    "VerifyProblem",
    "VerifyReport",
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


def _not_in_future(value: date | None) -> date | None:
    if value is not None and value > date.today():
        raise ValueError(f"{value.isoformat()} is in the future; check the date")
    return value


IsoDate = Annotated[date | None, BeforeValidator(_iso_date), AfterValidator(_not_in_future)]
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
    LABELS = "labels"


class Split(StrEnum):
    """The dataset split a claim and its article belong to."""

    TRAIN = "train"
    VALIDATION = "validation"
    TEST = "test"


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
    NOTE = "note"


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
    encoding: str = Field(
        default="utf-8", description="Codec the raw bytes were decoded with: utf-8, or the --encoding-fallback codec."
    )
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
    split: Split = Field(default=Split.TRAIN, description="The split of the article and of all its claims.")


class ClaimType(StrEnum):
    """What kind of claim a span is."""

    DIRECT_QUOTE = "direct_quote"
    INDIRECT_QUOTE = "indirect_quote"
    INTERVIEW_ANSWER = "interview_answer"
    AUTHOR_STATEMENT = "author_statement"


class TextQuoteSelector(_Record):
    """A W3C Web Annotation TextQuoteSelector: the exact text with up to 32 characters on each side."""

    exact: str = Field(description="The claim text.")
    prefix: str = Field(description="Up to 32 characters of raw text before the claim.")
    suffix: str = Field(description="Up to 32 characters of raw text after the claim.")


class Claim(_Record):
    """One claim: an exact slice of an article's raw text, who made it, and where it comes from."""

    claim_id: str = Field(pattern=r"^[0-9a-f]{16}$", description="Stable id: hash of article sha256 and span.")
    article_id: str = Field(description="The article the claim comes from.")
    claim_type: ClaimType = Field(description="direct_quote, indirect_quote, interview_answer or author_statement.")
    text: str = Field(min_length=1, description="The claim, exactly raw[char_start:char_end].")
    char_start: int = Field(ge=0, description="Code-point offset of the first character in the raw text.")
    char_end: int = Field(ge=1, description="Code-point offset one past the last character.")
    speaker: str | None = Field(default=None, description="Who made the claim, resolved within the article.")
    speaker_start: int | None = Field(default=None, ge=0, description="Start of the mention the cue attaches to.")
    speaker_end: int | None = Field(default=None, ge=0, description="End of that mention (may be a pronoun).")
    speaker_title: str | None = Field(default=None, description="The speaker's title when the text gives one.")
    cue: str | None = Field(default=None, description="The attribution phrase: 'said', 'told', 'according to'...")
    cue_start: int | None = Field(default=None, ge=0, description="Start of the cue in the raw text.")
    cue_end: int | None = Field(default=None, ge=0, description="End of the cue in the raw text.")
    medium: str | None = Field(default=None, description="Where it was said, when named: 'Polish daily Gazeta ...'.")
    quote_id: str | None = Field(default=None, description="Groups the pieces of one quotation broken by 'he said'.")
    question: str | None = Field(default=None, description="For an interview answer, the question it answers.")
    context: str = Field(description="The whole sentence (or sentences) the claim stands in.")
    context_start: int = Field(ge=0, description="Start of the context in the raw text.")
    context_end: int = Field(ge=0, description="End of the context in the raw text.")
    selector: TextQuoteSelector = Field(description="W3C TextQuoteSelector to re-anchor the claim.")
    sentence_index: int = Field(ge=0, description="0-based index of the (first) sentence in the article body.")
    paragraph_index: int = Field(ge=0, description="0-based index of the (first) body paragraph.")
    check_worthiness: float = Field(ge=0.0, le=1.0, description="Heuristic check-worthiness score, not a judgement.")
    source_file: str = Field(description="Raw file of the article, relative to the raw folder.")
    source_line: int | None = Field(default=None, ge=1, description="1-based JSONL line, else null.")
    article_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the article's raw bytes.")
    outlet: str | None = Field(default=None, description="Publisher of the article.")
    url: str | None = Field(default=None, description="URL of the article.")
    published: date | None = Field(default=None, description="Publication date of the article.")
    language: str | None = Field(default=None, description="Language of the article.")
    extractor: str = Field(description="Extractor name, version and rules hash: 'factpack-rules/0.2.0+1a2b3c4d'.")
    speaker_id: str | None = Field(default=None, description="The speaker across the corpus (see the speakers config).")
    cluster_id: str = Field(
        default="", description="Near-duplicate group across articles: the smallest claim_id in it."
    )
    cluster_size: int = Field(default=1, ge=1, description="Claims in the cluster, this one included.")
    split: Split = Field(default=Split.TRAIN, description="train, validation or test; no cluster or article in two.")
    verdict: str | None = Field(default=None, description="Curator's verdict from raw/labels.jsonl.")
    check_worthy: bool | None = Field(default=None, description="Curator's check-worthiness judgement.")
    correction: str | None = Field(default=None, description="Curator's correction of the claim or its attribution.")
    label_source: str | None = Field(default=None, description="Where the label came from: 'labels.jsonl:<line>'.")

    @model_validator(mode="after")
    def _span(self) -> Claim:
        if self.char_end - self.char_start != len(self.text):
            raise ValueError("char_end - char_start must equal len(text)")
        if len(self.context) != self.context_end - self.context_start:
            raise ValueError("context_end - context_start must equal len(context)")
        for name in ("speaker", "cue"):
            start, end = getattr(self, f"{name}_start"), getattr(self, f"{name}_end")
            if (start is None) != (end is None) or (start is not None and end is not None and end <= start):
                raise ValueError(f"{name}_start and {name}_end must both be null or an ordered span")
        return self


class Speaker(_Record):
    """One speaker across the corpus: the ``speakers`` config."""

    speaker_id: str = Field(description="Stable id: the curated id, else a slug of the canonical name.")
    name: str = Field(description="Canonical name.")
    aliases: list[str] = Field(description="Every other name it appears under, sorted.")
    qid: str | None = Field(default=None, pattern=r"^Q[1-9][0-9]*$", description="Wikidata QID, when curated.")
    titles: list[str] = Field(description="Titles the articles give, sorted.")
    claim_count: int = Field(ge=0, description="Claims attributed to this speaker.")
    article_count: int = Field(ge=0, description="Articles in which this speaker is quoted.")


class CuratedSpeaker(_Record):
    """One entry of the optional ``raw/speakers.json``: it overrides inferred identities."""

    name: str = Field(min_length=1, description="Canonical name.")
    aliases: list[str] = Field(default_factory=list, description="Other names and roles that mean this speaker.")
    qid: str | None = Field(default=None, pattern=r"^Q[1-9][0-9]*$", description="Wikidata QID.")
    speaker_id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$", description="Id to publish.")


class Creator(_Record):
    """A person or organisation credited for the dataset (card, citation and Croissant ``creator``)."""

    name: str = Field(min_length=1, description="As it should be cited.")
    kind: Literal["person", "organization"] = Field(default="organization", description="schema.org type.")
    url: HttpUrl = Field(default=None, description="Home page or profile.")


class DatasetMeta(_Record):
    """The optional ``raw/dataset.json``: what the published dataset says about itself and who made it."""

    pretty_name: str = Field(default="factpack claims", min_length=1, description="Human name of the dataset.")
    description: str | None = Field(default=None, description="One paragraph on what this collection is.")
    license: str = Field(
        default="other",
        pattern=r"^[a-z0-9][a-z0-9.+-]*$",
        description="Hub license id ('cc-by-4.0', 'other'); 'other' because the articles belong to their outlets.",
    )
    license_name: str | None = Field(default=None, description="With license 'other': a short name for the terms.")
    license_link: HttpUrl = Field(default=None, description="Where the terms are written.")
    creators: list[Creator] = Field(default_factory=list, description="Who collected and curated the articles.")
    homepage: HttpUrl = Field(default=None, description="Where the dataset is described or hosted.")
    version: str = Field(default="1.0.0", pattern=r"^\d+\.\d+\.\d+$", description="Dataset version (x.y.z).")
    citation: str | None = Field(default=None, description="BibTeX to cite the dataset; None: generated from the rest.")
    date_published: IsoDate = Field(
        default=None,
        description="When this version was published (YYYY-MM-DD), Croissant's datePublished; absent: left out, "
        "never the build day.",
    )

    @model_validator(mode="before")
    @classmethod
    def _named_terms(cls, data: Any) -> Any:
        # The Hub wants 'other' explained; the texts are the outlets', so that is what an unexplained 'other' means.
        if isinstance(data, dict) and data.get("license", "other") == "other" and data.get("license_name") is None:
            return {**data, "license_name": "Article texts: each publisher's own terms"}
        return data


class LabelSelector(_Record):
    """A W3C TextQuoteSelector plus the article it is in, to find a claim again after its span moved."""

    article: str = Field(min_length=1, description="article_id, or the raw file name ('000_x.txt').")
    exact: str = Field(min_length=1)
    prefix: str = ""
    suffix: str = ""


class Label(_Record):
    """One line of ``raw/labels.jsonl``: which claim, and the curator's judgements."""

    claim_id: str | None = Field(default=None, pattern=r"^[0-9a-f]{16}$", description="The claim, when known.")
    selector: LabelSelector | None = Field(default=None, description="Where the claim is, for re-anchoring.")
    verdict: str | None = Field(default=None, description="e.g. 'true', 'false', 'misleading', 'unverifiable'.")
    check_worthy: bool | None = None
    correction: str | None = None

    @model_validator(mode="after")
    def _anchored(self) -> Label:
        if self.claim_id is None and self.selector is None:
            raise ValueError("give claim_id or selector (article, exact, prefix, suffix)")
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
    """A file with its size and content hash (and, for a parquet shard, its row count)."""

    path: str = Field(description="Path relative to its root folder (POSIX separators).")
    bytes: int = Field(ge=0, description="Size in bytes.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the content.")
    rows: int | None = Field(default=None, ge=0, description="Rows of a parquet shard; None for other files.")


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
    """Article counts plus what the global stages made of them."""

    claims: int = Field(ge=0)
    speakers: int = Field(default=0, ge=0, description="Speakers with an id.")
    clusters: int = Field(default=0, ge=0, description="Claim clusters, singletons included.")
    multi_claim_clusters: int = Field(default=0, ge=0)
    cross_article_clusters: int = Field(default=0, ge=0)
    claims_per_split: dict[str, int] = Field(default_factory=dict)
    articles_per_split: dict[str, int] = Field(default_factory=dict)
    labels_merged: int = Field(default=0, ge=0)
    labels_reanchored: int = Field(default=0, ge=0)
    labels_orphaned: int = Field(default=0, ge=0)


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
    from_cache: int = Field(default=0, ge=0, description="Inputs whose per-article results came from the cache.")
    rejections: list[Rejection]
    outputs: list[FileEntry]


class VerifyProblem(_Record):
    """One thing ``factpack verify`` found wrong: a stable code, where (file, row, field), and a one-line note."""

    code: str = Field(pattern=r"^[a-z]+(-[a-z]+)*$", description="Stable error code, e.g. 'offset-mismatch'.")
    file: str = Field(description="Path relative to the dataset folder ('' for the folder itself).")
    row: int | None = Field(default=None, ge=0, description="0-based row within the file, when one row is at fault.")
    field: str | None = Field(default=None, description="Column, YAML key or JSON-LD property at fault.")
    note: str = Field(min_length=1, description="What is wrong, in one line.")

    def __str__(self) -> str:
        where = self.file or "."
        if self.row is not None:
            where += f" row {self.row}"
        if self.field is not None:
            where += f" field {self.field}"
        return f"{self.code} {where}: {self.note}"


class VerifyReport(_Record):
    """What ``factpack verify`` checked and found; ``ok`` when no problem was found."""

    dist: str
    ok: bool
    problems: list[VerifyProblem]
    found: int = Field(ge=0, description="Problems found, listed or not (when truncated, at least this many).")
    truncated: bool = Field(description="More problems were found than the limit; only the first are listed.")
    checked: dict[str, int] = Field(description="What was checked: files, shards, rows, claims, raw files.")


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
    schemas: dict[str, str] = Field(
        default_factory=dict,
        description="Per config, the SHA-256 of its `datasets` features (JSON, sorted keys): what every shard holds.",
    )


# Evaluation against a gold set (factpack eval).


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


class GoldClaim(_Record):
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


class SpanScores(_Record):
    """Counts and ratios of one matching; a ratio with a zero denominator is 0.0."""

    tp: int = Field(ge=0, description="Matched pairs.")
    fp: int = Field(ge=0, description="Predictions left unmatched.")
    fn: int = Field(ge=0, description="Gold claims left unmatched.")
    precision: float = Field(ge=0.0, le=1.0, description="tp / (tp + fp), 0.0 when there are no predictions.")
    recall: float = Field(ge=0.0, le=1.0, description="tp / (tp + fn), 0.0 when there is no gold.")
    f1: float = Field(ge=0.0, le=1.0, description="Harmonic mean of precision and recall, 0.0 when both are 0.")


class MatchScores(_Record):
    """Scores of one set of claims under both span criteria."""

    exact: SpanScores = Field(description="Pairs with identical (char_start, char_end).")
    overlap: SpanScores = Field(description="Pairs with IoU >= the overlap threshold.")


class TypeScores(_Record):
    """Typed scores of one claim type: gold of this type matched only with predictions of this type."""

    gold: int = Field(ge=0, description="Gold claims of this type.")
    predicted: int = Field(ge=0, description="Predictions of this type (in articles that have gold).")
    exact: SpanScores
    overlap: SpanScores


class Accuracy(_Record):
    """correct / total, 0.0 when total is 0."""

    correct: int = Field(ge=0)
    total: int = Field(ge=0)
    accuracy: float = Field(ge=0.0, le=1.0)


class QuotationScores(_Record):
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


class EvalReport(_Record):
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


# ---------------------------------------------------------------------------------------------------------------
# Matching


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
    encoding: str = "utf-8"

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
