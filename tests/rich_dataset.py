"""A second seed dataset for the exports and the labels: the repository's raw/ plus what the seed lacks.

It adds a curated Wikidata QID (for ``sameAs``), an article whose text has characters outside the Basic
Multilingual Plane before and inside its claims (for Label Studio's UTF-16 offsets), and a curator's label (for
pre-filled tasks). Built once per session; tests must not modify it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from builder.config import BuildConfig
from builder.models import Split
from builder.pipeline import build
from conftest import RAW, write_article

EMOJI_ARTICLE = "005_emoji"
EMOJI_TEXT = """Ukraine 🇺🇦 and Poland 🇵🇱 agree on grain transit

WARSAW, March 3. Ukraine and Poland agreed on Friday to reopen grain transit through three border crossings.

"We have agreed on 3 points 😀 and we will meet again on 10 March," Foreign Minister Dmytro Kuleba said.

After the talks in 𝕎arsaw 🤝, Kuleba said the crossings would handle 1.2 million tonnes a month.
"""
EMOJI_SIDECAR = {
    "title": "Ukraine 🇺🇦 and Poland 🇵🇱 agree on grain transit",
    "outlet": "Example Wire",
    "url": "https://example.org/wire/005",
    "published": "2023-03-03",
    "language": "en",
}
QUOTE = "We have agreed on 3 points 😀 and we will meet again on 10 March,"
STOLTENBERG_QID = "Q57658"
QUOTE_LABEL = {
    "selector": {"article": f"{EMOJI_ARTICLE}.txt", "exact": QUOTE, "prefix": '\n\n"', "suffix": '" Foreign Minister'},
    "verdict": "accurate",
    "check_worthy": True,
    "correction": "three points 😀, not 3",
}


@pytest.fixture(scope="session")
def rich_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("rich") / "raw"
    shutil.copytree(RAW, raw)
    write_article(raw, EMOJI_ARTICLE, EMOJI_TEXT, json.dumps(EMOJI_SIDECAR, ensure_ascii=False))
    speakers = [{"name": "Jens Stoltenberg", "aliases": [], "qid": STOLTENBERG_QID}]
    (raw / "speakers.json").write_text(json.dumps(speakers), encoding="utf-8")
    (raw / "labels.jsonl").write_text(json.dumps(QUOTE_LABEL, ensure_ascii=False) + "\n", encoding="utf-8")
    return raw


@pytest.fixture(scope="session")
def rich_dist(rich_raw: Path) -> Path:
    out = rich_raw.parent / "dist"
    build(BuildConfig(raw_dir=rich_raw, out_dir=out))
    return out


def claims_in_order(dist: Path) -> list[dict[str, Any]]:
    """Claim rows split by split (train, validation, test), each in row order: the order exports keep."""
    rows = []
    for split in Split:
        for shard in sorted((dist / "claims").glob(f"{split.value}-*.parquet")):
            rows += pq.read_table(shard).to_pylist()
    return rows
