"""The build's working set: every accepted article's rows on disk, and only keys in memory.

Workers hand over each article :class:`~builder.packed.Packed`; the main process appends its row and its claims'
rows to two Arrow IPC stream files (one record batch per article, in input order; the worker's encoded batch is
copied, not decoded and encoded again), its summary to a third file (for the next build, :mod:`builder.kept`)
and its sketch to a :class:`~builder.sketch.SketchSpool`, and keeps from
the article's :class:`~builder.packed.Summary` what the global stages and the card need: per article its id,
source file, content hash, date and outlet; per claim its id and article; speaker texts with their claim counts
and titles. Writing the dataset streams the two files back, one article at a time, so memory grows with these
keys and not with the texts.

An article that an earlier build of the same output folder spooled is not handed over again: its rows, summary
and sketch are copied from that build's kept spool (:mod:`builder.kept`, :meth:`Spool.append_kept`), runs of
neighbouring articles at a time, to the same bytes; or, when every kept article comes first and in order, the kept
files are taken whole by renaming them.
"""

from __future__ import annotations

import array
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from builder.config import BuildConfig
from builder.features import plain_schema
from builder.files import naming
from builder.kept import ROWS, KeptSpool, copy_range, keep_files, offsets_file, sketch_data
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


class _Appender:
    """A file of one byte string per article, appended in input order, and where each article's bytes start."""

    def __init__(self, path: Path, head: bytes = b"") -> None:
        self._path = path
        self._file: BinaryIO = path.open("wb")
        self._file.write(head)
        self._offsets = array.array("q", [len(head)])  # article i is offsets[i]:offsets[i+1]

    def write(self, data: bytes | memoryview) -> None:
        with naming(self._path):
            self._file.write(data)
        self._offsets.append(self._offsets[-1] + len(data))

    def extend_from(self, kept: KeptSpool, name: str, first: int, last: int) -> None:
        """Copy articles ``first``..``last - 1`` of the kept spool's file ``name``, one run of bytes."""
        offsets = kept.offsets[name]
        start, end = int(offsets[first]), int(offsets[last])
        with naming(self._path):
            copy_range(kept.fd(name), self._file, start, end - start)
        moved = np.asarray(offsets[first + 1 : last + 1], dtype=np.int64) - start + self._offsets[-1]
        self._offsets.frombytes(moved.tobytes())

    def adopt(self, kept: KeptSpool, name: str) -> None:
        """Take the kept spool's whole file ``name`` in place of this one, which holds no article yet: a rename,
        no row read or written; copied instead when the rename is refused (a bind mount of another folder, a
        folder that cannot be written). Its descriptor is open (:meth:`KeptSpool.fd`), so a copy works after."""
        offsets = kept.offsets[name]
        self._file.flush()
        with naming(self._path):
            try:
                (kept.folder / name).replace(self._path)
            except OSError:
                self.extend_from(kept, name, 0, len(offsets) - 1)
                return
            self._file.close()  # the file it replaced, its head only
            os.truncate(self._path, int(offsets[-1]))  # without the end marker its close wrote
            self._file = self._path.open("ab")
        self._offsets = array.array("q", np.asarray(offsets, dtype=np.int64).tobytes())

    def head_of(self, kept: KeptSpool, name: str) -> bool:
        """Whether the kept spool's file ``name`` starts with the bytes this one does (the same schema)."""
        self._file.flush()
        head = self._path.read_bytes()
        return int(kept.offsets[name][0]) == len(head) and os.pread(kept.fd(name), len(head), 0) == head

    @property
    def count(self) -> int:
        """Articles in the file."""
        return len(self._offsets) - 1

    def offsets(self) -> np.ndarray:
        return np.frombuffer(self._offsets, dtype=np.int64).copy()

    def close(self, tail: bytes = b"") -> None:
        if not self._file.closed:
            with naming(self._path):
                try:
                    self._file.write(tail)
                finally:  # a failed write (a full disk) must not leave the file open
                    self._file.close()


