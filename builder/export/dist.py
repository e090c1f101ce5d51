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

from pydantic import ValidationError

from builder.errors import DistError
from builder.features import from_rows
from builder.models import Claim, Speaker
from builder.publish.parquet import config_shards

__all__ = ["ArticleInfo", "iter_claims", "read_speakers"]

_ARTICLE_FIELDS = ["article_id", "source_file", "title", "outlet", "url", "published", "language"]
_BATCH_ROWS = 4096


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
    import pyarrow as pa
    import pyarrow.parquet as pq

    _check(dist)
    articles_by_split = config_shards(dist / "articles")
    for split, shards in config_shards(dist / "claims").items():
        articles = _read_articles(articles_by_split.get(split, []), with_text)
        for shard in shards:
            try:
                batches = pq.ParquetFile(shard).iter_batches(batch_size=_BATCH_ROWS)
                for batch in batches:
                    for claim in from_rows(Claim, batch):
                        article = articles.get(claim.article_id)
                        if article is None:
                            raise DistError(
                                f"{shard}: claim {claim.claim_id} belongs to article {claim.article_id!r}, which is "
                                f"not in articles/{split}-*.parquet; rebuild the dataset folder"
                            )
                        yield claim, article
            except (OSError, pa.ArrowException, ValidationError) as exc:
                raise _unreadable(shard, exc) from exc


def read_speakers(dist: Path) -> dict[str, Speaker]:
    """The speakers config by ``speaker_id``; empty when the dataset has no speakers."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    _check(dist)
    speakers: dict[str, Speaker] = {}
    for shards in config_shards(dist / "speakers").values():
        for shard in shards:
            try:
                records: list[Speaker] = from_rows(Speaker, pq.read_table(shard))
            except (OSError, pa.ArrowException, ValidationError) as exc:
                raise _unreadable(shard, exc) from exc
            speakers.update((speaker.speaker_id, speaker) for speaker in records)
    return speakers


def _check(dist: Path) -> None:
    if not (dist / "README.md").is_file() or not (dist / "manifest.json").is_file():
        raise DistError(
            f"{dist}: not a dataset folder (no README.md or manifest.json); build one with 'factpack build'"
        )


def _read_articles(shards: list[Path], with_text: bool) -> dict[str, ArticleInfo]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = _ARTICLE_FIELDS + (["text", "body"] if with_text else [])
    articles: dict[str, ArticleInfo] = {}
    for shard in shards:
        try:
            rows: list[dict[str, Any]] = pq.read_table(shard, columns=columns).to_pylist()
        except (OSError, pa.ArrowException) as exc:
            raise _unreadable(shard, exc) from exc
        for row in rows:
            body = tuple((span["start"], span["end"]) for span in row.pop("body", None) or ())
            articles[row["article_id"]] = ArticleInfo(**row, body=body)
    return articles


def _unreadable(shard: Path, exc: Exception) -> DistError:
    what = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return DistError(f"{shard}: not a readable factpack shard ({what}); rebuild or re-download the dataset folder")
