"""Parquet shards named as the Hugging Face Hub names them: ``<config>/<split>-00000-of-00001.parquet``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["shard_name", "write_shards"]


def shard_name(split: str, index: int, count: int) -> str:
    return f"{split}-{index:05d}-of-{count:05d}.parquet"


def write_shards(table: pa.Table, folder: Path, split: str, max_rows: int) -> list[Path]:
    """Write ``table`` as zstd parquet shards of at most ``max_rows`` rows; an empty table is one empty shard.

    The schema's ``huggingface`` metadata travels with every shard, so ``datasets`` reads the declared features.
    """
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    count = max(1, -(-table.num_rows // max_rows))
    paths = []
    for index in range(count):
        path = folder / shard_name(split, index, count)
        pq.write_table(table.slice(index * max_rows, max_rows), path, compression="zstd")
        paths.append(path)
    return paths
