"""A rebuild with nothing changed leaves the folder as it is and returns the last build's report; any change to
what the output depends on (a raw byte, a file's place, an option, the code, the tools, the output folder itself)
runs the build, which publishes a clean build's bytes."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import builder.unchanged
from builder.config import BuildConfig, LinkConfig, PublishConfig
from builder.models import BuildReport
from builder.pipeline import build
from conftest import files_of, write_article

_REBUILT_FIELDS = {"timings", "serial_share", "unchanged", "from_cache"}
FRESH_NS = builder.unchanged.FRESH_NS


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The raw files copied a moment ago count as settled: a build that finds a file changed within FRESH_NS of
    its start is not recorded (tested on its own below)."""
    monkeypatch.setattr(builder.unchanged, "FRESH_NS", 0)


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


def same_report(first: BuildReport, second: BuildReport) -> bool:
    return first.model_dump(exclude=_REBUILT_FIELDS) == second.model_dump(exclude=_REBUILT_FIELDS)


def test_a_rebuild_with_nothing_changed_leaves_the_folder_and_returns_the_last_builds_report(raw_copy, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    first = build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    assert not first.unchanged
    before = stamps(out)
    again = build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    assert again.unchanged
    assert same_report(first, again)
    assert again.from_cache == again.counts.articles_seen == 5
    assert [(t.name, t.where) for t in again.timings] == [("unchanged", "driver")]
    assert stamps(out) == before  # not a file rewritten, not even in place


def test_the_workers_and_the_engine_do_not_shape_the_output_so_they_do_not_rerun_it(raw_copy, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache, workers=1))
    assert build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache, workers=2)).unchanged


def _first_claim_id(out: Path) -> str:
    shard = sorted((out / "claims").glob("*.parquet"))[0]
    return str(pq.read_table(shard, columns=["claim_id"]).column(0)[0])


def outside(raw: Path) -> Path:
    """An article kept outside the raw folder (a link in the raw folder may name it)."""
    target = raw.parent / "elsewhere.txt"
    target.write_text("The minister said the new tax on sugar would raise two billion.\n", encoding="utf-8")
    return target


def _edits(raw: Path, out: Path) -> list[tuple[str, Callable[[], object]]]:
    articles = sorted((raw / "articles").glob("*.txt"))

    def append(path: Path, text: str) -> None:
        path.write_bytes(path.read_bytes() + text.encode("utf-8"))

    def pair(text: Path) -> list[Path]:
        return [text, text.with_suffix(".json")]

    def label() -> None:
        line = {"claim_id": _first_claim_id(out), "check_worthy": True, "verdict": "false"}
        (raw / "labels.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")

    def flip_a_byte() -> None:
        shard = sorted((out / "claims").glob("*.parquet"))[0]
        data = bytearray(shard.read_bytes())
        data[len(data) // 2] ^= 0x01
        shard.write_bytes(bytes(data))

    return [
        ("an article edited", lambda: append(articles[1], "\nThe mayor said the bridge would reopen in May.\n")),
        ("an article added", lambda: write_article(raw, "zz_new", "The minister said taxes would fall next year.\n")),
        ("an article removed", lambda: [path.unlink() for path in (articles[2], articles[2].with_suffix(".json"))]),
        ("an article renamed", lambda: [path.rename(path.with_name("zz_" + path.name)) for path in pair(articles[0])]),
        ("labels added", label),
        ("a stray file", lambda: (raw / "notes.md").write_text("not an input\n", encoding="utf-8")),
        ("a shard damaged", flip_a_byte),
        ("a file added to the output", lambda: (out / "claims" / "extra.parquet").write_bytes(b"PAR1")),
        ("a file removed from the output", lambda: (out / "croissant.json").unlink()),
        (
            "the manifest edited",
            lambda: (out / "manifest.json").write_bytes((out / "manifest.json").read_bytes() + b" "),
        ),
        ("the record torn", lambda: [path.write_bytes(b"{") for path in (out.parent / "cache" / "built").iterdir()]),
    ]


@pytest.mark.parametrize("edit", range(11))
def test_any_change_runs_the_build_and_publishes_a_clean_builds_bytes(raw_copy, tmp_path, edit):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    assert build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged
    name, change = _edits(raw_copy, out)[edit]
    change()
    report = build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    assert not report.unchanged, name
    build(BuildConfig(raw_dir=raw_copy, out_dir=tmp_path / "clean"))
    assert files_of(out) == files_of(tmp_path / "clean"), name
    assert build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged, name  # and recorded again


def test_an_option_that_shapes_the_output_runs_the_build(raw_copy, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    smaller = PublishConfig(max_shard_rows=7)
    rebuilt = BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache, publish=smaller)
    assert not build(rebuilt).unchanged
    build(BuildConfig(raw_dir=raw_copy, out_dir=tmp_path / "clean", publish=smaller))
    assert files_of(out) == files_of(tmp_path / "clean")
    assert build(rebuilt).unchanged


@pytest.mark.parametrize("part", ["code_fingerprint", "tool_versions"])
def test_other_code_or_other_tools_run_the_build(raw_copy, tmp_path, monkeypatch, part):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    before = files_of(out)
    real = getattr(builder.unchanged, part)
    monkeypatch.setattr(builder.unchanged, part, lambda: {"other": str(real())})
    assert not build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged
    assert files_of(out) == before  # the same code really: the same bytes, built again


def test_a_link_is_named_by_where_it_points_and_keyed_by_what_it_points_at(raw_copy, tmp_path):
    """A link out of the raw folder is refused, naming its target: pointed elsewhere, even at the same bytes, the
    rejection changes; and so does a link inside the raw folder's key when its target's bytes do."""
    cache, out = tmp_path / "cache", tmp_path / "dist"
    link = raw_copy / "articles" / "zz_link.txt"
    link.symlink_to(outside(raw_copy))
    skipping = BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache, validation={"skip_invalid": True})
    first = build(skipping)
    again = build(skipping)
    assert again.unchanged and again.from_cache == again.counts.articles_seen == 6  # the rejected input's too
    copy = shutil.copy(link.resolve(), tmp_path / "copy.txt")
    link.unlink()
    link.symlink_to(copy)
    relinked = build(skipping)
    assert not relinked.unchanged and relinked.rejections != first.rejections
    assert build(skipping).unchanged
    state = builder.unchanged.look(skipping)
    Path(copy).write_text("The mayor said the bridge would reopen in May.\n", encoding="utf-8")
    edited = builder.unchanged.look(skipping)
    assert state is not None and edited is not None and None is not edited.key != state.key


