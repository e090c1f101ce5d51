"""Build options: what the command line gives when an option is left out, and what a bad one does."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from builder.cli import app
from builder.config import BuildConfig, ClusterConfig, SplitConfig, default_cache_dir
from conftest import RAW

runner = CliRunner()


def test_factpack_build_without_options_records_the_documented_defaults(tmp_path):
    raw = shutil.copytree(RAW, tmp_path / "raw")
    result = runner.invoke(app, ["build", str(raw), "--out", str(tmp_path / "dist"), "--no-cache", "--workers", "1"])
    assert result.exit_code == 0, result.output
    recorded = json.loads((tmp_path / "dist" / "manifest.json").read_text(encoding="utf-8"))["config"]
    assert recorded == BuildConfig().options()  # the command line's defaults are the library's
    # ... and they are the README's: --split hash, --ratios 0.8 0.1 0.1, 5 MB, 100,000 rows a shard, Jaccard 0.6,
    # containment 0.8
    assert recorded["split"] == {"mode": "hash", "train": 0.8, "validation": 0.1, "test": 0.1}
    assert recorded["ingest"]["max_bytes"] == 5_000_000 and recorded["ingest"]["encoding_fallback"] is None
    assert recorded["publish"]["max_shard_rows"] == 100_000
    assert (recorded["cluster"]["threshold"], recorded["cluster"]["containment"]) == (0.6, 0.8)
    assert recorded["labels"]["allow_orphans"] is False and recorded["validation"]["skip_invalid"] is False


def test_every_build_option_given_on_the_command_line_is_recorded(tmp_path):
    raw = shutil.copytree(RAW, tmp_path / "raw")
    options = ["--split", "temporal", "--ratios", "0.6", "0.3", "0.1", "--max-bytes", "900000", "--max-shard-rows",
               "7", "--encoding-fallback", "cp1252", "--skip-invalid", "--allow-orphan-labels"]  # fmt: skip
    result = runner.invoke(
        app, ["build", str(raw), "--out", str(tmp_path / "dist"), "--no-cache", "--workers", "1", *options]
    )
    assert result.exit_code == 0, result.output
    recorded = json.loads((tmp_path / "dist" / "manifest.json").read_text(encoding="utf-8"))["config"]
    assert recorded["split"] == {"mode": "temporal", "train": 0.6, "validation": 0.3, "test": 0.1}
    assert recorded["ingest"] == {"articles_dir": "articles", "max_bytes": 900_000, "encoding_fallback": "cp1252"}
    assert recorded["publish"]["max_shard_rows"] == 7
    assert recorded["validation"]["skip_invalid"] is True and recorded["labels"]["allow_orphans"] is True


@pytest.mark.parametrize(
    "options",
    [
        ["--ratios", "0.5", "0.5", "0.5"],
        ["--ratios", "0.8", "0.2"],
        ["--split", "random"],
        ["--encoding-fallback", "no-such-codec"],
        ["--max-bytes", "0"],
        ["--max-shard-rows", "0"],
    ],
    ids=["ratios-over-one", "two-ratios", "unknown-split", "unknown-codec", "no-bytes", "no-rows"],
)
def test_a_bad_build_option_exits_2_before_anything_is_written(tmp_path, options):
    result = runner.invoke(app, ["build", str(RAW), "--out", str(tmp_path / "dist"), "--no-cache", *options])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not (tmp_path / "dist").exists()


def test_options_that_do_not_shape_the_output_are_left_out_of_the_record():
    cfg = BuildConfig(workers=4, cache_dir=RAW / "cache", wait=True, out_dir=RAW / "elsewhere")
    assert cfg.options() == BuildConfig().options()
    assert set(BuildConfig().options()) == {
        "ingest", "clean", "validation", "extract", "link", "cluster", "matches", "split", "labels", "publish"
    }  # fmt: skip


def test_clustering_and_split_options_that_cannot_hold_are_refused():
    with pytest.raises(ValueError, match="multiple of bands"):
        ClusterConfig(num_perm=64, bands=5)
    with pytest.raises(ValueError, match="must be 1"):
        SplitConfig(train=0.8, validation=0.1, test=0.2)
    assert SplitConfig(train=0.7, validation=0.2, test=0.1).train == 0.7  # 0.7 + 0.2 + 0.1 is not 1.0 in floats


def test_the_default_cache_is_factpack_in_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "factpack"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for unset in ("", "relative/cache"):  # unset, or not absolute: the XDG spec says to ignore it
        monkeypatch.setenv("XDG_CACHE_HOME", unset)
        assert default_cache_dir() == tmp_path / "home" / ".cache" / "factpack"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "factpack"


def test_a_build_without_cache_options_uses_the_default_cache_and_no_cache_none(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    built = CliRunner().invoke(app, ["build", str(RAW), "--out", "dist", "--workers", "1"])
    assert built.exit_code == 0, built.output
    cache = tmp_path / "xdg" / "factpack"
    entries = [p for p in cache.rglob("*.arrows") if p.parent.parent == cache]
    assert len(entries) == 5  # one per article; the clusters have their own folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "xdg"]  # nothing in the current folder
    again = CliRunner().invoke(app, ["build", str(RAW), "--out", "dist", "--workers", "1"])
    assert again.stdout.splitlines()[0].endswith("(5 read, 0 rejected, 5 from the cache)")
    uncached = CliRunner().invoke(app, ["build", str(RAW), "--out", "dist", "--workers", "1", "--no-cache"])
    assert uncached.exit_code == 0 and uncached.stdout.splitlines()[0].endswith("0 from the cache)")
