"""Values: labels in range, required fields present, offsets ordered, ids unique, references resolved, no leaks,
no credential in any string (:mod:`.credentials`); the matches configs against the claims in :mod:`.matches`.

Each shard is read once and dropped; what spans shards is kept as flat arrays (8 bytes a claim id, 8 a cluster
id, 8 a match group, 8 a split), so a large dataset is checked without holding its rows.
"""

from __future__ import annotations

import bisect
import re
import types
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

import numpy as np
from pydantic import BaseModel

from builder.dataset_folder import CONFIGS, SPLIT_NAMES
from builder.models import ClaimType
from builder.verify.credentials import check_batch_credentials
from builder.verify.dataset import Dataset, Problems, Shard

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "ClaimKeys",
    "Ids",
    "Index",
    "check_across_shards",
    "check_claim_shard",
    "check_index",
    "check_table",
    "hex_ids",
    "locate",
    "misplaced_resolutions",
    "report_unreadable",
    "shard_split",
]

_OFFSETS = {"claims": [("char_start", "char_end", True), ("speaker_start", "speaker_end", False),
                       ("cue_start", "cue_end", False), ("context_start", "context_end", False)]}  # fmt: skip


@dataclass
class Index:
    """What the provenance check and the cross-shard checks need: where each article is, and its split."""

    article_split: dict[str, int] = field(default_factory=dict)
    article_where: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (shard, row)
    speakers: set[str] = field(default_factory=set)


