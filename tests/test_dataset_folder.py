"""The dataset folder's one owner: its layout, the check that a folder is one, and the typed readers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.dataset_folder import (
    CONFIGS,
    DEFAULT_CONFIG,
    MANIFEST_NAME,
    config_shards,
    label_names,
    open_dataset,
    read_manifest,
    shard_name,
)
from builder.errors import DistError
from builder.features import enum_paths, to_table
from builder.models import Article, Claim, ClaimMatch, ClaimType, FactCheckMatch, Speaker
from conftest import make_claim, rows_of


def test_the_configs_and_their_models():
    models = {"claims": Claim, "articles": Article, "speakers": Speaker}
    assert {**models, "matches": ClaimMatch, "factcheck_matches": FactCheckMatch} == CONFIGS
    assert next(iter(CONFIGS)) == DEFAULT_CONFIG


def test_shards_are_listed_in_split_then_shard_order(tmp_path):
    for name in ("test-00000-of-00001", "train-00001-of-00002", "train-00000-of-00002", "zz-00000-of-00001"):
        (tmp_path / f"{name}.parquet").write_bytes(b"")
    (tmp_path / "notes.parquet").write_bytes(b"")  # not a Hub shard name: load_dataset would not read it
    assert shard_name("train", 1, 2) == "train-00001-of-00002.parquet"
    assert {split: [p.name for p in paths] for split, paths in config_shards(tmp_path).items()} == {
        "train": ["train-00000-of-00002.parquet", "train-00001-of-00002.parquet"],
        "test": ["test-00000-of-00001.parquet"],
        "zz": ["zz-00000-of-00001.parquet"],
    }
    assert config_shards(tmp_path / "absent") == {}


def test_a_folder_is_a_dataset_folder_when_it_has_a_manifest(tmp_path):
    with pytest.raises(DistError, match=r": no such dataset folder; build it with 'factpack build RAW --out "):
        open_dataset(tmp_path / "absent")
    with pytest.raises(DistError, match=r": not a dataset folder \(no manifest\.json\)"):
        open_dataset(tmp_path)
    (tmp_path / MANIFEST_NAME).write_text("{}", encoding="utf-8")
    assert open_dataset(tmp_path).root == tmp_path


def test_records_round_trip_a_built_folder(seed_dist):
    folder = open_dataset(seed_dist)
    assert folder.configs() == ["claims", "articles", "speakers", "matches"]
    claims = list(folder.records("claims"))
    assert len(claims) == len(rows_of(seed_dist, "claims")) and all(isinstance(c, Claim) for c in claims)
    assert {claim.claim_type for claim in claims} <= set(ClaimType)
    assert folder.manifest().counts.claims == len(claims)
    assert folder.rejects() == []


def _claims_shard(dist: Path, table: pa.Table) -> Path:
    shard = dist / "claims" / "train-00000-of-00001.parquet"
    shard.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, shard)
    (dist / MANIFEST_NAME).write_text("{}", encoding="utf-8")
    return shard


def test_labels_are_decoded_with_the_names_the_shard_declares(tmp_path):
    claims = [make_claim("a", "One claim", 0, claim_type=ClaimType.AUTHOR_STATEMENT)]
    table = to_table(Claim, claims)
    # A shard written with the label names in another order: its own metadata says what index 0 means.
    features = json.loads(table.schema.metadata[b"huggingface"])
    names = list(reversed(features["info"]["features"]["claim_type"]["names"]))
    features["info"]["features"]["claim_type"]["names"] = names
    index = names.index("author_statement")
    table = table.set_column(table.column_names.index("claim_type"), "claim_type", pa.array([index]))
    table = table.replace_schema_metadata({b"huggingface": json.dumps(features).encode()})
    _claims_shard(tmp_path, table)
    (read,) = open_dataset(tmp_path).records("claims")
    assert read == claims[0]


def test_a_label_out_of_range_is_a_dist_error_naming_the_shard(tmp_path):
    table = to_table(Claim, [make_claim("a", "One claim", 0)])
    table = table.set_column(table.column_names.index("claim_type"), "claim_type", pa.array([9]))
    shard = _claims_shard(tmp_path, table)
    with pytest.raises(DistError, match=rf"^{shard}: rows are not factpack claims records \(label 9 is out of range"):
        list(open_dataset(tmp_path).records("claims"))


def test_an_unreadable_shard_and_a_bad_reject_line_name_their_file(seed_dist, tmp_path):
    broken = tmp_path / "dist"
    shutil.copytree(seed_dist, broken)
    shard = next((broken / "claims").glob("*.parquet"))
    shard.write_bytes(b"PAR1 torn")
    folder = open_dataset(broken)
    with pytest.raises(DistError, match=rf"^{shard}: not a readable parquet shard"):
        list(folder.records("claims"))
    (broken / "rejects.jsonl").write_text(json.dumps({"file": "a"}) + "\n", encoding="utf-8")
    with pytest.raises(DistError, match=r"rejects\.jsonl:1: not a rejection record"):
        folder.rejects()
    (broken / "rejects.jsonl").unlink()
    with pytest.raises(DistError, match=r": no rejects\.jsonl"):
        folder.rejects()


def test_a_manifest_that_is_missing_or_not_one_is_a_dist_error(tmp_path):
    with pytest.raises(DistError, match="no manifest"):
        read_manifest(tmp_path / MANIFEST_NAME)
    (tmp_path / MANIFEST_NAME).write_text("{}", encoding="utf-8")
    with pytest.raises(DistError, match="not a factpack manifest"):
        read_manifest(tmp_path / MANIFEST_NAME)


def test_label_names_follow_lists_and_structs():
    features = {"excluded": {"_type": "List", "feature": {"kind": {"_type": "ClassLabel", "names": ["a", "b"]}}}}
    assert label_names(features, ("excluded", "*", "kind")) == ["a", "b"]
    assert label_names(features, ("excluded", "*", "start")) is None
    assert label_names(None, ("claim_type",)) is None
    assert ("excluded", "*", "kind") in [path for path, _ in enum_paths(Article)]
