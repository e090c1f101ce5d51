from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from datasets import Features, load_dataset

from builder.config import BuildConfig, ValidateConfig
from builder.errors import InvalidArticlesError
from builder.features import features_of
from builder.models import Article, BuildManifest, Claim, Rejection, Speaker
from builder.pipeline import build, check
from builder.stages import STAGES
from conftest import RAW, rows_of, write_article


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_dataset_loads_offline_with_the_declared_features(seed_dist, tmp_path):
    claims = load_dataset(str(seed_dist), cache_dir=str(tmp_path / "c1"))
    articles = load_dataset(str(seed_dist), "articles", cache_dir=str(tmp_path / "c2"))
    speakers = load_dataset(str(seed_dist), "speakers", split="train", cache_dir=str(tmp_path / "c3"))
    manifest = BuildManifest.model_validate_json((seed_dist / "manifest.json").read_text(encoding="utf-8"))
    present = {name for name, n in manifest.counts.claims_per_split.items() if n}
    assert set(claims) == set(articles) == present
    for split in present:
        assert claims[split].features == features_of(Claim)
        assert articles[split].features == features_of(Article)
        assert claims[split].num_rows == manifest.counts.claims_per_split[split]
        assert articles[split].num_rows == manifest.counts.articles_per_split[split]
    assert speakers.features == features_of(Speaker) and speakers.num_rows == manifest.counts.speakers
    train = articles["train"]
    assert train.features["input_format"].int2str(train[0]["input_format"]) == "txt"


def test_card_yaml_features_equal_the_parquet_features(seed_dist):
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(seed_dist / "README.md")
    declared = {entry["config_name"]: entry for entry in card.data.to_dict()["dataset_info"]}
    for config in ("claims", "articles", "speakers"):
        sizes = {split["name"]: split["num_examples"] for split in declared[config]["splits"]}
        for shard in sorted((seed_dist / config).glob("*.parquet")):
            schema = pq.read_schema(shard)
            assert Features._from_yaml_list(declared[config]["features"]) == Features.from_arrow_schema(schema)
            assert sizes.pop(shard.name.split("-")[0]) == pq.read_metadata(shard).num_rows
        assert sizes == {}


def test_every_claim_is_a_slice_of_its_article_and_of_the_raw_file(seed_dist, tmp_path):
    claims = load_dataset(str(seed_dist), cache_dir=str(tmp_path / "c"))
    articles = load_dataset(str(seed_dist), "articles", cache_dir=str(tmp_path / "c"))
    texts = {row["article_id"]: row["text"] for split in articles.values() for row in split}
    for row in (row for split in claims.values() for row in split):
        assert texts[row["article_id"]][row["char_start"] : row["char_end"]] == row["text"]
        raw = (RAW / row["source_file"]).read_bytes().decode("utf-8")
        assert raw[row["char_start"] : row["char_end"]] == row["text"]


def test_rebuild_from_another_place_is_byte_identical(seed_dist, raw_copy, tmp_path):
    again = tmp_path / "elsewhere" / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=again))
    assert files_of(again) == files_of(seed_dist)


def test_manifest_reconciles_and_hashes_every_file(seed_dist):
    manifest = BuildManifest.model_validate_json((seed_dist / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest.counts
    assert counts.articles_seen == counts.articles_accepted + counts.articles_rejected == 5
    written = files_of(seed_dist)
    assert sorted(e.path for e in manifest.outputs) == sorted(set(written) - {"manifest.json"})
    import hashlib

    for entry in manifest.outputs:
        assert hashlib.sha256(written[entry.path]).hexdigest() == entry.sha256
    raw_files = sorted([p.relative_to(RAW).as_posix() for p in (RAW / "articles").iterdir()] + ["dataset.json"])
    assert [e.path for e in manifest.inputs] == raw_files
    assert "raw_dir" not in manifest.config and manifest.versions["datasets"]


def broken_raw(raw: Path) -> None:
    write_article(raw, "zz_bad_date", "Title\n\nBody.\n", json.dumps({"published": "2014-02-30"}))
    write_article(raw, "zz_bad_bytes", b"Title\n\nIt cost \xa3100.\n")


def test_strict_build_fails_listing_every_problem_and_keeps_the_old_dataset(raw_copy, tmp_path):
    out = tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out))
    before = files_of(out)
    broken_raw(raw_copy)
    with pytest.raises(InvalidArticlesError) as failure:
        build(BuildConfig(raw_dir=raw_copy, out_dir=out))
    assert sorted(p.file for p in failure.value.rejections) == [
        "articles/zz_bad_bytes.txt",
        "articles/zz_bad_date.json",
    ]
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "raw"]  # no staging folder left behind


