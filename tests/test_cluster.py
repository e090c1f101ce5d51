from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_split import article as make_article

import builder.cluster
from builder.cluster import UnionFind, cluster, distinct_pairs
from builder.config import ClusterConfig
from builder.sketch import SketchSpool, normalise, sketch
from conftest import make_claim

_runs = itertools.count()

REPUBLISHED = "NATO suspended all practical cooperation with Russia in April over the seizure of Crimea."


def clusters(claims, scratch, pool=None, processes=1):
    """Cluster claims as a build does: sketched one article at a time, spooled to disk, clustered from there
    (its bands shared out between ``processes`` of ``pool`` when one is given)."""
    cfg = ClusterConfig()
    spool = SketchSpool(scratch / f"sketch-{next(_runs)}", cfg)
    articles: dict[str, int] = {}
    outlets: dict[str | None, int] = {None: -1}
    for position, claim in enumerate(claims):
        spool.append(sketch([claim.text], cfg), position)
    spool.close()
    found = cluster(
        spool,
        np.array([int(c.claim_id, 16) for c in claims], dtype=np.uint64),
        np.array([articles.setdefault(c.article_id, len(articles)) for c in claims], dtype=np.int64),
        np.array([outlets.setdefault(c.outlet, len(outlets) - 1) for c in claims], dtype=np.int64),
        cfg,
        pool,
        processes,
    )
    spool.release()
    clustered = [
        claim.model_copy(update={"cluster_id": f"{cluster_id:016x}", "cluster_size": size})
        for claim, cluster_id, size in zip(claims, found.cluster_id.tolist(), found.size.tolist(), strict=True)
    ]
    stats = found.stats
    groups: dict[str, set[str]] = {}
    for claim in clustered:
        groups.setdefault(claim.cluster_id, set()).add(claim.text)
    return clustered, stats, sorted(sorted(g) for g in groups.values())


def test_normalise_unifies_typography_and_case():
    assert normalise("“Russia’s — NATO”, he said.") == ["russia's", "nato", "he", "said"]


def test_republications_near_duplicates_and_reused_quotes_cluster_and_paraphrases_do_not(tmp_path):
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
    clustered, stats, groups = clusters(corpus, tmp_path)
    assert sorted(map(len, groups)) == [1, 1, 1, 2, 3]
    republished = next(c for c in clustered if c.article_id == "a")
    assert republished.cluster_size == 3
    assert republished.cluster_id == min(c.claim_id for c in clustered if c.cluster_id == republished.cluster_id)
    assert {c.article_id for c in clustered if c.cluster_id == republished.cluster_id} == {"a", "b", "c"}
    # exact groups: the republication (a, b), and e republishing the first sentence of d word for word
    assert (stats.exact_duplicate_groups, stats.cross_article_clusters, stats.cross_outlet_clusters) == (2, 2, 1)


def test_cluster_ids_do_not_depend_on_claim_order(tmp_path):
    corpus = [make_claim(str(i), f"Claim number {i} about the budget of {i * 7} million.") for i in range(30)]
    corpus.append(make_claim("dup", corpus[3].text))
    forward, _, _ = clusters(corpus, tmp_path)
    backward, _, _ = clusters(list(reversed(corpus)), tmp_path)
    assert {c.claim_id: c.cluster_id for c in forward} == {c.claim_id: c.cluster_id for c in backward}


def test_a_sketch_survives_the_trip_through_a_worker_payload():
    from builder.config import BuildConfig
    from builder.packed import pack

    claims = [make_claim("a", "Russia is our neighbour. She is not going anywhere, he said."), make_claim("a", "No.")]
    article = make_article("a")
    cfg = BuildConfig()
    direct = sketch([c.text for c in claims], cfg.cluster)
    carried = pack(article, claims, cfg.cluster).sketched()
    assert direct.owner.tolist() == carried.owner.tolist() == [0, 0, 0, 1]  # the claim, its two sentences, "No."
    for field in ("exact", "bands", "shingles", "lengths"):
        assert np.array_equal(getattr(direct, field), getattr(carried, field))


def test_a_big_bucket_is_joined_without_verifying_every_pair(tmp_path):
    same = "The council said the bridge will reopen to traffic on Monday morning after repairs."
    corpus = [make_claim(str(i), same.replace("Monday", f"day {i}")) for i in range(40)]
    _, stats, groups = clusters(corpus, tmp_path)
    assert len(groups) == 1 and stats.largest_cluster == 40
    assert stats.pairs_verified >= 39  # at least a spanning tree was verified, not all 780 pairs
    assert stats.pairs_verified < 780