def test_without_a_cache_every_build_runs(raw_copy, tmp_path):
    out = tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out))
    assert not build(BuildConfig(raw_dir=raw_copy, out_dir=out)).unchanged


def test_a_configured_file_outside_the_raw_folder_leaves_no_key(raw_copy, tmp_path):
    """Its bytes are not in the raw folder's key: such a build always runs."""
    cache, out = tmp_path / "cache", tmp_path / "dist"
    outside = LinkConfig(speakers_file=os.path.relpath(tmp_path / "speakers.json", raw_copy))
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache, link=outside))
    assert not build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache, link=outside)).unchanged
    assert not (cache / "built").exists()


def test_a_raw_file_edited_while_the_build_runs_is_not_recorded(raw_copy, tmp_path, monkeypatch):
    """The dataset metadata, read as the build starts, edited while it reads the articles: the manifest lists the
    new bytes (hashed after the articles), the card holds the old. Had the build been recorded, the next would have
    taken the old card for the new metadata's. (Every stamp trusted here, however recent, so that only the check
    of the stamps before and after the build stands in the way.)"""
    monkeypatch.setattr(builder.unchanged, "FRESH_NS", -(10**18))
    cache, out = tmp_path / "cache", tmp_path / "dist"
    meta = raw_copy / "dataset.json"
    edited = meta.read_text(encoding="utf-8").replace("factpack", "factpack (edited)", 1)

    def edit_once(_source: str) -> None:
        if "(edited)" not in meta.read_text(encoding="utf-8"):
            meta.write_text(edited, encoding="utf-8")

    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache, workers=1), progress=edit_once)
    assert not build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged
    build(BuildConfig(raw_dir=raw_copy, out_dir=tmp_path / "clean"))
    assert files_of(out) == files_of(tmp_path / "clean")


def test_a_build_that_finds_a_file_changed_just_before_it_started_is_not_recorded(raw_copy, tmp_path, monkeypatch):
    """Within a clock tick a second edit may leave a file's stamp as it was: a build that finds a raw file
    changed within FRESH_NS of its start (here every raw file, copied a moment ago) leaves no record."""
    monkeypatch.setattr(builder.unchanged, "FRESH_NS", FRESH_NS)
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    assert not (cache / "built").exists()
    assert not build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged


