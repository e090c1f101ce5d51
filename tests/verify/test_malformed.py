"""Malformed ids and Croissant documents are reported, never crash verify or reach outside the folder."""

from __future__ import annotations

import json
from pathlib import Path

from builder.verify import verify_dataset
from verify.corrupt import set_cell

CLAIMS_TRAIN = "claims/train-00000-of-00001.parquet"
CLAIMS_TEST = "claims/test-00000-of-00001.parquet"


def found(dist: Path) -> set[tuple[str, str, int | None, str | None]]:
    return {(p.code, p.file, p.row, p.field) for p in verify_dataset(dist).problems}


def test_malformed_ids_are_named_and_not_taken_for_duplicates_or_leaks(dist):
    for shard in (CLAIMS_TRAIN, CLAIMS_TEST):
        set_cell(dist, shard, "claim_id", 0, "bogus")
        set_cell(dist, shard, "cluster_id", 0, "")
    problems = found(dist)
    for shard in (CLAIMS_TRAIN, CLAIMS_TEST):
        assert ("id-malformed", shard, 0, "claim_id") in problems
        assert ("id-malformed", shard, 0, "cluster_id") in problems
    assert not {p for p in problems if p[0] == "id-duplicate" or (p[0] == "split-leak" and p[3] == "cluster_id")}


def edit_croissant(dist: Path, change) -> None:
    path = dist / "croissant.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")


def test_a_distribution_entry_that_is_no_object_is_reported(dist):
    edit_croissant(dist, lambda d: d["distribution"].append("oops"))
    position = len(json.loads((dist / "croissant.json").read_text(encoding="utf-8"))["distribution"]) - 1
    assert ("croissant-file", "croissant.json", None, f"distribution.{position}") in found(dist)


def test_a_file_outside_the_folder_is_not_read(dist, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not part of the dataset")

    def point_outside(document: dict) -> None:
        document["distribution"][0]["contentUrl"] = "../secret.txt"

    edit_croissant(dist, point_outside)
    problems = verify_dataset(dist).problems
    (problem,) = [p for p in problems if p.field == "distribution.../secret.txt"]
    assert (problem.code, problem.note) == ("croissant-file", "points outside the dataset folder")


def test_a_record_set_field_that_is_no_object_is_reported(dist):
    def break_fields(document: dict) -> None:
        claims = next(r for r in document["recordSet"] if r["@id"] == "claims")
        claims["field"].append("oops")

    edit_croissant(dist, break_fields)
    assert any(p[0] == "croissant-field" for p in found(dist))
