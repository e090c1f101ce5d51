"""Split: train / validation / test without leakage.

Articles that share a claim cluster form one group (the connected components of "article — cluster"), and a
group goes to one split whole, so **no article and no cluster is ever in two splits**.

* ``hash`` (default): a group's split comes from a hash of its key, the smallest content hash (``sha256`` of the
  raw bytes) among its articles, placed on [0, 1) against the configured ratios; ids are not used, since a JSONL
  article's id is its line number and moves when lines are added. Adding articles never moves an existing claim,
  unless a new article joins its group (shares a cluster with it) with a smaller key or bridges two groups.
* ``temporal``: groups ordered by their earliest publication date (undated groups last, then by key); the
  oldest claims fill train up to its ratio, then validation, then test.

Whole groups cannot always meet the ratios: when the articles form one group (the same quote in all of them), or
too few, a split comes out empty or far from its share. :func:`uneven_splits` names each such split and why (see
:func:`is_far` for what "far" is); the build warns with it, and the card and ``--json`` carry it.

The stage works on per-article and per-claim keys (content hash, date, claim counts, cluster ids), never texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from builder.cluster import UnionFind, distinct_pairs
from builder.config import SplitConfig
from builder.models import Split
from builder.models.reports import UnevenSplit, percent

__all__ = ["FAR_POINTS", "FAR_SHARE", "SPLITS", "SplitStats", "assign_splits", "group_key", "is_far", "uneven_splits"]

SPLITS = tuple(Split)  # a split's index here is its ClassLabel value


# A split is far from its ratio when its share of the claims is off by more than both of these (see is_far).
FAR_POINTS = 0.10
FAR_SHARE = 0.5


@dataclass(frozen=True)
class SplitStats:
    """Claims, articles and groups per split, and how the articles group: what decides how close the splits can
    come to their ratios."""

    claims: dict[str, int]
    articles: dict[str, int]
    groups: dict[str, int]
    cross_article_clusters: int
    """Clusters whose claims come from two or more articles: each ties its articles into one group."""
    largest_group: int
    """Articles in the largest group (by articles, then claims)."""
    largest_group_claims: int
    largest_group_clusters: int
    """Cross-article clusters inside the largest group."""
    largest_group_dates: tuple[date, date] | None
    """The first and last publication date in the largest group, when one of its articles has a date."""


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
    union.union_all(owners[joined], owners[joined + 1])
    roots = union.roots()
    members: dict[int, list[int]] = {}
    for index, root in enumerate(roots.tolist()):
        members.setdefault(root, []).append(index)
    keys = {root: min(group_key(sha256[i]) for i in group) for root, group in members.items()}
    claims_per_article = np.bincount(article_of_claim, minlength=articles)
    # the clusters that join articles, each with the group (root) it lies in
    linking_group, _ = distinct_pairs(roots[owners[joined]], clusters[joined])
    group_articles = np.bincount(roots, minlength=articles)  # by root; zero for an article that is not one
    group_claims = np.bincount(roots, weights=claims_per_article, minlength=articles)
    largest = members[int(np.lexsort((group_claims, group_articles))[-1])] if articles else []
    dated = [day for i in largest if (day := published[i]) is not None]

    if cfg.mode == "hash":
        split_of_group = {root: _by_hash(keys[root], cfg) for root in members}
    else:
        split_of_group = _by_time(members, keys, published, claims_per_article, cfg)
    split_of_article = np.array([split_of_group[root] for root in roots.tolist()], dtype=np.int8)
    stats = SplitStats(
        claims=_count(np.bincount(split_of_article, weights=claims_per_article, minlength=len(SPLITS))),
        articles=_count(np.bincount(split_of_article, minlength=len(SPLITS))),
        groups=_count(np.bincount(np.array(list(split_of_group.values()), dtype=np.int8), minlength=len(SPLITS))),
        cross_article_clusters=int(linking_group.size),
        largest_group=len(largest),
        largest_group_claims=int(claims_per_article[largest].sum()),
        largest_group_clusters=int(np.count_nonzero(linking_group == roots[largest[0]])) if largest else 0,
        largest_group_dates=(min(dated), max(dated)) if dated else None,
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


def is_far(asked: float, share: float) -> bool:
    """Whether a split holding ``share`` of the claims is far from the ``asked`` share: off by more than 10
    percentage points *and* by more than half the share asked (10% asked: under 0% is impossible, so only over
    20%; 80% asked: under 40%). An empty split is reported on its own (:func:`uneven_splits`).

    Both, not either: the hash places each group on its own, so a small build's shares vary by chance. Measured on
    simulated builds of unrelated articles (claims per article drawn from the BBC build, 80/10/10), a split off by
    more than either bound is found in half of the 50-article builds and a quarter of the 100-article ones; off by
    more than both in 8% and 2% (200 articles: 0.1%), while one group holding every claim is always reported. On
    the BBC build itself (2,126 articles) no split is off by 1.5 points."""
    return abs(share - asked) > max(FAR_POINTS, FAR_SHARE * asked) + 1e-9  # 0.45 - 0.3 is not over 0.15


def uneven_splits(stats: SplitStats, cfg: SplitConfig) -> list[UnevenSplit]:
    """Each split that came out empty (with a share asked) or far from its share of the claims, and why."""
    total = sum(stats.claims.values())
    uneven = []
    for split in SPLITS:
        asked: float = getattr(cfg, split.value)
        claims = stats.claims[split.value]
        share = claims / total if total else 0.0
        if not (asked > 0 and claims == 0) and not is_far(asked, share):
            continue
        why, fix = _why(stats, cfg, abs(share - asked), total)
        uneven.append(
            UnevenSplit(
                split=split,
                asked=asked,
                share=share,
                claims=claims,
                articles=stats.articles[split.value],
                groups=sum(stats.groups.values()),
                largest_group=stats.largest_group,
                cross_article_clusters=stats.cross_article_clusters,
                why=why,
                fix=fix,
            )
        )
    return uneven


def _why(stats: SplitStats, cfg: SplitConfig, gap: float, claims: int) -> tuple[str, str]:
    """Why whole groups could not meet the ratios, and what would help."""
    articles, groups = sum(stats.articles.values()), sum(stats.groups.values())
    if groups == 1:
        if articles == 1:
            return "the build has 1 article, and an article never spans splits", "add articles"
        return (
            f"the {articles} articles form 1 group linked by "
            f"{_plural(stats.cross_article_clusters, 'cross-article cluster')}, and a group never spans splits",
            "add articles that share no claim with these",
        )
    share = stats.largest_group_claims / claims if claims else 0.0
    if stats.largest_group > 1 and share >= gap:
        dates = ""
        if cfg.mode == "temporal" and stats.largest_group_dates is not None:
            first, last = stats.largest_group_dates
            dates = f", published {first}" + (f" to {last}, placed by its first date" if last != first else "")
        return (
            f"the largest of the {groups} groups holds {stats.largest_group} of the {articles} articles "
            f"({percent(share)} of the claims{dates}), linked by "
            f"{_plural(stats.largest_group_clusters, 'cross-article cluster')}, and a group never spans splits",
            "add articles that share no claim with that group",
        )
    placed = "by its hash" if cfg.mode == "hash" else "in date order"
    fix = "add articles"
    smallest = min(share for share in (cfg.train, cfg.validation, cfg.test) if share > 0)
    if cfg.mode == "hash" and groups * smallest > 1 - 1e-9:  # fewer groups cannot fill every split, in any order
        fix += ", or use --split temporal, which fills the splits as closely as whole groups allow"
    if not stats.cross_article_clusters:
        return (
            f"the {articles} articles share no claim, so each is placed whole {placed}, and {articles} are too few to "
            "meet the ratios",
            fix,
        )
    return (
        f"the {articles} articles form {groups} groups (linked by "
        f"{_plural(stats.cross_article_clusters, 'cross-article cluster')}), each placed whole {placed}, and "
        f"{groups} are too few to meet the ratios",
        fix,
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
