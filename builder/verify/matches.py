"""Matches: the ``matches`` and ``factcheck_matches`` configs against the claims.

A ``matches`` row links two claims (``claim_id`` < ``other_claim_id``) of one match group, in their split, and no
pair is listed twice; every claim in a match group is linked by a row, itself or through its cluster (a row links
clusters' first claims), and the group's id is the smallest ``claim_id`` in it. A ``factcheck_matches`` row names
a claim, in the claim's split, and each claim's ranks are 1, 2, … n.

Each shard is read once and dropped, as the claims' are (:mod:`.values`); what the checks across shards need is
kept as flat arrays of integers (a pair's two claim ids, its group, its split and its row's position; a fact-check
match's claim id, rank, split and position), joined with the claims' :class:`~builder.verify.values.ClaimKeys` by
sorting: never a row, nor an id's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from builder.verify.dataset import Problems, Shard
from builder.verify.values import ClaimKeys, Ids, check_table, hex_ids, locate, report_unreadable, shard_split

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["PairKeys", "RankKeys", "check_matches_across", "check_pair_shard", "check_rank_shard"]


@dataclass
class PairKeys:
    """What the checks across shards need of one ``matches`` shard: of each row whose two claim ids are well
    formed, the two (uint64), the group (uint64; ``named_group`` False when it is malformed), the split (-1 when
    null) and the corpus position."""

    base: int
    shard: str
    split: int | None
    """The split the shard's name says (a row in another is reported once, here, not again against its claims)."""
    claims: list[np.ndarray] = field(default_factory=list)
    others: list[np.ndarray] = field(default_factory=list)
    groups: list[np.ndarray] = field(default_factory=list)
    named_group: list[np.ndarray] = field(default_factory=list)
    splits: list[np.ndarray] = field(default_factory=list)
    positions: list[np.ndarray] = field(default_factory=list)
    read_whole: bool = True
    """False when the shard could not be read to its end: a pair missing here may be in its unread rows."""


@dataclass
class RankKeys:
    """What the checks across shards need of one ``factcheck_matches`` shard: of each row with a well-formed claim
    id and a rank, the claim id (uint64), the rank, the split (-1 when null) and the corpus position."""

    base: int
    shard: str
    split: int | None
    claims: list[np.ndarray] = field(default_factory=list)
    ranks: list[np.ndarray] = field(default_factory=list)
    splits: list[np.ndarray] = field(default_factory=list)
    positions: list[np.ndarray] = field(default_factory=list)
    read_whole: bool = True
    """False when the shard could not be read to its end: a rank missing here may be in its unread rows."""


def _splits_of(shard: Shard, table: pa.RecordBatch, first: int, problems: Problems) -> np.ndarray:
    """The batch's split column (-1 for null); a row of another split than the shard's name says is reported."""
    if "split" not in table.column_names:
        return np.full(table.num_rows, -1, dtype=np.int64)
    splits: np.ndarray = table["split"].fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    expected = shard_split(shard)
    if expected is not None:
        for row in np.flatnonzero((splits != expected) & (splits != -1)).tolist():
            note = f"split {int(splits[row])} in a {shard.split} shard"
            problems.add("split-leak", shard.name, note, row=first + row, field="split")
    return splits


def _ids(
    shard: Shard, table: pa.RecordBatch, name: str, first: int, problems: Problems
) -> tuple[np.ndarray, np.ndarray]:
    """(well formed?, id as uint64) of every row of a batch's id column; the malformed ones reported."""
    ok, ids = np.zeros(table.num_rows, dtype=bool), np.zeros(table.num_rows, dtype=np.uint64)
    if name in table.column_names:
        rows, values = hex_ids(shard.name, name, table[name], first, problems)
        ok[rows], ids[rows] = True, values
    return ok, ids


