"""Fixtures of the verify tests: a writable copy of the seed dataset per test, a dataset of several shards, and
one with fact-check matches."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from builder.config import BuildConfig, PublishConfig
from builder.pipeline import build
from conftest import COLD_WAR_FACTCHECK, RAW

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


@pytest.fixture(scope="session")
def factchecked_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed dataset built with the cold-war fact-check in raw/factchecks/reviews.jsonl (tests must not modify
    it)."""
    raw = Path(shutil.copytree(RAW, tmp_path_factory.mktemp("factchecked") / "raw"))
    (raw / "factchecks").mkdir()
    (raw / "factchecks" / "reviews.jsonl").write_text(json.dumps(COLD_WAR_FACTCHECK) + "\n", encoding="utf-8")
    out = raw.parent / "dist"
    build(BuildConfig(raw_dir=raw, out_dir=out))
    return out
