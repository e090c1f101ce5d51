"""Fixtures of the verify tests: a writable copy of the seed dataset per test, and a dataset of several shards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.config import BuildConfig, PublishConfig
from builder.pipeline import build
from conftest import RAW

SHARD_ROWS = 30
"""Rows per shard of ``sharded_dist``: the 69 train claims of the seed become three shards."""


@pytest.fixture
def dist(seed_dist: Path, tmp_path: Path) -> Path:
    """A writable copy of the seed dataset, to corrupt."""
    return Path(shutil.copytree(seed_dist, tmp_path / "dist"))


@pytest.fixture(scope="session")
def sharded_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed dataset built with at most 30 rows per shard (tests must not modify it)."""
    out = tmp_path_factory.mktemp("sharded") / "dist"
    build(BuildConfig(raw_dir=RAW, out_dir=out, publish=PublishConfig(max_shard_rows=SHARD_ROWS)))
    return out
