"""The build's working set: every accepted article's rows on disk, and only keys in memory.

Workers hand over each article :class:`~builder.packed.Packed`; the main process appends its row and its claims'
rows to two Arrow IPC stream files (one record batch per article, in input order; the worker's encoded batch is
copied, not decoded and encoded again) and its sketch to a :class:`~builder.sketch.SketchSpool`, and keeps from
the article's :class:`~builder.packed.Summary` what the global stages and the card need: per article its id,
source file, content hash, date and outlet; per claim its id and article; speaker texts with their claim counts
and titles. Writing the dataset streams the two files back, one article at a time, so memory grows with these
keys and not with the texts.
"""

from __future__ import annotations

import array
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from builder.config import BuildConfig
from builder.features import plain_schema
from builder.files import naming
from builder.models import Article, Claim
from builder.packed import Packed, Summary
from builder.sketch import SketchSpool

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Spool", "SpoolFiles"]

_END = b"\xff\xff\xff\xff\x00\x00\x00\x00"  # an IPC stream's end-of-stream marker


def _stream_bytes(schema: pa.Schema, batch: pa.RecordBatch | None = None) -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:
        if batch is not None:
            writer.write_batch(batch)
    data: bytes = sink.getvalue().to_pybytes()
    return data


class _StreamFile:
    """One Arrow IPC stream file of many one-batch streams of one schema, joined by their bytes: the schema
    message once, then each stream's batch message as it was encoded, then the end marker; and where each batch
    message starts, so a reader can go straight to any article's."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self._schema = schema
        self._path = path
        self._head = _stream_bytes(schema).removesuffix(_END)
        self._file: BinaryIO = path.open("wb")
        self._file.write(self._head)
        self._offsets = array.array("q", [len(self._head)])  # batch i is offsets[i]:offsets[i+1]

    def append(self, stream: bytes) -> None:
        if not (stream.startswith(self._head) and stream.endswith(_END)):
            # Not this schema's encoding (never from this code's own workers): decode and encode it again, so a
            # batch of another schema fails here and not in a reader.
            import pyarrow as pa

            stream = _stream_bytes(self._schema, pa.ipc.open_stream(stream).read_next_batch())
        with naming(self._path):
            self._file.write(memoryview(stream)[len(self._head) : len(stream) - len(_END)])
        self._offsets.append(self._offsets[-1] + len(stream) - len(self._head) - len(_END))

    def offsets(self) -> np.ndarray:
        return np.frombuffer(self._offsets, dtype=np.int64).copy()

    def close(self) -> None:
        if not self._file.closed:
            with naming(self._path):
                try:
                    self._file.write(_END)
                finally:  # a failed write (a full disk) must not leave the file open
                    self._file.close()


def _each(steps: list[Callable[[], object]]) -> None:
    """Run every step, even after one fails (a file left open holds its disk space and its descriptor until the
    process ends); then raise the first failure, the one the user is told about."""
    first: BaseException | None = None
    for step in steps:
        try:
            step()
        except BaseException as exc:  # an interrupt half-way must not leave the rest open either
            first = first or exc
    if first is not None:
        raise first


class Spool:
    """Accepted articles of one build, in a private working folder (removed by the caller)."""

    def __init__(self, folder: Path, cfg: BuildConfig) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._articles = _StreamFile(folder / "articles.arrows", plain_schema(Article))
        self._claims = _StreamFile(folder / "claims.arrows", plain_schema(Claim))
        self.sketches = SketchSpool(folder / "sketch", cfg.cluster)
        self.article_ids: list[str] = []
        self.source_files: list[str] = []
        self.sha256: list[str] = []
        self.published: list[date | None] = []
        self.outlets: dict[str, int] = {}
        self._outlet_of_article: list[int] = []
        self._claim_ids = array.array("Q")  # flat, 8 bytes a claim
        self._claim_counts = array.array("q")
        self._row_digests = bytearray()  # 32 bytes an article: what fixes its rows (row_digest)
        self.speaker_texts: dict[str, int] = {}  # speaker text -> its number, in order of first appearance
        self._speakers_of = array.array("i")  # each article's speaker texts' numbers, one run per article
        self._speaker_counts = array.array("q")
        self.claims = 0  # claims appended so far
        self.spoken: Counter[str] = Counter()  # claims per speaker text
        self.titled: set[tuple[str, str]] = set()  # (speaker text, title) pairs
        self.typed: Counter[tuple[str, str]] = Counter()  # claims per (speaker text, speaker_type)
        # Filled by close():
        self.claim_ids = np.empty(0, dtype=np.uint64)
        self.claim_start = np.zeros(1, dtype=np.int64)  # article i's claims are claim_start[i]:claim_start[i+1]
        self._files: SpoolFiles | None = None
        self._digest = hashlib.sha256()  # of all that clustering reads, in order: its result's cache key
        self.sketch_digest = ""
        self.article_of_claim = np.empty(0, dtype=np.int64)
        self.outlet_of_claim = np.empty(0, dtype=np.int64)
        self.row_digests = np.empty((0, 32), dtype=np.uint8)
        self.speaker_start = np.zeros(1, dtype=np.int64)  # article i's speakers are speakers_of[start[i]:start[i+1]]
        self.speakers_of = np.empty(0, dtype=np.int32)
        self.content_digest = ""

    def append(self, packed: Packed, summary: Summary, key: str = "") -> None:
        """Add one accepted article with its claims and their sketch (``summary`` is ``packed.summarized()``;
        ``key``: its cache key, which fixes its bytes, when it has one)."""
        first_claim = self.claims
        # The cache key already names the bytes; an article without one (not cacheable) is named by its bytes.
        digest = bytes.fromhex(key) if key else hashlib.sha256(packed.article + packed.claims).digest()
        self._row_digests += digest
        spoken = [self.speaker_texts.setdefault(text, len(self.speaker_texts)) for text in summary["spoken"]]
        self._speakers_of.extend(spoken)
        self._speaker_counts.append(len(spoken))
        self._articles.append(packed.article)
        self._claims.append(packed.claims)
        self.sketches.append(packed.sketched(), first_claim)
        clustered = [summary["claim_ids"], summary["outlet"], len(packed.sketch)]
        self._digest.update(json.dumps(clustered).encode("utf-8") + packed.sketch)
        self.article_ids.append(summary["article_id"])
        self.source_files.append(summary["source_file"])
        self.sha256.append(summary["sha256"])
        published = summary["published"]
        self.published.append(None if published is None else date.fromisoformat(published))
        outlet = summary["outlet"]
        self._outlet_of_article.append(-1 if outlet is None else self.outlets.setdefault(outlet, len(self.outlets)))
        # 16 hex digits are 8 big-endian bytes: one C pass, not a Python int() per claim
        ids = np.frombuffer(bytes.fromhex(summary["claim_ids"]), dtype=">u8")
        self._claim_ids.frombytes(ids.astype(np.uint64).tobytes())
        self.spoken.update(summary["spoken"])
        self.titled.update((speaker, title) for speaker, title in summary["titled"])
        self.typed.update({(speaker, kind): count for speaker, kind, count in summary["typed"]})
        self._claim_counts.append(len(ids))
        self.claims += len(ids)

    def close(self) -> None:
        """Finish writing; the per-claim key arrays and the readers work from here on. Every file is closed even
        when closing one fails (the first failure is raised)."""
        _each([self._articles.close, self._claims.close, self.sketches.close])
        counts = np.frombuffer(self._claim_counts, dtype=np.int64)
        self.claim_start = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)])
        self.claim_ids = np.frombuffer(self._claim_ids, dtype=np.uint64).copy()
        self.article_of_claim = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        self.outlet_of_claim = np.array(self._outlet_of_article, dtype=np.int64)[self.article_of_claim]
        self._claim_ids, self._claim_counts = array.array("Q"), array.array("q")
        self.sketch_digest = self._digest.hexdigest()
        self.row_digests = np.frombuffer(bytes(self._row_digests), dtype=np.uint8).reshape(-1, 32)
        self.content_digest = hashlib.sha256(self.row_digests.tobytes()).hexdigest()
        speaker_counts = np.frombuffer(self._speaker_counts, dtype=np.int64)
        self.speaker_start = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(speaker_counts)])
        self.speakers_of = np.frombuffer(self._speakers_of, dtype=np.int32).copy()
        self._row_digests, self._speakers_of, self._speaker_counts = bytearray(), array.array("i"), array.array("q")
        with naming(self.folder):
            np.save(self.folder / "claim_start.npy", self.claim_start)
            np.save(self.folder / "article_offsets.npy", self._articles.offsets())
            np.save(self.folder / "claim_offsets.npy", self._claims.offsets())
        self._files = SpoolFiles(self.folder)

    def release(self) -> None:
        """Close every file, also after a failure half-way; safe to call more than once."""
        _each([self._articles.close, self._claims.close, self.sketches.release])  # closing twice is harmless

    def files(self) -> SpoolFiles:
        """The read side of the closed spool, for a process of its own."""
        if self._files is None:
            raise RuntimeError("the spool is read only once it is closed")
        return self._files

    def iter_articles(self) -> Iterator[pa.RecordBatch]:
        """Each article's row (a batch of one), in input order."""
        return self.files().iter_articles()

    def iter_claims(self) -> Iterator[pa.RecordBatch]:
        """Each article's claim rows (a batch, maybe empty), in input order."""
        return self.files().iter_claims()


