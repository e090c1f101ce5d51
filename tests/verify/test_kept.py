"""A build's verify keeps each claims shard found clean against the texts, and skips that check when the same bytes
come back against article shards the folder still has; anything else is checked again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.verify import provenance, verify_timed
from builder.verify.dataset import Shard
from conftest import RAW
from verify.corrupt import ARTICLES_TRAIN, CLAIMS_SHARDS, CLAIMS_TEST, CLAIMS_TRAIN, codes, column, edit_column


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """The shards that ``builder.verify``'s check ``name`` (of :mod:`builder.verify.provenance`) is run on, as
    they are."""
    names: list[str] = []
    real = getattr(provenance, name)

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        shard = next(arg for arg in args if isinstance(arg, Shard))
        names.append(shard.name)
        return real(*args, **kwargs)

    monkeypatch.setattr(provenance, name, counted)
    monkeypatch.setattr(f"builder.verify.{name}", counted)
    return names


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The claims shards checked against the texts, as they are."""
    return _counting(monkeypatch, "check_shard_provenance")


def test_a_shard_found_clean_is_not_checked_against_the_texts_again(dist: Path, tmp_path: Path, checked: list[str]):
    kept = tmp_path / "kept"
    first, _ = verify_timed(dist, RAW, kept=kept)
    assert first.ok and sorted(checked) == sorted(CLAIMS_SHARDS)
    checked.clear()
    again, _ = verify_timed(dist, RAW, kept=kept)
    assert again == first and checked == []
    alone, _ = verify_timed(dist, RAW)  # without a kept folder, everything is checked
    assert alone == first and sorted(checked) == sorted(CLAIMS_SHARDS)


def test_a_changed_article_shard_has_its_claims_checked_again_and_the_problem_found(
    dist: Path, tmp_path: Path, checked: list[str]
):
    kept = tmp_path / "kept"
    verify_timed(dist, RAW, kept=kept)
    checked.clear()
    edit_column(dist, ARTICLES_TRAIN, "text", lambda texts: ["X" + text for text in texts])
    report, _ = verify_timed(dist, RAW, kept=kept)
    assert CLAIMS_TRAIN in checked  # its texts changed: checked again ...
    assert "offset-mismatch" in codes(report)  # ... and the shift found
    assert len(checked) == 1  # the other splits' claims read other article shards


def test_a_shard_with_a_problem_is_not_kept(dist: Path, tmp_path: Path, checked: list[str]):
    kept = tmp_path / "kept"
    edit_column(dist, CLAIMS_TRAIN, "text", lambda texts: [text + "!" for text in texts])
    first, _ = verify_timed(dist, RAW, kept=kept)
    checked.clear()
    second, _ = verify_timed(dist, RAW, kept=kept)
    assert not first.ok and second == first and checked == [CLAIMS_TRAIN]


@pytest.fixture
def tables(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The shards whose values were checked on their own (types, labels, offsets, credentials), as they are."""
    from builder.verify import values

    names: list[str] = []
    real = values.check_table

    def counted(shard, table, first, problems):  # type: ignore[no-untyped-def]
        if first == 0:
            names.append(shard.name)
        real(shard, table, first, problems)

    monkeypatch.setattr(values, "check_table", counted)
    return names


def test_a_shards_own_values_found_clean_are_not_checked_again_but_its_ids_are(
    dist: Path, tmp_path: Path, tables: list[str]
):
    kept = tmp_path / "kept"
    first, _ = verify_timed(dist, RAW, kept=kept)
    assert first.ok and CLAIMS_TRAIN in tables and ARTICLES_TRAIN in tables
    tables.clear()
    again, _ = verify_timed(dist, RAW, kept=kept)
    assert again == first and tables == []
    # Ids are checked across shards every time: a claim id repeated in another shard is found, though each
    # shard's bytes that changed are the only ones whose own values are checked again.
    repeated = column(dist, CLAIMS_TRAIN, "claim_id")[0]
    edit_column(dist, CLAIMS_TEST, "claim_id", lambda ids: [repeated, *ids[1:]])
    report, _ = verify_timed(dist, RAW, kept=kept)
    assert tables == [CLAIMS_TEST] and "id-duplicate" in codes(report)


def test_a_shard_whose_own_values_are_wrong_is_checked_every_time(dist: Path, tmp_path: Path, tables: list[str]):
    kept = tmp_path / "kept"
    edit_column(dist, CLAIMS_TRAIN, "char_start", lambda starts: [-1, *starts[1:]])
    first, _ = verify_timed(dist, RAW, kept=kept)
    assert "offset-order" in codes(first)
    tables.clear()
    second, _ = verify_timed(dist, RAW, kept=kept)
    assert second == first and tables == [CLAIMS_TRAIN]


@pytest.fixture
def raw_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The articles shards checked against their raw files, as they are; raw files count as settled at once."""
    monkeypatch.setattr("builder.verify.FRESH_NS", 0)
    return _counting(monkeypatch, "check_shard_raw")


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(RAW, tmp_path / "raw"))


