"""A build killed with SIGKILL at any point leaves the previous dataset byte-identical and loadable."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from datasets import load_dataset

from builder.config import BuildConfig
from builder.models import BuildManifest
from builder.pipeline import build
from conftest import RAW, REPO

# Runs a real build in a child process that stops at one point (by wrapping a library function) and waits to be
# killed. Nothing in the library knows about this.
CHILD = r"""
import sys, time
from pathlib import Path
raw, out, point, marker = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])

def stop():
    marker.write_text("stopped")
    time.sleep(600)

import builder.assemble as assemble
import builder.pipeline as pipeline
import builder.write as write
import builder.stages as stages

def after(function):
    def wrapped(*args, **kwargs):
        result = function(*args, **kwargs)
        stop()
        return result
    return wrapped

if point == "extracting":
    stages.extract_claims = lambda article, cfg: stop()
elif point == "clustering":
    assemble.cluster = lambda *args: stop()
elif point == "shards-written":
    write.render_card = after(write.render_card)
elif point == "manifest-written":
    write.write_manifest = after(write.write_manifest)
elif point == "before-swap":
    pipeline.swap_in = lambda staging, out: stop()
from builder.config import BuildConfig
pipeline.build(BuildConfig(raw_dir=raw, out_dir=out))
"""


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("point", ["extracting", "clustering", "shards-written", "manifest-written", "before-swap"])
def test_sigkill_leaves_the_previous_dataset_intact(tmp_path, point):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    out = tmp_path / "dist"
    build(BuildConfig(raw_dir=raw, out_dir=out))
    before = files_of(out)
    for stale in (raw / "articles").glob("004_*"):
        stale.unlink()  # so the next build would change the dataset

    marker = tmp_path / "stopped"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(raw), str(out), point, str(marker)], env=env)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, f"the build ended before reaching {point}"
            assert time.monotonic() < deadline, f"the build never reached {point}"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL

    assert files_of(out) == before
    loaded = load_dataset(str(out), cache_dir=str(tmp_path / "cache"))
    manifest = BuildManifest.model_validate_json((out / "manifest.json").read_text(encoding="utf-8"))
    assert sum(split.num_rows for split in loaded.values()) == manifest.counts.claims

    # The next build ignores and removes what the killed one left, and publishes the new dataset.
    report = build(BuildConfig(raw_dir=raw, out_dir=out))
    assert report.counts.articles_accepted == 4
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
