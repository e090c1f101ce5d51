"""The hand-over of one accepted article from a worker to the build: three Arrow IPC streams and a summary.

:class:`Packed` holds the article's row, its claims' rows and their sketch (:mod:`builder.cluster`) as bytes,
which cross a process boundary and land in the cache as they are, and which the main process appends to its
spool (:mod:`builder.spool`) without decoding them. What the driver must know of the article (its keys for
dedupe and the splits, its claim ids, the card's counts) travels beside them as a small JSON :class:`Summary`,
computed once in the worker, so the driver's share of the work does not grow with what the rows hold.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from builder.cluster import Sketch, sketch
from builder.config import BuildConfig
from builder.features import to_batch
from builder.models import Article, Claim, ClaimType

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Packed", "Summary", "pack", "sketch_of"]


class Summary(TypedDict):
    """What the driver reads of one packed article: no text, a few hundred bytes."""

    article_id: str
    sha256: str
    url: str | None
    source_file: str
    source_line: int | None
    published: str | None
    """ISO date."""
    outlet: str | None
    language: str | None
    field_sources: dict[str, str | None]
    excluded: list[str]
    """The kind of every excluded span, in order."""
    claim_ids: str
    """Every claim's 16-hex-digit id, in order, concatenated."""
    claim_types: list[int]
    """Claims per :class:`~builder.models.ClaimType`, in the enum's order."""
    spoken: dict[str, int]
    """Claims per speaker text."""
    titled: list[tuple[str, str]]
    """Distinct (speaker, title) pairs, sorted."""


@dataclass(frozen=True)
class Packed:
    """One accepted article as three Arrow IPC streams (its row, its claims' rows, their sketch) and the JSON
    :class:`Summary` of them."""

    article: bytes
    claims: bytes
    sketch: bytes
    summary: bytes

    def batches(self) -> tuple[pa.RecordBatch, pa.RecordBatch, pa.RecordBatch]:
        return _read(self.article), _read(self.claims), _read(self.sketch)

    def sketched(self) -> Sketch:
        return sketch_of(_read(self.sketch))

    def summarized(self) -> Summary:
        summary: Summary = json.loads(self.summary)
        return summary

    def parts(self) -> tuple[bytes, bytes, bytes, bytes]:
        return self.article, self.claims, self.sketch, self.summary


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
    return Packed(
        _ipc(to_batch(Article, [article])),
        _ipc(to_batch(Claim, claims)),
        _ipc(sketch_batch),
        json.dumps(summarize(article, claims), ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
    )


def summarize(article: Article, claims: list[Claim]) -> Summary:
    """The :class:`Summary` of an article and its claims."""
    types = Counter(claim.claim_type for claim in claims)
    spoken = Counter(claim.speaker for claim in claims if claim.speaker)
    titled = {(claim.speaker, claim.speaker_title) for claim in claims if claim.speaker and claim.speaker_title}
    return Summary(
        article_id=article.article_id,
        sha256=article.sha256,
        url=article.url,
        source_file=article.source_file,
        source_line=article.source_line,
        published=None if article.published is None else article.published.isoformat(),
        outlet=article.outlet,
        language=article.language,
        field_sources=article.field_sources.model_dump(),
        excluded=[span.kind.value for span in article.excluded],
        claim_ids="".join(claim.claim_id for claim in claims),
        claim_types=[types[kind] for kind in ClaimType],
        spoken=dict(sorted(spoken.items())),
        titled=sorted(titled),
    )


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
