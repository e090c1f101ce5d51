"""The build's working set: every accepted article's rows on disk, and only keys in memory.

Workers hand over each article :class:`~builder.packed.Packed`; the main process appends its row and its claims'
rows to two Arrow IPC stream files (one record batch per article, in input order) and its sketch to a
:class:`~builder.cluster.SketchSpool`, and keeps what the global stages and the card need: per article its id,
source file, content hash, date and outlet; per claim its id and article; speaker texts with their claim counts
and titles. Writing the dataset streams the two files back, one article at a time, so memory
grows with these keys and not with the texts.
"""

from __future__ import annotations

import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from builder.cluster import SketchSpool
from builder.config import BuildConfig
from builder.features import plain_schema
from builder.models import Article, Claim
from builder.packed import sketch_of

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Spool", "SpoolFiles", "article_keys"]

_KEYS = ("article_id", "sha256", "url", "source_file", "source_line", "published", "outlet", "language")


def article_keys(batch: pa.RecordBatch) -> dict[str, Any]:
    """The small fields of a packed article row (no text), as Python values."""
    row: dict[str, Any] = batch.select([*_KEYS, "field_sources", "excluded"]).to_pylist()[0]
    return row


class Spool:
    """Accepted articles of one build, in a private working folder (removed by the caller)."""

    def __init__(self, folder: Path, cfg: BuildConfig) -> None:
        import pyarrow as pa

        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._articles = pa.ipc.new_stream(str(folder / "articles.arrows"), plain_schema(Article))
        self._claims = pa.ipc.new_stream(str(folder / "claims.arrows"), plain_schema(Claim))
        self.sketches = SketchSpool(folder / "sketch", cfg.cluster)
        self.article_ids: list[str] = []
        self.source_files: list[str] = []
        self.sha256: list[str] = []
        self.published: list[date | None] = []
        self.outlets: dict[str, int] = {}
        self._outlet_of_article: list[int] = []
        self._claim_ids = array.array("Q")  # flat, 8 bytes a claim
        self._claim_counts = array.array("q")
        self.claims = 0  # claims appended so far
        self.spoken: Counter[str] = Counter()  # claims per speaker text
        self.titled: set[tuple[str, str]] = set()  # (speaker text, title) pairs
        # Filled by close():
        self.claim_ids = np.empty(0, dtype=np.uint64)
        self.claim_start = np.zeros(1, dtype=np.int64)  # article i's claims are claim_start[i]:claim_start[i+1]
        self.article_of_claim = np.empty(0, dtype=np.int64)
        self.outlet_of_claim = np.empty(0, dtype=np.int64)

    def append(
        self, keys: dict[str, Any], article: pa.RecordBatch, claims: pa.RecordBatch, sketch: pa.RecordBatch
    ) -> None:
        """Add one accepted article (``keys`` from :func:`article_keys`) with its claims and their sketch."""
        first_claim = self.claims
        self._articles.write_batch(article)
        self._claims.write_batch(claims)
        self.sketches.append(sketch_of(sketch), first_claim)
        self.article_ids.append(keys["article_id"])
        self.source_files.append(keys["source_file"])
        self.sha256.append(keys["sha256"])
        self.published.append(keys["published"])
        outlet = keys["outlet"]
        self._outlet_of_article.append(-1 if outlet is None else self.outlets.setdefault(outlet, len(self.outlets)))
        count = claims.num_rows
        if count:
            # 16 hex digits are 8 big-endian bytes: one C pass, not a Python int() per claim
            hexes = "".join(claims.column("claim_id").to_pylist())
            self._claim_ids.extend(np.frombuffer(bytes.fromhex(hexes), dtype=">u8").astype(np.uint64).tolist())
            self._count_speakers(claims)
        self._claim_counts.append(count)
        self.claims += count

    def _count_speakers(self, claims: pa.RecordBatch) -> None:
        """Claims per speaker text and (speaker, title) pairs, counted by Arrow over the article's claims."""
        import pyarrow.compute as pc

        speakers = claims.column("speaker")
        if speakers.null_count == len(speakers):
            return
        for entry in pc.value_counts(speakers).to_pylist():
            if entry["values"]:
                self.spoken[entry["values"]] += entry["counts"]
        titled = pc.and_(pc.is_valid(claims.column("speaker_title")), pc.is_valid(speakers))
        if pc.any(titled).as_py():
            pairs = claims.filter(titled).select(["speaker", "speaker_title"]).to_pylist()
            self.titled.update(
                (pair["speaker"], pair["speaker_title"]) for pair in pairs if pair["speaker"] and pair["speaker_title"]
            )

    def close(self) -> None:
        """Finish writing; the per-claim key arrays and the readers work from here on."""
        self._articles.close()
        self._claims.close()
        self.sketches.close()
        counts = np.frombuffer(self._claim_counts, dtype=np.int64)
        self.claim_start = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)])
        self.claim_ids = np.frombuffer(self._claim_ids, dtype=np.uint64).copy()
        self.article_of_claim = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        self.outlet_of_claim = np.array(self._outlet_of_article, dtype=np.int64)[self.article_of_claim]
        self._claim_ids, self._claim_counts = array.array("Q"), array.array("q")

    def release(self) -> None:
        """Close every file, also after a failure half-way; safe to call more than once."""
        self._articles.close()  # closing twice is harmless
        self._claims.close()
        self.sketches.release()

    def files(self) -> SpoolFiles:
        """The read side of the closed spool, for a process of its own."""
        return SpoolFiles(self.folder, self.claim_start)

    def iter_articles(self) -> Iterator[pa.RecordBatch]:
        """Each article's row (a batch of one), in input order."""
        return self.files().iter_articles()

    def iter_claims(self) -> Iterator[pa.RecordBatch]:
        """Each article's claim rows (a batch, maybe empty), in input order."""
        return self.files().iter_claims()


@dataclass(frozen=True)
class SpoolFiles:
    """A closed spool's rows, by path: small to pickle, so a worker process can stream them too."""

    folder: Path
    claim_start: np.ndarray

    def _read(self, name: str) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        with pa.OSFile(str(self.folder / name)) as source:
            yield from pa.ipc.open_stream(source)

    def iter_articles(self) -> Iterator[pa.RecordBatch]:
        return self._read("articles.arrows")

    def iter_claims(self) -> Iterator[pa.RecordBatch]:
        return self._read("claims.arrows")