def check_pair_shard(shard: Shard, base: int, problems: Problems) -> PairKeys:
    """One ``matches`` shard (its first row at position ``base`` of the config): the values every config's rows
    get, each pair in order; what the checks across shards need of it."""
    keys = PairKeys(base, shard.name, shard_split(shard))
    for first, batch in shard.batches():
        check_table(shard, batch, first, problems)
        splits = _splits_of(shard, batch, first, problems)
        claim_ok, claims = _ids(shard, batch, "claim_id", first, problems)
        other_ok, others = _ids(shard, batch, "other_claim_id", first, problems)
        group_ok, groups = _ids(shard, batch, "match_group", first, problems)
        for row in np.flatnonzero(claim_ok & other_ok & (claims >= others)).tolist():
            note = f"claim_id {int(claims[row]):016x} is not before other_claim_id {int(others[row]):016x}"
            problems.add("pair-order", shard.name, note, row=first + row, field="claim_id")
        kept = np.flatnonzero(claim_ok & other_ok)
        keys.claims.append(claims[kept])
        keys.others.append(others[kept])
        keys.groups.append(groups[kept])
        keys.named_group.append(group_ok[kept])
        keys.splits.append(splits[kept])
        keys.positions.append(kept + base + first)
    report_unreadable(shard, problems)
    keys.read_whole = shard.error is None
    return keys


def check_rank_shard(shard: Shard, base: int, problems: Problems) -> RankKeys:
    """One ``factcheck_matches`` shard (its first row at position ``base`` of the config): the values every
    config's rows get; what the checks across shards need of it."""
    keys = RankKeys(base, shard.name, shard_split(shard))
    for first, batch in shard.batches():
        check_table(shard, batch, first, problems)
        splits = _splits_of(shard, batch, first, problems)
        claim_ok, claims = _ids(shard, batch, "claim_id", first, problems)
        ranks = np.zeros(batch.num_rows, dtype=np.int64)
        if "rank" in batch.column_names:
            column = batch["rank"]
            ranks = column.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
            claim_ok &= column.is_valid().to_numpy(zero_copy_only=False)  # a null rank is null-required's
        else:
            claim_ok[:] = False
        kept = np.flatnonzero(claim_ok)
        keys.claims.append(claims[kept])
        keys.ranks.append(ranks[kept])
        keys.splits.append(splits[kept])
        keys.positions.append(kept + base + first)
    report_unreadable(shard, problems)
    keys.read_whole = shard.error is None
    return keys


def _joined(parts: list[list[np.ndarray]], dtype: type[np.generic]) -> np.ndarray:
    arrays = [array for part in parts for array in part]
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype=dtype)


def _shard_splits(parts: list[PairKeys] | list[RankKeys]) -> np.ndarray:
    """Per kept row, the split its shard's name says; -2 when the name says none."""
    sizes = [sum(array.size for array in part.positions) for part in parts]
    said = [-2 if part.split is None else part.split for part in parts]
    return np.repeat(np.array(said, dtype=np.int64), sizes) if parts else np.empty(0, dtype=np.int64)


def _arrays(parts: list[Ids]) -> tuple[np.ndarray, np.ndarray]:
    joined = Ids()  # one concatenation of every batch, not one a shard and then one of those
    for part in parts:
        joined.extend(part)
    return joined.arrays()


