"""The hand-over of one accepted article from a worker to the build: its rows, their sketch and a summary.

:class:`Packed` holds the article's row and its claims' rows (Arrow IPC streams) and their sketch
(:mod:`builder.sketch`, flat arrays) as bytes, which cross a process boundary and land in the cache as they
are, and which the main process appends to its spool (:mod:`builder.spool`) without decoding them. What the
driver must know of the article (its keys for dedupe and the splits, its claim ids, the card's counts) travels
beside them as a small JSON :class:`Summary`, computed once in the worker, so the driver's share of the work
does not grow with what the rows hold.
"""

from __future__ import annotations

import json
import struct
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from builder.config import ClusterConfig
from builder.features import to_batch
from builder.models import Article, Claim, ClaimType, ResolutionKind
from builder.sketch import Sketch, sketch

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Packed", "Summary", "pack", "sketch_bytes", "sketch_of"]

_SIZES = struct.Struct("<3Q")  # items, bands, shingles


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
    typed: list[tuple[str, str, int]]
    """Claims per (speaker text, speaker_type), sorted."""
    standalone: list[int]
    """Claims with a replacement, replacements per :class:`~builder.models.ResolutionKind` in the enum's order,
    then claims that need context."""
    published_known_from: str | None
    """ISO date: the article's date, read off the text, was later than the day it was built, so ``published`` is
    unknown until then (:attr:`~builder.models.Article.published_known_from`); such a result is not cached."""


@dataclass(frozen=True)
class Packed:
    """One accepted article as two Arrow IPC streams (its row, its claims' rows), their sketch (flat arrays, see
    :func:`sketch_bytes`) and the JSON :class:`Summary` of them."""

    article: bytes
    claims: bytes
    sketch: bytes
    summary: bytes

    def batches(self) -> tuple[pa.RecordBatch, pa.RecordBatch]:
        """The article's row and its claims' rows."""
        return _read(self.article), _read(self.claims)

    def sketched(self) -> Sketch:
        return sketch_of(self.sketch)

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


def pack(article: Article, claims: list[Claim], cfg: ClusterConfig) -> Packed:
    """An article and its claims as a worker hands them over, with the claims' sketch under ``cfg``."""
    return Packed(
        _ipc(to_batch(Article, [article])),
        _ipc(to_batch(Claim, claims)),
        sketch_bytes(sketch([claim.text for claim in claims], cfg)),
        json.dumps(summarize(article, claims), ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
    )


def summarize(article: Article, claims: list[Claim]) -> Summary:
    """The :class:`Summary` of an article and its claims."""
    types = Counter(claim.claim_type for claim in claims)
    known_from = article.published_known_from
    spoken = Counter(claim.speaker for claim in claims if claim.speaker)
    titled = {(claim.speaker, claim.speaker_title) for claim in claims if claim.speaker and claim.speaker_title}
    typed = Counter((c.speaker, c.speaker_type.value) for c in claims if c.speaker and c.speaker_type is not None)
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
        typed=[(speaker, kind, count) for (speaker, kind), count in sorted(typed.items())],
        standalone=[
            sum(1 for claim in claims if claim.resolutions),
            *(sum(r.kind is kind for claim in claims for r in claim.resolutions) for kind in ResolutionKind),
            sum(claim.needs_context for claim in claims),
        ],
        published_known_from=None if known_from is None else known_from.isoformat(),
    )


def sketch_bytes(found: Sketch) -> bytes:
    """A sketch as flat little-endian arrays behind their sizes: items' owners and exact hashes, the band keys one
    band after the other (each band's keys contiguous, as the spool's band files hold them), shingle counts, shingle
    hashes."""
    items, bands = found.bands.shape
    return b"".join(
        [
            _SIZES.pack(items, bands, len(found.shingles)),
            found.owner.astype("<i8").tobytes(),
            found.exact.astype("<u8").tobytes(),
            found.bands.T.astype("<u8").tobytes(),  # C order of the transpose: band-major
            found.lengths.astype("<i8").tobytes(),
            found.shingles.astype("<u4").tobytes(),
        ]
    )


def sketch_of(data: bytes) -> Sketch:
    """The :class:`~builder.sketch.Sketch` :func:`sketch_bytes` wrote, as views of ``data``."""
    items, bands, shingles = _SIZES.unpack_from(data)
    start = _SIZES.size

    def take(dtype: str, count: int) -> np.ndarray:
        nonlocal start
        array = np.frombuffer(data, dtype=dtype, count=count, offset=start)
        start += array.nbytes
        return array

    owner, exact = take("<i8", items), take("<u8", items)
    band_major = take("<u8", bands * items).reshape(bands, items)
    lengths, hashes = take("<i8", items), take("<u4", shingles)
    return Sketch(owner=owner, exact=exact, bands=band_major.T, shingles=hashes, lengths=lengths)
