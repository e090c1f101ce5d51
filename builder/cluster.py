"""Cluster: group near-duplicate claims across articles and outlets, without comparing all pairs.

1. **Normalise**: NFKC, case-folded, typographic quotes and dashes unified, punctuation dropped; the text becomes
   a list of words.
2. **Items**: each claim, and each sentence of a claim of several sentences (so that a quotation reused in part
   meets the longer quotation it came from); an item's match is its claim's match.
3. **Exact duplicates** (the same sentence republished) share a normalised text and are one group at once.
4. **Shingles**: the set of ``shingle_words``-word runs (a claim shorter than that is one shingle), each kept
   as a 32-bit BLAKE2b hash; verification compares these hash sets.
5. **MinHash**: ``num_perm`` minima of universal hashes ``(a·x + b) mod (2^61 − 1)`` over the shingles' 32-bit
   hashes, with permutations drawn from a fixed seed, so signatures are the same in every build.
6. **LSH**: the signature is cut into ``bands`` bands; claims sharing a band are candidates. With the defaults
   (64 permutations, 32 bands of 2) a pair at Jaccard 0.3 becomes a candidate with probability 0.95, at 0.2 with
   0.73, at 0.1 with 0.27, and unrelated claims (no shared shingle) never. Work grows with the number of claims
   and of candidates, not with all pairs; a band bucket shared by more than 2,000 claims is ignored.
7. **Verify**: a candidate pair joins one cluster only if the Jaccard similarity of its shingle sets is at least
   ``threshold`` (0.6), or if at least ``containment`` (0.8) of the shorter claim's shingles are in the longer one
   and the shorter has at least ``min_containment_shingles`` (5) — a quotation reused in part. Containment is
   only checked on the pairs LSH proposes, and LSH proposes by Jaccard: a short piece of a much longer claim is
   found when it equals one of the longer claim's sentences (step 2), less reliably otherwise. Clusters are the
   connected components (union–find).

A cluster's id is the smallest ``claim_id`` in it, so it depends on its members only.

Steps 1–6 run per article where the claims are extracted (:func:`sketch`, in the workers); the global step reads
the sketches back from disk (:class:`SketchSpool`) one band at a time, so memory holds a few numbers per claim,
never the texts. A candidate pair whose claims are already in one cluster is not verified again: clusters are
connected components, so this changes the work, not the result. For the same reason the bands can be shared
out between processes, each returning the pairs it found similar: the components of their union are the same.
"""

from __future__ import annotations

import array
import hashlib
import itertools
import os
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from builder.config import ClusterConfig
from builder.files import naming
from builder.segment import iter_sentences

__all__ = [
    "ClusterStats",
    "Clusters",
    "Sketch",
    "SketchFiles",
    "SketchSpool",
    "UnionFind",
    "cluster",
    "normalise",
    "shingles",
    "sketch",
]

_PRIME = (1 << 61) - 1
_FOLD = np.uint64(0x100000001B3)  # FNV prime: mixes a band's rows into one key
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "—": "-", "–": "-"})
_WORDS = re.compile(r"\w+(?:'\w+)?")
_ALL_PAIRS_BUCKET = 32
_CHUNK = 100_000  # shingles hashed at once: 100,000 × 64 permutations × 8 bytes = 51 MB
_MAX_BUCKET = 2_000  # a band shared by more claims than this is boilerplate, not evidence


@dataclass(frozen=True)
class ClusterStats:
    """What clustering found, for the build report and the card."""

    claims: int
    clusters: int
    multi_claim_clusters: int
    claims_in_multi_claim_clusters: int
    exact_duplicate_groups: int
    cross_article_clusters: int
    cross_outlet_clusters: int
    largest_cluster: int
    pairs_verified: int


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
        with naming(self.folder):
            for band, stream in enumerate(self._band_files):
                stream.write(np.ascontiguousarray(item.bands[:, band], dtype=np.uint64).data)  # no copy of a sketch
            self._shingle_file.write(np.ascontiguousarray(item.shingles, dtype=np.uint32).data)

    def close(self) -> None:
        """Finish writing; the readers below work from here on."""
        with naming(self.folder):
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


