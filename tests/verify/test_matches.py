"""The matches and factcheck_matches configs against the claims (builder/verify/matches.py): one fault planted in a
copy of a built folder, sealed (the manifest and croissant.json agree with the changed shard), and the exact
problems it must give, (code, file, row, field).

The seed's one match pair links its two cold-war claims (TASS and RBC, both in train); the seed built with a
fact-check of that claim (``factchecked_dist``) gives three factcheck_matches rows, each rank 1 of its claim.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from builder.verify import verify_dataset
from builder.verify.dataset import Dataset, Problems
from builder.verify.matches import RankKeys, check_matches_across, check_pair_shard, check_rank_shard
from builder.verify.values import ClaimKeys, check_claim_shard, check_index
from verify.corrupt import (
    CLAIMS_TRAIN,
    CLAIMS_VALIDATION,
    Where,
    cell,
    column,
    dataset_info,
    edit_card_yaml,
    read_shard,
    seal,
    set_cell,
    where,
    write_shard,
)

MATCHES = "matches/train-00000-of-00001.parquet"
FACTCHECKS = "factcheck_matches/train-00000-of-00001.parquet"
UNKNOWN_LOW, UNKNOWN_HIGH = "0000000000000001", "ffffffffffffffff"
"""Ids no claim has: one below every claim id, one above."""


def listing(report: Any) -> str:
    return "\n".join(str(problem) for problem in report.problems) or "(no problem)"


def found(dist: Path) -> set[Where]:
    """Where each problem of the folder is; no place reported twice (one fault, one problem)."""
    report = verify_dataset(dist)
    assert report.ok is (not report.problems), listing(report)
    assert len(where(report)) == len(report.problems), listing(report)
    return where(report)


def claim_row(dist: Path, claim_id: str) -> int:
    return list(column(dist, CLAIMS_TRAIN, "claim_id")).index(claim_id)


def pair(dist: Path) -> tuple[str, str, str]:
    """The seed's one pair: its claim_id, other_claim_id and match_group."""
    one, other, group = (cell(dist, MATCHES, name, 0) for name in ("claim_id", "other_claim_id", "match_group"))
    return one, other, group


@pytest.fixture
def checked(factchecked_dist: Path, tmp_path: Path) -> Path:
    """A writable copy of the seed dataset built with a fact-check."""
    return Path(shutil.copytree(factchecked_dist, tmp_path / "dist"))


def test_the_seed_has_the_pair_these_tests_corrupt(seed_dist, factchecked_dist):
    one, other, group = pair(seed_dist)
    assert one < other and group == one
    assert {cell(seed_dist, CLAIMS_TRAIN, "match_group", claim_row(seed_dist, c)) for c in (one, other)} == {group}
    assert column(factchecked_dist, FACTCHECKS, "rank") == [1, 1, 1]
    assert found(factchecked_dist) == set()


# ---------------------------------------------------------------------------------------------------------------
# match groups on the claims


def _unmatched_row(dist: Path) -> int:
    """A train claim in no group and no cluster of the pair, its id above the group's: given the group, only the
    missing pair is wrong with it."""
    one, other, group = pair(dist)
    rows = zip(*(column(dist, CLAIMS_TRAIN, n) for n in ("claim_id", "cluster_id", "match_group")), strict=True)
    return next(
        row
        for row, (claim, cluster, in_group) in enumerate(rows)
        if in_group is None and claim > group and cluster not in (one, other)
    )


def test_split_leak_of_a_match_group(dist):
    """A validation claim joins the train pair's group: it is reported (not in the group's first split), and no
    pair links it."""
    group = pair(dist)[2]
    ids = column(dist, CLAIMS_VALIDATION, "claim_id")
    row = next(row for row, claim in enumerate(ids) if claim > group)
    set_cell(dist, CLAIMS_VALIDATION, "match_group", row, group)
    seal(dist, CLAIMS_VALIDATION)
    assert found(dist) == {
        ("split-leak", CLAIMS_VALIDATION, row, "match_group"),
        ("match-group-unmatched", CLAIMS_VALIDATION, row, "match_group"),
    }


