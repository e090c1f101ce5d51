"""Published rows: what the ``articles``, ``claims`` and ``speakers`` configs of a dataset hold.

Offsets are Python code-point offsets into the *decoded raw text* of an article, end exclusive, so
``article.text[start:end]`` is the span, byte for byte as scraped. An enum here is a ``ClassLabel`` in the
published tables, its members' order the label order: append, never reorder.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import Field, PrivateAttr, model_validator

from builder.models.base import HttpUrl, IsoDate, LanguageTag, Record

__all__ = [
    "Article",
    "Claim",
    "ClaimMatch",
    "ClaimType",
    "CueKind",
    "ExcludedKind",
    "ExcludedSpan",
    "FactCheckMatch",
    "FieldSources",
    "InputFormat",
    "Resolution",
    "ResolutionKind",
    "Span",
    "Speaker",
    "SpeakerType",
    "Split",
    "TextQuoteSelector",
    "apply_resolutions",
]


class InputFormat(StrEnum):
    """How an article reached raw/."""

    TXT = "txt"
    JSONL = "jsonl"
    PARQUET = "parquet"


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


class Span(Record):
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


class FieldSources(Record):
    """Where each value came from: ``sidecar``, ``jsonl``, ``parquet`` or ``text:<line>`` (1-based); null if unknown."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = Field(
        default=None,
        description="As the others; a date not written in ISO 8601 adds the form it was read in: ':rfc2822' (Tue, 05 "
        "Mar 2024 10:00:00 +0000), ':day-month-year' (5 March 2024) or ':month-day-year' (March 5, 2024), e.g. "
        "'sidecar:rfc2822', 'jsonl:day-month-year', 'text:1:month-day-year' (a dateline's date).",
    )
    language: str | None = None
    byline: str | None = None
    dateline: str | None = None


class Article(Record):
    """One accepted article: the raw text, its metadata with provenance, and where its body is."""

    article_id: str = Field(
        description="Unique id: the path under the articles folder without '.txt', or 'file:line' (a JSONL line or "
        "Parquet row).",
    )
    source_file: str = Field(description="Path of the raw file, relative to the raw folder (POSIX separators).")
    source_line: int | None = Field(
        default=None, ge=1, description="1-based line for JSONL input, row for Parquet input, else null."
    )
    input_format: InputFormat = Field(
        description="txt (text + sidecar), jsonl (one article per line) or parquet (one per row)."
    )
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the raw bytes of the text.")
    encoding: str = Field(
        default="utf-8", description="Codec the raw bytes were decoded with: utf-8, or the --encoding-fallback codec."
    )
    title: str | None = Field(default=None, description="Headline (sidecar, else inferred from the text).")
    outlet: str | None = Field(default=None, description="Publisher name.")
    url: HttpUrl = Field(default=None, description="Article URL (sidecar, else inferred from the text).")
    published: IsoDate = Field(default=None, description="Publication date (sidecar, else inferred).")
    language: LanguageTag = Field(default=None, description="BCP 47 language tag.")
    byline: str | None = Field(
        default=None,
        description="Author(s) or agency: the sidecar's or the record's (author, authors), else a 'By ...' line.",
    )
    dateline: str | None = Field(default=None, description="Place named in the opening dateline, e.g. 'WARSAW'.")
    notes: str | None = Field(default=None, description="Curator notes from the sidecar.")
    field_sources: FieldSources = Field(description="Provenance of each metadata value.")
    ignored_fields: list[str] = Field(
        default_factory=list,
        description="Fields (columns) of a JSONL or Parquet record that factpack read past: a crawler's fields it does "
        "not use, and a name passed over for one it does (hostname beside sitename).",
    )
    text: str = Field(description="The raw text exactly as scraped (decoded UTF-8).")
    body: list[Span] = Field(description="Body paragraphs as raw spans, in reading order.")
    excluded: list[ExcludedSpan] = Field(
        description="Non-body stretches (furniture, title, dateline...), as raw spans."
    )
    split: Split = Field(default=Split.TRAIN, description="The split of the article and of all its claims.")
    _published_known_from: date | None = PrivateAttr(default=None)

    @property
    def published_known_from(self) -> date | None:
        """The day a date read off the text, later than the day the article was validated on, names: its
        ``published`` is unknown until that day and read from it. None: no date was left unknown for being in the
        future. Not a field: it keeps a result that depends on the day out of every cache."""
        return self._published_known_from


class ClaimType(StrEnum):
    """What kind of claim a span is."""

    DIRECT_QUOTE = "direct_quote"
    INDIRECT_QUOTE = "indirect_quote"
    INTERVIEW_ANSWER = "interview_answer"
    AUTHOR_STATEMENT = "author_statement"


