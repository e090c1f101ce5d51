"""ClaimReview-ready JSON-LD: one schema.org ``Claim`` per claim, as JSON Lines.

Each line is a self-contained document::

    {"@context": "https://schema.org", "@type": "Claim", "@id": "urn:factpack:claim:<claim_id>",
     "identifier": "<claim_id>", "text": "…", "claimReviewed": "…", "author": {…}, "datePublished": "2017-05-25",
     "inLanguage": "en",
     "appearance": {"@type": "NewsArticle", "@id": …, "url": …, "headline": …, "datePublished": …,
                    "inLanguage": …, "publisher": {"@type": "Organization", "@id": …, "name": "TASS"}}}

* ``text`` is the claim exactly as the article words it (the parquet's ``text``, a slice of the raw text), and
  ``claimReviewed`` the claim readable on its own: its ``standalone``, the references resolved ("he" → "Jens
  Stoltenberg", "the alliance" → "NATO"); the same as ``text`` when nothing needed resolving. A claim whose
  ``needs_context`` is true still has a reference unresolved: read it in its article.
* ``author`` is who made the claim, typed by its ``speaker_type`` (the speakers table's for a speaker linked across
  articles, so that its one node has one type; else the claim's): a ``person`` is a ``Person``, an ``organisation``
  an ``Organization``, and so is a ``group`` ("officials said", "analysts expect"): a group speaks as a body,
  not as one person, and ClaimReview's ``author`` takes only a ``Person`` or an ``Organization``. ``name`` is the
  speakers table's canonical name when the claim has a ``speaker_id``, else the name as the article resolved
  it; ``jobTitle`` (a ``Person``'s only) the claim's ``speaker_title``, only for a speaker not linked across
  articles, whose node is this article's own; ``sameAs`` the Wikidata page when the speakers table has a QID. A
  speaker who is the outlet itself ("TASS reported") is that outlet's ``Organization`` node. A claim without a
  ``speaker_type`` (a dataset built before it existed) is a ``Person``. An ``author_statement`` has no speaker:
  its author is the outlet. A quote whose speaker was not found has no ``author``.
* ``datePublished`` is the article's date: when the claim was published, an upper bound on when it was made.
* Every node has an ``@id`` (``urn:factpack:…`` IRIs, the article's URL for the ``NewsArticle``), so the lines
  merged into one graph give each speaker, article and outlet once. Ids are built from factpack's ids with
  percent-encoding, so odd article ids stay valid IRIs.
* Null values are left out; offsets, claim types and scores have no schema.org term and stay in the parquet
  (join on ``identifier``).

Only ``Claim`` documents are written, never ``ClaimReview``: a ClaimReview is a published fact check, and its
required fields (``url`` of the page publishing the check, ``reviewRating``, the reviewer) are nothing factpack
has. A curator's ``verdict`` is a label, not a published review, so it is not written either. A fact-checker
wraps a line as ``{"@type": "ClaimReview", "itemReviewed": <the line>, "claimReviewed": <its claimReviewed>, …}``:
``claimReviewed`` is carried on the ``Claim`` ready for that (schema.org defines it on ``ClaimReview``; a JSON-LD
processor reads it as a property of the claim node), since a review needs a text a reader understands without
the article, and "he said it would" is not one.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from builder.dataset_folder import ArticleInfo, check_outside, iter_claims, read_speakers
from builder.files import write_atomic
from builder.models import Claim, ClaimReviewReport, ClaimType, Speaker, SpeakerType

__all__ = ["SCHEMA_ORG", "claim_document", "export_claimreview"]

SCHEMA_ORG = "https://schema.org"
_WIKIDATA = "https://www.wikidata.org/wiki/"


def export_claimreview(dist: Path, out: Path | TextIO) -> ClaimReviewReport:
    """Write one schema.org ``Claim`` document per claim of the dataset folder ``dist`` to ``out`` (JSON Lines):
    a file (written whole or not at all) or an open text stream (standard output; its report's path is ``-``).

    Lines follow the parquet order: split (train, validation, test), then row. Raises
    :class:`~builder.errors.DistError` when ``dist`` is not a readable dataset folder and
    :class:`~builder.errors.ConfigError` when ``out`` lies inside it.
    """
    if isinstance(out, Path):
        check_outside(dist, out)
    speakers = read_speakers(dist)
    authors: Counter[str] = Counter()
    types: Counter[str] = Counter()

    def lines() -> Iterator[str]:
        for claim, article in iter_claims(dist):
            document = claim_document(claim, article, speakers)
            author = document.get("author")
            authors[author["@type"] if author else "none"] += 1
            types[claim.speaker_type.value if claim.speaker_type is not None else "none"] += 1
            yield json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"

    if isinstance(out, Path):
        write_atomic(out, lines())
    else:
        out.writelines(lines())
        out.flush()
    path = str(out) if isinstance(out, Path) else "-"
    return ClaimReviewReport(
        path=path,
        claims=sum(authors.values()),
        authors=dict(sorted(authors.items())),
        speaker_types=dict(sorted(types.items())),
    )


def claim_document(claim: Claim, article: ArticleInfo, speakers: dict[str, Speaker]) -> dict[str, Any]:
    """The JSON-LD document of one claim (see the module docstring for the mapping)."""
    publisher = _outlet(article.outlet)
    document: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Claim",
        "@id": f"urn:factpack:claim:{_iri(claim.claim_id)}",
        "identifier": claim.claim_id,
        "text": claim.text,
        "claimReviewed": claim.standalone,
        "author": _author(claim, article, speakers, publisher),
        "datePublished": _date(article),
        "inLanguage": article.language,
        "appearance": _drop_nulls(
            {
                "@type": "NewsArticle",
                "@id": article.url or f"urn:factpack:article:{_iri(article.article_id)}",
                "url": article.url,
                "headline": article.title,
                "datePublished": _date(article),
                "inLanguage": article.language,
                "publisher": publisher,
            }
        ),
    }
    return _drop_nulls(document)


def _author(
    claim: Claim, article: ArticleInfo, speakers: dict[str, Speaker], publisher: dict[str, Any] | None
) -> dict[str, Any] | None:
    if claim.speaker is None:
        return publisher if claim.claim_type is ClaimType.AUTHOR_STATEMENT else None
    if publisher is not None and _same_name(claim.speaker, publisher["name"]):
        return publisher
    known = speakers.get(claim.speaker_id) if claim.speaker_id else None
    kind = (known.speaker_type if known else None) or claim.speaker_type
    person = kind in (None, SpeakerType.PERSON)
    if claim.speaker_id:
        # Linked across the corpus: one node for every claim of this speaker.
        node_id = f"urn:factpack:speaker:{_iri(claim.speaker_id)}"
    else:
        # Not linked ("a spokesman", "analysts"): the same words in two articles need not be the same speaker.
        node_id = f"urn:factpack:article:{_iri(article.article_id)}:speaker:{_iri(claim.speaker)}"
    return _drop_nulls(
        {
            "@type": "Person" if person else "Organization",
            "@id": node_id,
            "name": known.name if known else claim.speaker,
            # A linked speaker's node is shared by every line, so it carries no per-article title: the same @id
            # would get a different jobTitle from each article ("NATO Secretary General", "Secretary General").
            "jobTitle": None if claim.speaker_id or not person else claim.speaker_title,
            "sameAs": f"{_WIKIDATA}{known.qid}" if known and known.qid else None,
        }
    )


def _outlet(name: str | None) -> dict[str, Any] | None:
    if not name:
        return None
    return {"@type": "Organization", "@id": f"urn:factpack:outlet:{_iri(name)}", "name": name}


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _date(article: ArticleInfo) -> str | None:
    return article.published.isoformat() if article.published else None


def _iri(value: str) -> str:
    return quote(value, safe="")


def _drop_nulls(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if value is not None}