class UnionFind:
    """Components over 0..size-1 in 8 bytes per element; a root is its component's smallest member."""

    def __init__(self, size: int) -> None:
        self.parent = array.array("q", range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def roots(self) -> np.ndarray:
        parent = np.frombuffer(self.parent, dtype=np.int64).copy()
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                return parent
            parent = jumped


@dataclass(frozen=True)
class Clusters:
    """Per claim (in corpus order): its cluster's id (the smallest member claim id) and size."""

    cluster_id: np.ndarray  # uint64
    size: np.ndarray  # int64
    stats: ClusterStats
    cpu_elsewhere: float = 0.0
    """CPU seconds the pool's processes spent verifying bands."""


def cluster(
    spool: SketchSpool,
    claim_ids: np.ndarray,
    article_of: np.ndarray,
    outlet_of: np.ndarray,
    cfg: ClusterConfig,
    pool: Executor | None = None,
    processes: int = 1,
) -> Clusters:
    """Cluster every claim of the spool (step 7). ``article_of``/``outlet_of`` give each claim's article and
    outlet as indices (outlet −1: unknown), for the statistics only. With a ``pool``, its ``processes`` verify
    the bands between them (LSH bands are independent) and this process joins the pairs they found similar."""
    claims = len(claim_ids)
    union = UnionFind(claims)
    owner = spool.owner
    # Exact duplicates first; one representative (the first item) of each distinct text goes on to LSH.
    _, first, group = np.unique(spool.exact, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    for item in np.flatnonzero(owner != owner[first[group]]).tolist():
        union.union(int(owner[first[group[item]]]), int(owner[item]))
    exact_groups = _exact_groups(owner, group, first.size)
    representatives = np.sort(first)

    if pool is None:
        verified, elsewhere = _verify_bands(spool.files(), range(spool.bands), representatives, owner, union, cfg), 0.0
    else:
        np.save(spool.folder / "representatives.npy", representatives)
        shares = [list(range(spool.bands))[start::processes] for start in range(processes)]
        found = pool.map(_similar_pairs, [spool.files()] * processes, shares, [claims] * processes, [cfg] * processes)
        verified, elsewhere = 0, 0.0
        for pairs, count, cpu in found:
            verified, elsewhere = verified + count, elsewhere + cpu
            for a, b in pairs.tolist():
                union.union(a, b)

    roots = union.roots()
    smallest = np.full(claims, np.iinfo(np.uint64).max, dtype=np.uint64)
    np.minimum.at(smallest, roots, claim_ids)
    sizes = np.bincount(roots, minlength=claims)
    stats = _stats(roots, sizes, article_of, outlet_of, exact_groups, verified)
    return Clusters(smallest[roots], sizes[roots].astype(np.int64), stats, elsewhere)


def _verify_bands(
    files: SketchFiles,
    bands: Iterable[int],
    representatives: np.ndarray,
    owner: np.ndarray,
    union: UnionFind,
    cfg: ClusterConfig,
    similar: list[tuple[int, int]] | None = None,
) -> int:
    """Bucket ``bands``, verify their candidate pairs not yet joined in ``union``, join (and add to ``similar``)
    the similar ones; the number of pairs verified."""
    verified = 0
    for band in bands:
        keys = files.band(band)[representatives]
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        bounds = np.flatnonzero(np.diff(ordered)) + 1
        starts = np.concatenate([[0], bounds])
        ends = np.concatenate([bounds, [ordered.size]])
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            if not 1 < end - start <= _MAX_BUCKET:
                continue
            ids = representatives[order[start:end]].tolist()
            if len(ids) <= _ALL_PAIRS_BUCKET:
                pairs: Sequence[tuple[int, int]] = list(itertools.combinations(ids, 2))
            else:  # star and chain: linear, and enough to join a true cluster
                pairs = [(ids[0], other) for other in ids[1:]] + list(itertools.pairwise(ids))
            for a, b in pairs:
                oa, ob = int(owner[a]), int(owner[b])
                if union.find(oa) == union.find(ob):
                    continue
                verified += 1
                if _similar(files.shingles(a), files.shingles(b), cfg):
                    union.union(oa, ob)
                    if similar is not None:
                        similar.append((oa, ob))
    files.release()
    return verified


def _similar_pairs(
    files: SketchFiles, bands: list[int], claims: int, cfg: ClusterConfig
) -> tuple[np.ndarray, int, float]:
    """In a worker: the claim pairs found similar in ``bands`` (those joining two of its own components only:
    enough for the same components), the number of pairs verified, and the CPU seconds it took."""
    start = time.process_time()
    similar: list[tuple[int, int]] = []
    representatives = np.load(files.folder / "representatives.npy")
    verified = _verify_bands(files, bands, representatives, files.owner(), UnionFind(claims), cfg, similar)
    return np.array(similar, dtype=np.int64).reshape(-1, 2), verified, time.process_time() - start


def _exact_groups(owner: np.ndarray, group: np.ndarray, groups: int) -> int:
    """Exact-text groups that span two or more claims."""
    pairs = np.unique(np.stack([group, owner]), axis=1)
    return int(np.count_nonzero(np.bincount(pairs[0], minlength=groups) > 1))


def _similar(first: set[int], second: set[int], cfg: ClusterConfig) -> bool:
    shared = len(first & second)
    if shared / (len(first) + len(second) - shared) >= cfg.threshold:
        return True
    shorter = min(len(first), len(second))
    return shorter >= cfg.min_containment_shingles and shared / shorter >= cfg.containment


def _spanning(roots: np.ndarray, multi: np.ndarray, labels: np.ndarray) -> int:
    """Multi-claim clusters whose claims carry two or more distinct labels (labels −1 ignored)."""
    keep = multi[roots] & (labels >= 0)
    pairs = np.unique(np.stack([roots[keep], labels[keep]]), axis=1)
    return int(np.count_nonzero(np.bincount(pairs[0], minlength=roots.size) > 1)) if pairs.size else 0


def _stats(
    roots: np.ndarray,
    sizes: np.ndarray,
    article_of: np.ndarray,
    outlet_of: np.ndarray,
    exact_groups: int,
    verified: int,
) -> ClusterStats:
    multi = sizes > 1
    return ClusterStats(
        claims=int(roots.size),
        clusters=int(np.count_nonzero(sizes)),
        multi_claim_clusters=int(np.count_nonzero(multi)),
        claims_in_multi_claim_clusters=int(sizes[multi].sum()),
        exact_duplicate_groups=exact_groups,
        cross_article_clusters=_spanning(roots, multi, article_of),
        cross_outlet_clusters=_spanning(roots, multi, outlet_of),
        largest_cluster=int(sizes.max()) if sizes.size else 0,
        pairs_verified=verified,
    )
