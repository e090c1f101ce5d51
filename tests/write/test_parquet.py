from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import Features
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.config import BuildConfig, PublishConfig
from builder.dataset_folder import CONFIGS
from builder.features import features_of
from builder.pipeline import build
from builder.write import parquet
from builder.write.parquet import SplitWriter
from conftest import RAW

SCHEMA = pa.schema([pa.field("n", pa.int64()), pa.field("text", pa.string())], metadata={b"huggingface": b"{}"})


def batches(sizes: list[int]) -> list[pa.RecordBatch]:
    out, n = [], 0
    for size in sizes:
        out.append(pa.RecordBatch.from_pydict({"n": list(range(n, n + size)), "text": ["x" * 10] * size}))
        n += size
    return out


def test_shards_have_hub_names_and_hold_every_row_in_order(tmp_path):
    writer = SplitWriter(tmp_path, "train", 25, 10, SCHEMA)
    for batch in batches([3, 9, 1, 12]):
        writer.write(batch)
    assert writer.close()[:2] == ("train", 25)
    shards = sorted(p.name for p in tmp_path.iterdir())
    assert shards == [f"train-0000{i}-of-00003.parquet" for i in range(3)]
    rows = [pq.read_table(tmp_path / name) for name in shards]
    assert [t.num_rows for t in rows] == [10, 10, 5]
    assert pa.concat_tables(rows).column("n").to_pylist() == list(range(25))
    assert all(t.schema.metadata == SCHEMA.metadata for t in rows)


def test_the_bytes_do_not_depend_on_how_rows_were_batched(tmp_path):
    for name, sizes in (("a", [25]), ("b", [1] * 25), ("c", [7, 7, 11])):
        writer = SplitWriter(tmp_path / name, "train", 25, 10, SCHEMA)
        for batch in batches(sizes):
            writer.write(batch)
        writer.close()
    files = {name: [p.read_bytes() for p in sorted((tmp_path / name).iterdir())] for name in "abc"}
    assert files["a"] == files["b"] == files["c"]


def test_a_byte_bound_cuts_row_groups(tmp_path, monkeypatch):
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 200)
    writer = SplitWriter(tmp_path, "train", 40, 100, SCHEMA)
    for batch in batches([4] * 10):
        writer.write(batch)
    writer.close()
    assert pq.ParquetFile(tmp_path / "train-00000-of-00001.parquet").metadata.num_row_groups > 1


def test_a_row_count_other_than_announced_is_a_bug(tmp_path):
    writer = SplitWriter(tmp_path, "train", 5, 10, SCHEMA)
    writer.write(batches([3])[0])
    with pytest.raises(AssertionError, match="3 rows written, 5 announced"):
        writer.close()


def test_a_build_with_small_shards_loads_whole(tmp_path):
    from datasets import load_dataset

    out = tmp_path / "dist"
    report = build(BuildConfig(raw_dir=RAW, out_dir=out, publish=PublishConfig(max_shard_rows=20)))
    assert sorted(p.name for p in (out / "claims").glob("train-*")) == [
        f"train-0000{i}-of-00004.parquet" for i in range(4)
    ]
    claims = load_dataset(str(out), split="train", cache_dir=str(tmp_path / "cache"))
    assert claims.num_rows == report.counts.claims_per_split["train"] == 69


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 9), min_size=1, max_size=12),
    max_rows=st.integers(1, 12),
    group_bytes=st.sampled_from([150, 400, 1 << 20]),
)
def test_shards_written_one_by_one_are_the_bytes_of_the_whole_split(tmp_path_factory, sizes, max_rows, group_bytes):
    """A shard written alone under its name (as the build's workers write each bucket's pieces) is the bytes a whole
    split's writer gives the same rows: shard k gets the articles holding its rows, sliced at its edges."""
    total = sum(sizes)
    if total == 0:
        return
    whole, pieces = tmp_path_factory.mktemp("whole"), tmp_path_factory.mktemp("pieces")
    saved = parquet.ROW_GROUP_BYTES
    parquet.ROW_GROUP_BYTES = group_bytes
    try:
        writer = SplitWriter(whole, "train", total, max_rows, SCHEMA)
        for batch in batches(sizes):
            if batch.num_rows:  # as the build: an article without claims adds no batch
                writer.write(batch)
        writer.close()
        count = -(-total // max_rows)
        for shard, first in enumerate(range(0, total, max_rows)):
            rows = min(max_rows, total - first)
            writer = SplitWriter(pieces, "train", rows, max_rows, SCHEMA, named=(shard, count))
            start = 0
            for batch in batches(sizes):
                low, high = max(first, start), min(first + max_rows, start + batch.num_rows)
                if low < high:
                    writer.write(batch.slice(low - start, high - low))
                start += batch.num_rows
            assert writer.close()[1] == min(max_rows, total - first)
    finally:
        parquet.ROW_GROUP_BYTES = saved
    names = sorted(p.name for p in whole.iterdir())
    assert names == sorted(p.name for p in pieces.iterdir())
    assert [(whole / n).read_bytes() for n in names] == [(pieces / n).read_bytes() for n in names]


def test_row_groups_hold_at_most_10000_rows(tmp_path):
    writer = SplitWriter(tmp_path, "train", 25_000, 100_000, SCHEMA)
    for batch in batches([2_500] * 10):
        writer.write(batch)
    writer.close()
    metadata = pq.ParquetFile(tmp_path / "train-00000-of-00001.parquet").metadata
    assert [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)] == [10_000, 10_000, 5_000]


def test_a_row_group_never_spans_two_shards(tmp_path):
    writer = SplitWriter(tmp_path, "test", 25_000, 12_000, SCHEMA)
    for batch in batches([25_000]):
        writer.write(batch)
    writer.close()
    groups = {}
    for path in sorted(tmp_path.iterdir()):
        metadata = pq.ParquetFile(path).metadata
        groups[path.name] = [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)]
    assert groups == {
        "test-00000-of-00003.parquet": [10_000, 2_000],
        "test-00001-of-00003.parquet": [10_000, 2_000],
        "test-00002-of-00003.parquet": [1_000],
    }


def test_every_shard_of_a_build_is_zstd_with_a_hub_name_and_its_datasets_features(seed_dist):
    """Every column chunk of every row group is zstd; the file name is the Hub's; the schema metadata holds the
    ``datasets`` features of its config (what ``load_dataset`` casts to)."""
    shards = {config: sorted((seed_dist / config).glob("*.parquet")) for config in CONFIGS}
    assert {config: [p.name for p in paths] for config, paths in shards.items()} == {
        "claims": [f"{split}-00000-of-00001.parquet" for split in ("test", "train", "validation")],
        "articles": [f"{split}-00000-of-00001.parquet" for split in ("test", "train", "validation")],
        "speakers": ["train-00000-of-00001.parquet"],
        "matches": ["train-00000-of-00001.parquet"],
        "factcheck_matches": [],  # no raw/factchecks/ in the seeds
    }
    for config, paths in shards.items():
        for path in paths:
            metadata = pq.ParquetFile(path).metadata
            codecs = {
                metadata.row_group(g).column(c).compression
                for g in range(metadata.num_row_groups)
                for c in range(metadata.num_columns)
            }
            assert codecs == {"ZSTD"}, (path, codecs)
            stored = json.loads(pq.read_schema(path).metadata[b"huggingface"])
            assert stored["info"]["features"] == features_of(CONFIGS[config]).to_dict()
            assert Features.from_arrow_schema(pq.read_schema(path)) == features_of(CONFIGS[config])
