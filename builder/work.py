"""The per-article work: one unit through ingest → clean → validate → extract → sketch, cached when a cache is given.

A pure function of the unit, the options and the bytes on disk, so it can run in any process (see
:mod:`builder.engines`) and its results can be cached (:mod:`builder.cache`). An accepted article leaves the
worker :class:`Packed`: its row, its claims' rows and their sketch as Arrow IPC streams, which cross a process
boundary and land in the cache as they are, and which the main process appends to its spool without rebuilding
any Python record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from builder.cache import Cache
from builder.clean import clean_article
from builder.cluster import Sketch, sketch
from builder.config import BuildConfig
from builder.extract import extract_claims, extractor_id
from builder.features import to_batch
from builder.ingest import Unit, read_unit
from builder.models import Article, Claim, FileEntry, Rejected, Rejection
from builder.validate import validate_article

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "Packed",
    "UnitResult",
    "pack",
    "process_unit",
    "process_units",
    "result_from_row",
    "result_row",
    "sketch_of",
]


@dataclass(frozen=True)
class Packed:
    """One accepted article as three Arrow IPC streams: its row, its claims' rows, their sketch."""

    article: bytes
    claims: bytes
    sketch: bytes

    def batches(self) -> tuple[pa.RecordBatch, pa.RecordBatch, pa.RecordBatch]:
        return _read(self.article), _read(self.claims), _read(self.sketch)


@dataclass(frozen=True)
class UnitResult:
    """The packed article or its problems, the files read, and whether it came from the cache."""

    source: str
    packed: Packed | None
    rejected: Rejected | None
    inputs: list[FileEntry]
    cached: bool


def result_row(result: UnitResult) -> dict[str, Any]:
    """A result as plain values (bytes, strings, a bool), for an engine that carries results in Arrow tables."""
    packed, rejected = result.packed, result.rejected
    return {
        "source": result.source,
        "article": packed.article if packed else None,
        "claims": packed.claims if packed else None,
        "sketch": packed.sketch if packed else None,
        "rejected": None if rejected is None else json.dumps([p.model_dump(mode="json") for p in rejected.problems]),
        "inputs": json.dumps([entry.model_dump(mode="json") for entry in result.inputs]),
        "cached": result.cached,
    }


def result_from_row(row: Mapping[str, Any]) -> UnitResult:
    """The inverse of :func:`result_row`."""
    packed = Packed(row["article"], row["claims"], row["sketch"]) if row["article"] is not None else None
    rejected = None
    if row["rejected"] is not None:
        problems = tuple(Rejection.model_validate(problem) for problem in json.loads(row["rejected"]))
        rejected = Rejected(source=row["source"], problems=problems)
    inputs = [FileEntry.model_validate(entry) for entry in json.loads(row["inputs"])]
    return UnitResult(row["source"], packed, rejected, inputs, bool(row["cached"]))


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


def _per_article_options(cfg: BuildConfig) -> dict[str, object]:
    options = cfg.options()
    return {name: options[name] for name in ("ingest", "clean", "validation", "extract", "cluster")}


def process_unit(unit: Unit, cfg: BuildConfig, cache_dir: Path | None) -> UnitResult:
    inputs: list[FileEntry] = []
    raw = read_unit(unit, cfg.raw_dir, cfg.ingest, inputs)
    source = unit.rel if unit.line is None else f"{unit.rel}:{unit.line}"
    cache = Cache(cache_dir) if cache_dir is not None else None
    key = ""
    if cache is not None:
        key = Cache.key(
            [extractor_id(), _per_article_options(cfg), unit.format, unit.rel, unit.line]
            + [entry.sha256 for entry in inputs]
            + ([Cache.key([unit.payload.hex()])] if unit.payload else [])
        )
        hit = cache.load(key)
        if hit is not None:
            return UnitResult(source, Packed(*hit), None, inputs, cached=True)
    if isinstance(raw, Rejected):
        return UnitResult(raw.source, None, raw, inputs, cached=False)
    item = validate_article(clean_article(raw, cfg.clean))
    if isinstance(item, Rejected):
        return UnitResult(item.source, None, item, inputs, cached=False)
    packed = pack(item, list(extract_claims(item, cfg.extract)), cfg)
    if cache is not None:
        # Rejections are not cached: they are cheap to find again, and some depend on the day (future dates).
        cache.store(key, (packed.article, packed.claims, packed.sketch))
    return UnitResult(source, packed, None, inputs, cached=False)


def process_units(units: list[Unit], cfg: BuildConfig, cache_dir: Path | None) -> list[UnitResult]:
    """A batch of units, for an engine that ships work in batches to amortise the hand-over."""
    return [process_unit(unit, cfg, cache_dir) for unit in units]
