"""The driver's tail split over worker processes: the same bytes, and the same verify report, as one process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import builder.pipeline
import builder.verify
from builder.config import BuildConfig, PublishConfig
from builder.pipeline import build
from builder.verify import verify_dataset
from conftest import RAW


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def parallel_from_the_first_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builder.pipeline, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(builder.verify, "PARALLEL_ROWS", 0)


@pytest.mark.parametrize("max_shard_rows", [100_000, 7])
def test_clustering_matching_writing_and_verifying_in_workers_give_the_same_bytes(
    tmp_path, parallel_from_the_first_row, max_shard_rows
):
    publish = PublishConfig(max_shard_rows=max_shard_rows)
    alone = build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "alone", workers=1, publish=publish))
    shared = build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "shared", workers=2, publish=publish))
    assert files_of(tmp_path / "alone") == files_of(tmp_path / "shared")
    shards = len(list((tmp_path / "shared" / "claims").glob("train-*.parquet")))
    assert shards == (1 if max_shard_rows > 100 else 11)  # 69 training claims of 3 articles, by 7
    assert [t.name for t in shared.timings if t.where == "workers"][-4:] == ["cluster", "match", "write", "verify"]
    assert not {"cluster", "match", "write"} & {t.name for t in alone.timings if t.where == "workers"}


def test_a_broken_folder_gets_the_same_report_from_one_process_or_three(seed_dist, tmp_path, monkeypatch):
    broken = tmp_path / "dist"
    shutil.copytree(seed_dist, broken)
    shard = next((broken / "claims").glob("train-*.parquet"))
    shard.write_bytes(shard.read_bytes()[:-100])  # torn: manifest, card, values and provenance all notice
    (broken / "croissant.json").write_text("{}", encoding="utf-8")
    one = verify_dataset(broken, raw=RAW, workers=1)
    monkeypatch.setattr(builder.verify, "PARALLEL_ROWS", 0)
    three = verify_dataset(broken, raw=RAW, workers=2)
    assert not one.ok and one == three


@pytest.mark.parametrize("limit", [100, 3])
def test_problems_in_several_shards_get_the_same_report_from_one_process_or_a_pool(tmp_path, monkeypatch, limit):
    import pyarrow as pa
    import pyarrow.parquet as pq

    dist = tmp_path / "dist"
    build(BuildConfig(raw_dir=RAW, out_dir=dist, publish=PublishConfig(max_shard_rows=7)))
    shards = sorted((dist / "claims").glob("train-*.parquet"))
    assert len(shards) == 11
    first = pq.read_table(shards[1])
    copied = pq.read_table(shards[6])  # a claim id of shard 1 repeated in shard 6: only the check across shards sees
    ids = copied.column("claim_id").to_pylist()
    ids[2] = first.column("claim_id")[0].as_py()
    pq.write_table(copied.set_column(copied.schema.get_field_index("claim_id"), "claim_id", pa.array(ids)), shards[6])
    moved = pq.read_table(shards[3])  # offsets that no longer slice the article text: provenance, in shard 3
    starts = [value + 1 for value in moved.column("char_start").to_pylist()]
    index = moved.schema.get_field_index("char_start")
    pq.write_table(moved.set_column(index, "char_start", pa.array(starts, moved.schema.field(index).type)), shards[3])

    one = verify_dataset(dist, raw=RAW, workers=1, limit=limit)
    monkeypatch.setattr(builder.verify, "PARALLEL_ROWS", 0)
    pool = verify_dataset(dist, raw=RAW, workers=2, limit=limit)
    assert one == pool and not one.ok
    if limit == 100:
        assert {"id-duplicate", "offset-mismatch"} <= {p.code for p in one.problems}
        assert not one.truncated
    else:
        assert one.truncated and len(one.problems) == limit < one.found
