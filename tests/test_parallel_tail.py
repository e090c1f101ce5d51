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
def test_clustering_writing_and_verifying_in_workers_give_the_same_bytes(
    tmp_path, parallel_from_the_first_row, max_shard_rows
):
    publish = PublishConfig(max_shard_rows=max_shard_rows)
    alone = build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "alone", workers=1, publish=publish))
    shared = build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "shared", workers=2, publish=publish))
    assert files_of(tmp_path / "alone") == files_of(tmp_path / "shared")
    shards = len(list((tmp_path / "shared" / "claims").glob("train-*.parquet")))
    assert shards == (1 if max_shard_rows > 100 else 10)  # 69 training claims
    assert [t.name for t in shared.timings if t.where == "workers"][-3:] == ["cluster", "write", "verify"]
    assert not {"cluster", "write"} & {t.name for t in alone.timings if t.where == "workers"}


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
