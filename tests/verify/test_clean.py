"""A dataset as factpack builds it verifies clean; verify reads and never writes; only a non-folder raises."""

from __future__ import annotations

import pickle
import shutil
import weakref
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from builder.errors import DistError
from builder.verify import verify_dataset
from builder.verify.dataset import Dataset, Problems
from builder.verify.values import check_claim_shard, check_index
from conftest import RAW
from verify.corrupt import (
    CLAIMS_VALIDATION,
    cell,
    column,
    edit_column,
    files_of,
    seal,
    set_cell,
    where,
)


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


# Shards are read one at a time; cross-shard checks keep 8 bytes per claim id and cluster id.

TRAIN = [f"claims/train-0000{i}-of-00003.parquet" for i in range(3)]
SHARDED_ARTICLES_TRAIN = "articles/train-00000-of-00002.parquet"  # the seed's 3 train articles, in 2 buckets


def test_a_shard_that_cannot_be_read_hides_no_problem_of_the_others(sharded_dist, tmp_path):
    """The middle train shard torn: the faults of the shards before and after it, and across them, are still
    found, at their own rows."""
    dist = Path(shutil.copytree(sharded_dist, tmp_path / "dist"))
    first_id = cell(dist, TRAIN[0], "claim_id", 0)
    (dist / TRAIN[1]).write_bytes(b"PAR1 torn")
    edit_column(dist, TRAIN[2], "text", lambda values: [v + "!" if i == 2 else v for i, v in enumerate(values)])
    set_cell(dist, TRAIN[2], "claim_id", 3, first_id)
    set_cell(dist, CLAIMS_VALIDATION, "extractor", 1, None)
    set_cell(dist, SHARDED_ARTICLES_TRAIN, "source_file", 0, None)
    seal(dist, *TRAIN[1:], CLAIMS_VALIDATION, SHARDED_ARTICLES_TRAIN)
    report = verify_dataset(dist, raw=RAW)
    assert where(report) == {
        ("shard-unreadable", TRAIN[1], None, None),
        ("offset-mismatch", TRAIN[2], 2, "text"),
        ("id-duplicate", TRAIN[2], 3, "claim_id"),
        ("null-required", CLAIMS_VALIDATION, 1, "extractor"),
        ("null-required", SHARDED_ARTICLES_TRAIN, 0, "source_file"),
        ("raw-missing", SHARDED_ARTICLES_TRAIN, 0, "source_file"),
    }, "\n".join(str(p) for p in report.problems)


def test_verify_reads_the_shards_one_at_a_time(sharded_dist, monkeypatch):
    """No two Parquet readers are open at once, and no config is read whole (a folder or a list of shards)."""
    live: set[int] = set()
    opened: list[tuple[str, int]] = []

    class Reader(pq.ParquetFile):
        def __init__(self, source, *args, **kwargs):
            super().__init__(source, *args, **kwargs)
            live.add(id(self))
            opened.append((Path(source).relative_to(sharded_dist).as_posix(), len(live)))
            weakref.finalize(self, live.discard, id(self))

    def one_file(read):
        def checked(source, *args, **kwargs):
            assert Path(source).is_file(), f"{source} read whole"
            return read(source, *args, **kwargs)

        return checked

    monkeypatch.setattr(pq, "ParquetFile", Reader)
    monkeypatch.setattr(pq, "read_table", one_file(pq.read_table))
    monkeypatch.setattr(pq, "ParquetDataset", one_file(pq.ParquetDataset))
    assert_clean(verify_dataset(sharded_dist, raw=RAW))
    assert {name for name, _ in opened} == {
        p.relative_to(sharded_dist).as_posix() for p in sharded_dist.rglob("*.parquet")
    }
    assert max(count for _, count in opened) == 1, opened


def test_the_checks_across_shards_keep_each_id_in_8_bytes_not_its_text(sharded_dist):
    """What a claims shard's check keeps for the checks across shards (and a worker sends back): its claim and
    cluster ids as 64-bit integers, with their rows' positions; never the ids' text."""
    dataset = Dataset.open(sharded_dist)
    index = check_index(dataset, Problems(100))
    base = 0
    for shard in dataset.of("claims", "train"):
        keys = check_claim_shard(shard, base, index, Problems(100))
        ids = column(sharded_dist, shard.name, "claim_id")
        clusters = column(sharded_dist, shard.name, "cluster_id")
        values, positions = keys.ids.arrays()
        assert values.dtype == np.uint64 and values.itemsize == 8
        assert values.tolist() == [int(claim_id, 16) for claim_id in ids]
        assert positions.tolist() == list(range(base, base + len(ids)))
        cluster_values, _ = keys.clusters.arrays()
        assert cluster_values.dtype == np.uint64
        assert cluster_values.tolist() == [int(cluster_id, 16) for cluster_id in clusters]
        sent = pickle.dumps(keys)
        assert not [claim_id for claim_id in ids + clusters if claim_id.encode("ascii") in sent]
        base += len(ids)


def test_provenance_holds_only_the_texts_of_the_articles_a_claims_shard_names(sharded_dist, monkeypatch):
    """Each claims shard is checked against its own articles' texts, read from its split: never the texts of the
    other articles of the split, nor of another split."""
    from builder.verify import provenance

    held: list[set[str]] = []
    texts_of = provenance._texts

    def recorded(dataset, split, named, read_from):
        texts = texts_of(dataset, split, named, read_from)
        held.append(set(texts))
        return texts

    monkeypatch.setattr(provenance, "_texts", recorded)
    assert_clean(verify_dataset(sharded_dist))
    shards = provenance.provenance_order(Dataset.open(sharded_dist))
    named = [set(column(sharded_dist, shard.name, "article_id")) for shard in shards]
    assert held == named
    train_articles = {
        article
        for shard in Dataset.open(sharded_dist).of("articles", "train")
        for article in column(sharded_dist, shard.name, "article_id")
    }
    assert any(texts < train_articles for texts in named)  # (some shard names only some of its split's articles)