class _StreamFile(_Appender):
    """One Arrow IPC stream file of many one-batch streams of one schema, joined by their bytes: the schema
    message once, then each stream's batch message as it was encoded, then the end marker; and where each batch
    message starts, so a reader can go straight to any article's."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self._schema = schema
        self._head = _stream_bytes(schema).removesuffix(_END)
        super().__init__(path, self._head)

    def append(self, stream: bytes) -> None:
        if not (stream.startswith(self._head) and stream.endswith(_END)):
            # Not this schema's encoding (never from this code's own workers): decode and encode it again, so a
            # batch of another schema fails here and not in a reader.
            import pyarrow as pa

            stream = _stream_bytes(self._schema, pa.ipc.open_stream(stream).read_next_batch())
        self.write(memoryview(stream)[len(self._head) : len(stream) - len(_END)])

    def close(self, tail: bytes = _END) -> None:
        super().close(tail)


def _each(steps: Sequence[Callable[[], object]]) -> None:
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
    """Accepted articles of one build, in a private working folder (removed by the caller, or kept: :meth:`keep`).

    ``kept``: the spool an earlier build kept (:mod:`builder.kept`), whose articles :meth:`append_kept` copies.
    """

    def __init__(self, folder: Path, cfg: BuildConfig, kept: KeptSpool | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.kept = kept
        self._articles = _StreamFile(folder / "articles.arrows", plain_schema(Article))
        self._claims = _StreamFile(folder / "claims.arrows", plain_schema(Claim))
        self._summaries = _Appender(folder / "summaries.bin")
        self.sketches = SketchSpool(folder / "sketch", cfg.cluster)
        self._run: tuple[int, int, int] | None = None  # kept articles first..last waiting to be copied, 1st claim
        self.outlets: dict[str, int] = {}
        self._outlet_of_article: list[int] = []
        self._claim_ids = array.array("Q")  # flat, 8 bytes a claim
        self._claim_counts = array.array("q")
        self._item_counts = array.array("q")  # sketch items per article
        self._row_digests = bytearray()  # 32 bytes an article: what fixes its rows (row_digest)
        self._speakers_of = array.array("i")  # each article's speaker texts' numbers, one run per article
        self._speaker_counts = array.array("q")
        self.claims = 0  # claims appended so far
        self._files: SpoolFiles | None = None
        self._no_keys()
        self.content_digest = ""
        """A hash of every article's row digest in order: it names every row, and so every claim's id, outlet
        and sketch (the sketch's options are the per-article key's too), for the corpus-wide stages' keys."""

    def append(self, packed: Packed, summary: Summary, key: str = "") -> None:
        """Add one accepted article with its claims and their sketch (``summary`` is ``packed.summarized()``;
        ``key``: its cache key, which fixes its bytes, when it has one)."""
        self._copy_run()
        # The cache key already names the bytes; an article without one (not cacheable) is named by its bytes.
        digest = bytes.fromhex(key) if key else hashlib.sha256(packed.article + packed.claims).digest()
        found = packed.sketched()
        self._articles.append(packed.article)
        self._claims.append(packed.claims)
        self._summaries.write(packed.summary)
        self.sketches.append(found, self.claims)
        self._item_counts.append(len(found.owner))
        self._note(summary, digest)

    def append_kept(self, article: int, summary: Summary) -> None:
        """Add article ``article`` of the kept spool (``summary`` is its summary): its rows are copied from the
        kept spool's files with the articles next to it in both, a run at a time (the files taken whole when the
        run is all of them and comes first)."""
        if self.kept is None:
            raise RuntimeError("the spool was given no kept spool to copy from")
        if self._run is not None and self._run[1] == article:
            self._run = (self._run[0], article + 1, self._run[2])
        else:
            self._copy_run()
            self._run = (article, article + 1, self.claims)
        first, last = int(self.kept.item_start[article]), int(self.kept.item_start[article + 1])
        self._item_counts.append(last - first)
        self._note(summary, self.kept.row_digests[article].tobytes())

    def _copy_run(self) -> None:
        """Copy the waiting run of kept articles' rows and sketch; take the kept spool's files whole when the run
        is all of it and this spool holds nothing yet (nothing changed, or only labels, or articles added after
        the others)."""
        if self._run is None or self.kept is None:
            return
        first, last, first_claim = self._run
        self._run = None
        kept = self.kept
        if (first, last) == (0, len(kept.keys)) and self._articles.count == 0 and self._adopted(kept):
            return
        self._articles.extend_from(kept, "articles.arrows", first, last)
        self._claims.extend_from(kept, "claims.arrows", first, last)
        self._summaries.extend_from(kept, "summaries.bin", first, last)
        shift = first_claim - int(kept.claim_start[first])
        self.sketches.extend_from(kept, int(kept.item_start[first]), int(kept.item_start[last]), shift)

    def _adopted(self, kept: KeptSpool) -> bool:
        """Take every file of the kept spool by renaming it (each file it cannot rename is copied), when each
        starts as this spool's does; else False, and nothing has moved. Every kept file is opened first, so that
        what is copied after (of these files, or of articles that come again) reads the same bytes."""
        rows = {"articles.arrows": self._articles, "claims.arrows": self._claims, "summaries.bin": self._summaries}
        if kept.folder.stat().st_dev != self.folder.stat().st_dev:
            return False  # a rename cannot cross file systems: copy
        if not all(appender.head_of(kept, name) for name, appender in rows.items()):
            return False
        for name in sketch_data(kept.bands):
            kept.fd(name)
        try:
            kept.consume()
        except OSError:  # a kept folder this user cannot change: copy
            return False
        for name, appender in rows.items():
            appender.adopt(kept, name)
        self.sketches.adopt(kept)
        return True

    def _note(self, summary: Summary, digest: bytes) -> None:
        """Keep what the corpus-wide stages and the card need of one article."""
        self._row_digests += digest
        spoken = [self.speaker_texts.setdefault(text, len(self.speaker_texts)) for text in summary["spoken"]]
        self._speakers_of.extend(spoken)
        self._speaker_counts.append(len(spoken))
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
        _each([self._copy_run, self._articles.close, self._claims.close, self._summaries.close, self.sketches.close])
        counts = np.frombuffer(self._claim_counts, dtype=np.int64)
        self.claim_start = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)])
        self.claim_ids = np.frombuffer(self._claim_ids, dtype=np.uint64).copy()
        self.article_of_claim = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        self.outlet_of_claim = np.array(self._outlet_of_article, dtype=np.int64)[self.article_of_claim]
        self._claim_ids, self._claim_counts = array.array("Q"), array.array("q")
        self.row_digests = np.frombuffer(bytes(self._row_digests), dtype=np.uint8).reshape(-1, 32)
        self.content_digest = hashlib.sha256(self.row_digests.tobytes()).hexdigest()
        speaker_counts = np.frombuffer(self._speaker_counts, dtype=np.int64)
        self.speaker_start = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(speaker_counts)])
        self.speakers_of = np.frombuffer(self._speakers_of, dtype=np.int32).copy()
        self._row_digests, self._speakers_of, self._speaker_counts = bytearray(), array.array("i"), array.array("q")
        items = np.frombuffer(self._item_counts, dtype=np.int64)
        with naming(self.folder):
            np.save(self.folder / "claim_start.npy", self.claim_start)
            np.save(self.folder / "item_start.npy", np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(items)]))
            np.save(self.folder / "row_digests.npy", self.row_digests)
            for name, rows in zip(ROWS, (self._articles, self._claims, self._summaries), strict=True):
                np.save(self.folder / offsets_file(name), rows.offsets())
        self._item_counts = array.array("q")
        self._files = SpoolFiles(self.folder)

    def release(self) -> None:
        """Close every file, also after a failure half-way; safe to call more than once."""
        closing = [self._articles.close, self._claims.close, self._summaries.close, self.sketches.release]
        _each(closing)  # closing twice is harmless

    def drop_keys(self) -> None:
        """Let go of the per-article and per-claim keys once the dataset is written (nothing reads them after):
        verifying the written folder, whose checks across shards peak with the corpus, then starts without them.
        The files, the counts and :meth:`keep` are as they were."""
        self._no_keys()

    def _no_keys(self) -> None:
        """The keys of no article: as a spool starts, and after :meth:`drop_keys`."""
        self.article_ids: list[str] = []
        self.source_files: list[str] = []
        self.sha256: list[str] = []
        self.published: list[date | None] = []
        self.speaker_texts: dict[str, int] = {}  # speaker text -> its number, in order of first appearance
        self.spoken: Counter[str] = Counter()  # claims per speaker text
        self.titled: set[tuple[str, str]] = set()  # (speaker text, title) pairs
        self.typed: Counter[tuple[str, str]] = Counter()  # claims per (speaker text, speaker_type)
        # Filled by close():
        self.claim_ids = np.empty(0, dtype=np.uint64)
        self.claim_start = np.zeros(1, dtype=np.int64)  # article i's claims are claim_start[i]:claim_start[i+1]
        self.article_of_claim = np.empty(0, dtype=np.int64)
        self.outlet_of_claim = np.empty(0, dtype=np.int64)
        self.row_digests = np.empty((0, 32), dtype=np.uint8)
        self.speaker_start = np.zeros(1, dtype=np.int64)  # article i's speakers are speakers_of[start[i]:start[i+1]]
        self.speakers_of = np.empty(0, dtype=np.int32)

    def keep(self, folder: Path) -> bool:
        """After a build is in place: move this closed, released spool's files to ``folder`` for the next build
        of the same output folder (:func:`builder.kept.keep_files`); False when they could not be."""
        return self.closed and keep_files(self.folder, folder, self.sketches.bands)

    @property
    def closed(self) -> bool:
        """Whether every article is in and the spool is closed (its rows whole)."""
        return self._files is not None

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
        array: np.ndarray = np.load(self.folder / name, mmap_mode="r")
        return array

    @cached_property
    def claim_start(self) -> np.ndarray:
        """Article i's claims are claim_start[i]:claim_start[i+1] in the corpus."""
        return self._array("claim_start.npy")

    @cached_property
    def article_offsets(self) -> np.ndarray:
        return self._array(offsets_file("articles.arrows"))

    @cached_property
    def claim_offsets(self) -> np.ndarray:
        return self._array(offsets_file("claims.arrows"))

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
