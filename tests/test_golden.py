"""Whole-output golden files: every published column of the seed build, its manifest, and the rejects of a small
raw folder of bad input. Regenerate on purpose with FACTPACK_UPDATE_GOLDEN=1 and review the diff: one row per line,
keys sorted, so a changed value is one changed line."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from mixed_raw import build_mixed

from conftest import rows_of

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FACTPACK_UPDATE_GOLDEN") == "1"


def compare(name: str, rows: list[dict]) -> None:
    path = GOLDEN / name
    rendered = "".join(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str) + "\n" for row in rows)
    if UPDATE:
        path.write_text(rendered, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == rendered, f"{name} changed; review, then FACTPACK_UPDATE_GOLDEN=1"


@pytest.fixture(scope="module")
def mixed_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mixed(tmp_path_factory.mktemp("mixed"))[1]


def test_seed_claims_match_the_golden_file(seed_dist):
    claims = sorted(rows_of(seed_dist, "claims"), key=lambda row: (row["article_id"], row["char_start"]))
    for row in claims:
        # The extractor's hash of the rule sources changes with any edit of them, a comment included, and would
        # change every line here; tests/test_published.py holds the whole value. Name and version stay.
        row["extractor"] = re.sub(r"\+[0-9a-f]{8}\b", "+<rules>", row["extractor"])
    compare("seed_claims.jsonl", claims)


def test_seed_articles_match_the_golden_file(seed_dist):
    rows = []
    for row in sorted(rows_of(seed_dist, "articles"), key=lambda row: row["article_id"]):
        row.pop("text")
        rows.append(row)
    compare("seed_articles.jsonl", rows)


def test_seed_speakers_match_the_golden_file(seed_dist):
    compare("seed_speakers.jsonl", rows_of(seed_dist, "speakers"))


def test_seed_manifest_matches_the_golden_file(seed_dist):
    manifest = json.loads((seed_dist / "manifest.json").read_text(encoding="utf-8"))
    # What differs between two machines that build the same raw folder correctly: the versions of Python and of the
    # packages (the keys stay: which tools are recorded is part of the output), and so the bytes of the outputs,
    # since the Parquet writer stamps its version into every shard and the card and croissant.json carry the
    # shards' sizes and hashes. tests/test_published.py checks those values against the machine and the disk.
    manifest["versions"] = dict.fromkeys(manifest["versions"], "<this machine's>")
    for entry in manifest["outputs"]:
        entry["bytes"], entry["sha256"] = "<on disk>", "<on disk>"
    compare("seed_manifest.jsonl", manifest_rows(manifest))


def manifest_rows(manifest: dict) -> list[dict]:
    """The manifest one value a line, so that a diff names what changed: each option section, count, tool and
    schema under its dotted key, each input and output file on its own line."""
    rows: list[dict] = []
    for key, value in manifest.items():
        if isinstance(value, dict):
            rows += [{f"{key}.{name}": item} for name, item in value.items()]
        elif isinstance(value, list):
            rows += [{key: item} for item in value]
        else:
            rows.append({key: value})
    return rows


def test_rejects_of_bad_input_match_the_golden_file(mixed_dist):
    lines = (mixed_dist / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
    compare("mixed_rejects.jsonl", [json.loads(line) for line in lines])