def _at(positions: np.ndarray, values: np.ndarray, value_positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The value at each of ``positions`` (both position arrays rising), and whether there is one."""
    if not value_positions.size:
        return np.zeros(positions.size, dtype=np.uint64), np.zeros(positions.size, dtype=bool)
    at = np.clip(np.searchsorted(value_positions, positions), 0, value_positions.size - 1)
    found = value_positions[at] == positions
    return np.where(found, values[at], np.uint64(0)), found


@dataclass(frozen=True)
class _Claims:
    """Every claim with a well-formed id, sorted by id: its split, its match group (``grouped`` False when alone),
    its cluster (its own id when the cluster id is malformed) and its position among the claims."""

    ids: np.ndarray
    splits: np.ndarray
    groups: np.ndarray
    grouped: np.ndarray
    clusters: np.ndarray
    positions: np.ndarray
    shards: list[tuple[int, str]]
    read_whole: bool
    """Every claims shard read to its end: a claim not here is in no shard (else it may be in unread rows)."""

    @classmethod
    def of(cls, parts: list[ClaimKeys]) -> _Claims:
        # Every claim of the corpus at once, in the build's own process: each array is put in id order as soon as
        # it is made, and its copy in shard order let go of.
        ids, positions = _arrays([part.ids for part in parts])
        order = np.argsort(ids, kind="stable")
        splits = _joined([part.splits for part in parts], np.int64)[order]
        # Positions rise through the shards, so a claim's group and cluster are found by its position.
        groups, grouped = _at(positions, *_arrays([part.groups for part in parts]))
        groups, grouped = groups[order], grouped[order]
        clusters, clustered = _at(positions, *_arrays([part.clusters for part in parts]))
        clusters = np.where(clustered, clusters, ids)[order]
        del clustered
        return cls(
            ids=ids[order],
            splits=splits,
            groups=groups,
            grouped=grouped,
            clusters=clusters,
            positions=positions[order],
            shards=[(part.base, part.shard) for part in parts],
            read_whole=all(part.read_whole for part in parts),
        )

    def find(self, ids: np.ndarray) -> np.ndarray:
        """The index of each of ``ids`` here, -1 when no claim has it."""
        if not self.ids.size:
            return np.full(ids.size, -1, dtype=np.int64)
        at = np.clip(np.searchsorted(self.ids, ids), 0, self.ids.size - 1)
        return np.where(self.ids[at] == ids, at, -1)

    def group_of(self, at: int) -> str:
        return f"group {int(self.groups[at]):016x}" if self.grouped[at] else "no group"


def check_matches_across(
    claim_parts: list[ClaimKeys], pair_parts: list[PairKeys], rank_parts: list[RankKeys], problems: Problems
) -> None:
    """The pairs and the fact-check matches against the claims, and the claims' match groups against the pairs
    (each list in shard order)."""
    claims = _Claims.of(claim_parts)
    linked = _check_pairs(claims, pair_parts, problems)
    _check_groups(claims, linked, all(part.read_whole for part in pair_parts), problems)
    _check_ranks(claims, rank_parts, problems)


def _check_pairs(claims: _Claims, parts: list[PairKeys], problems: Problems) -> np.ndarray:
    """Each pair's claims exist, in its group and its split; no pair twice. Returns the claim ids the pairs link."""
    shards = [(part.base, part.shard) for part in parts]
    ones, others = _joined([p.claims for p in parts], np.uint64), _joined([p.others for p in parts], np.uint64)
    groups, splits = _joined([p.groups for p in parts], np.uint64), _joined([p.splits for p in parts], np.int64)
    named_group = _joined([p.named_group for p in parts], np.bool_)
    positions, said = _joined([p.positions for p in parts], np.int64), _shard_splits(parts)
    one_at, other_at = claims.find(ones), claims.find(others)
    for name, ids, at in (("claim_id", ones, one_at), ("other_claim_id", others, other_at)):
        for row in np.flatnonzero((at < 0) & claims.read_whole).tolist():
            file, line = locate(int(positions[row]), shards)
            problems.add("claim-unknown", file, f"no claim {int(ids[row]):016x}", row=line, field=name)
    known = (one_at >= 0) & (other_at >= 0)
    one, other = np.where(known, one_at, 0), np.where(known, other_at, 0)
    if claims.ids.size:
        in_group = claims.grouped[one] & claims.grouped[other]
        same = in_group & (claims.groups[one] == groups) & (claims.groups[other] == groups)
        # A row of another split than its shard's name says is reported once, as such; a null split is
        # null-required's.
        checked = known & (splits != -1) & ((said == -2) | (said == splits))
        checked &= (claims.splits[one] != -1) & (claims.splits[other] != -1)
        split_leak = checked & ((claims.splits[one] != splits) | (claims.splits[other] != splits))
        for row in np.flatnonzero(known & named_group & ~same).tolist():
            file, line = locate(int(positions[row]), shards)
            one_group, other_group = claims.group_of(int(one[row])), claims.group_of(int(other[row]))
            note = f"group {int(groups[row]):016x}, its claims are in {one_group} and {other_group}"
            problems.add("match-group-mismatch", file, note, row=line, field="match_group")
        for row in np.flatnonzero(split_leak).tolist():
            file, line = locate(int(positions[row]), shards)
            first, second = int(claims.splits[one[row]]), int(claims.splits[other[row]])
            note = f"split {int(splits[row])}, its claims are in splits {first} and {second}"
            problems.add("split-leak", file, note, row=line, field="split")
    low, high = np.minimum(ones, others), np.maximum(ones, others)
    order = np.lexsort((positions, high, low))
    repeated = order[1:][(low[order][1:] == low[order][:-1]) & (high[order][1:] == high[order][:-1])]
    for row in sorted(repeated.tolist(), key=lambda i: int(positions[i])):
        file, line = locate(int(positions[row]), shards)
        note = f"pair {int(low[row]):016x}, {int(high[row]):016x} appears before"
        problems.add("pair-duplicate", file, note, row=line, field="claim_id")
    return np.unique(np.concatenate([ones, others]))


def _check_groups(claims: _Claims, linked: np.ndarray, pairs_whole: bool, problems: Problems) -> None:
    """Every claim in a match group is linked by a pair, itself or its cluster's first claim; each group's id is
    the smallest claim id in it. What a shard that could not be read may hold is not taken to be missing."""
    members = np.flatnonzero(claims.grouped)
    reached = np.isin(claims.ids[members], linked) | np.isin(claims.clusters[members], linked) | (not pairs_whole)
    for at in sorted(members[~reached].tolist(), key=lambda i: int(claims.positions[i])):
        file, row = locate(int(claims.positions[at]), claims.shards)
        claim, group = f"{int(claims.ids[at]):016x}", f"{int(claims.groups[at]):016x}"
        note = f"claim {claim} is in group {group}, but no pair of matches links it or its cluster"
        problems.add("match-group-unmatched", file, note, row=row, field="match_group")
    # The claims are sorted by id: the first of a group's members (a stable sort by group) is its smallest.
    order = members[np.argsort(claims.groups[members], kind="stable")]
    groups = claims.groups[order]
    smallest = order[np.concatenate([[True], groups[1:] != groups[:-1]])] if order.size else order
    # A group id below every claim read may be the id of a claim in rows that could not be read.
    above = claims.groups[smallest] > claims.ids[smallest]
    wrong = smallest[above | ((claims.groups[smallest] != claims.ids[smallest]) & claims.read_whole)]
    for at in sorted(wrong.tolist(), key=lambda i: int(claims.positions[i])):
        file, row = locate(int(claims.positions[at]), claims.shards)
        claim, group = f"{int(claims.ids[at]):016x}", f"{int(claims.groups[at]):016x}"
        note = f"group {group} is not the smallest claim id in it, {claim}"
        problems.add("match-group-id", file, note, row=row, field="match_group")


def _check_ranks(claims: _Claims, parts: list[RankKeys], problems: Problems) -> None:
    """Each fact-check match's claim exists, in its split; each claim's ranks are 1, 2, … n."""
    shards = [(part.base, part.shard) for part in parts]
    ids, ranks = _joined([p.claims for p in parts], np.uint64), _joined([p.ranks for p in parts], np.int64)
    splits, positions = _joined([p.splits for p in parts], np.int64), _joined([p.positions for p in parts], np.int64)
    said = _shard_splits(parts)
    at = claims.find(ids)
    for row in np.flatnonzero((at < 0) & claims.read_whole).tolist():
        file, line = locate(int(positions[row]), shards)
        problems.add("claim-unknown", file, f"no claim {int(ids[row]):016x}", row=line, field="claim_id")
    if claims.ids.size:
        claim_splits = claims.splits[np.maximum(at, 0)]
        checked = (at >= 0) & (splits != -1) & ((said == -2) | (said == splits)) & (claim_splits != -1)
        leak = checked & (claim_splits != splits)
        for row in np.flatnonzero(leak).tolist():
            file, line = locate(int(positions[row]), shards)
            note = f"split {int(splits[row])}, its claim {int(ids[row]):016x} is in split {int(claim_splits[row])}"
            problems.add("split-leak", file, note, row=line, field="split")
    order = np.lexsort((positions, ranks, ids))
    ordered_ids, ordered_ranks = ids[order], ranks[order]
    starts = np.concatenate([[True], ordered_ids[1:] != ordered_ids[:-1]]) if order.size else np.empty(0, dtype=bool)
    before = np.where(starts, 0, np.concatenate([[0], ordered_ranks[:-1]]))
    repeated = ~starts & (ordered_ranks == before)
    # A rank skipped may be in rows that could not be read; a rank read twice is there twice all the same.
    wrong = repeated | ((ordered_ranks != before + 1) & all(part.read_whole for part in parts))
    for at_row in sorted(np.flatnonzero(wrong).tolist(), key=lambda i: int(positions[order[i]])):
        row = int(order[at_row])
        file, line = locate(int(positions[row]), shards)
        claim, rank = f"{int(ids[row]):016x}", int(ranks[row])
        if repeated[at_row]:
            note = f"claim {claim}: rank {rank} appears before"
        else:
            note = f"claim {claim}: rank {rank} where {int(before[at_row]) + 1} is due"
        problems.add("rank-sequence", file, note, row=line, field="rank")
