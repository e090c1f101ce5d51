"""Split: train / validation / test without leakage.

Articles that share a claim cluster form one group (the connected components of "article — cluster"), and a
group goes to one split whole, so **no article and no cluster is ever in two splits**.

* ``hash`` (default): a group's split comes from a hash of its key, the smallest content hash (``sha256`` of the
  raw bytes) among its articles, placed on [0, 1) against the configured ratios; ids are not used, since a JSONL
  article's id is its line number and moves when lines are added. Adding articles never moves an existing claim,
  unless a new article joins its group (shares a cluster with it) with a smaller key or bridges two groups.
* ``temporal``: groups ordered by their earliest publication date (undated groups last, then by key); the
  oldest claims fill train up to its ratio, then validation, then test.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from builder.config import SplitConfig
from builder.models import Article, Claim, Split

__all__ = ["SplitStats", "assign_splits", "group_key"]


@dataclass(frozen=True)
class SplitStats:
    """Claims, articles and groups per split."""

    claims: dict[str, int]
    articles: dict[str, int]
    groups: dict[str, int]


def group_key(article_sha256: str) -> str:
    return hashlib.sha256(f"factpack-group:{article_sha256}".encode("ascii")).hexdigest()


def assign_splits(
    articles: Sequence[Article], claims: Sequence[Claim], cfg: SplitConfig
) -> tuple[list[Article], list[Claim], SplitStats]:
    """Articles and claims with ``split`` set, and the split sizes."""
    parent = {article.article_id: article.article_id for article in articles}

    def find(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    first_article_of_cluster: dict[str, str] = {}
    for claim in claims:
        other = first_article_of_cluster.setdefault(claim.cluster_id or claim.claim_id, claim.article_id)
        a, b = find(other), find(claim.article_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        members[find(article.article_id)].append(article)
    keys = {root: min(group_key(a.sha256) for a in group) for root, group in members.items()}
    claims_per_article = Counter(claim.article_id for claim in claims)

    if cfg.mode == "hash":
        split_of_group = {root: _by_hash(keys[root], cfg) for root in members}
    else:
        split_of_group = _by_time(members, keys, claims_per_article, cfg)

    split_of_article = {a.article_id: split_of_group[root] for root, group in members.items() for a in group}
    new_articles = [a.model_copy(update={"split": split_of_article[a.article_id]}) for a in articles]
    new_claims = [c.model_copy(update={"split": split_of_article[c.article_id]}) for c in claims]
    stats = SplitStats(
        claims=_count(c.split for c in new_claims),
        articles=_count(a.split for a in new_articles),
        groups=_count(split_of_group.values()),
    )
    return new_articles, new_claims, stats


def _count(splits: object) -> dict[str, int]:
    counts = Counter(splits)  # type: ignore[call-overload]
    return {split.value: counts[split] for split in Split}


def _by_hash(key: str, cfg: SplitConfig) -> Split:
    point = int(hashlib.sha256(f"factpack-split:{key}".encode("ascii")).hexdigest()[:16], 16) / 2**64
    if point < cfg.train:
        return Split.TRAIN
    if point < cfg.train + cfg.validation:
        return Split.VALIDATION
    return Split.TEST


def _by_time(
    members: dict[str, list[Article]], keys: dict[str, str], claims_per_article: Counter[str], cfg: SplitConfig
) -> dict[str, Split]:
    def earliest(root: str) -> date:
        dates = [a.published for a in members[root] if a.published is not None]
        return min(dates) if dates else date.max

    order = sorted(members, key=lambda root: (earliest(root), keys[root]))
    sizes = {root: sum(claims_per_article[a.article_id] for a in members[root]) or 1 for root in order}
    total = sum(sizes.values())
    assigned: dict[str, Split] = {}
    seen = 0
    for root in order:
        middle = (seen + sizes[root] / 2) / total
        assigned[root] = (
            Split.TRAIN
            if middle < cfg.train
            else Split.VALIDATION
            if middle < cfg.train + cfg.validation
            else Split.TEST
        )
        seen += sizes[root]
    return assigned
