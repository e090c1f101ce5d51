"""Sketch: the comparison material of claims, made per article, and the spool that keeps it on disk.

Clustering (:mod:`builder.cluster`) compares claims through what this module makes of them, never their texts:

1. **Normalise**: NFKC, case-folded, typographic quotes and dashes unified, punctuation dropped; the text becomes
   a list of words.
2. **Items**: each claim, and each sentence of a claim of several sentences (so that a quotation reused in part
   meets the longer quotation it came from); an item's match is its claim's match.
3. **Exact duplicates** (the same sentence republished) share a normalised text: each item carries its hash.
4. **Shingles**: the set of ``shingle_words``-word runs (a claim shorter than that is one shingle), each kept
   as a 32-bit BLAKE2b hash; verification compares these hash sets.
5. **MinHash**: ``num_perm`` minima of universal hashes ``(a·x + b) mod (2^61 − 1)`` over the shingles' 32-bit
   hashes, with permutations drawn from a fixed seed, so signatures are the same in every build.
6. **LSH keys**: the signature is cut into ``bands`` bands, each folded into one key; claims sharing a band's key
   are candidates (:func:`builder.cluster.cluster` buckets them).

:func:`sketch` runs in the workers, one article at a time; :class:`SketchSpool` appends every article's sketch to
one flat file per band and one of shingle hashes, so the corpus-wide step reads a band at a time and memory holds
a few numbers per claim. :class:`SketchFiles` is the closed spool as a worker process opens it.

Why apart from :mod:`builder.cluster`: this side is per article and on disk (made in the workers, carried in the
packed payload and the cache); the other is corpus-wide and in memory (bucketing, verifying, joining). They meet
only at the spool's files.
"""

from __future__ import annotations

import array
import hashlib
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from builder.config import ClusterConfig
from builder.files import naming
from builder.kept import KeptSpool, copy_range, sketch_data
from builder.segment import iter_sentences

__all__ = ["Sketch", "SketchFiles", "SketchSpool", "normalise", "shingles", "sketch"]

_PRIME = (1 << 61) - 1
_FOLD = np.uint64(0x100000001B3)  # FNV prime: mixes a band's rows into one key
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "—": "-", "–": "-"})
_WORDS = re.compile(r"\w+(?:'\w+)?")
_CHUNK = 100_000  # shingles hashed at once: 100,000 × 64 permutations × 8 bytes = 51 MB
_FLUSH_ITEMS = 16_384  # items whose band keys are held before each band file gets them: 4 MiB at 32 bands


def normalise(text: str) -> list[str]:
    """The words of a claim, for comparison only (never published)."""
    folded = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
    return _WORDS.findall(folded)


def shingles(words: list[str], size: int) -> set[str]:
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _hash32(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=4).digest(), "big")


@dataclass(frozen=True)
class Sketch:
    """The comparison material of one article's claims: one row per item (a claim, or a sentence of one)."""

    owner: np.ndarray  # int64: the claim of each item, as an index into the article's claims
    exact: np.ndarray  # uint64: hash of the item's normalised text
    bands: np.ndarray  # uint64, (items, bands): one LSH key per band
    shingles: np.ndarray  # uint32: each item's sorted shingle hashes, one item after the other
    lengths: np.ndarray  # int64: shingles per item


def sketch(texts: Sequence[str], cfg: ClusterConfig) -> Sketch:
    """Items, exact-text hashes, band keys and shingle hashes of one article's claims (steps 1–6)."""
    owners: list[int] = []
    exact: list[int] = []
    values: list[int] = []
    lengths: list[int] = []
    known: dict[str, int] = {}  # a sentence item repeats its claim's shingles: hash each once
    for index, text in enumerate(texts):
        pieces = [text[a:b] for a, b in iter_sentences(text, 0, len(text))]
        for piece in [text, *pieces] if len(pieces) > 1 else [text]:
            words = normalise(piece)
            owners.append(index)
            exact.append(int.from_bytes(hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest(), "big"))
            hashes = sorted(
                {known.get(x) or known.setdefault(x, _hash32(x)) for x in shingles(words, cfg.shingle_words)}
            )
            values.extend(hashes)
            lengths.append(len(hashes))
    lengths_array = np.array(lengths, dtype=np.int64)
    values_array = np.array(values, dtype=np.uint32)
    return Sketch(
        owner=np.array(owners, dtype=np.int64),
        exact=np.array(exact, dtype=np.uint64),
        bands=_band_keys(_signatures(values_array, lengths_array, cfg), cfg),
        shingles=values_array,
        lengths=lengths_array,
    )


