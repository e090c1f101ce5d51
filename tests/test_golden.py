"""Whole-output golden files for the seed build. Regenerate on purpose with FACTPACK_UPDATE_GOLDEN=1."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import rows_of

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FACTPACK_UPDATE_GOLDEN") == "1"


def compare(name: str, rows: list[dict]) -> None:
    path = GOLDEN / name
    rendered = "".join(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str) + "\n" for row in rows)
    if UPDATE:
        path.write_text(rendered, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == rendered, f"{name} changed; review, then FACTPACK_UPDATE_GOLDEN=1"


def test_seed_claims_match_the_golden_file(seed_dist):
    keep = ("claim_id", "article_id", "claim_type", "char_start", "char_end", "speaker", "speaker_id", "cue")
    keep += ("cluster_id", "split", "sentence_index", "paragraph_index", "check_worthiness", "text")
    claims = sorted(rows_of(seed_dist, "claims"), key=lambda row: (row["article_id"], row["char_start"]))
    compare("seed_claims.jsonl", [{k: row[k] for k in keep} for row in claims])


def test_seed_articles_match_the_golden_file(seed_dist):
    rows = []
    for row in sorted(rows_of(seed_dist, "articles"), key=lambda row: row["article_id"]):
        row.pop("text")
        rows.append(row)
    compare("seed_articles.jsonl", rows)


def test_seed_speakers_match_the_golden_file(seed_dist):
    compare("seed_speakers.jsonl", rows_of(seed_dist, "speakers"))
