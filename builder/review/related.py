"""What the review site shows beside a claim from the two match configs: the other claims of its match group,
each with the ``matches`` row that links it to the claim, and the claim's fact-check matches.

A ``matches`` row pairs two clusters' first claims (a cluster's id is its first claim's id), so every copy in a
cluster reaches its group's rows through its ``cluster_id``; two claims of one cluster are copies of each other,
which no row links.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from builder.models import Claim, ClaimMatch, FactCheckMatch
from builder.review.read import Dataset

__all__ = ["GroupMember", "Related", "related_claims"]


@dataclass(frozen=True)
class GroupMember:
    """Another claim of a claim's match group, with what its line on the page needs."""

    claim: Claim
    outlet: str | None
    page: str
    """The page name (without ``.html``) of its article."""
    pair: ClaimMatch | None
    """The ``matches`` row linking its cluster to the shown claim's cluster; None for a copy in the same cluster
    (and when the folder holds no such row)."""
    copy: bool
    """Whether it is in the shown claim's cluster: a copy of it, which the matcher never compared."""


@dataclass(frozen=True)
class Related:
    """The other claims of a claim's match group (highest score first, its copies last) and its fact-check
    matches by rank."""

    group: tuple[GroupMember, ...] = ()
    factchecks: tuple[FactCheckMatch, ...] = ()


def related_claims(dataset: Dataset, pages: Mapping[str, str]) -> dict[str, Related]:
    """Per claim id, what is related to the claim; claims with neither a group nor a fact-check are left out.
    ``pages`` gives each article's page name."""
    outlets = {article.article_id: article.outlet for article in dataset.articles}
    every = [claim for article in dataset.articles for claim in dataset.claims[article.article_id]]
    groups: dict[str, list[Claim]] = {}
    for claim in every:
        if claim.match_group is not None:
            groups.setdefault(claim.match_group, []).append(claim)
    pairs = {_pair_key(pair.claim_id, pair.other_claim_id): pair for pair in dataset.matches}
    factchecks: dict[str, list[FactCheckMatch]] = {}
    for found in dataset.factcheck_matches:
        factchecks.setdefault(found.claim_id, []).append(found)
    related: dict[str, Related] = {}
    for claim in every:
        members = [
            GroupMember(
                other,
                outlets[other.article_id],
                pages[other.article_id],
                pairs.get(_pair_key(_cluster(claim), _cluster(other))),
                _cluster(claim) == _cluster(other),
            )
            for other in groups.get(claim.match_group or "", [])
            if other.claim_id != claim.claim_id
        ]
        checks = factchecks.get(claim.claim_id, [])
        if members or checks:
            related[claim.claim_id] = Related(tuple(sorted(members, key=_member_order)), tuple(checks))
    return related


def _cluster(claim: Claim) -> str:
    # A claim that clustering never saw (an empty cluster_id) is the first claim of its own cluster.
    return claim.cluster_id or claim.claim_id


def _pair_key(one: str, other: str) -> tuple[str, str]:
    return (one, other) if one <= other else (other, one)


def _member_order(member: GroupMember) -> tuple[bool, float, str, int, str]:
    score = member.pair.score if member.pair is not None else 0.0
    return (member.copy, -score, member.claim.article_id, member.claim.char_start, member.claim.claim_id)