def test_skip_invalid_publishes_the_rest_and_records_rejections(raw_copy, tmp_path):
    broken_raw(raw_copy)
    out = tmp_path / "dist"
    report = build(BuildConfig(raw_dir=raw_copy, out_dir=out, validation=ValidateConfig(skip_invalid=True)))
    assert (
        report.counts.articles_seen,
        report.counts.articles_accepted,
        report.counts.articles_rejected,
    ) == (7, 5, 2)
    rejects = [Rejection.model_validate_json(line) for line in (out / "rejects.jsonl").read_text().splitlines()]
    assert [(r.file, r.loc) for r in rejects] == [
        ("articles/zz_bad_bytes.txt", "text"),
        ("articles/zz_bad_date.json", "published"),
    ]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "| articles/zz_bad_date.json |  | published |" in card
    assert "(7 inputs read, 2 rejected)" in card


def test_check_reports_without_writing(raw_copy):
    broken_raw(raw_copy)
    report = check(BuildConfig(raw_dir=raw_copy))
    assert not report.ok and report.counts.articles_rejected == 2 and report.counts.articles_accepted == 5


def test_jsonl_input_builds_alongside_text_files(raw_copy, tmp_path, seed_dist):
    line = {
        "text": "Wire story\n\nBRUSSELS (Reuters) - The alliance met on Monday. It agreed on a new plan.",
        "outlet": "Wire",
        "language": "en",
    }
    (raw_copy / "articles" / "wire.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    out = tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out))
    claims = rows_of(out, "claims")
    wire = [c for c in claims if c["article_id"] == "wire:1"]
    assert [(c["text"], c["source_line"]) for c in wire] == [
        ("The alliance met on Monday.", 1),
        ("It agreed on a new plan.", 1),
    ]
    for claim in wire:
        assert line["text"][claim["char_start"] : claim["char_end"]] == claim["text"]


def test_a_swap_interrupted_midway_is_recovered_by_the_next_build(seed_dist, raw_copy, tmp_path):
    out = tmp_path / "dist"
    aside = tmp_path / ".dist.factpack-old"
    shutil.copytree(seed_dist, aside)  # as left by a build killed between its two renames
    (tmp_path / ".dist.factpack-tmp-999").mkdir()  # as left by a build killed while writing
    build(BuildConfig(raw_dir=raw_copy, out_dir=out))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "raw"]
    assert files_of(out) == files_of(seed_dist)


def test_out_may_not_be_or_touch_the_raw_folder_nor_replace_foreign_data(raw_copy, tmp_path):
    from builder.errors import ConfigError

    inside = (raw_copy / "out", raw_copy / "articles", raw_copy / "articles" / "dist", raw_copy / "out" / "dist")
    for out in (raw_copy, raw_copy.parent, *inside):
        with pytest.raises(ConfigError) as refused:
            build(BuildConfig(raw_dir=raw_copy, out_dir=out))
        assert str(refused.value) == (
            f"{out}: the output folder must not be, contain or lie inside the raw folder {raw_copy.resolve()}; "
            "choose another --out"
        )
    assert sorted(p.name for p in raw_copy.iterdir()) == ["articles", "dataset.json"]  # nothing made there
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"no manifest\.json"):
        build(BuildConfig(raw_dir=raw_copy, out_dir=foreign))
    assert (foreign / "thesis.tex").read_text(encoding="utf-8") == "precious"
    assert (raw_copy / "articles").is_dir()


def test_a_corpus_without_claims_is_refused_and_without_speakers_still_loads(tmp_path):
    from builder.errors import InputError

    write_article(tmp_path / "raw", "a", "Hello\n")
    with pytest.raises(InputError, match="no claim was found"):
        build(BuildConfig(raw_dir=tmp_path / "raw", out_dir=tmp_path / "dist"))
    write_article(tmp_path / "raw", "a", "Title\n\nThe council met on Monday and agreed a budget.\n")
    build(BuildConfig(raw_dir=tmp_path / "raw", out_dir=tmp_path / "dist"))
    assert not (tmp_path / "dist" / "speakers").exists()
    claims = load_dataset(str(tmp_path / "dist"), cache_dir=str(tmp_path / "cache"))
    assert sum(split.num_rows for split in claims.values()) == 1


