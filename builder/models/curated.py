"""Curated inputs: what people write into the raw folder beside the articles (sidecars, ``speakers.json``,
``dataset.json``, ``labels.jsonl``, and the fact-checks others published, under ``factchecks/``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from builder.models.base import HttpUrl, IsoDate, LanguageTag, PublishedDate, Record
from builder.models.published import SpeakerType

__all__ = ["ArticleMetadata", "Creator", "CuratedSpeaker", "DatasetMeta", "FactCheck", "Label", "LabelSelector"]


class ArticleMetadata(Record):
    """The curated sidecar ``<stem>.json`` beside an article: only what a curator can vouch for.

    Every field may be null: unknown stays null and is then inferred from the text where possible.
    """

    title: str | None = Field(default=None, description="Headline as published.")
    outlet: str | None = Field(default=None, description="Publisher name, e.g. 'The Moscow Times'.")
    byline: str | None = Field(default=None, description="Author(s) or agency, as credited, e.g. 'Jane Doe; AP'.")
    url: HttpUrl = Field(default=None, description="Canonical http(s) URL of the article.")
    published: PublishedDate = Field(
        default=None,
        description="Publication date: ISO 8601 (2024-03-05, or a date-time whose date is kept as written), RFC 2822 "
        "(Tue, 05 Mar 2024 10:00:00 +0000), 5 March 2024 or March 5, 2024; all-numeric dates such as 03/05/2024 are "
        "refused as ambiguous. Published as YYYY-MM-DD.",
    )
    language: LanguageTag = Field(default=None, description="BCP 47 language tag of the text, e.g. 'en'.")
    notes: str | None = Field(default=None, description="Free-text curator notes on the source.")


class CuratedSpeaker(Record):
    """One entry of the optional ``raw/speakers.json``: it overrides inferred identities."""

    name: str = Field(min_length=1, description="Canonical name.")
    aliases: list[str] = Field(default_factory=list, description="Other names and roles that mean this speaker.")
    qid: str | None = Field(default=None, pattern=r"^Q[1-9][0-9]*$", description="Wikidata QID.")
    speaker_id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$", description="Id to publish.")
    type: SpeakerType | None = Field(
        default=None,
        description="person, organisation or group: overrides the inferred speaker_type of this speaker's claims.",
    )


class Creator(Record):
    """A person or organisation credited for the dataset (card, citation and Croissant ``creator``)."""

    name: str = Field(min_length=1, description="As it should be cited.")
    kind: Literal["person", "organization"] = Field(default="organization", description="schema.org type.")
    url: HttpUrl = Field(default=None, description="Home page or profile.")


class DatasetMeta(Record):
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


class LabelSelector(Record):
    """A W3C TextQuoteSelector plus the article it is in, to find a claim again after its span moved."""

    article: str = Field(min_length=1, description="article_id, or the raw file name ('000_x.txt').")
    exact: str = Field(min_length=1)
    prefix: str = ""
    suffix: str = ""


class Label(Record):
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


class FactCheck(Record):
    """One published fact-check, read from a schema.org ClaimReview under ``raw/factchecks/``
    (:func:`builder.factchecks.read_factchecks`): what was checked, by whom, and the verdict given.

    Texts are as the fact-checker wrote them, only their surrounding white space trimmed; the URL has lost any
    login or credential parameter (:mod:`builder.urls`)."""

    url: str = Field(
        # The http(s) rule of HttpUrl, written as a pattern so the JSON Schema says it (the ASCII classes: JSON
        # Schema patterns take no inline flag, and a scheme is case-insensitive).
        pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+[^\s]*$",
        description="The fact-check's own http(s) address (ClaimReview url), without any login or credential.",
    )
    claim_reviewed: str = Field(
        min_length=1, description="The claim as the fact-checker wrote it (claimReviewed), whitespace-trimmed."
    )
    headline: str | None = Field(default=None, description="The fact-check's title (headline, else name).")
    rating: str | None = Field(
        default=None,
        description="The verdict: reviewRating.alternateName as written ('Mostly true'), else "
        "'ratingValue/bestRating' ('4/5'), else the ratingValue alone.",
    )
    date_published: IsoDate = Field(
        default=None, description="When the fact-check was published (datePublished's date, YYYY-MM-DD)."
    )
    author: str | None = Field(
        default=None,
        description="Who published the fact-check: the organisation or person (author.name; several joined by '; ').",
    )
    claimant: str | None = Field(
        default=None, description="Who made the claim checked (itemReviewed.author.name; several joined by '; ')."
    )
    source: str = Field(
        min_length=1,
        description="Where it was read: the file relative to the raw folder, with ':line' for JSON Lines "
        "('factchecks/feed.jsonl:3').",
    )
