"""Reading a built dataset folder for the exports: claims in published order, with their articles and speakers.

Claims come split by split (train, validation, test), shard by shard, row by row: the order of the parquet files,
so exporting the same folder twice gives the same bytes. An article and all its claims are in one split, so only
the articles of the split being read are held in memory (with their texts only when the export needs them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from builder.dataset_folder import DatasetFolder, open_dataset
from builder.errors import DistError
from builder.models import Claim, Speaker

__all__ = ["ArticleInfo", "iter_claims", "read_speakers"]

_ARTICLE_FIELDS = ["article_id", "source_file", "title", "outlet", "url", "published", "language"]


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What the exports need of an article; ``text`` and ``body`` are empty unless asked for."""

    article_id: str
    source_file: str
    title: str | None
    outlet: str | None
    url: str | None
    published: date | None
    language: str | None
    text: str = ""
    body: tuple[tuple[int, int], ...] = ()


def iter_claims(dist: Path, *, with_text: bool = False) -> Iterator[tuple[Claim, ArticleInfo]]:
    """Every claim of the dataset folder ``dist`` with its article, in published order (split, shard, row)."""
    folder = open_dataset(dist)
    for split in folder.shards("claims"):
        articles = _read_articles(folder, split, with_text)
        for claim in folder.records("claims", split):
            article = articles.get(claim.article_id)
            if article is None:
                raise DistError(
                    f"{dist}: claim {claim.claim_id} belongs to article {claim.article_id!r}, which is not in "
                    f"articles/{split}-*.parquet; rebuild the dataset folder"
                )
            yield claim, article


def read_speakers(dist: Path) -> dict[str, Speaker]:
    """The speakers config by ``speaker_id``; empty when the dataset has no speakers."""
    return {speaker.speaker_id: speaker for speaker in open_dataset(dist).records("speakers")}


def _read_articles(folder: DatasetFolder, split: str, with_text: bool) -> dict[str, ArticleInfo]:
    columns = _ARTICLE_FIELDS + (["text", "body"] if with_text else [])
    articles: dict[str, ArticleInfo] = {}
    for shard in folder.shards("articles").get(split, []):
        rows: list[dict[str, Any]] = folder.table(shard, columns).to_pylist()
        for row in rows:
            body = tuple((span["start"], span["end"]) for span in row.pop("body", None) or ())
            articles[row["article_id"]] = ArticleInfo(**row, body=body)
    return articles
