"""Fixtures of the verify tests: a writable copy of the seed dataset per test, a dataset of several shards, and
one with fact-check matches."""

from __future__ import annotations

import json
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


REVIEW = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/cold-war",
    "claimReviewed": "Even in the cold war Norway had a working relationship with Russia on many issues",
    "reviewRating": {"alternateName": "True"},
    "itemReviewed": {"author": {"name": "Jens Stoltenberg"}},
}
"""A published fact-check of the seed's cold-war claim: the seed built with it has a factcheck_matches config."""


@pytest.fixture(scope="session")
def factchecked_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed dataset built with :data:`REVIEW` in raw/factchecks/reviews.jsonl (tests must not modify it)."""
    raw = Path(shutil.copytree(RAW, tmp_path_factory.mktemp("factchecked") / "raw"))
    (raw / "factchecks").mkdir()
    (raw / "factchecks" / "reviews.jsonl").write_text(json.dumps(REVIEW) + "\n", encoding="utf-8")
    out = raw.parent / "dist"
    build(BuildConfig(raw_dir=raw, out_dir=out))
    return out
