"""``factpack verify``: prove a dataset folder intact and consistent, offline, card against data, byte for byte.

Checks, in this order (codes in ``schema/verify_report.schema.json`` and the README):

1. manifest: every listed file exists with its SHA-256, size and rows; nothing unlisted; schema hashes and tool
   versions recorded;
2. card against data: the YAML ``configs`` globs match the shards, and only them; ``dataset_info`` features equal
   every shard's stored features and Arrow types; split sizes match; one schema per split;
3. Croissant: ``croissant.json`` names every shard with its hash, every column with its type, every class label;
4. values: class labels in range, required fields present, offsets ordered, ids unique, every claim's article
   and speaker exist, no article or cluster in two splits;
5. provenance: every claim, context, cue and selector is the article text at its offsets; with ``raw``, every
   article is its raw file byte for byte;
6. card metadata: the Hub's vocabularies (license, languages, task categories, size category), no repeated key.

Nothing stops at the first problem: all are collected, up to ``limit``.
"""

from __future__ import annotations

from pathlib import Path

from builder.card_metadata import check_card_metadata
from builder.dataset_folder import CARD_NAME
from builder.errors import DistError
from builder.models import VerifyReport
from builder.verify.card import check_card, read_card
from builder.verify.croissant import check_croissant
from builder.verify.dataset import Dataset, Problems
from builder.verify.manifest import check_manifest, read_manifest
from builder.verify.provenance import check_provenance, check_raw
from builder.verify.values import check_values

__all__ = ["verify_dataset"]


def verify_dataset(dist: Path, raw: Path | None = None, limit: int = 100) -> VerifyReport:
    """Every problem of the dataset folder ``dist`` (up to ``limit``); ``raw``: the raw folder to check against."""
    if not dist.is_dir():
        raise DistError(f"{dist}: no such dataset folder; build one with 'factpack build' or check the path")
    if raw is not None and not raw.is_dir():
        raise DistError(f"{raw}: no such raw folder; give the folder the dataset was built from")
    dataset = Dataset.open(dist)
    problems = Problems(limit)
    manifest = read_manifest(dataset, problems)
    if manifest is not None:
        check_manifest(dataset, manifest, problems)
    mark = len(problems.listed)
    card = read_card(dataset, problems)
    if card is not None:
        check_card(dataset, card, problems)
    problems.sort_since(mark)
    check_croissant(dataset, problems)
    mark = len(problems.listed)
    index = check_values(dataset, problems)
    problems.sort_since(mark)
    claims = check_provenance(dataset, index, problems)
    raw_files = check_raw(dataset, raw, problems) if raw is not None else 0
    if (dist / CARD_NAME).is_file():
        configs = card.get("configs", []) if card is not None else []
        default = next((c.get("config_name") for c in configs if isinstance(c, dict) and c.get("default")), None)
        rows = sum(shard.rows or 0 for shard in dataset.of(str(default))) if default else None
        for problem in check_card_metadata((dist / CARD_NAME).read_text(encoding="utf-8", errors="replace"), rows):
            if "no YAML block" not in problem.note:  # read_card has reported that one as card-missing
                problems.add(problem.code, CARD_NAME, problem.note, field=problem.field)
    checked = {
        "files": len(dataset.files),
        "shards": len(dataset.shards),
        "rows": sum(shard.rows or 0 for shard in dataset.shards),
        "claims": claims,
        "raw_files": raw_files,
    }
    return VerifyReport(
        dist=str(dist),
        ok=problems.found == 0,
        problems=problems.listed,
        found=problems.found,
        truncated=problems.full,
        checked=checked,
    )
