"""Writing parquet shards named as the Hugging Face Hub names them (:func:`~builder.dataset_folder.shard_name`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from builder.dataset_folder import shard_name
from builder.files import naming

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

__all__ = ["ROW_GROUP_BYTES", "ROW_GROUP_ROWS", "Fill", "SplitWriter"]

# A row group is written when this many rows, or this many Arrow bytes, are buffered: bounds memory whatever the
# corpus size (articles carry their whole text), and keeps groups small enough to read one at a time.
ROW_GROUP_ROWS = 10_000
ROW_GROUP_BYTES = 32 << 20


Fill = Callable[["pa.Table", np.ndarray], "pa.Table"]
"""Completes a row group before it is written, given the rows' positions (what :meth:`SplitWriter.write` got)."""


class SplitWriter:
    """Rows of one split, written as they come into zstd shards of at most ``max_rows`` rows.

    The split's row count is known before the first row, so every shard gets its final Hub name at once.
    Row groups and shard boundaries depend on the rows only (their count and Arrow size, per article as
    written), so the same input gives the same bytes. With ``named`` (its number and the split's count of
    shards), the ``rows`` (at most ``max_rows``) are one shard of a split cut elsewhere (by
    :mod:`builder.write.shards`), written under that name: the bytes a whole split's writer gives the same rows.
    The ``huggingface`` metadata of ``schema`` travels with every shard.
    """

    def __init__(
        self,
        folder: Path,
        split: str,
        rows: int,
        max_rows: int,
        schema: pa.Schema,
        fill: Fill | None = None,
        named: tuple[int, int] | None = None,
    ) -> None:
        if named is not None and rows > max_rows:
            raise ValueError("a named shard is one shard of at most max_rows rows")
        folder.mkdir(parents=True, exist_ok=True)
        self._named = named
        self.folder, self.split, self.rows, self.max_rows, self.schema = folder, split, rows, max_rows, schema
        self.fill = fill
        self._positions: list[np.ndarray] = []
        self.shards = max(1, -(-rows // max_rows))
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        self._pending_bytes = 0
        self._written = 0  # rows of the split written so far
        self._nbytes = 0
        self._writer: pq.ParquetWriter | None = None
        self._path = folder  # the shard being written, once there is one

    def write(self, batch: pa.RecordBatch, positions: np.ndarray | None = None) -> None:
        """Queue rows; ``positions`` (one per row) is handed to ``fill`` with them."""
        self._pending.append(batch)
        if positions is not None:
            self._positions.append(positions)
        self._pending_rows += batch.num_rows
        self._pending_bytes += batch.nbytes
        while self._pending_rows and self._pending_rows >= self._next_group():
            self._flush(self._next_group())
        if self._pending_bytes >= ROW_GROUP_BYTES:
            self._flush(self._pending_rows)

    def _next_group(self) -> int:
        left_in_shard = self.max_rows - self._written % self.max_rows
        return min(ROW_GROUP_ROWS, left_in_shard)

    def _flush(self, rows: int) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_batches(self._pending).replace_schema_metadata(self.schema.metadata)
        # One contiguous chunk per column: writes twice as fast as hundreds of per-article chunks, and the bytes
        # do not depend on how the rows were batched.
        group, rest = table.slice(0, rows).combine_chunks(), table.slice(rows)
        if self.fill is not None:
            positions = np.concatenate(self._positions)
            group = self.fill(group, positions[:rows])
            self._positions = [positions[rows:]]
        if self._writer is None:
            index, count = self._named or (self._written // self.max_rows, self.shards)
            self._path = self.folder / shard_name(self.split, index, count)
            self._writer = pq.ParquetWriter(self._path, self.schema, compression="zstd")
        with naming(self._path):
            self._writer.write_table(group, row_group_size=rows)
        self._nbytes += group.nbytes
        self._written += rows
        self._pending = rest.to_batches()
        self._pending_rows = rest.num_rows
        self._pending_bytes = rest.nbytes
        if self._written % self.max_rows == 0:
            with naming(self._path):
                self._writer.close()
            self._writer = None

    def close(self) -> tuple[str, int, int]:
        """Write what is left; the split's name, and the rows and Arrow bytes written. Fewer or more rows than
        announced is a bug."""
        if self._pending_rows:
            self._flush(self._pending_rows)
        if self._writer is not None:
            with naming(self._path):
                self._writer.close()
            self._writer = None
        if self._written != self.rows:
            raise AssertionError(f"{self.folder}/{self.split}: {self._written} rows written, {self.rows} announced")
        return self.split, self._written, self._nbytes
