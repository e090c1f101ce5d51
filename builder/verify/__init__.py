"""``factpack verify``: prove a dataset folder intact and consistent, offline, card against data, byte for byte.

Checks, in this order (codes in ``schema/verify_report.schema.json`` and the README):

1. manifest: every listed file exists with its SHA-256, size and rows; nothing unlisted; schema hashes and tool
   versions recorded;
2. card against data: the YAML ``configs`` globs match the shards, and only them; ``dataset_info`` features equal
   every shard's stored features and Arrow types; split sizes match; one schema per split;
3. Croissant: ``croissant.json`` names every shard with its hash, every column with its type, every class label;
4. values: class labels in range, required fields present, offsets ordered (a claim's resolutions too: each
   inside the claim, in order, none overlapping), ids unique, every claim's article and speaker exist, no article,
   cluster or match group in two splits, no URL with a credential in any string (nor in the card,
   ``rejects.jsonl``, ``croissant.json`` or the manifest); every ``matches`` pair two claims of its group and split,
   in order, listed once, every claim of a match group linked by a pair, each group's id its smallest claim id;
   every ``factcheck_matches`` row a claim's, in its split, each claim's ranks 1, 2, … n (:mod:`.matches`);
5. provenance: every claim, context, cue, selector and resolution mention is the article text at its offsets,
   every resolution's antecedent a span of it, every ``standalone`` the claim's text with its resolutions
   applied; with ``raw``, every article is its raw file byte for byte;
6. card metadata: the Hub's vocabularies (license, languages, task categories, size category), no repeated key.

Nothing stops at the first problem: all are collected, up to ``limit``. The checks fall in three groups, listed in
that order: the folder's files, card and Croissant; the values; the provenance. Values and provenance are checked
shard by shard (the articles' and speakers' values first, into the index the claims shards are checked against;
then each claims shard, and each shard of the matches configs; then what spans shards: unique ids, clusters and
match groups in one split, the matches against the claims), each shard's check counting
its own problems, so that the report is the same whether the shards are checked here, one after the other, or,
on a large folder with ``workers`` > 1 (or the build's pool), by worker processes while this one checks the
folder.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.cache import Cache
from builder.card_metadata import check_card_metadata
from builder.dataset_folder import CARD_NAME
from builder.engines.local import PARALLEL_ROWS, worker_pool
from builder.errors import DistError, OutputError
from builder.files import FRESH_NS, Stamp, stamp, write_atomic
from builder.models import VerifyProblem, VerifyReport
from builder.verify.card import check_card, read_card
from builder.verify.credentials import check_file_credentials
from builder.verify.croissant import check_croissant
from builder.verify.dataset import Dataset, Problems, Shard
from builder.verify.manifest import check_manifest, read_manifest
from builder.verify.matches import PairKeys, RankKeys, check_matches_across, check_pair_shard, check_rank_shard
from builder.verify.provenance import check_shard_provenance, check_shard_raw, provenance_order
from builder.verify.values import ClaimKeys, Index, check_across_shards, check_claim_shard, check_index

__all__ = ["verify_dataset", "verify_timed"]


@dataclass(frozen=True)
class _Found:
    """What one check (a group, or one shard's) found, and what it checked or collected for a check across shards."""

    listed: list[VerifyProblem]
    found: int
    checked: dict[str, int] = field(default_factory=dict)
    cpu_seconds: float = 0.0
    last: list[VerifyProblem] = field(default_factory=list)
    """Problems listed after every other group's (the card metadata's, sixth in the check order)."""
    keys: ClaimKeys | PairKeys | RankKeys | None = None
    raw_files: frozenset[str] = frozenset()


def _folder_checks(dataset: Dataset, raw: Path | None, limit: int) -> _Found:
    """Manifest, card against data, Croissant, card metadata."""
    dist, problems = dataset.root, Problems(limit)
    manifest = read_manifest(dataset, problems)
    if manifest is not None:
        check_manifest(dataset, manifest, problems)
    mark = len(problems.listed)
    card = read_card(dataset, problems)
    if card is not None:
        check_card(dataset, card, problems)
    problems.sort_since(mark)
    check_croissant(dataset, problems)
    check_file_credentials(dataset, problems)
    mark = len(problems.listed)
    if (dist / CARD_NAME).is_file():
        configs = card.get("configs", []) if card is not None else []
        default = next((c.get("config_name") for c in configs if isinstance(c, dict) and c.get("default")), None)
        rows = sum(shard.rows or 0 for shard in dataset.of(str(default))) if default else None
        for problem in check_card_metadata((dist / CARD_NAME).read_text(encoding="utf-8", errors="replace"), rows):
            if "no YAML block" not in problem.note:  # read_card has reported that one as card-missing
                problems.add(problem.code, CARD_NAME, problem.note, field=problem.field)
    return _Found(problems.listed[:mark], problems.found, last=problems.listed[mark:])


def _shard(dataset: Dataset, name: str) -> Shard:
    return next(shard for shard in dataset.shards if shard.name == name)


def _index_checks(dist: Path, limit: int, reuse: _Reuse | None = None) -> tuple[_Found, Index]:
    """Values of the articles and speakers shards; the index the claims shards are checked against."""
    start, problems = time.process_time(), Problems(limit)
    dataset = Dataset.open(dist)
    shards = [*dataset.of("articles"), *dataset.of("speakers")]
    checked = frozenset(s.name for s in shards if reuse is not None and reuse.found_clean(_TABLE, s.name))
    index = check_index(dataset, problems, checked)
    if reuse is not None and problems.found == 0:
        for shard in shards:
            reuse.keep(_TABLE, shard.name, {"rows": shard.rows})
    return _Found(problems.listed, problems.found, cpu_seconds=time.process_time() - start), index


def _claim_value_checks(
    dist: Path, limit: int, name: str, base: int, index: Index, reuse: _Reuse | None = None
) -> _Found:
    """Values of one claims shard; with ``reuse``, those of its table alone are skipped when its bytes were found
    clean before."""
    start, problems = time.process_time(), Problems(limit)
    shard = _shard(Dataset.open(dist), name)
    checked = reuse is not None and reuse.found_clean(_TABLE, name)
    keys = check_claim_shard(shard, base, index, problems, checked)
    if reuse is not None and problems.found == 0:
        reuse.keep(_TABLE, name, {"rows": shard.rows})
    return _Found(problems.listed, problems.found, cpu_seconds=time.process_time() - start, keys=keys)


def _match_value_checks(dist: Path, limit: int, name: str, base: int) -> _Found:
    """Values of one shard of the matches or the factcheck_matches config."""
    start, problems = time.process_time(), Problems(limit)
    shard = _shard(Dataset.open(dist), name)
    check = check_pair_shard if shard.config == "matches" else check_rank_shard
    keys = check(shard, base, problems)
    return _Found(problems.listed, problems.found, cpu_seconds=time.process_time() - start, keys=keys)


_TABLE, _PROVENANCE, _RAW = "table", "provenance", "raw"
"""What a kept record says was found clean: a shard's values, its claims' texts, its articles' raw files."""


@dataclass(frozen=True)
class _Reuse:
    """What lets a build's verify skip the checks a shard's bytes alone decide: where the shards found clean are
    kept (a record per check and shard), and the SHA-256 of every shard of the folder being checked."""

    folder: Path
    hashes: dict[str, str]

    def _path(self, check: str, name: str) -> Path:
        # Cache.key holds the package's fingerprint: what one version of the checks found clean, another checks.
        key = Cache.key(["verify", check, name.split("/")[0], self.hashes[name]])
        return self.folder / key[:2] / f"{key}.json"

    def found(self, check: str, name: str) -> dict[str, Any] | None:
        """What was kept when ``check`` found these bytes clean, or None."""
        try:
            kept = json.loads(self._path(check, name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return kept if isinstance(kept, dict) else None

    def found_clean(self, check: str, name: str) -> bool:
        return self.found(check, name) is not None

    def keep(self, check: str, name: str, record: dict[str, Any]) -> None:
        with contextlib.suppress(OutputError):  # a cache never fails a check
            write_atomic(self._path(check, name), [json.dumps(record)])


def _provenance_checks(dist: Path, limit: int, name: str, reuse: _Reuse | None = None) -> _Found:
    """Every claim of one claims shard against its article's text; with ``reuse``, taken as clean when these
    bytes were found clean before against article shards that are all in this split still."""
    start, problems = time.process_time(), Problems(limit)
    dataset = Dataset.open(dist)
    shard = _shard(dataset, name)
    if reuse is not None:
        kept = reuse.found(_PROVENANCE, name) or {}
        checked, needed = kept.get("claims"), kept.get("articles")
        present = {reuse.hashes[other.name] for other in dataset.of("articles", shard.split)}
        if (
            isinstance(checked, int)
            and isinstance(needed, list)
            and all(isinstance(h, str) and h in present for h in needed)
        ):
            return _Found([], 0, {"claims": checked}, time.process_time() - start)
    read: set[str] = set()
    claims = check_shard_provenance(dataset, shard, problems, read)
    # Only a shard all of whose claims were checked, and found right: one naming an article that is not there
    # (which the values check reports) must be checked again when it appears.
    if reuse is not None and problems.found == 0 and claims == shard.rows:
        reuse.keep(_PROVENANCE, name, {"claims": claims, "articles": sorted(reuse.hashes[other] for other in read)})
    return _Found(problems.listed, problems.found, {"claims": claims}, time.process_time() - start)


def _raw_checks(dist: Path, limit: int, name: str, raw: Path, reuse: _Reuse | None = None) -> _Found:
    """Every article of one articles shard against its raw file; with ``reuse``, taken as clean when these bytes
    were found clean before against the same raw folder's files, each with the stamp it has now (:data:`Stamp`:
    as ``git`` trusts its index, a file whose size, times and inode did not move is not read again)."""
    start, problems = time.process_time(), Problems(limit)
    where = str(raw.resolve())
    if reuse is not None:
        unmoved = _unmoved(reuse.found(_RAW, name), where, raw)
        if unmoved is not None:
            return _Found([], 0, cpu_seconds=time.process_time() - start, raw_files=unmoved)
    shard, stamps, stamped_ns = _shard(Dataset.open(dist), name), dict[str, Stamp](), time.time_ns()
    checked = check_shard_raw(shard, raw, problems, stamps)
    # Only stamps that vouch for the bytes read: none of a file changed just before (a second edit within the
    # clock's tick leaves the stamp as it was).
    settled = all(found[2] < stamped_ns - FRESH_NS for found in stamps.values())
    if reuse is not None and problems.found == 0 and shard.error is None and settled:
        reuse.keep(_RAW, name, {"raw": where, "files": [[file, *found] for file, found in sorted(stamps.items())]})
    return _Found(
        problems.listed, problems.found, cpu_seconds=time.process_time() - start, raw_files=frozenset(checked)
    )


def _unmoved(kept: dict[str, Any] | None, where: str, raw: Path) -> frozenset[str] | None:
    """The raw files a kept record of a clean shard names, when it is of the raw folder at ``where`` and each of
    them has the stamp recorded; else None."""
    if kept is None or kept.get("raw") != where or not isinstance(kept.get("files"), list):
        return None
    files: set[str] = set()
    try:
        for file, *recorded in kept["files"]:
            if stamp((raw / file).stat()) != tuple(recorded):
                return None
            files.add(file)
    except (OSError, TypeError, ValueError):
        return None
    return frozenset(files)


def _merged(found: list[_Found], limit: int) -> Problems:
    """The problems of checks run one after the other, as one check would have listed and counted them."""
    problems = Problems(limit)
    for item in found:
        problems.listed += item.listed[: max(0, limit - len(problems.listed))]
        problems.found += item.found
    return problems


class _Inline:
    """Runs a check here, at once, where a pool would run it in a worker."""

    def submit(self, check: Callable[..., Any], *args: Any) -> Future[Any]:
        done: Future[Any] = Future()
        done.set_result(check(*args))
        return done


def _checks(
    dataset: Dataset, raw: Path | None, limit: int, pool: Executor | _Inline, reuse: _Reuse | None = None
) -> tuple[tuple[_Found, _Found, _Found], float]:
    """The three groups' findings (folder, values, provenance), their shards' checks run by ``pool``; and the
    CPU seconds those took. The folder's checks run here meanwhile; the claims shards' values wait for the index
    of the articles and speakers, the matches configs' values for nothing."""
    dist = dataset.root
    claims = dataset.of("claims")
    index_job = pool.submit(_index_checks, dist, limit, reuse)
    provenance_jobs = [
        pool.submit(_provenance_checks, dist, limit, shard.name, reuse) for shard in provenance_order(dataset)
    ]
    raw_jobs = (
        []
        if raw is None
        else [pool.submit(_raw_checks, dist, limit, s.name, raw, reuse) for s in dataset.of("articles")]
    )
    match_jobs = []
    for config in ("matches", "factcheck_matches"):
        shards = dataset.of(config)
        bases = itertools.accumulate([shard.rows or 0 for shard in shards], initial=0)
        match_jobs += [
            pool.submit(_match_value_checks, dist, limit, shard.name, base)
            for shard, base in zip(shards, bases, strict=False)
        ]
    folder = _folder_checks(dataset, raw, limit)
    indexed, index = index_job.result()
    bases = itertools.accumulate([shard.rows or 0 for shard in claims], initial=0)
    value_jobs = [
        pool.submit(_claim_value_checks, dist, limit, shard.name, base, index, reuse)
        for shard, base in zip(claims, bases, strict=False)
    ]
    values_found = [indexed, *(job.result() for job in value_jobs), *(job.result() for job in match_jobs)]
    provenance_found = [job.result() for job in provenance_jobs]
    raw_found = [job.result() for job in raw_jobs]

    values = _merged(values_found, limit)
    claim_keys = [item.keys for item in values_found if isinstance(item.keys, ClaimKeys)]
    check_across_shards(claim_keys, values)
    pair_keys = [item.keys for item in values_found if isinstance(item.keys, PairKeys)]
    rank_keys = [item.keys for item in values_found if isinstance(item.keys, RankKeys)]
    check_matches_across(claim_keys, pair_keys, rank_keys, values)
    values.sort_since(0)
    provenance = _merged(provenance_found + raw_found, limit)
    checked = {
        "claims": sum(item.checked.get("claims", 0) for item in provenance_found),
        "raw_files": len(frozenset().union(*(item.raw_files for item in raw_found))),
    }
    cpu = sum(item.cpu_seconds for item in [*values_found, *provenance_found, *raw_found])
    return (
        folder,
        _Found(values.listed, values.found),
        _Found(provenance.listed, provenance.found, checked),
    ), cpu


def verify_dataset(dist: Path, raw: Path | None = None, limit: int = 100, workers: int = 1) -> VerifyReport:
    """Every problem of the dataset folder ``dist`` (up to ``limit``); ``raw``: the raw folder to check against;
    ``workers``: processes a large folder's checks may use."""
    return verify_timed(dist, raw, limit, workers)[0]


def verify_timed(
    dist: Path,
    raw: Path | None = None,
    limit: int = 100,
    workers: int = 1,
    pool: Executor | None = None,
    kept: Path | None = None,
) -> tuple[VerifyReport, float]:
    """:func:`verify_dataset`, and the CPU seconds its worker processes spent (0.0 when it ran here alone); a large
    folder's checks use ``pool`` when one is given (the build's), else a pool of their own. With ``kept`` (a
    build's cache folder), what this version of the checks found clean in a shard's bytes before is not checked
    again: a table's values; a claims shard's texts, against article shards this folder still has; an articles
    shard's raw files, when their stamps did not move. A shard found clean now is kept there."""
    if not dist.is_dir():
        raise DistError(f"{dist}: no such dataset folder; build one with 'factpack build' or check the path")
    if raw is not None and not raw.is_dir():
        raise DistError(f"{raw}: no such raw folder; give the folder the dataset was built from")
    dataset = Dataset.open(dist)
    rows = sum(shard.rows or 0 for shard in dataset.shards)
    reuse = (
        None
        if kept is None
        else _Reuse(kept, {shard.name: dataset.entry(shard.name).sha256 for shard in dataset.shards})
    )
    if rows >= PARALLEL_ROWS and (pool is not None or workers > 1):
        with nullcontext(pool) if pool is not None else worker_pool(workers) as shared:
            found, elsewhere = _checks(dataset, raw, limit, shared, reuse)
    else:
        found, _ = _checks(dataset, raw, limit, _Inline(), reuse)
        elsewhere = 0.0
    folder, values, provenance = found
    listed = folder.listed + values.listed + provenance.listed + folder.last
    total = folder.found + values.found + provenance.found
    checked = {
        "files": len(dataset.files),
        "shards": len(dataset.shards),
        "rows": rows,
        "claims": provenance.checked.get("claims", 0),
        "raw_files": provenance.checked.get("raw_files", 0),
    }
    report = VerifyReport(
        dist=str(dist), ok=total == 0, problems=listed[:limit], found=total, truncated=total > limit, checked=checked
    )
    return report, elsewhere