def test_raw_files_whose_stamps_did_not_move_are_not_read_again(
    dist: Path, tmp_path: Path, raw_copy: Path, raw_read: list[str]
):
    kept = tmp_path / "kept"
    first, _ = verify_timed(dist, raw_copy, kept=kept)
    assert first.ok and ARTICLES_TRAIN in raw_read and first.checked["raw_files"] > 0
    raw_read.clear()
    again, _ = verify_timed(dist, raw_copy, kept=kept)
    assert again == first and raw_read == []
    elsewhere = Path(shutil.copytree(raw_copy, tmp_path / "elsewhere"))  # another raw folder: read
    assert verify_timed(dist, elsewhere, kept=kept)[0] == first and ARTICLES_TRAIN in raw_read


def test_a_raw_file_edited_since_is_read_again_and_the_change_found(
    dist: Path, tmp_path: Path, raw_copy: Path, raw_read: list[str]
):
    kept = tmp_path / "kept"
    verify_timed(dist, raw_copy, kept=kept)
    raw_read.clear()
    source = column(dist, ARTICLES_TRAIN, "source_file")[0]
    with (raw_copy / source).open("ab") as text:
        text.write(b" Edited.")
    report, _ = verify_timed(dist, raw_copy, kept=kept)
    assert raw_read == [ARTICLES_TRAIN] and "raw-hash-mismatch" in codes(report)
    raw_read.clear()
    assert verify_timed(dist, raw_copy, kept=kept)[0] == report and raw_read == [ARTICLES_TRAIN]  # not kept


def test_raw_files_changed_just_before_the_check_are_read_every_time(
    dist: Path, tmp_path: Path, raw_copy: Path, raw_read: list[str], monkeypatch: pytest.MonkeyPatch
):
    import builder.verify

    monkeypatch.setattr(builder.verify, "FRESH_NS", 10**18)  # every file was changed a moment ago
    kept = tmp_path / "kept"
    first, _ = verify_timed(dist, raw_copy, kept=kept)
    raw_read.clear()
    assert verify_timed(dist, raw_copy, kept=kept)[0] == first and ARTICLES_TRAIN in raw_read


def test_what_another_version_of_the_checks_found_clean_is_checked_again(
    dist: Path, tmp_path: Path, checked: list[str], raw_copy: Path, raw_read: list[str], monkeypatch: pytest.MonkeyPatch
):
    kept = tmp_path / "kept"
    first, _ = verify_timed(dist, raw_copy, kept=kept)
    checked.clear()
    raw_read.clear()
    monkeypatch.setattr("builder.cache.code_fingerprint", lambda: "another version")
    assert verify_timed(dist, raw_copy, kept=kept)[0] == first
    assert sorted(checked) == sorted(CLAIMS_SHARDS) and ARTICLES_TRAIN in raw_read


def test_a_rebuild_with_new_labels_reads_no_raw_file_again_and_gives_a_clean_builds_folder(
    tmp_path: Path, raw_copy: Path, raw_read: list[str]
):
    import json

    from builder.config import BuildConfig
    from builder.pipeline import build

    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    assert ARTICLES_TRAIN in raw_read
    raw_read.clear()
    claim = column(out, CLAIMS_TRAIN, "claim_id")[0]
    label = {"claim_id": claim, "check_worthy": True, "verdict": "true"}
    (raw_copy / "labels.jsonl").write_text(json.dumps(label) + "\n", encoding="utf-8")
    rebuilt = build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    assert raw_read == []  # the articles shards are the same bytes, and the raw files did not move
    clean = build(BuildConfig(raw_dir=raw_copy, out_dir=tmp_path / "clean"))
    assert ARTICLES_TRAIN in raw_read
    assert rebuilt.outputs == clean.outputs and rebuilt.counts.labels_merged == 1