def test_match_group_unmatched(dist):
    row = _unmatched_row(dist)
    set_cell(dist, CLAIMS_TRAIN, "match_group", row, pair(dist)[2])
    seal(dist, CLAIMS_TRAIN)
    report = verify_dataset(dist)
    assert where(report) == {("match-group-unmatched", CLAIMS_TRAIN, row, "match_group")}, listing(report)
    assert cell(dist, CLAIMS_TRAIN, "claim_id", row) in report.problems[0].note


def test_a_claim_linked_through_its_cluster_needs_no_pair_of_its_own(dist):
    """A row links the clusters' first claims; a copy in the cluster of one of them is in the group through it."""
    row = _unmatched_row(dist)
    one, _, group = pair(dist)
    set_cell(dist, CLAIMS_TRAIN, "match_group", row, group)
    set_cell(dist, CLAIMS_TRAIN, "cluster_id", row, one)
    seal(dist, CLAIMS_TRAIN)
    assert found(dist) == set()


@pytest.mark.parametrize(
    "group",
    [
        pytest.param(lambda one, other: other, id="the-larger-claim-id"),
        pytest.param(lambda one, other: UNKNOWN_LOW, id="no-claim-id-of-the-group"),
    ],
)
def test_match_group_id_not_the_smallest_claim_id(dist, group):
    """The group renamed everywhere (both claims and the pair): reported once, at its smallest claim."""
    one, other, _ = pair(dist)
    renamed = group(one, other)
    for claim in (one, other):
        set_cell(dist, CLAIMS_TRAIN, "match_group", claim_row(dist, claim), renamed)
    set_cell(dist, MATCHES, "match_group", 0, renamed)
    seal(dist, CLAIMS_TRAIN, MATCHES)
    assert found(dist) == {("match-group-id", CLAIMS_TRAIN, claim_row(dist, one), "match_group")}


# ---------------------------------------------------------------------------------------------------------------
# matches rows


@pytest.mark.parametrize(
    ("name", "unknown", "lost"),
    [
        pytest.param("claim_id", UNKNOWN_LOW, 0, id="claim_id"),
        pytest.param("other_claim_id", UNKNOWN_HIGH, 1, id="other_claim_id"),
    ],
)
def test_claim_unknown_in_a_pair(dist, name, unknown, lost):
    """The pair names a claim that does not exist; the claim it named is then linked by no pair."""
    left_out = pair(dist)[lost]
    set_cell(dist, MATCHES, name, 0, unknown)
    seal(dist, MATCHES)
    assert found(dist) == {
        ("claim-unknown", MATCHES, 0, name),
        ("match-group-unmatched", CLAIMS_TRAIN, claim_row(dist, left_out), "match_group"),
    }


def test_match_group_mismatch(dist):
    set_cell(dist, MATCHES, "match_group", 0, pair(dist)[1])
    seal(dist, MATCHES)
    assert found(dist) == {("match-group-mismatch", MATCHES, 0, "match_group")}


def test_a_malformed_match_group_is_named_not_compared(dist):
    set_cell(dist, MATCHES, "match_group", 0, "bogus")
    seal(dist, MATCHES)
    assert found(dist) == {("id-malformed", MATCHES, 0, "match_group")}


def test_split_leak_of_a_pair_in_a_shard_of_another_split(dist):
    """Reported once, against its shard, not again against its claims."""
    set_cell(dist, MATCHES, "split", 0, 1)
    seal(dist, MATCHES)
    assert found(dist) == {("split-leak", MATCHES, 0, "split")}


def test_split_leak_of_a_pair_whose_claim_moved(dist):
    """One claim of the pair says validation: the claim is in the wrong shard, its group in two splits, and the
    pair in another split than one of its claims."""
    row = max(claim_row(dist, claim) for claim in pair(dist)[:2])  # the group's later claim is the one reported
    set_cell(dist, CLAIMS_TRAIN, "split", row, 1)
    seal(dist, CLAIMS_TRAIN)
    assert found(dist) == {
        ("split-leak", CLAIMS_TRAIN, row, "split"),
        ("split-leak", CLAIMS_TRAIN, row, "match_group"),
        ("split-leak", MATCHES, 0, "split"),
    }


