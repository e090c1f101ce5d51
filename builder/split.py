"""Split: train / validation / test without leakage.

Articles that share a claim cluster form one group (the connected components of "article — cluster"), and a
group goes to one split whole, so **no article and no cluster is ever in two splits**.

* ``hash`` (default): a group's split comes from a hash of its key, the smallest content hash (``sha256`` of the
  raw bytes) among its articles, placed on [0, 1) against the configured ratios; ids are not used, since a JSONL
  article's id is its line number and moves when lines are added. Adding articles never moves an existing claim,
  unless a new article joins its group (shares a cluster with it) with a smaller key or bridges two groups.
* ``temporal``: groups ordered by their earliest publication date (undated groups last, then by key); the
  oldest claims fill train up to its ratio, then validation, then test.

The stage works on per-article and per-claim keys (content hash, date, claim counts, cluster ids), never texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from builder.cluster import UnionFind
from builder.config import SplitConfig
from builder.models import Split

__all__ = ["SPLITS", "SplitStats", "assign_splits", "group_key"]

SPLITS = tuple(Split)  # a split's index here is its ClassLabel value


@dataclass(frozen=True)
class SplitStats:
    """Claims, articles and groups per split."""

    claims: dict[str, int]
    articles: dict[str, int]
    groups: dict[str, int]


def group_key(article_sha256: str) -> str:
    return hashlib.sha256(f"factpack-group:{article_sha256}".encode("ascii")).hexdigest()


def assign_splits(
    sha256: Sequence[str],
    published: Sequence[date | None],
    article_of_claim: np.ndarray,
    cluster_of_claim: np.ndarray,
    cfg: SplitConfig,
) -> tuple[np.ndarray, SplitStats]:
    """Each article's split (an index into :data:`SPLITS`), from the articles' content hashes and dates and each
    claim's article (index) and cluster id; and the split sizes."""
    articles = len(sha256)
    union = UnionFind(articles)
    order = np.lexsort((article_of_claim, cluster_of_claim))
    clusters, owners = cluster_of_claim[order], article_of_claim[order]
    joined = np.flatnonzero((clusters[1:] == clusters[:-1]) & (owners[1:] != owners[:-1]))
    for at in joined.tolist():
        union.union(int(owners[at]), int(owners[at + 1]))
    roots = union.roots()
    members: dict[int, list[int]] = {}
    for index, root in enumerate(roots.tolist()):
        members.setdefault(root, []).append(index)
    keys = {root: min(group_key(sha256[i]) for i in group) for root, group in members.items()}
    claims_per_article = np.bincount(article_of_claim, minlength=articles)

    if cfg.mode == "hash":
        split_of_group = {root: _by_hash(keys[root], cfg) for root in members}
    else:
        split_of_group = _by_time(members, keys, published, claims_per_article, cfg)
    split_of_article = np.array([split_of_group[root] for root in roots.tolist()], dtype=np.int8)
    stats = SplitStats(
        claims=_count(np.bincount(split_of_article, weights=claims_per_article, minlength=len(SPLITS))),
        articles=_count(np.bincount(split_of_article, minlength=len(SPLITS))),
        groups=_count(np.bincount(np.array(list(split_of_group.values()), dtype=np.int8), minlength=len(SPLITS))),
    )
    return split_of_article, stats


def _count(per_split: np.ndarray) -> dict[str, int]:
    return {split.value: int(n) for split, n in zip(SPLITS, per_split.tolist(), strict=True)}


def _by_hash(key: str, cfg: SplitConfig) -> int:
    point = int(hashlib.sha256(f"factpack-split:{key}".encode("ascii")).hexdigest()[:16], 16) / 2**64
    if point < cfg.train:
        return 0
    return 1 if point < cfg.train + cfg.validation else 2


def _by_time(
    members: dict[int, list[int]],
    keys: dict[int, str],
    published: Sequence[date | None],
    claims_per_article: np.ndarray,
    cfg: SplitConfig,
) -> dict[int, int]:
    def earliest(root: int) -> date:
        dates = [day for i in members[root] if (day := published[i]) is not None]
        return min(dates) if dates else date.max

    order = sorted(members, key=lambda root: (earliest(root), keys[root]))
    sizes = {root: int(sum(claims_per_article[i] for i in members[root])) or 1 for root in order}
    total = sum(sizes.values())
    assigned: dict[int, int] = {}
    seen = 0
    for root in order:
        middle = (seen + sizes[root] / 2) / total
        assigned[root] = 0 if middle < cfg.train else 1 if middle < cfg.train + cfg.validation else 2
        seen += sizes[root]
    return assigned