def test_bands_shared_between_processes_give_the_same_clusters(tmp_path):
    from builder.engines.local import worker_pool

    bridge = "The council said the bridge will reopen to traffic on Monday morning after repairs."
    corpus = [make_claim(f"b{i}", bridge.replace("Monday", f"day {i}")) for i in range(12)]
    corpus += [make_claim(f"n{i}", f"Claim number {i} about the budget of {i * 7} million.") for i in range(20)]
    corpus += [make_claim("r1", REPUBLISHED), make_claim("r2", REPUBLISHED.replace("April", "spring"))]
    alone, alone_stats, alone_groups = clusters(corpus, tmp_path)

    class HereInTurn:
        """The pool's interface, each task run in this process in turn (where a tracer or debugger sees it)."""

        def map(self, function, *arguments):
            return list(map(function, *arguments))

    with worker_pool(3) as pool:
        for tasks in (pool, HereInTurn()):
            shared, shared_stats, shared_groups = clusters(corpus, tmp_path, tasks, 3)
            assert [c.cluster_id for c in shared] == [c.cluster_id for c in alone]
            assert shared_groups == alone_groups and max(map(len, alone_groups)) == 12
            assert shared_stats.multi_claim_clusters == alone_stats.multi_claim_clusters >= 2
            assert shared_stats.pairs_verified >= alone_stats.pairs_verified  # each task skips only what it joined


@settings(deadline=None)
@given(
    items=st.integers(0, 6),
    bands=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_sketch_round_trips_through_its_bytes(items, bands, seed):
    from builder.packed import sketch_bytes, sketch_of
    from builder.sketch import Sketch

    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 5, size=items).astype(np.int64)
    original = Sketch(
        owner=rng.integers(0, 3, size=items).astype(np.int64),
        exact=rng.integers(0, 2**64, size=items, dtype=np.uint64),
        bands=rng.integers(0, 2**64, size=(items, bands), dtype=np.uint64),
        shingles=rng.integers(0, 2**32, size=int(lengths.sum()), dtype=np.uint32),
        lengths=lengths,
    )
    carried = sketch_of(sketch_bytes(original))
    for field in ("owner", "exact", "bands", "shingles", "lengths"):
        assert np.array_equal(getattr(carried, field), getattr(original, field))
        assert getattr(carried, field).dtype == getattr(original, field).dtype


def test_containment_joins_a_reused_piece_only_from_the_minimum_number_of_shingles(tmp_path):
    # 3-word shingles: a piece of 7 words has 5 (the minimum), one of 6 words has 4. Each sits inside a longer claim
    # with which its Jaccard is 0.5, under the 0.6 threshold, so only containment can join them.
    five = "tax cuts for working families begin now"
    four = "new rail lines open next spring"
    corpus = [
        make_claim("a", f"{five} says the budget office"),  # 12 words, 10 shingles
        make_claim("b", five),
        make_claim("c", f"{four} the ministry said"),  # 9 words, 7 shingles: Jaccard 4/7 with the piece
        make_claim("d", four),
    ]
    _, _, groups = clusters(corpus, tmp_path)
    joined = [f"{five} says the budget office", five]
    assert groups == sorted([sorted(joined), [four], [f"{four} the ministry said"]])


def test_containment_joins_a_piece_at_exactly_the_containment_share_and_not_just_under(tmp_path):
    # 3-word shingles. Each piece's Jaccard with the longer claim (14 shingles) is 0.5 or under, below the threshold
    # of 0.6: only containment can join them.
    whole = "council agreed that bus fares for pensioners will be frozen until the end of next year"
    at_share = "bus fares for pensioners will be frozen until the end this spring"  # 8 of its 10 shingles: 0.8
    under = "council agreed that bus fares for pensioners will be cut sharply"  # 7 of its 9: 0.78
    corpus = [make_claim("a", whole), make_claim("b", at_share), make_claim("c", under)]
    _, _, groups = clusters(corpus, tmp_path)
    assert groups == sorted([sorted([whole, at_share]), [under]])


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=40),
    st.sampled_from([1, 1 << 40]),
)
def test_distinct_pairs_are_the_distinct_rows_sorted_in_either_width(pairs, scale):
    """As ``np.unique`` of the stacked rows gives them, with values that fit in 32 bits (one key a pair) and
    values that do not (sorted as pairs)."""
    first = np.array([a * scale for a, _ in pairs], dtype=np.int64)
    second = np.array([b for _, b in pairs], dtype=np.uint64)
    got = distinct_pairs(first, second)
    expected = np.unique(np.stack([first.astype(np.uint64), second]), axis=1) if pairs else np.empty((2, 0))
    assert got[0].tolist() == expected[0].tolist() and got[1].tolist() == expected[1].tolist()
    assert (got[0].dtype, got[1].dtype) == (first.dtype, second.dtype)


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=60), st.integers(1, 7))
def test_union_all_joins_what_one_union_a_pair_joins_across_its_blocks(pairs, block):
    one_by_one, all_at_once = UnionFind(31), UnionFind(31)
    for a, b in pairs:
        one_by_one.union(a, b)
    saved = builder.cluster._PAIRS_AT_ONCE
    builder.cluster._PAIRS_AT_ONCE = block  # pairs straddle the blocks
    try:
        all_at_once.union_all(np.array([a for a, _ in pairs], dtype=np.int64), np.array([b for _, b in pairs]))
    finally:
        builder.cluster._PAIRS_AT_ONCE = saved
    assert one_by_one.roots().tolist() == all_at_once.roots().tolist()