def test_the_report_times_every_stage_and_says_what_is_serial(tmp_path):
    report = build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "dist"))
    on_workers = [t.name for t in report.timings if t.where == "workers"]
    on_driver = [t.name for t in report.timings if t.where == "driver"]
    assert on_workers == ["read", *(stage.name for stage in STAGES)]
    assert on_driver == [
        "factchecks", "list", "admit", "spool", "link", "cluster", "match", "split", "labels", "write", "verify", "swap"
    ]  # fmt: skip
    assert all(t.cpu_seconds >= 0 and t.wall_seconds >= 0 for t in report.timings)
    driver = sum(t.cpu_seconds for t in report.timings if t.where == "driver")
    total = sum(t.cpu_seconds for t in report.timings)
    assert report.serial_share == round(driver / total, 4) and 0 < report.serial_share < 1


def test_a_set_aside_dataset_is_restored_even_when_the_next_build_fails(seed_dist, raw_copy, tmp_path):
    from builder.errors import InvalidArticlesError

    out = tmp_path / "dist"
    aside = tmp_path / ".dist.factpack-old"
    shutil.copytree(seed_dist, aside)  # left by a build killed between its two renames: no dist/ at all
    (raw_copy / "articles" / "broken.txt").write_bytes(b"Title\n\n\xff\xfe not UTF-8\n")
    with pytest.raises(InvalidArticlesError):
        build(BuildConfig(raw_dir=raw_copy, out_dir=out))
    assert files_of(out) == files_of(seed_dist)  # put back, not deleted: the only copy of the last dataset
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "raw"]


def test_the_swap_is_one_atomic_exchange_here(tmp_path, monkeypatch):
    """renameat2(RENAME_EXCHANGE): at no instant is there neither folder. A system without it falls back to two
    renames, whose gap the next build's recovery closes (test_a_swap_interrupted_midway_is_recovered_by_the_next_
    build)."""
    from builder.swap import swap_in

    out, staging = tmp_path / "dist", tmp_path / ".dist.factpack-tmp-1"
    out.mkdir()
    (out / "old.txt").write_text("old", encoding="utf-8")
    staging.mkdir()
    (staging / "new.txt").write_text("new", encoding="utf-8")
    renames: list[tuple[str, str]] = []
    original = Path.rename

    def watched(self: Path, target: Path) -> Path:
        renames.append((self.name, Path(target).name))
        return original(self, target)

    monkeypatch.setattr(Path, "rename", watched)
    swap_in(staging, out)
    assert (out / "new.txt").read_text(encoding="utf-8") == "new" and not staging.exists()
    assert renames == []  # no rename pair: the exchange did it


def test_cue_kind_and_speaker_type_load_with_their_names_and_nulls(seed_dist, tmp_path):
    """The real ``datasets`` loader, offline, on a fresh cache: both ClassLabels keep their pinned names, and a claim
    without a cue or a speaker (an author statement) loads with nulls."""
    splits = load_dataset(str(seed_dist), cache_dir=str(tmp_path / "fresh"))
    claims = splits["train"]
    speakers = load_dataset(str(seed_dist), "speakers", split="train", cache_dir=str(tmp_path / "fresh2"))
    assert claims.features["cue_kind"].names == ["speech", "belief", "intention"]
    assert claims.features["speaker_type"].names == ["person", "organisation", "group"]
    assert speakers.features["speaker_type"].names == ["person", "organisation", "group"]
    rows = [row for split in splits.values() for row in split]
    assert any(row["cue_kind"] is None and row["speaker_type"] is None for row in rows)
    for row in rows:
        assert (row["speaker"] is None) == (row["speaker_type"] is None)
    named = {claims.features["speaker_type"].int2str(row["speaker_type"]) for row in rows if row["speaker"]}
    assert named == {"person", "organisation"}  # Jens Stoltenberg, Vladimir Putin; NATO
    assert {claims.features["cue_kind"].int2str(row["cue_kind"]) for row in rows if row["cue_kind"] is not None}