def test_a_record_is_good_for_its_day_only(raw_copy, tmp_path, monkeypatch):
    """A date later than today is refused (and one read off the text left unknown): tomorrow the same input may
    be read differently."""
    cache, out = tmp_path / "cache", tmp_path / "dist"
    write_article(raw_copy, "zz_late", "The minister said taxes would fall.\n", json.dumps({"published": "2999-01-01"}))
    skipping = BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache, validation={"skip_invalid": True})
    assert build(skipping).rejections
    assert build(skipping).unchanged
    monkeypatch.setattr(builder.unchanged, "_today", lambda: "2999-01-02")
    assert not build(skipping).unchanged
    assert build(skipping).unchanged  # recorded again, for that day


def test_a_build_that_runs_past_midnight_is_not_recorded(raw_copy, tmp_path, monkeypatch):
    days = iter(["2030-01-01", "2030-01-02"])
    monkeypatch.setattr(builder.unchanged, "_today", lambda: next(days, "2030-01-02"))
    cache = tmp_path / "cache"
    build(BuildConfig(raw_dir=raw_copy, out_dir=tmp_path / "dist", cache_dir=cache))
    assert not (cache / "built").exists()


def test_a_build_left_as_it_was_leaves_nothing_beside_the_folder(raw_copy, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    beside = sorted(path.name for path in tmp_path.iterdir())
    assert build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged
    assert sorted(path.name for path in tmp_path.iterdir()) == beside


def test_a_configured_file_that_is_a_link_in_a_loop_leaves_no_key(raw_copy, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    (raw_copy / "labels.jsonl").symlink_to(raw_copy / "labels.jsonl")
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    assert not build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged
    assert not (cache / "built").exists()


def test_after_a_build_left_as_it_was_a_change_still_takes_the_rest_from_the_kept_spool(raw_copy, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    assert build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged
    for entries in cache.glob("??"):  # unchanged rows can only come from the kept spool
        shutil.rmtree(entries)
    changed = sorted((raw_copy / "articles").glob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe mayor said the bridge would reopen.\n")
    report = build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    assert report.from_cache == report.counts.articles_seen - 1
    build(BuildConfig(raw_dir=raw_copy, out_dir=tmp_path / "clean"))
    assert files_of(out) == files_of(tmp_path / "clean")


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    real = builder.unchanged._sha256

    def counted(path: Path) -> str:
        read.append(str(path))
        return real(path)

    monkeypatch.setattr(builder.unchanged, "_sha256", counted)
    return read


def test_a_file_whose_stamp_is_the_one_recorded_is_not_read_again(raw_copy, tmp_path, monkeypatch):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    read = _counting_reads(monkeypatch)
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    assert read == []  # the first build's record takes the SHA-256 its workers read
    assert build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged
    assert read == []
    changed = sorted((raw_copy / "articles").glob("*.txt"))[1]
    changed.write_bytes(changed.read_bytes() + b"\nThe mayor said the bridge would reopen in May.\n")
    assert not build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged
    assert read == [str(changed.resolve())]


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_seen(raw_copy, tmp_path, monkeypatch):
    """Tools that set the modification time back (archives, copies keeping times) cannot set the change time."""
    cache, out = tmp_path / "cache", tmp_path / "dist"
    changed = sorted((raw_copy / "articles").glob("*.txt"))[1]
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    before = changed.stat()
    data = changed.read_bytes()
    changed.write_bytes(data.replace(b"e", b"a", 1))
    os.utime(changed, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert changed.stat().st_size == before.st_size and changed.stat().st_mtime_ns == before.st_mtime_ns
    assert not build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged
    build(BuildConfig(raw_dir=raw_copy, out_dir=tmp_path / "clean"))
    assert files_of(out) == files_of(tmp_path / "clean")


def test_output_files_whose_stamps_moved_are_each_read_once(raw_copy, tmp_path, monkeypatch):
    """A folder rewritten by an earlier build that was not recorded holds the same bytes under new stamps: each file
    is read once to show it, however many the folder holds."""
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache))
    outputs = [path for path in out.rglob("*") if path.is_file() and path.name != "manifest.json"]
    for path in outputs:
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1))
    read = _counting_reads(monkeypatch)
    assert build(BuildConfig(raw_dir=raw_copy, out_dir=out, cache_dir=cache)).unchanged
    assert len(outputs) > 1 and sorted(read) == sorted(str(path) for path in outputs)
