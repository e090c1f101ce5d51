"""A build killed with SIGKILL at any point leaves the previous dataset byte-identical and loadable."""

from __future__ import annotations

import signal

import pytest
from datasets import load_dataset

import stopped_build
from builder.config import BuildConfig
from builder.models import BuildManifest
from builder.pipeline import build
from conftest import files_of, previous_dataset


@pytest.mark.parametrize("point", ["extracting", "clustering", "shards-written", "manifest-written", "before-swap"])
def test_sigkill_leaves_the_previous_dataset_intact(tmp_path, point):
    raw, out, before = previous_dataset(tmp_path)

    marker = tmp_path / "stopped"
    child = stopped_build.start(raw, out, point, marker)
    child.send_signal(signal.SIGKILL)
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
