"""A dataset as factpack builds it verifies clean; verify reads and never writes; only a non-folder raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.errors import DistError
from builder.verify import verify_dataset
from conftest import RAW
from verify.corrupt import files_of, where


def assert_clean(report) -> None:
    assert report.problems == [], "\n".join(str(p) for p in report.problems)
    assert report.ok is True
    assert report.truncated is False
    assert report.checked, "checked says nothing"
    assert all(count >= 0 for count in report.checked.values()), report.checked
    assert sum(report.checked.values()) > 0, report.checked


def test_the_seed_dataset_verifies(seed_dist):
    before = files_of(seed_dist)
    report = verify_dataset(seed_dist)
    assert_clean(report)
    assert Path(report.dist) == seed_dist
    assert files_of(seed_dist) == before, "verify wrote into the dataset folder"


def test_the_seed_dataset_verifies_against_its_raw_folder(seed_dist):
    without = verify_dataset(seed_dist)
    report = verify_dataset(seed_dist, raw=RAW)
    assert_clean(report)
    assert sum(report.checked.values()) > sum(without.checked.values()), "the raw files are not counted as checked"


def test_a_dataset_of_several_shards_per_split_verifies(sharded_dist):
    """Globs, split sizes, row counts and cross-shard ids hold over shards named ...-0000k-of-0000n."""
    assert len(list((sharded_dist / "claims").glob("train-*-of-00003.parquet"))) == 3
    assert_clean(verify_dataset(sharded_dist, raw=RAW))


@pytest.mark.parametrize("kind", ["absent", "a file"])
def test_only_a_path_that_is_no_folder_raises(tmp_path, kind):
    path = tmp_path / "dist"
    if kind == "a file":
        path.write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(DistError):
        verify_dataset(path)


def test_an_empty_folder_is_reported_not_raised(tmp_path):
    report = verify_dataset(tmp_path)
    assert report.ok is False
    found = where(report)
    assert ("manifest-missing", "manifest.json", None, None) in found
    assert ("card-missing", "README.md", None, None) in found
    assert ("croissant-missing", "croissant.json", None, None) in found