def test_a_claim_of_a_pair_with_a_null_split_is_reported_once_as_null(dist):
    """A null split is null-required's: the pair is not said to be in another split than its claim. (The group's
    check of splits, as the clusters', takes a null for one more split.)"""
    row = max(claim_row(dist, claim) for claim in pair(dist)[:2])
    set_cell(dist, CLAIMS_TRAIN, "split", row, None)
    seal(dist, CLAIMS_TRAIN)
    assert found(dist) == {
        ("null-required", CLAIMS_TRAIN, row, "split"),
        ("split-leak", CLAIMS_TRAIN, row, "match_group"),
    }


def test_pair_order(dist):
    one, other, _ = pair(dist)
    set_cell(dist, MATCHES, "claim_id", 0, other)
    set_cell(dist, MATCHES, "other_claim_id", 0, one)
    seal(dist, MATCHES)
    report = verify_dataset(dist)
    assert where(report) == {("pair-order", MATCHES, 0, "claim_id")}, listing(report)
    assert report.problems[0].note == f"claim_id {other} is not before other_claim_id {one}"


def _append_first_pair(dist: Path, reversed_: bool) -> None:
    """The pair's row again (its ids swapped when ``reversed_``), the card's split size grown to match."""
    table = read_shard(dist, MATCHES)
    again = table.slice(0, 1)
    if reversed_:
        one, other = again.column("claim_id"), again.column("other_claim_id")
        again = again.set_column(0, table.schema.field(0), other).set_column(1, table.schema.field(1), one)
    write_shard(dist, MATCHES, pa.concat_tables([table, again]))

    def grow(data: dict[str, Any]) -> None:
        (split,) = [s for s in dataset_info(data, "matches")["splits"] if s["name"] == "train"]
        split["num_examples"] += 1

    edit_card_yaml(dist, grow)
    seal(dist, MATCHES, "README.md")


@pytest.mark.parametrize(
    ("reversed_", "also"),
    [
        pytest.param(False, set(), id="same"),
        pytest.param(True, {("pair-order", MATCHES, 1, "claim_id")}, id="reversed"),
    ],
)
def test_pair_duplicate(dist, reversed_, also):
    assert read_shard(dist, MATCHES).schema.names[:2] == ["claim_id", "other_claim_id"]
    _append_first_pair(dist, reversed_)
    assert found(dist) == {("pair-duplicate", MATCHES, 1, "claim_id"), *also}


def test_an_unreadable_matches_shard_leaves_no_claim_unmatched(dist):
    """The pairs could not be read: the claims of the group are not taken to be linked by none."""
    (dist / MATCHES).write_bytes(b"PAR1 torn")
    seal(dist, MATCHES)
    assert found(dist) == {("shard-unreadable", MATCHES, None, None)}


def test_an_unreadable_claims_shard_leaves_no_pair_or_fact_check_match_without_its_claim(checked):
    (checked / CLAIMS_TRAIN).write_bytes(b"PAR1 torn")
    seal(checked, CLAIMS_TRAIN)
    assert found(checked) == {("shard-unreadable", CLAIMS_TRAIN, None, None)}


# ---------------------------------------------------------------------------------------------------------------
# factcheck_matches rows


def test_claim_unknown_in_a_fact_check_match(checked):
    set_cell(checked, FACTCHECKS, "claim_id", 0, UNKNOWN_HIGH)
    seal(checked, FACTCHECKS)
    assert found(checked) == {("claim-unknown", FACTCHECKS, 0, "claim_id")}


def test_split_leak_of_a_fact_check_match_in_a_shard_of_another_split(checked):
    set_cell(checked, FACTCHECKS, "split", 0, 2)
    seal(checked, FACTCHECKS)
    assert found(checked) == {("split-leak", FACTCHECKS, 0, "split")}


def test_split_leak_of_a_fact_check_match_whose_claim_moved(checked):
    """Row 0's claim is in no pair and no cluster of another claim: only it and its fact-check match leak."""
    claim = cell(checked, FACTCHECKS, "claim_id", 0)
    row = claim_row(checked, claim)
    assert cell(checked, CLAIMS_TRAIN, "match_group", row) is None
    assert column(checked, CLAIMS_TRAIN, "cluster_id").count(claim) == 1
    set_cell(checked, CLAIMS_TRAIN, "split", row, 2)
    seal(checked, CLAIMS_TRAIN)
    assert found(checked) == {("split-leak", CLAIMS_TRAIN, row, "split"), ("split-leak", FACTCHECKS, 0, "split")}