class SpoolFiles:
    """A closed spool's rows, by path, and where each article's batch starts in them (read when first needed):
    small to pickle, so a worker process can read them too, whole or any articles of them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __getstate__(self) -> dict[str, object]:
        return {"folder": self.folder}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["folder"])  # type: ignore[misc]

    def _array(self, name: str) -> np.ndarray:
        array: np.ndarray = np.load(self.folder / f"{name}.npy", mmap_mode="r")
        return array

    @cached_property
    def claim_start(self) -> np.ndarray:
        """Article i's claims are claim_start[i]:claim_start[i+1] in the corpus."""
        return self._array("claim_start")

    @cached_property
    def article_offsets(self) -> np.ndarray:
        return self._array("article_offsets")

    @cached_property
    def claim_offsets(self) -> np.ndarray:
        return self._array("claim_offsets")

    def _read(self, name: str) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        with pa.OSFile(str(self.folder / name)) as source:
            yield from pa.ipc.open_stream(source)

    def _some(self, name: str, offsets: np.ndarray, articles: Iterable[int]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        # Read with pread into buffers of their own, not mapped: pages of a mapped spool would count in this
        # process's resident memory for as long as the map is open, however little of them it still holds.
        with pa.OSFile(str(self.folder / name)) as source:
            schema = pa.ipc.open_stream(source).schema
            for article in articles:
                start, end = int(offsets[article]), int(offsets[article + 1])
                message = pa.ipc.read_message(pa.BufferReader(source.read_at(end - start, start)))
                yield pa.ipc.read_record_batch(message, schema)

    def iter_articles(self, articles: Iterable[int] | None = None) -> Iterator[pa.RecordBatch]:
        """Each article's row (a batch of one), in input order, or those of ``articles`` (indices), in their order."""
        if articles is None:
            return self._read("articles.arrows")
        return self._some("articles.arrows", self.article_offsets, articles)

    def iter_claims(self, articles: Iterable[int] | None = None) -> Iterator[pa.RecordBatch]:
        """Each article's claim rows (a batch, maybe empty), in input order, or those of ``articles``."""
        if articles is None:
            return self._read("claims.arrows")
        return self._some("claims.arrows", self.claim_offsets, articles)