def _signatures(values: np.ndarray, lengths: np.ndarray, cfg: ClusterConfig) -> np.ndarray:
    """MinHash signatures, (items, num_perm), computed in chunks of about ``_CHUNK`` shingles."""
    rng = np.random.default_rng(cfg.seed)
    a = rng.integers(1, 1 << 31, size=cfg.num_perm, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=cfg.num_perm, dtype=np.uint64)
    ends = np.cumsum(lengths)
    signatures = np.empty((len(lengths), cfg.num_perm), dtype=np.uint64)
    first = 0
    while first < len(lengths):
        start = int(ends[first] - lengths[first])
        last = max(first + 1, int(np.searchsorted(ends, start + _CHUNK, side="right")))
        stop = int(ends[last - 1])
        permuted = (np.outer(values[start:stop].astype(np.uint64), a) + b) % _PRIME  # a row per shingle
        signatures[first:last] = np.minimum.reduceat(permuted, (ends[first:last] - lengths[first:last]) - start, axis=0)
        first = last
    return signatures


def _band_keys(signatures: np.ndarray, cfg: ClusterConfig) -> np.ndarray:
    rows = cfg.num_perm // cfg.bands
    keys = signatures[:, ::rows].copy()
    for row in range(1, rows):
        keys = keys * _FOLD ^ signatures[:, row::rows]
    return keys


