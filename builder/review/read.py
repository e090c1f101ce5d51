"""Read a built dataset folder back into records for the review site, checking what the site relies on.

The site shows each claim inside its article's raw text, so a claim whose article is missing or whose text is
not ``article.text[char_start:char_end]`` makes the folder unusable: that is a :class:`DistError`, not a page
with a silently misplaced highlight.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from builder.errors import DistError
from builder.features import from_rows
from builder.models import Article, Claim, ClaimType, Rejection
from builder.publish import REJECTS_NAME
from builder.publish.manifest import MANIFEST_NAME
from builder.publish.parquet import config_shards

__all__ = ["Dataset", "read_dataset"]

_TYPE_ORDER = {claim_type: index for index, claim_type in enumerate(ClaimType)}
Record = TypeVar("Record", bound=BaseModel)


@dataclass(frozen=True)
class Dataset:
    """Articles sorted by id, each article's claims in reading order, and the rejected inputs as listed."""

    articles: list[Article]
    claims: dict[str, list[Claim]]
    rejects: list[Rejection]


def read_dataset(dist: Path) -> Dataset:
    """The records of the dataset folder ``dist``; a :class:`DistError` when it is not a usable factpack dataset."""
    rebuild = f"build it with 'factpack build RAW --out {dist}'"
    if not dist.is_dir():
        raise DistError(f"{dist}: no such dataset folder; {rebuild}")
    if not (dist / MANIFEST_NAME).is_file():
        raise DistError(f"{dist}: not a factpack dataset (no {MANIFEST_NAME}); {rebuild}")
    articles = sorted(_records(dist, "articles", Article), key=lambda article: article.article_id)
    by_id: dict[str, Article] = {}
    for article in articles:
        if article.article_id in by_id:
            raise DistError(f"{dist}: article {article.article_id!r} appears twice; rebuild the dataset")
        by_id[article.article_id] = article
    claims: dict[str, list[Claim]] = {article.article_id: [] for article in articles}
    for claim in _records(dist, "claims", Claim):
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
    return Dataset(articles, claims, _rejects(dist))


def _records(dist: Path, config: str, model: type[Record]) -> list[Record]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    shards = [shard for paths in config_shards(dist / config).values() for shard in paths]
    if not shards:
        raise DistError(f"{dist}: no {config}/ parquet shards; build it with 'factpack build RAW --out {dist}'")
    records: list[Record] = []
    for shard in shards:
        try:
            records.extend(from_rows(model, pq.read_table(shard)))
        except (OSError, pa.ArrowException) as exc:
            raise DistError(f"{shard}: not a readable parquet shard ({exc}); rebuild or re-download it") from exc
        except (ValidationError, KeyError, IndexError) as exc:
            # A shard of another tool, or of an older schema: its rows are not this factpack's records.
            raise DistError(f"{shard}: rows are not factpack {config} records; rebuild the dataset") from exc
    return records


def _rejects(dist: Path) -> list[Rejection]:
    path = dist / REJECTS_NAME
    if not path.is_file():
        raise DistError(f"{dist}: no {REJECTS_NAME}; rebuild the dataset with 'factpack build RAW --out {dist}'")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise DistError(f"{path}: not UTF-8 ({exc.reason}); rebuild the dataset") from exc
    rejects = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rejects.append(Rejection.model_validate_json(line))
        except ValidationError as exc:
            raise DistError(f"{path}:{number}: not a rejection record; rebuild the dataset") from exc
    return rejects
