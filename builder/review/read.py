"""Read a built dataset folder back into records for the review site, checking what the site relies on.

The site shows each claim inside its article's raw text, so a claim whose article is missing or whose text is
not ``article.text[char_start:char_end]`` makes the folder unusable: that is a :class:`DistError`, not a page
with a silently misplaced highlight.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.dataset_folder import DatasetFolder, open_dataset
from builder.errors import DistError
from builder.models import Article, Claim, ClaimType, Rejection

__all__ = ["Dataset", "read_dataset"]

_TYPE_ORDER = {claim_type: index for index, claim_type in enumerate(ClaimType)}


@dataclass(frozen=True)
class Dataset:
    """Articles sorted by id, each article's claims in reading order, and the rejected inputs as listed."""

    articles: list[Article]
    claims: dict[str, list[Claim]]
    rejects: list[Rejection]


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
    return Dataset(articles, claims, folder.rejects())


def _records(folder: DatasetFolder, config: str) -> list[Any]:
    if not folder.shards(config):
        raise DistError(
            f"{folder.root}: no {config}/ parquet shards; build it with 'factpack build RAW --out {folder.root}'"
        )
    return list(folder.records(config))
