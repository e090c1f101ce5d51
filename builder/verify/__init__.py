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

Nothing stops at the first problem: all are collected, up to ``limit``. The checks fall in three groups that share
nothing (the folder's files, card and Croissant; the values; the provenance), listed in that order; on a large
folder, with ``workers`` > 1, the second and third run in worker processes while this one runs the first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from builder.card_metadata import check_card_metadata
from builder.dataset_folder import CARD_NAME
from builder.engines.local import PARALLEL_ROWS, worker_pool
from builder.errors import DistError
from builder.models import VerifyProblem, VerifyReport
from builder.verify.card import check_card, read_card
from builder.verify.croissant import check_croissant
from builder.verify.dataset import Dataset, Problems
from builder.verify.manifest import check_manifest, read_manifest
from builder.verify.provenance import check_provenance, check_raw
from builder.verify.values import check_values

__all__ = ["verify_dataset", "verify_timed"]


@dataclass(frozen=True)
class _Found:
    """What one group of checks found, and what it checked."""

    listed: list[VerifyProblem]
    found: int
    checked: dict[str, int] = field(default_factory=dict)
    cpu_seconds: float = 0.0
    last: list[VerifyProblem] = field(default_factory=list)
    """Problems listed after every other group's (the card metadata's, sixth in the check order)."""


def _folder_checks(dist: Path, raw: Path | None, limit: int) -> _Found:
    """Manifest, card against data, Croissant, card metadata."""
    dataset, problems = Dataset.open(dist), Problems(limit)
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
    if (dist / CARD_NAME).is_file():
        configs = card.get("configs", []) if card is not None else []
        default = next((c.get("config_name") for c in configs if isinstance(c, dict) and c.get("default")), None)
        rows = sum(shard.rows or 0 for shard in dataset.of(str(default))) if default else None
        for problem in check_card_metadata((dist / CARD_NAME).read_text(encoding="utf-8", errors="replace"), rows):
            if "no YAML block" not in problem.note:  # read_card has reported that one as card-missing
                problems.add(problem.code, CARD_NAME, problem.note, field=problem.field)
    return _Found(problems.listed[:mark], problems.found, last=problems.listed[mark:])


def _value_checks(dist: Path, raw: Path | None, limit: int) -> _Found:
    """Labels, required fields, offsets, ids, references, leaks."""
    start = time.process_time()
    dataset, problems = Dataset.open(dist), Problems(limit)
    check_values(dataset, problems)
    problems.sort_since(0)
    return _Found(problems.listed, problems.found, cpu_seconds=time.process_time() - start)


def _provenance_checks(dist: Path, raw: Path | None, limit: int) -> _Found:
    """Every claim against its article's text; with ``raw``, every article against its raw file."""
    start = time.process_time()
    dataset, problems = Dataset.open(dist), Problems(limit)
    claims = check_provenance(dataset, problems)
    raw_files = check_raw(dataset, raw, problems) if raw is not None else 0
    checked = {"claims": claims, "raw_files": raw_files}
    return _Found(problems.listed, problems.found, checked, time.process_time() - start)


_GROUPS: tuple[Callable[[Path, Path | None, int], _Found], ...] = (_folder_checks, _value_checks, _provenance_checks)


def verify_dataset(dist: Path, raw: Path | None = None, limit: int = 100, workers: int = 1) -> VerifyReport:
    """Every problem of the dataset folder ``dist`` (up to ``limit``); ``raw``: the raw folder to check against;
    ``workers``: processes a large folder's checks may use."""
    return verify_timed(dist, raw, limit, workers)[0]


def verify_timed(
    dist: Path, raw: Path | None = None, limit: int = 100, workers: int = 1, pool: Executor | None = None
) -> tuple[VerifyReport, float]:
    """:func:`verify_dataset`, and the CPU seconds its worker processes spent (0.0 when it ran here alone); a large
    folder's checks use ``pool`` when one is given (the build's), else a pool of their own."""
    if not dist.is_dir():
        raise DistError(f"{dist}: no such dataset folder; build one with 'factpack build' or check the path")
    if raw is not None and not raw.is_dir():
        raise DistError(f"{raw}: no such raw folder; give the folder the dataset was built from")
    dataset = Dataset.open(dist)
    rows = sum(shard.rows or 0 for shard in dataset.shards)
    if rows >= PARALLEL_ROWS and (pool is not None or workers > 1):
        with nullcontext(pool) if pool is not None else worker_pool(min(workers, len(_GROUPS) - 1)) as shared:
            futures = [shared.submit(group, dist, raw, limit) for group in _GROUPS[1:]]
            results = [_GROUPS[0](dist, raw, limit), *(future.result() for future in futures)]
        elsewhere = sum(result.cpu_seconds for result in results[1:])
    else:
        results = [group(dist, raw, limit) for group in _GROUPS]
        elsewhere = 0.0
    listed = [problem for result in results for problem in result.listed] + results[0].last
    found = sum(result.found for result in results)
    checks = {name: count for result in results for name, count in result.checked.items()}
    checked = {
        "files": len(dataset.files),
        "shards": len(dataset.shards),
        "rows": rows,
        "claims": checks.get("claims", 0),
        "raw_files": checks.get("raw_files", 0),
    }
    report = VerifyReport(
        dist=str(dist),
        ok=found == 0,
        problems=listed[:limit],
        found=found,
        truncated=found > limit,
        checked=checked,
    )
    return report, elsewhere
