"""Whole-output golden files for the seed build. Regenerate on purpose with FACTPACK_UPDATE_GOLDEN=1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FACTPACK_UPDATE_GOLDEN") == "1"


def compare(name: str, rows: list[dict]) -> None:
    path = GOLDEN / name
    rendered = "".join(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str) + "\n" for row in rows)
    if UPDATE:
        path.write_text(rendered, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == rendered, f"{name} changed; review, then FACTPACK_UPDATE_GOLDEN=1"


def test_seed_claims_match_the_golden_file(seed_dist):
    table = pq.read_table(seed_dist / "claims" / "train-00000-of-00001.parquet")
    keep = ("claim_id", "article_id", "char_start", "char_end", "sentence_index", "paragraph_index", "text")
    compare("seed_claims.jsonl", [{k: row[k] for k in keep} for row in table.to_pylist()])


def test_seed_articles_match_the_golden_file(seed_dist):
    table = pq.read_table(seed_dist / "articles" / "train-00000-of-00001.parquet")
    rows = []
    for row in table.to_pylist():
        row.pop("text")
        rows.append(row)
    compare("seed_articles.jsonl", rows)
