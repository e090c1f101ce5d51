"""Two builds to one output folder, and a build killed with its workers running: what the user sees, what remains."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stopped_build
from builder.cli import app
from builder.config import BuildConfig
from builder.errors import OutputError
from builder.pipeline import build
from conftest import RAW

runner = CliRunner()


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_second_build_to_the_same_folder_fails_at_once_naming_the_first(tmp_path):
    out = tmp_path / "dist"
    first = stopped_build.start(RAW, out, "clustering", tmp_path / "stopped")
    try:
        with pytest.raises(OutputError, match=rf"another build \(pid {first.pid}\) is writing it; .*--wait"):
            build(BuildConfig(raw_dir=RAW, out_dir=out))
        result = runner.invoke(app, ["build", str(RAW), "--out", str(out), "--no-cache"])
        assert result.exit_code == 1 and f"pid {first.pid}" in result.stderr and "Traceback" not in result.output
        # The first build's staging folders are still there: the second one removed nothing.
        assert any(p.name.startswith(".dist.factpack-tmp-") for p in tmp_path.iterdir())
    finally:
        first.kill()
        first.wait()


def test_with_wait_the_second_build_starts_when_the_first_has_finished(tmp_path):
    out = tmp_path / "dist"
    marker = tmp_path / "stopped"
    first = stopped_build.start(RAW, out, "clustering", marker)
    heard: list[int | None] = []

    def waiting(holder: int | None) -> None:
        heard.append(holder)
        stopped_build.resume(marker)  # only now that the second build waits does the first go on

    report = build(BuildConfig(raw_dir=RAW, out_dir=out, wait=True), waiting=waiting)
    assert first.wait(timeout=stopped_build.HANG) == 0  # the first one finished its own build, undisturbed
    assert heard == [first.pid]
    assert report.counts.articles_accepted == 5 and (out / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no lock or staging left


def test_a_killed_builds_lock_dies_with_it_and_its_leftovers_are_removed(tmp_path):
    out = tmp_path / "dist"
    build(BuildConfig(raw_dir=RAW, out_dir=out))
    before = files_of(out)
    killed = stopped_build.start(RAW, out, "shards-written", tmp_path / "stopped")
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert files_of(out) == before
    assert (tmp_path / ".dist.factpack-lock").read_text(encoding="ascii").strip() == str(killed.pid)
    build(BuildConfig(raw_dir=RAW, out_dir=out))  # not refused: the kernel released the dead build's lock
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_killed_build_leaves_no_process_behind(tmp_path):
    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    seeds = sorted((RAW / "articles").glob("*.txt"))
    for number in range(600):  # enough work that the workers are busy when the driver dies
        text = seeds[number % len(seeds)].read_text(encoding="utf-8")
        (raw / "articles" / f"{number:04d}.txt").write_text(f"{text}\nCopy {number}.\n", encoding="utf-8")
    with stopped_build.temporary_folder() as temporary:  # the forkserver's socket folder, left by SIGKILL
        marker = tmp_path / "stopped"
        child = stopped_build.start(raw, tmp_path / "dist", "first-result", marker, 2, temporary=temporary)
        helpers = stopped_build.watch(child.pid)
        assert len(helpers) >= 3  # the pool's workers, the forkserver, the resource tracker
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert stopped_build.still_running(helpers) == [], "processes of the killed build were still running"
    shutil.rmtree(raw)
