"""The hand-over of one accepted article from a worker to the build: three Arrow IPC streams.

:class:`Packed` holds the article's row, its claims' rows and their sketch (:mod:`builder.cluster`) as bytes,
which cross a process boundary and land in the cache as they are, and which the main process appends to its
spool (:mod:`builder.spool`) without rebuilding any Python record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from builder.cluster import Sketch, sketch
from builder.config import BuildConfig
from builder.features import to_batch
from builder.models import Article, Claim

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Packed", "pack", "sketch_of"]


@dataclass(frozen=True)
class Packed:
    """One accepted article as three Arrow IPC streams: its row, its claims' rows, their sketch."""

    article: bytes
    claims: bytes
    sketch: bytes

    def batches(self) -> tuple[pa.RecordBatch, pa.RecordBatch, pa.RecordBatch]:
        return _read(self.article), _read(self.claims), _read(self.sketch)


def _ipc(batch: pa.RecordBatch) -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    data: bytes = sink.getvalue().to_pybytes()
    return data


def _read(data: bytes) -> pa.RecordBatch:
    import pyarrow as pa

    batch: pa.RecordBatch = pa.ipc.open_stream(data).read_next_batch()
    return batch


def pack(article: Article, claims: list[Claim], cfg: BuildConfig) -> Packed:
    import pyarrow as pa

    found = sketch([claim.text for claim in claims], cfg.cluster)
    offsets = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(found.lengths)])
    sketch_batch = pa.RecordBatch.from_arrays(
        [
            pa.array(found.owner),
            pa.array(found.exact),
            pa.FixedSizeListArray.from_arrays(pa.array(found.bands.reshape(-1)), found.bands.shape[1]),
            pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(found.shingles)),
        ],
        names=["owner", "exact", "bands", "shingles"],
    )
    return Packed(_ipc(to_batch(Article, [article])), _ipc(to_batch(Claim, claims)), _ipc(sketch_batch))


def sketch_of(batch: pa.RecordBatch) -> Sketch:
    """The :class:`~builder.cluster.Sketch` a packed sketch batch holds."""
    bands = batch.column("bands")
    shingles = batch.column("shingles")
    return Sketch(
        owner=batch.column("owner").to_numpy(),
        exact=batch.column("exact").to_numpy(),
        bands=bands.flatten().to_numpy().reshape(len(batch), bands.type.list_size),
        shingles=shingles.flatten().to_numpy(),
        lengths=np.diff(shingles.offsets.to_numpy()),
    )