def test_rank_sequence_with_a_gap(checked):
    set_cell(checked, FACTCHECKS, "rank", 0, 2)
    seal(checked, FACTCHECKS)
    report = verify_dataset(checked)
    assert where(report) == {("rank-sequence", FACTCHECKS, 0, "rank")}, listing(report)
    assert report.problems[0].note.endswith("rank 2 where 1 is due")


def test_rank_sequence_with_a_rank_twice(checked):
    """Row 1 becomes a second rank 1 of row 0's claim (row 1's own claim is left with no fact-check, which is
    fine)."""
    set_cell(checked, FACTCHECKS, "claim_id", 1, cell(checked, FACTCHECKS, "claim_id", 0))
    seal(checked, FACTCHECKS)
    report = verify_dataset(checked)
    assert where(report) == {("rank-sequence", FACTCHECKS, 1, "rank")}, listing(report)
    assert report.problems[0].note.endswith("rank 1 appears before")


def test_ranks_1_2_3_of_one_claim_verify(checked):
    claim = cell(checked, FACTCHECKS, "claim_id", 0)
    for row in (1, 2):
        set_cell(checked, FACTCHECKS, "claim_id", row, claim)
        set_cell(checked, FACTCHECKS, "rank", row, row + 1)
    seal(checked, FACTCHECKS)
    assert found(checked) == set()


def test_a_rank_skipped_is_not_reported_when_a_shard_of_ranks_could_not_be_read():
    """A claim's ranks may straddle two shards: with the first unreadable, rank 2 alone in the second is no gap
    (its rank 1 may be in the rows not read); with the first read whole and empty, it is."""
    claim = "ad7c6064abf52ec8"
    claims = ClaimKeys(0, CLAIMS_TRAIN)
    claims.ids.add(CLAIMS_TRAIN, "claim_id", [claim], 0, 0, Problems(10))
    claims.splits.append(np.array([0]))  # train
    first = RankKeys(0, "factcheck_matches/train-00000-of-00002.parquet", 0)
    second = RankKeys(
        0,
        "factcheck_matches/train-00001-of-00002.parquet",
        0,
        claims=[np.array([int(claim, 16)], dtype=np.uint64)],
        ranks=[np.array([2])],
        splits=[np.array([0])],
        positions=[np.array([0])],
    )
    for read_whole, expected in ((False, []), (True, [("rank-sequence", second.shard, 0, "rank")])):
        first.read_whole, problems = read_whole, Problems(10)
        check_matches_across([claims], [], [first, second], problems)
        assert [(p.code, p.file, p.row, p.field) for p in problems.listed] == expected


# ---------------------------------------------------------------------------------------------------------------
# memory


def test_the_checks_across_shards_keep_the_matches_ids_in_8_bytes_not_their_text(factchecked_dist):
    """What a matches or factcheck_matches shard's check keeps (and a worker sends back): 64-bit integers and
    positions, never an id's text; and a claims shard's match groups likewise."""
    dataset = Dataset.open(factchecked_dist)
    pairs = check_pair_shard(dataset.of("matches")[0], 0, Problems(100))
    ranks = check_rank_shard(dataset.of("factcheck_matches")[0], 0, Problems(100))
    keys = check_claim_shard(dataset.of("claims", "train")[0], 0, check_index(dataset, Problems(100)), Problems(100))
    one, other, group = pair(factchecked_dist)
    assert [a.tolist() for a in (*pairs.claims, *pairs.others, *pairs.groups)] == [
        [int(one, 16)],
        [int(other, 16)],
        [int(group, 16)],
    ]
    assert all(a.dtype == np.uint64 for a in (*pairs.claims, *pairs.others, *pairs.groups, *ranks.claims))
    groups, _ = keys.groups.arrays()
    assert groups.dtype == np.uint64 and sorted(groups.tolist()) == [int(group, 16)] * 2
    texts = {one, other, group, *column(factchecked_dist, FACTCHECKS, "claim_id")}
    for sent in (pickle.dumps(pairs), pickle.dumps(ranks), pickle.dumps(keys)):
        assert not [text for text in texts if text.encode("ascii") in sent]