class SketchSpool:
    """Every claim's sketch on disk: one flat file per band and one of shingle hashes; owners in memory.

    A band is read whole when it is bucketed (8 bytes per item); shingles are read per verified item by offset.
    Closed, it is also on disk as :class:`SketchFiles`, for worker processes that verify bands of their own.
    """

    def __init__(self, folder: Path, cfg: ClusterConfig) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.bands = cfg.bands
        self._band_files = [(folder / f"band-{b:03d}.u64").open("wb") for b in range(cfg.bands)]
        self._shingle_file = (folder / "shingles.u32").open("wb")
        # Band keys wait here and reach their files a block of items at a time: one write per band and block,
        # not one per band and article (33 system calls an article were most of the driver's spooling).
        self._pending: list[np.ndarray] = []
        self._pending_items = 0
        # Growing flat buffers, not a list of small arrays: a few bytes per item, no per-article objects.
        self._owners = array.array("q")
        self._exact = array.array("Q")
        self._lengths = array.array("q")
        self.owner = np.empty(0, dtype=np.int64)
        self.exact = np.empty(0, dtype=np.uint64)
        self.offsets = np.zeros(1, dtype=np.int64)
        self._files: SketchFiles | None = None

    def append(self, item: Sketch, first_claim: int) -> None:
        """Add one article's sketch; its claims are numbered from ``first_claim`` in the corpus."""
        # Copied out: a sketch read from a worker's payload is a view that would keep the whole payload alive.
        self._owners.frombytes((item.owner + first_claim).astype(np.int64).tobytes())
        self._exact.frombytes(item.exact.astype(np.uint64).tobytes())
        self._lengths.frombytes(item.lengths.astype(np.int64).tobytes())
        self._pending.append(np.array(item.bands.reshape(-1, self.bands).T, dtype=np.uint64, order="C"))
        self._pending_items += len(item.owner)
        with naming(self.folder):
            self._shingle_file.write(np.ascontiguousarray(item.shingles, dtype=np.uint32).data)
            if self._pending_items >= _FLUSH_ITEMS:
                self._flush()

    def extend_from(self, kept: KeptSpool, first: int, last: int, shift: int) -> None:
        """Copy items ``first``..``last - 1`` of a kept spool's sketch, their owners moved by ``shift`` claims."""
        with naming(self.folder):
            self._flush()
            *bands, shingles = sketch_data(self.bands)
            for name, stream in zip(bands, self._band_files, strict=True):
                copy_range(kept.fd(name), stream, 8 * first, 8 * (last - first))
            start, end = int(kept.shingle_offsets[first]), int(kept.shingle_offsets[last])
            copy_range(kept.fd(shingles), self._shingle_file, 4 * start, 4 * (end - start))
        self._owners.frombytes((np.asarray(kept.owner[first:last], dtype=np.int64) + shift).tobytes())
        self._exact.frombytes(np.asarray(kept.exact[first:last], dtype=np.uint64).tobytes())
        self._lengths.frombytes(np.diff(np.asarray(kept.shingle_offsets[first : last + 1], dtype=np.int64)).tobytes())

    def adopt(self, kept: KeptSpool) -> None:
        """Take the kept spool's whole sketch in place of this one, which holds no item yet: a rename of each
        band's file and the shingles' file, each copied instead when its rename is refused (their descriptors are
        open: :meth:`builder.spool.Spool.append_kept`)."""
        items = int(kept.item_start[-1])
        shingles = int(kept.shingle_offsets[items])
        names = sketch_data(self.bands)  # "sketch/…", as the spool's folder names them
        sizes = [8 * items] * self.bands + [4 * shingles]
        streams = [*self._band_files, self._shingle_file]
        with naming(self.folder):
            for number, (name, size, stream) in enumerate(zip(names, sizes, streams, strict=True)):
                stream.flush()
                ours = self.folder / Path(name).name
                try:
                    (kept.folder / name).replace(ours)
                except OSError:
                    copy_range(kept.fd(name), stream, 0, size)
                    continue
                stream.close()  # the file it replaced, empty
                reopened = ours.open("ab")
                if number < self.bands:
                    self._band_files[number] = reopened
                else:
                    self._shingle_file = reopened
        self._owners.frombytes(np.asarray(kept.owner[:items], dtype=np.int64).tobytes())
        self._exact.frombytes(np.asarray(kept.exact[:items], dtype=np.uint64).tobytes())
        self._lengths.frombytes(np.diff(np.asarray(kept.shingle_offsets[: items + 1], dtype=np.int64)).tobytes())

    def _flush(self) -> None:
        """Hand the waiting band keys to their files, each band's column in one write."""
        if not self._pending:
            return
        block = np.concatenate(self._pending, axis=1)  # (bands, items): each band's keys one contiguous row
        self._pending, self._pending_items = [], 0
        for band, stream in enumerate(self._band_files):
            stream.write(block[band].data)

    def close(self) -> None:
        """Finish writing; the readers below work from here on."""
        with naming(self.folder):
            try:
                self._flush()
            finally:  # a failed write (a full disk) must not leave the files open
                for stream in [*self._band_files, self._shingle_file]:
                    stream.close()
        self.owner = np.frombuffer(self._owners, dtype=np.int64).copy()
        self.exact = np.frombuffer(self._exact, dtype=np.uint64).copy()
        lengths = np.frombuffer(self._lengths, dtype=np.int64)
        self.offsets = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(lengths)])
        self._owners, self._exact, self._lengths = array.array("q"), array.array("Q"), array.array("q")
        with naming(self.folder):
            np.save(self.folder / "owner.npy", self.owner)
            np.save(self.folder / "offsets.npy", self.offsets)
            np.save(self.folder / "exact.npy", self.exact)
        self._files = SketchFiles(self.folder)

    def files(self) -> SketchFiles:
        """The closed spool's files, for a process of its own."""
        if self._files is None:
            raise RuntimeError("the sketch spool is read only once it is closed")
        return self._files

    def band(self, band: int) -> np.ndarray:
        return self.files().band(band)

    def shingles(self, item: int) -> set[int]:
        return self.files().shingles(item)

    def release(self) -> None:
        """Close every file and drop the per-item arrays; safe to call at any point, and more than once."""
        self._pending, self._pending_items = [], 0
        for stream in [*self._band_files, self._shingle_file]:
            stream.close()
        self.owner, self.exact = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint64)
        self.offsets = np.zeros(1, dtype=np.int64)
        if self._files is not None:
            self._files.release()


class SketchFiles:
    """A closed :class:`SketchSpool` read from its folder: small to pickle (the path only), so a worker process
    can verify bands of its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._offsets: np.ndarray | None = None
        self._fd = -1

    def __getstate__(self) -> dict[str, object]:
        return {"folder": self.folder}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["folder"])  # type: ignore[misc]

    def band(self, band: int) -> np.ndarray:
        return np.fromfile(self.folder / f"band-{band:03d}.u64", dtype=np.uint64)

    def owner(self) -> np.ndarray:
        owner: np.ndarray = np.load(self.folder / "owner.npy")
        return owner

    def shingles(self, item: int) -> set[int]:
        if self._offsets is None:
            self._offsets = np.load(self.folder / "offsets.npy")
            self._fd = os.open(self.folder / "shingles.u32", os.O_RDONLY)
        start, end = int(self._offsets[item]), int(self._offsets[item + 1])
        return set(np.frombuffer(os.pread(self._fd, 4 * (end - start), 4 * start), dtype=np.uint32).tolist())

    def release(self) -> None:
        self._offsets = None
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