def _optional(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def _required(config: str) -> list[tuple[str, str | None]]:
    """(column, child) of every field that must not be null; the children of required struct columns too."""
    model = CONFIGS.get(config)
    if model is None:
        return []
    names: list[tuple[str, str | None]] = []
    for name, info in model.model_fields.items():
        if _optional(info.annotation):
            continue
        names.append((name, None))
        nested = info.annotation
        if isinstance(nested, type) and issubclass(nested, BaseModel):
            names += [(name, child) for child, sub in nested.model_fields.items() if not _optional(sub.annotation)]
    return names


def _rows(mask: pa.Array) -> list[int]:
    import pyarrow.compute as pc

    return [int(i) for i in pc.indices_nonzero(mask.fill_null(False)).to_pylist()]


_INDEX_COLUMNS = {"articles": ["article_id", "split"], "speakers": ["speaker_id"]}
_CLAIM_KEY_COLUMNS = ["article_id", "split", "speaker_id", "claim_id", "cluster_id", "match_group"]


def check_index(dataset: Dataset, problems: Problems, tables_checked: frozenset[str] = frozenset()) -> Index:
    """The articles' and the speakers' shards, and the :class:`Index` the claims are checked against. The shards
    named in ``tables_checked`` were found clean by :func:`check_table` before (the same bytes): only the columns
    the index needs are read of them."""
    index = Index()
    for config in ("articles", "speakers"):
        for shard in dataset.of(config):
            checked = shard.name in tables_checked
            for first, batch in shard.batches(_INDEX_COLUMNS[config] if checked else None):
                if not checked:
                    check_table(shard, batch, first, problems)
                if config == "articles":
                    _index_articles(shard, batch, first, index, problems)
                elif "speaker_id" in batch.column_names:
                    _unique(shard, batch["speaker_id"].to_pylist(), first, index.speakers, "speaker_id", problems)
            report_unreadable(shard, problems)
    return index


def check_claim_shard(
    shard: Shard, base: int, index: Index, problems: Problems, table_checked: bool = False
) -> ClaimKeys:
    """One claims shard (its first row at corpus position ``base``) against ``index``; what the checks across
    shards need of it. With ``table_checked`` (these bytes were found clean by :func:`check_table` before), only
    the columns checked against the index and across shards are read."""
    keys = ClaimKeys(base, shard.name)
    for first, batch in shard.batches(_CLAIM_KEY_COLUMNS if table_checked else None):
        if not table_checked:
            check_table(shard, batch, first, problems)
        _check_claim_batch(shard, batch, first, index, keys, problems)
    report_unreadable(shard, problems)
    keys.read_whole = shard.error is None
    return keys


def check_across_shards(parts: list[ClaimKeys], problems: Problems) -> None:
    """Claim ids unique, clusters and match groups in one split, over every claims shard (``parts`` in shard
    order)."""
    shards = [(part.base, part.shard) for part in parts]
    ids, clusters, groups = Ids(), Ids(), Ids()
    for part in parts:
        ids.extend(part.ids)
        clusters.extend(part.clusters)
        groups.extend(part.groups)
    _duplicates(ids, shards, problems)
    splits = [split for part in parts for split in part.cluster_splits]
    if splits:
        _split_leaks(clusters, np.concatenate(splits), shards, "cluster_id", "cluster", problems)
    splits = [split for part in parts for split in part.group_splits]
    if splits:
        _split_leaks(groups, np.concatenate(splits), shards, "match_group", "match group", problems)


def shard_split(shard: Shard) -> int | None:
    """The split a shard's name says, as the index a ``split`` column holds; None when the name says none."""
    return SPLIT_NAMES.index(shard.split) if shard.split in SPLIT_NAMES else None


def report_unreadable(shard: Shard, problems: Problems) -> None:
    if shard.error is not None:
        problems.add("shard-unreadable", shard.name, f"not readable parquet ({shard.error}); re-download it")


def check_table(shard: Shard, table: pa.RecordBatch, first: int, problems: Problems) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    for name, child in _required(shard.config):
        if name not in table.column_names:
            continue
        column = table[name]
        missing = pc.is_null(column)
        if child is not None:
            if not pa.types.is_struct(column.type) or column.type.get_field_index(child) < 0:
                continue
            # Only where the struct itself is there: a null struct is reported once, as its column.
            missing = pc.and_(pc.is_null(pc.struct_field(column, child)), pc.is_valid(column))
        if pc.any(missing).as_py():
            for row in _rows(missing):
                where = name if child is None else f"{name}.{child}"
                problems.add("null-required", shard.name, "null in a required field", row=first + row, field=where)
    for name, feature in (shard.features or {}).items():
        if name in table.column_names:
            _check_labels(shard, name, feature, table[name], first, problems)
    if shard.config == "claims":
        _check_resolution_order(shard, table, first, problems)
        _check_null_pairs(shard, table, first, problems)
    for start, end, strict in _OFFSETS.get(shard.config, []):
        if start in table.column_names and end in table.column_names:
            starts, ends = table[start], table[end]
            wrong = pc.or_(pc.less(starts, 0), pc.less_equal(ends, starts) if strict else pc.less(ends, starts))
            for row in _rows(wrong):
                note = f"{start} {starts[row].as_py()} is not before {end} {ends[row].as_py()}"
                problems.add("offset-order", shard.name, note, row=first + row, field=start)
    check_batch_credentials(shard, table, first, problems)


def misplaced_resolutions(char_start: Any, char_end: Any, resolutions: list[Any]) -> list[tuple[int, str]]:
    """(index, why) of each resolution that is not a span inside the claim's ``[char_start, char_end)`` starting at
    or after the end of the one before it: standalone is the text with the resolutions applied in order, which
    only such spans allow."""
    misplaced: list[tuple[int, str]] = []
    done = char_start
    for at, resolution in enumerate(resolutions):
        start, end = (resolution or {}).get("start"), (resolution or {}).get("end")
        if not isinstance(start, int) or not isinstance(end, int) or end <= start:
            misplaced.append((at, f"[{start}:{end}] is not a span"))
        elif isinstance(char_start, int) and isinstance(char_end, int) and not char_start <= start < end <= char_end:
            misplaced.append((at, f"[{start}:{end}] is not inside the claim [{char_start}:{char_end}]"))
        elif isinstance(done, int) and start < done:
            misplaced.append((at, f"[{start}:{end}] starts before the resolution before it ends, at {done}"))
        else:
            done = end
    return misplaced


def _check_resolution_order(shard: Shard, table: pa.RecordBatch, first: int, problems: Problems) -> None:
    if not {"resolutions", "char_start", "char_end"} <= set(table.column_names):
        return
    ids = table["claim_id"].to_pylist() if "claim_id" in table.column_names else [None] * table.num_rows
    spans = [table[name].to_pylist() for name in ("char_start", "char_end", "resolutions")]
    rows = zip(ids, *spans, strict=True)
    for row, (claim_id, start, end, resolutions) in enumerate(rows, start=first):
        for at, why in misplaced_resolutions(start, end, resolutions or []):
            note = f"claim {claim_id}: resolution {at} {why}"
            problems.add("offset-order", shard.name, note, row=row, field="resolutions.start")


_INTERVIEW_ANSWER = list(ClaimType).index(ClaimType.INTERVIEW_ANSWER)  # attributed by its turn, without a cue


def _check_null_pairs(shard: Shard, table: pa.RecordBatch, first: int, problems: Problems) -> None:
    """``speaker_type`` is null exactly when ``speaker`` is; ``cue_kind`` exactly when ``cue`` is, except for an
    interview answer, which has no cue and reports speech."""
    import pyarrow.compute as pc

    columns = set(table.column_names)
    if {"speaker", "speaker_type"} <= columns:
        wrong = pc.not_equal(pc.is_null(table["speaker"]), pc.is_null(table["speaker_type"]))
        for row in _rows(wrong):
            note = "speaker_type must be null exactly when speaker is null"
            problems.add("null-mismatch", shard.name, note, row=first + row, field="speaker_type")
    if {"cue", "cue_kind", "claim_type"} <= columns:
        answer = pc.fill_null(pc.equal(table["claim_type"], _INTERVIEW_ANSWER), False)
        unattributed = pc.and_(pc.is_null(table["cue"]), pc.invert(answer))
        wrong = pc.not_equal(unattributed, pc.is_null(table["cue_kind"]))
        for row in _rows(wrong):
            note = "cue_kind must be null exactly when cue is null (an interview answer's is speech)"
            problems.add("null-mismatch", shard.name, note, row=first + row, field="cue_kind")


def _check_labels(shard: Shard, name: str, feature: Any, column: pa.Array, first: int, problems: Problems) -> None:
    """A ClassLabel column, or a ClassLabel inside a list of structs (``excluded.kind``), within its names."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(feature, dict):
        return
    if feature.get("_type") == "ClassLabel":
        size = len(feature.get("names", []))
        for row in _rows(pc.or_(pc.less(column, 0), pc.greater_equal(column, size))):
            note = f"{column[row].as_py()} is outside the {size} class names"
            problems.add("label-out-of-range", shard.name, note, row=first + row, field=name)
        return
    item = feature.get("feature") if feature.get("_type") in ("List", "Sequence", "LargeList") else None
    if not isinstance(item, dict) or "_type" in item:
        return
    combined = column
    if not isinstance(combined, pa.ListArray | pa.LargeListArray):
        return
    parents = pc.list_parent_indices(combined).to_numpy()
    values = combined.flatten()
    for child, child_feature in item.items():
        if isinstance(child_feature, dict) and child_feature.get("_type") == "ClassLabel":
            size = len(child_feature.get("names", []))
            labels = values.field(child)
            for at in _rows(pc.or_(pc.less(labels, 0), pc.greater_equal(labels, size))):
                note = f"{labels[at].as_py()} is outside the {size} class names"
                row = first + int(parents[at])
                problems.add("label-out-of-range", shard.name, note, row=row, field=f"{name}.{child}")


def _unique(shard: Shard, ids: list[Any], first: int, seen: set[str], name: str, problems: Problems) -> None:
    for row, value in enumerate(ids, start=first):
        if value is None:
            continue
        if value in seen:
            problems.add("id-duplicate", shard.name, f"{value} appears before", row=row, field=name)
        seen.add(value)


def _index_articles(shard: Shard, table: pa.RecordBatch, first: int, index: Index, problems: Problems) -> None:
    if "article_id" not in table.column_names:
        return
    ids = table["article_id"].to_pylist()
    splits = table["split"].to_pylist() if "split" in table.column_names else [None] * len(ids)
    expected = shard_split(shard)
    for row, (article, split) in enumerate(zip(ids, splits, strict=True), start=first):
        if article is None:
            continue
        if article in index.article_where:
            earlier = index.article_where[article][0]
            problems.add("id-duplicate", shard.name, f"{article} also in {earlier}", row=row, field="article_id")
            continue
        index.article_where[article] = (shard.name, row)
        if split is not None:
            index.article_split[article] = split
        if expected is not None and split != expected:
            problems.add("split-leak", shard.name, f"split {split} in a {shard.split} shard", row=row, field="split")


@dataclass
class ClaimKeys:
    """What the checks across shards need of one claims shard: its ids with their splits, its cluster ids and its
    match groups with their splits, and the corpus position of its first row."""

    base: int
    shard: str
    ids: Ids = field(default_factory=lambda: Ids())
    splits: list[np.ndarray] = field(default_factory=list)
    """Per id kept, in the order of ``ids``: the claim's split, -1 when null."""
    clusters: Ids = field(default_factory=lambda: Ids())
    cluster_splits: list[np.ndarray] = field(default_factory=list)
    groups: Ids = field(default_factory=lambda: Ids())
    """The match groups of the claims in one (a null ``match_group`` is a claim alone)."""
    group_splits: list[np.ndarray] = field(default_factory=list)
    read_whole: bool = True
    """False when the shard could not be read to its end: a claim missing here may be in its unread rows."""


def _check_claim_batch(
    shard: Shard, table: pa.RecordBatch, first: int, index: Index, keys: ClaimKeys, problems: Problems
) -> None:
    columns = set(table.column_names)
    found = _references_at_once(shard, table, index)
    if found is None:
        found = _references_row_by_row(shard, table, index)
    for row, code, note, name in found:
        problems.add(code, shard.name, note, row=first + row, field=name)
    position = keys.base + first
    split_values = (
        table["split"].fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        if "split" in columns
        else np.full(table.num_rows, -1, dtype=np.int64)
    )
    if "claim_id" in columns:
        kept = keys.ids.add(shard.name, "claim_id", table["claim_id"], position, first, problems)
        keys.splits.append(split_values[kept])
    if {"cluster_id", "split"} <= columns:
        kept = keys.clusters.add(shard.name, "cluster_id", table["cluster_id"], position, first, problems)
        keys.cluster_splits.append(split_values[kept])
    if "match_group" in columns:
        groups = table["match_group"]
        kept = keys.groups.add(shard.name, "match_group", groups, position, first, problems, optional=True)
        keys.group_splits.append(split_values[kept])


_Reference = tuple[int, str, str, str]
"""A row of a batch that names what is not there, or not in its split: (row, code, note, field)."""


_Problem = tuple[str, str, str]
"""(code, note, field)."""


def _article_problems(article: Any, split: Any, shard: Shard, index: Index) -> tuple[_Problem | None, _Problem | None]:
    """What a claim's article and split get wrong against ``index``: an article not there; a split not the shard's,
    or not its article's."""
    unknown = None
    if article is not None and article not in index.article_where:
        unknown = ("article-unknown", f"no article {article}", "article_id")
    expected, leak = shard_split(shard), None
    if split is not None and expected is not None and split != expected:
        leak = ("split-leak", f"split {split} in a {shard.split} shard", "split")
    elif split is not None and article in index.article_split and index.article_split[article] != split:
        note = f"split {split}, its article {article} is in split {index.article_split[article]}"
        leak = ("split-leak", note, "split")
    return unknown, leak


def _speaker_problem(speaker: Any, index: Index) -> _Problem | None:
    if speaker is not None and speaker not in index.speakers:
        return ("speaker-unknown", f"no speaker {speaker}", "speaker_id")
    return None


def _in_order(row: int, article: tuple[_Problem | None, _Problem | None], speaker: _Problem | None) -> list[_Reference]:
    unknown, leak = article
    return [(row, *problem) for problem in (unknown, speaker, leak) if problem is not None]


_REFERENCE_COLUMNS = ("article_id", "speaker_id", "split")


def _references_row_by_row(shard: Shard, table: pa.RecordBatch, index: Index) -> list[_Reference]:
    """Each claim's article, speaker and split against ``index``, a row at a time, in row order."""
    none = [None] * table.num_rows
    values = [table[name].to_pylist() if name in table.column_names else none for name in _REFERENCE_COLUMNS]
    found: list[_Reference] = []
    for row, (article, speaker, split) in enumerate(zip(*values, strict=True)):
        found += _in_order(row, _article_problems(article, split, shard, index), _speaker_problem(speaker, index))
    return found


def _references_at_once(shard: Shard, table: pa.RecordBatch, index: Index) -> list[_Reference] | None:
    """:func:`_references_row_by_row`, each distinct (article, split) and each distinct speaker of the batch
    judged once (hundreds in thousands of rows); None when a column's values cannot be told apart in Arrow."""
    import pyarrow as pa

    rows = table.num_rows
    try:
        coded = [
            _distinct(table[name]) if name in table.column_names else ([], np.full(rows, -1))
            for name in _REFERENCE_COLUMNS
        ]
    except (pa.ArrowException, TypeError):
        return None
    (articles, article_at), (speakers, speaker_at), (splits, split_at) = coded

    def value(values: list[Any], at: int) -> Any:
        return values[at] if at >= 0 else None

    # (article, split) as one key: each code is below the batch's rows + 1
    pair = (article_at + 1) * (len(splits) + 1) + (split_at + 1)
    _, first, pair_at = np.unique(pair, return_index=True, return_inverse=True)
    pair_at = pair_at.reshape(-1)
    judged = [
        _article_problems(value(articles, article_at[row]), value(splits, split_at[row]), shard, index)
        for row in first.tolist()
    ]
    heard = [_speaker_problem(speaker, index) for speaker in speakers] + [None]  # the last: a null, at -1
    wrong = np.array([problems != (None, None) for problems in judged], dtype=bool)[pair_at]
    wrong |= np.array([problem is not None for problem in heard], dtype=bool)[speaker_at]
    found: list[_Reference] = []
    for row in np.flatnonzero(wrong).tolist():
        found += _in_order(row, judged[pair_at[row]], heard[speaker_at[row]])
    return found


def _distinct(values: pa.Array) -> tuple[list[Any], np.ndarray]:
    """A column's distinct values, and each row's place among them (-1 for a null)."""
    encoded = values.dictionary_encode()
    return encoded.dictionary.to_pylist(), encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


_HEX16 = re.compile(r"[0-9a-f]{16}")


def _mask(flags: pa.Array) -> np.ndarray:
    """A boolean Arrow array as NumPy, a null as False."""
    return np.asarray(flags.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def hex_ids(
    shard: str, name: str, values: pa.Array | list[Any], first: int, problems: Problems, optional: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The rows of a batch's well-formed 16-hex-digit ids and the ids as uint64; every other value reported
    (a null too, unless ``optional``: then it is neither kept nor reported). ``values``: the column (a string
    column is checked and parsed in Arrow and NumPy, not row by row) or its values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array) and pa.types.is_string(values.type):
        matched = _mask(pc.match_substring_regex(values, "^[0-9a-f]{16}$"))
        kept = np.flatnonzero(matched)
        picked = values.filter(pa.array(matched))
        offsets = np.frombuffer(picked.buffers()[1], dtype=np.int32)[picked.offset : picked.offset + kept.size + 1]
        data = picked.buffers()[2]
        # Each kept id is 16 ASCII bytes, one after the other: their text is the ids' big-endian bytes in hex.
        joined = b"" if data is None or not kept.size else data.to_pybytes()[offsets[0] : offsets[-1]]
        ids = np.frombuffer(bytes.fromhex(joined.decode("ascii")), dtype=">u8").astype(np.uint64)
        wrong = ~matched & (_mask(values.is_valid()) if optional else True)
        others = [(row, values[row].as_py()) for row in np.flatnonzero(wrong).tolist()]
    else:
        listed = values.to_pylist() if isinstance(values, pa.Array) else values
        rows = [row for row, value in enumerate(listed) if isinstance(value, str) and _HEX16.fullmatch(value)]
        kept = np.array(rows, dtype=np.int64)
        ids = np.array([int(listed[row], 16) for row in rows], dtype=np.uint64)
        others = [(row, listed[row]) for row in sorted(set(range(len(listed))) - set(rows))]
    for row, value in others:
        if value is None and optional:
            continue
        note = f"{value!r} is not 16 lowercase hex digits"
        problems.add("id-malformed", shard, note, row=first + row, field=name)
    return kept.astype(np.int64), ids


class Ids:
    """Well-formed 16-hex-digit ids as uint64 (8 bytes each) with the corpus position of their row."""

    def __init__(self) -> None:
        self._values: list[np.ndarray] = []
        self._positions: list[np.ndarray] = []

    def add(
        self,
        shard: str,
        name: str,
        values: pa.Array | list[Any],
        base: int,
        first: int,
        problems: Problems,
        optional: bool = False,
    ) -> np.ndarray:
        """Keep the well-formed ids of a batch, report the others (see :func:`hex_ids`); returns the batch rows
        kept."""
        rows, ids = hex_ids(shard, name, values, first, problems, optional)
        self._values.append(ids)
        self._positions.append(rows + base)
        return rows

    def extend(self, other: Ids) -> None:
        self._values += other._values
        self._positions += other._positions

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        if not self._values:
            return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
        return np.concatenate(self._values), np.concatenate(self._positions)


def locate(position: int, shards: list[tuple[int, str]]) -> tuple[str, int]:
    base, name = shards[bisect.bisect_right([start for start, _ in shards], position) - 1]
    return name, position - base


def _duplicates(ids: Ids, shards: list[tuple[int, str]], problems: Problems) -> None:
    values, positions = ids.arrays()
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    repeated = order[1:][ordered[1:] == ordered[:-1]]
    del ordered
    for at in sorted(repeated.tolist(), key=lambda i: int(positions[i])):
        name, row = locate(int(positions[at]), shards)
        problems.add("id-duplicate", name, f"{int(values[at]):016x} appears before", row=row, field="claim_id")


def _split_leaks(
    keys: Ids, splits: np.ndarray, shards: list[tuple[int, str]], name: str, what: str, problems: Problems
) -> None:
    """A cluster (or match group: ``keys`` in column ``name``) whose claims are in two splits: every claim not in
    its first claim's split is reported."""
    values, positions = keys.arrays()
    order = np.lexsort((positions, values))
    ordered = values[order]
    starts = np.concatenate([[True], ordered[1:] != ordered[:-1]]) if ordered.size else np.empty(0, dtype=bool)
    del ordered
    split_in_order = splits[order]
    first_split = split_in_order[np.maximum.accumulate(np.where(starts, np.arange(order.size), 0))]
    leaking = order[split_in_order != first_split]
    for at in sorted(leaking.tolist(), key=lambda i: int(positions[i])):
        file, row = locate(int(positions[at]), shards)
        note = f"{what} {int(values[at]):016x} also has claims in another split"
        problems.add("split-leak", file, note, row=row, field=name)