class CueKind(StrEnum):
    """What a cue reports: words said or written, a belief, or an intention. The order is pinned: it is the
    ``cue_kind`` ClassLabel's order."""

    SPEECH = "speech"
    BELIEF = "belief"
    INTENTION = "intention"


class SpeakerType(StrEnum):
    """Who a speaker is: one person, an organisation speaking as a body, or a group of people ("analysts",
    "officials"). The order is pinned: it is the ``speaker_type`` ClassLabel's order."""

    PERSON = "person"
    ORGANISATION = "organisation"
    GROUP = "group"


class TextQuoteSelector(Record):
    """A W3C Web Annotation TextQuoteSelector: the exact text with up to 32 characters on each side."""

    exact: str = Field(description="The claim text.")
    prefix: str = Field(description="Up to 32 characters of raw text before the claim.")
    suffix: str = Field(description="Up to 32 characters of raw text after the claim.")


class ResolutionKind(StrEnum):
    """What a resolved reference was."""

    PRONOUN = "pronoun"
    NAME = "name"
    DESCRIPTION = "description"


class Resolution(Record):
    """One reference in a claim replaced by what the article says it stands for: ``he`` → ``Jens Stoltenberg``."""

    start: int = Field(ge=0, description="Start of the mention in the raw text.")
    end: int = Field(ge=1, description="End of the mention in the raw text.")
    mention: str = Field(min_length=1, description="Exactly raw[start:end]: 'she’s', 'his', 'the alliance'.")
    replacement: str = Field(min_length=1, description="What replaces it in standalone: 'Russia is', 'NATO'.")
    antecedent_start: int = Field(ge=0, description="Start of where the article names what the mention stands for.")
    antecedent_end: int = Field(ge=1, description="End of that naming.")
    kind: ResolutionKind = Field(description="pronoun, name (a short name's first use) or description.")

    @model_validator(mode="after")
    def _spans(self) -> Resolution:
        if self.end - self.start != len(self.mention):
            raise ValueError("end - start must equal len(mention)")
        if self.antecedent_end <= self.antecedent_start:
            raise ValueError("antecedent_start must be before antecedent_end")
        return self


class Claim(Record):
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
    speaker_type: SpeakerType | None = Field(
        default=None,
        description="person, organisation or group ('analysts', 'officials'); null exactly when speaker is null.",
    )
    cue: str | None = Field(default=None, description="The attribution phrase: 'said', 'told', 'according to'...")
    cue_start: int | None = Field(default=None, ge=0, description="Start of the cue in the raw text.")
    cue_end: int | None = Field(default=None, ge=0, description="End of the cue in the raw text.")
    cue_kind: CueKind | None = Field(
        default=None,
        description="What the cue reports: speech (said, wrote, according to), belief (thinks, expects, fears) or "
        "intention (plans to, refused to, vowed to); null exactly when cue is null.",
    )
    medium: str | None = Field(default=None, description="Where it was said, when named: 'Polish daily Gazeta ...'.")
    quote_id: str | None = Field(default=None, description="Groups the pieces of one quotation broken by 'he said'.")
    question: str | None = Field(default=None, description="For an interview answer, the question it answers.")
    standalone: str = Field(
        default="", description="The text with its references resolved, readable without the article; else text."
    )
    resolutions: list[Resolution] = Field(
        default_factory=list, description="Each replacement made in standalone, in text order."
    )
    needs_context: bool = Field(
        default=False, description="A third-person reference in the text stayed unresolved: read it with context."
    )
    context: str = Field(description="The whole sentence (or sentences) the claim stands in.")
    context_start: int = Field(ge=0, description="Start of the context in the raw text.")
    context_end: int = Field(ge=0, description="End of the context in the raw text.")
    selector: TextQuoteSelector = Field(description="W3C TextQuoteSelector to re-anchor the claim.")
    sentence_index: int = Field(ge=0, description="0-based index of the (first) sentence in the article body.")
    paragraph_index: int = Field(ge=0, description="0-based index of the (first) body paragraph.")
    check_worthiness: float = Field(ge=0.0, le=1.0, description="Heuristic check-worthiness score, not a judgement.")
    source_file: str = Field(description="Raw file of the article, relative to the raw folder.")
    source_line: int | None = Field(default=None, ge=1, description="1-based JSONL line or Parquet row, else null.")
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
    match_group: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{16}$",
        description="Claims stating the same claim in other words, across articles (see the matches config): the "
        "smallest claim_id in the group; null when alone.",
    )
    split: Split = Field(default=Split.TRAIN, description="train, validation or test; no cluster or article in two.")
    verdict: str | None = Field(default=None, description="Curator's verdict from raw/labels.jsonl.")
    check_worthy: bool | None = Field(default=None, description="Curator's check-worthiness judgement.")
    correction: str | None = Field(default=None, description="Curator's correction of the claim or its attribution.")
    label_source: str | None = Field(default=None, description="Where the label came from: 'labels.jsonl:<line>'.")

    @model_validator(mode="before")
    @classmethod
    def _standalone_defaults_to_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("standalone") and not data.get("resolutions"):
            return {**data, "standalone": data.get("text", "")}
        return data

    @model_validator(mode="after")
    def _span(self) -> Claim:
        if self.char_end - self.char_start != len(self.text):
            raise ValueError("char_end - char_start must equal len(text)")
        if len(self.context) != self.context_end - self.context_start:
            raise ValueError("context_end - context_start must equal len(context)")
        if self.standalone != apply_resolutions(self.text, self.char_start, self.resolutions):
            raise ValueError("standalone must be text with the resolutions applied")
        for name in ("speaker", "cue"):
            start, end = getattr(self, f"{name}_start"), getattr(self, f"{name}_end")
            if (start is None) != (end is None) or (start is not None and end is not None and end <= start):
                raise ValueError(f"{name}_start and {name}_end must both be null or an ordered span")
        return self


