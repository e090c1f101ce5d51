from __future__ import annotations

from builder.cluster import cluster_claims, normalise
from builder.config import ClusterConfig
from conftest import make_claim

REPUBLISHED = "NATO suspended all practical cooperation with Russia in April over the seizure of Crimea."


def clusters(claims):
    clustered, stats = cluster_claims(claims, ClusterConfig())
    groups: dict[str, set[str]] = {}
    for claim in clustered:
        groups.setdefault(claim.cluster_id, set()).add(claim.text)
    return clustered, stats, sorted(sorted(g) for g in groups.values())


def test_normalise_unifies_typography_and_case():
    assert normalise("“Russia’s — NATO”, he said.") == ["russia's", "nato", "he", "said"]


def test_republications_near_duplicates_and_reused_quotes_cluster_and_paraphrases_do_not():
    corpus = [
        make_claim("a", REPUBLISHED, outlet="Wire"),
        make_claim("b", REPUBLISHED.replace("NATO", "Nato"), outlet="Daily"),  # exact after normalising
        make_claim(
            "c",
            "NATO suspended all practical cooperation with Russia in April over its seizure of Crimea.",
            outlet="Times",
        ),
        make_claim("d", "Russia is our neighbour, she is not going anywhere. We need to talk with Russia often."),
        make_claim("e", "Russia is our neighbour, she is not going anywhere."),  # a reused piece of d
        make_claim("f", "Russia is here to stay, and so is the alliance."),  # a paraphrase: not matched
        make_claim("g", "They have to act in compliance with international law."),
        make_claim("h", "They have to act in compliance with their international obligations."),
    ]
    clustered, stats, groups = clusters(corpus)
    assert sorted(map(len, groups)) == [1, 1, 1, 2, 3]
    republished = next(c for c in clustered if c.article_id == "a")
    assert republished.cluster_size == 3
    assert republished.cluster_id == min(c.claim_id for c in clustered if c.cluster_id == republished.cluster_id)
    assert {c.article_id for c in clustered if c.cluster_id == republished.cluster_id} == {"a", "b", "c"}
    # exact groups: the republication (a, b), and e republishing the first sentence of d word for word
    assert (stats.exact_duplicate_groups, stats.cross_article_clusters, stats.cross_outlet_clusters) == (2, 2, 1)


def test_cluster_ids_do_not_depend_on_claim_order():
    corpus = [make_claim(str(i), f"Claim number {i} about the budget of {i * 7} million.") for i in range(30)]
    corpus.append(make_claim("dup", corpus[3].text))
    forward, _, _ = clusters(corpus)
    backward, _, _ = clusters(list(reversed(corpus)))
    assert {c.claim_id: c.cluster_id for c in forward} == {c.claim_id: c.cluster_id for c in backward}
