"""Read a built dataset folder back into records for the review site, checking what the site relies on.

The site shows each claim inside its article's raw text, so a claim whose article is missing or whose text is
not ``article.text[char_start:char_end]`` makes the folder unusable: that is a :class:`DistError`, not a page
with a silently misplaced highlight. The ``matches`` and ``factcheck_matches`` configs are optional (older
datasets, and datasets where nothing matched, have neither), but a row naming a claim that is not in the folder
is a :class:`DistError` too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.dataset_folder import DatasetFolder, open_dataset
from builder.errors import DistError
from builder.models import Article, Claim, ClaimMatch, ClaimType, FactCheckMatch, Rejection

__all__ = ["Dataset", "read_dataset"]

_TYPE_ORDER = {claim_type: index for index, claim_type in enumerate(ClaimType)}


@dataclass(frozen=True)
class Dataset:
    """Articles sorted by id, each article's claims in reading order, the rejected inputs as listed, and the rows
    of the two match configs (empty when the folder has none), sorted by their claim ids (and rank)."""

    articles: list[Article]
    claims: dict[str, list[Claim]]
    rejects: list[Rejection]
    matches: list[ClaimMatch] = field(default_factory=list)
    factcheck_matches: list[FactCheckMatch] = field(default_factory=list)


def read_dataset(dist: Path) -> Dataset:
    """The records of the dataset folder ``dist``; a :class:`DistError` when it is not a usable factpack dataset."""
    folder = open_dataset(dist)
    articles: list[Article] = sorted(_records(folder, "articles"), key=lambda article: article.article_id)
    by_id: dict[str, Article] = {}
    for article in articles:
        if article.article_id in by_id:
            raise DistError(f"{dist}: article {article.article_id!r} appears twice; rebuild the dataset")
        by_id[article.article_id] = article
    claims: dict[str, list[Claim]] = {article.article_id: [] for article in articles}
    for claim in _records(folder, "claims"):
        owner = by_id.get(claim.article_id)
        if owner is None:
            raise DistError(f"{dist}: claim {claim.claim_id} names article {claim.article_id!r}, which is not in it")
        if owner.text[claim.char_start : claim.char_end] != claim.text:
            raise DistError(
                f"{dist}: claim {claim.claim_id} is not the text at [{claim.char_start}, {claim.char_end}) of its "
                "article; rebuild the dataset"
            )
        claims[claim.article_id].append(claim)
    for listed in claims.values():
        listed.sort(key=lambda c: (c.char_start, -c.char_end, _TYPE_ORDER[c.claim_type], c.claim_id))
    known = {claim.claim_id for listed in claims.values() for claim in listed}
    matches: list[ClaimMatch] = sorted(folder.records("matches"), key=lambda row: (row.claim_id, row.other_claim_id))
    for pair in matches:
        for claim_id in (pair.claim_id, pair.other_claim_id):
            _check_known(dist, known, claim_id, "matches")
    factcheck_matches: list[FactCheckMatch] = sorted(
        folder.records("factcheck_matches"), key=lambda row: (row.claim_id, row.rank, row.factcheck_url)
    )
    for found in factcheck_matches:
        _check_known(dist, known, found.claim_id, "factcheck_matches")
    return Dataset(articles, claims, folder.rejects(), matches, factcheck_matches)


def _check_known(dist: Path, known: set[str], claim_id: str, config: str) -> None:
    if claim_id not in known:
        raise DistError(f"{dist}: a {config} row names claim {claim_id}, which is not in it; rebuild the dataset")


def _records(folder: DatasetFolder, config: str) -> list[Any]:
    if not folder.shards(config):
        raise DistError(
            f"{folder.root}: no {config}/ parquet shards; build it with 'factpack build RAW --out {folder.root}'"
        )
    return list(folder.records(config))