def apply_resolutions(text: str, start: int, resolutions: list[Resolution]) -> str:
    """``text`` (raw[start:start + len(text)]) with each resolution's mention replaced, in order: standalone."""
    parts: list[str] = []
    done = 0
    for resolution in resolutions:
        at, end = resolution.start - start, resolution.end - start
        if at < done or end > len(text) or text[at:end] != resolution.mention:
            raise ValueError(f"resolution {resolution.mention!r} at {resolution.start} is not in the text, in order")
        parts += [text[done:at], resolution.replacement]
        done = end
    parts.append(text[done:])
    return "".join(parts)


class Speaker(Record):
    """One speaker across the corpus: the ``speakers`` config."""

    speaker_id: str = Field(description="Stable id: the curated id, else a slug of the canonical name.")
    name: str = Field(description="Canonical name.")
    aliases: list[str] = Field(description="Every other name it appears under, sorted.")
    qid: str | None = Field(default=None, pattern=r"^Q[1-9][0-9]*$", description="Wikidata QID, when curated.")
    titles: list[str] = Field(description="Titles the articles give, sorted.")
    speaker_type: SpeakerType | None = Field(
        default=None,
        description="person, organisation or group: the curated type, else the speaker_type most of its claims "
        "have (a tie: the first in that order).",
    )
    claim_count: int = Field(ge=0, description="Claims attributed to this speaker.")
    article_count: int = Field(ge=0, description="Articles in which this speaker is quoted.")


class ClaimMatch(Record):
    """Two claims from different articles that state the same claim: the ``matches`` config, one row a pair of
    clusters' first claims (their copies share the pair through ``cluster_id``)."""

    claim_id: str = Field(pattern=r"^[0-9a-f]{16}$", description="The first claim of the pair (the smaller id).")
    other_claim_id: str = Field(pattern=r"^[0-9a-f]{16}$", description="The second claim of the pair.")
    score: float = Field(ge=0.0, le=1.0, description="The matcher's score (the build keeps pairs at its threshold).")
    shared_words: list[str] = Field(description="The content-word stems both claims hold, sorted: the evidence.")
    match_group: str = Field(pattern=r"^[0-9a-f]{16}$", description="The group both claims are in.")
    split: Split = Field(default=Split.TRAIN, description="The split of both claims (a group is never in two).")


class FactCheckMatch(Record):
    """A claim that repeats a published fact-check: the ``factcheck_matches`` config, the best few per claim."""

    claim_id: str = Field(pattern=r"^[0-9a-f]{16}$", description="The claim.")
    factcheck_url: str = Field(description="The fact-check's address, as read from raw/factchecks/.")
    rank: int = Field(ge=1, description="1 for the claim's best fact-check match, then 2, ...")
    score: float = Field(ge=0.0, le=1.0, description="The matcher's score of the claim against claimReviewed.")
    claim_reviewed: str = Field(description="The claim as the fact-checker wrote it.")
    rating: str | None = Field(default=None, description="The fact-checker's verdict, as written.")
    split: Split = Field(default=Split.TRAIN, description="The split of the claim.")
