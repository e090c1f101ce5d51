"""Cluster: group near-duplicate claims across articles and outlets, without comparing all pairs.

1. **Normalise**: NFKC, case-folded, typographic quotes and dashes unified, punctuation dropped; the text becomes
   a list of words.
2. **Items**: each claim, and each sentence of a claim of several sentences (so that a quotation reused in part
   meets the longer quotation it came from); an item's match is its claim's match.
3. **Exact duplicates** (the same sentence republished) share a normalised text and are one group at once.
4. **Shingles**: the set of ``shingle_words``-word runs (a claim shorter than that is one shingle).
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
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from builder.config import ClusterConfig
from builder.models import Claim
from builder.segment import iter_sentences

__all__ = ["ClusterStats", "cluster_claims", "normalise", "shingles"]

_PRIME = (1 << 61) - 1
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
    candidate_pairs: int


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


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def cluster_claims(claims: Sequence[Claim], cfg: ClusterConfig) -> tuple[list[Claim], ClusterStats]:
    """Claims with ``cluster_id`` and ``cluster_size`` set, in the same order, and what was found."""
    # Items to compare: every claim, and each sentence of a claim that has several, so that a quotation reused
    # in part ("Russia is our neighbour, she's not going anywhere") meets the longer one it came from.
    owners: list[int] = []
    texts: list[str] = []
    for index, claim in enumerate(claims):
        pieces = [claim.text[a:b] for a, b in iter_sentences(claim.text, 0, len(claim.text))]
        for piece in [claim.text, *pieces] if len(pieces) > 1 else [claim.text]:
            owners.append(index)
            texts.append(" ".join(normalise(piece)))
    exact: dict[str, list[int]] = defaultdict(list)
    for item, text in enumerate(texts):
        exact[text].append(item)
    groups = list(exact.values())  # one representative per exact-duplicate text goes on
    union = _UnionFind(len(claims))
    for members in groups:
        for member in members[1:]:
            union.union(owners[members[0]], owners[member])

    sets = [shingles(texts[members[0]].split(), cfg.shingle_words) for members in groups]
    signatures = _signatures(sets, cfg)
    candidates = _candidates(signatures, cfg)
    for a, b in sorted(candidates):
        if owners[groups[a][0]] != owners[groups[b][0]] and _similar(sets[a], sets[b], cfg):
            union.union(owners[groups[a][0]], owners[groups[b][0]])

    members_of: dict[int, list[int]] = defaultdict(list)
    for index in range(len(claims)):
        members_of[union.find(index)].append(index)
    cluster_of: dict[int, tuple[str, int]] = {}
    for members in members_of.values():
        cluster_id = min(claims[i].claim_id for i in members)
        for member in members:
            cluster_of[member] = (cluster_id, len(members))
    clustered = [
        claim.model_copy(update={"cluster_id": cluster_of[i][0], "cluster_size": cluster_of[i][1]})
        for i, claim in enumerate(claims)
    ]
    exact_groups = [{owners[item] for item in members} for members in groups]
    return clustered, _stats(claims, members_of.values(), exact_groups, len(candidates))


def _candidates(signatures: np.ndarray, cfg: ClusterConfig) -> set[tuple[int, int]]:
    """Pairs of rows that share all values of at least one band."""
    rows = cfg.num_perm // cfg.bands
    candidates: set[tuple[int, int]] = set()
    for band in range(cfg.bands):
        _, bucket_of, sizes = np.unique(
            signatures[:, band * rows : (band + 1) * rows], axis=0, return_inverse=True, return_counts=True
        )
        bucket_of = bucket_of.reshape(-1)
        shared = np.flatnonzero((sizes > 1) & (sizes <= _MAX_BUCKET))
        if shared.size == 0:
            continue
        members = np.flatnonzero(np.isin(bucket_of, shared))
        order = members[np.argsort(bucket_of[members], kind="stable")]
        bounds = np.flatnonzero(np.diff(bucket_of[order])) + 1
        for bucket in np.split(order, bounds):
            ids = bucket.tolist()
            if len(ids) <= _ALL_PAIRS_BUCKET:
                candidates.update(itertools.combinations(ids, 2))
            else:  # star and chain: linear, and enough to join a true cluster
                candidates.update((ids[0], other) for other in ids[1:])
                candidates.update(itertools.pairwise(ids))
    return candidates


def _signatures(sets: list[set[str]], cfg: ClusterConfig) -> np.ndarray:
    """MinHash signatures, computed for many sets at once in chunks of about ``_CHUNK`` shingles."""
    rng = np.random.default_rng(cfg.seed)
    a = rng.integers(1, 1 << 31, size=cfg.num_perm, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=cfg.num_perm, dtype=np.uint64)
    sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    hashes = np.fromiter((_hash32(x) for s in sets for x in s), dtype=np.uint64, count=int(sizes.sum()))
    ends = np.cumsum(sizes)
    signatures = np.empty((len(sets), cfg.num_perm), dtype=np.uint64)
    first = 0
    while first < len(sets):
        start = int(ends[first] - sizes[first])
        last = max(first + 1, int(np.searchsorted(ends, start + _CHUNK, side="right")))
        stop = int(ends[last - 1])
        values = (np.outer(hashes[start:stop], a) + b) % _PRIME  # one row per shingle, one column per permutation
        offsets = (ends[first:last] - sizes[first:last]) - start
        signatures[first:last] = np.minimum.reduceat(values, offsets, axis=0)
        first = last
    return signatures


def _similar(first: set[str], second: set[str], cfg: ClusterConfig) -> bool:
    shared = len(first & second)
    if shared / len(first | second) >= cfg.threshold:
        return True
    shorter = min(len(first), len(second))
    return shorter >= cfg.min_containment_shingles and shared / shorter >= cfg.containment


def _stats(
    claims: Sequence[Claim], clusters: Iterable[list[int]], exact_groups: list[set[int]], candidate_pairs: int
) -> ClusterStats:
    members = list(clusters)
    multi = [cluster for cluster in members if len(cluster) > 1]
    return ClusterStats(
        claims=len(claims),
        clusters=len(members),
        multi_claim_clusters=len(multi),
        claims_in_multi_claim_clusters=sum(len(cluster) for cluster in multi),
        exact_duplicate_groups=sum(1 for group in exact_groups if len(group) > 1),
        cross_article_clusters=sum(1 for c in multi if len({claims[i].article_id for i in c}) > 1),
        cross_outlet_clusters=sum(1 for c in multi if len({claims[i].outlet for i in c if claims[i].outlet}) > 1),
        largest_cluster=max((len(cluster) for cluster in members), default=0),
        candidate_pairs=candidate_pairs,
    )
