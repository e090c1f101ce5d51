"""Cluster: group near-duplicate claims across articles and outlets, without comparing all pairs.

Steps 1–6 run per article where the claims are extracted (:mod:`builder.sketch`: words normalised, items, exact
hashes, shingles, MinHash, LSH band keys); the global step here reads the sketches back from disk
(:class:`~builder.sketch.SketchSpool`) one band at a time, so memory holds a few numbers per claim, never the texts.

6. **LSH**: claims sharing a band are candidates. With the defaults (64 permutations, 32 bands of 2) a pair at
   Jaccard 0.3 becomes a candidate with probability 0.95, at 0.2 with 0.73, at 0.1 with 0.27, and unrelated
   claims (no shared shingle) never. Work grows with the number of claims and of candidates, not with all pairs;
   a band bucket shared by more than 2,000 claims is ignored. Exact duplicates (one normalised text) are one group
   at once, and only one item of each text is bucketed.
7. **Verify**: a candidate pair joins one cluster only if the Jaccard similarity of its shingle sets is at least
   ``threshold`` (0.6), or if at least ``containment`` (0.8) of the shorter claim's shingles are in the longer one
   and the shorter has at least ``min_containment_shingles`` (5) — a quotation reused in part. Containment is
   only checked on the pairs LSH proposes, and LSH proposes by Jaccard: a short piece of a much longer claim is
   found when it equals one of the longer claim's sentences (step 2), less reliably otherwise. Clusters are the
   connected components (union–find).

A cluster's id is the smallest ``claim_id`` in it, so it depends on its members only.

A candidate pair whose claims are already in one cluster is not verified again: clusters are connected
components, so this changes the work, not the result. For the same reason the bands can be shared out between
processes, each returning the pairs it found similar: the components of their union are the same.
"""

from __future__ import annotations

import array
import itertools
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np

from builder.config import ClusterConfig
from builder.sketch import SketchFiles, SketchSpool

__all__ = ["ClusterStats", "Clusters", "UnionFind", "cluster", "distinct_pairs"]

_ALL_PAIRS_BUCKET = 32
_MAX_BUCKET = 2_000  # a band shared by more claims than this is boilerplate, not evidence
_PAIRS_AT_ONCE = 1 << 16


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

    def union_all(self, first: np.ndarray, second: np.ndarray) -> None:
        """Join ``first[i]`` and ``second[i]`` for every i, a block of pairs at a time: a corpus's pairs as Python
        ints at once would cost some 70 bytes a pair."""
        for start in range(0, len(first), _PAIRS_AT_ONCE):
            end = start + _PAIRS_AT_ONCE
            for a, b in zip(first[start:end].tolist(), second[start:end].tolist(), strict=True):
                self.union(a, b)

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
    text_owner = owner[first[group]]  # the claim holding the first item of the same text
    moved = np.flatnonzero(owner != text_owner)
    union.union_all(text_owner[moved], owner[moved])
    del text_owner, moved
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
            union.union_all(pairs[:, 0], pairs[:, 1])

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


def distinct_pairs(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``(first[i], second[i])`` pairs of two arrays of non-negative integers, sorted, as two arrays.
    Each pair is one 64-bit key when both fit in 32 bits (a third of what sorting the pairs as rows takes)."""
    if not first.size:
        return first[:0], second[:0]
    if int(first.max()) < 1 << 32 and int(second.max()) < 1 << 32:
        keys = np.unique((first.astype(np.uint64) << np.uint64(32)) | second.astype(np.uint64))
        return (keys >> np.uint64(32)).astype(first.dtype), (keys & np.uint64(0xFFFFFFFF)).astype(second.dtype)
    order = np.lexsort((second, first))
    a, b = first[order], second[order]
    new = np.ones(a.size, dtype=bool)
    new[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    return a[new], b[new]


def _exact_groups(owner: np.ndarray, group: np.ndarray, groups: int) -> int:
    """Exact-text groups that span two or more claims."""
    grouped = distinct_pairs(group, owner)[0]
    return int(np.count_nonzero(np.bincount(grouped, minlength=groups) > 1))


def _similar(first: set[int], second: set[int], cfg: ClusterConfig) -> bool:
    shared = len(first & second)
    if shared / (len(first) + len(second) - shared) >= cfg.threshold:
        return True
    shorter = min(len(first), len(second))
    return shorter >= cfg.min_containment_shingles and shared / shorter >= cfg.containment


def _spanning(roots: np.ndarray, multi: np.ndarray, labels: np.ndarray) -> int:
    """Multi-claim clusters whose claims carry two or more distinct labels (labels −1 ignored)."""
    keep = multi[roots] & (labels >= 0)
    labelled = distinct_pairs(roots[keep], labels[keep])[0]
    return int(np.count_nonzero(np.bincount(labelled, minlength=roots.size) > 1)) if labelled.size else 0


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
