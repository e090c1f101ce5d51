"""The one place the stages are composed.

::

    raw/articles ─ingest→ RawArticle ─clean→ CleanArticle ─validate→ ─dedupe→ Article ─extract→ Claim ──┐
                      └──────── Rejected (every problem of one input) flows alongside ───────┘  │
    all claims ─link speakers→ ─cluster→ ─split→ ─merge labels→ ─publish→ dist/  ◀──────────────┘

Per-article stages are ``stage(items, cfg) -> Iterator``; a :class:`Rejected` passes through them untouched.
The global stages (:func:`assemble`) work on the claim table; only label re-anchoring looks at article texts,
for the labels whose claim id no longer exists.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from builder.clean import clean
from builder.cluster import cluster_claims
from builder.config import BuildConfig
from builder.dedupe import Deduplicator, dedupe
from builder.engines import run_local
from builder.errors import ConfigError, InputError, InvalidArticlesError, LabelError, OutputError
from builder.ingest import file_entry, iter_raw, iter_units
from builder.labels import merge_labels, read_labels
from builder.link import link_speakers, read_curated_speakers
from builder.models import (
    Article,
    ArticleCounts,
    BuildCounts,
    BuildReport,
    Claim,
    FileEntry,
    Rejected,
    Rejection,
    Speaker,
    ValidationReport,
)
from builder.publish import write_dataset
from builder.publish.manifest import MANIFEST_NAME
from builder.publish.swap import recover, staging_folder, swap_in
from builder.split import assign_splits
from builder.validate import validate

__all__ = ["Assembled", "Extraction", "Progress", "assemble", "build", "check", "extract_all"]


@dataclass(frozen=True)
class Extraction:
    """What the per-article stages produced for a raw folder."""

    articles: list[Article]
    claims: list[Claim]
    rejections: list[Rejection]
    counts: BuildCounts
    from_cache: int = 0


Progress = Callable[[str], None]
"""Called with the source of each input as it is finished ('articles/x.txt' or 'feed.jsonl:3')."""


def _validated(cfg: BuildConfig, seen: list[FileEntry], progress: Progress | None) -> Iterator[Article | Rejected]:
    for item in dedupe(validate(clean(iter_raw(cfg.raw_dir, cfg.ingest, seen), cfg.clean), cfg.validation)):
        yield item
        if progress is not None:
            progress(item.source if isinstance(item, Rejected) else item.source_file)


def _tally(cfg: BuildConfig, accepted: int, rejected: list[Rejected]) -> tuple[ArticleCounts, list[Rejection]]:
    """Counts that reconcile, and every problem; refuses a raw folder with no input at all."""
    if accepted + len(rejected) == 0:
        raise InputError(f"{cfg.raw_dir / cfg.ingest.articles_dir}: no *.txt or *.jsonl articles found")
    rejections = [problem for item in rejected for problem in item.problems]
    counts = ArticleCounts(
        articles_seen=accepted + len(rejected),
        articles_accepted=accepted,
        articles_rejected=len(rejected),
        rejections=len(rejections),
    )
    return counts, rejections


def check(cfg: BuildConfig, progress: Progress | None = None) -> ValidationReport:
    """Ingest, clean, validate and dedupe every input, and read the curated files, without writing anything."""
    accepted = 0
    rejected: list[Rejected] = []
    for item in _validated(cfg, [], progress):
        if isinstance(item, Rejected):
            rejected.append(item)
        else:
            accepted += 1
    counts, rejections = _tally(cfg, accepted, rejected)
    read_curated_speakers(cfg.raw_dir, cfg.link)  # raises, naming the entry, when the file is bad
    _, bad_lines = read_labels(cfg.raw_dir, cfg.labels)
    return ValidationReport(counts=counts, rejections=rejections + bad_lines)


def extract_all(cfg: BuildConfig, seen: list[FileEntry] | None = None, progress: Progress | None = None) -> Extraction:
    """Run the per-article stages on the configured engine and workers, in memory; nothing is published."""
    sink: list[FileEntry] = seen if seen is not None else []
    articles: list[Article] = []
    claims: list[Claim] = []
    rejected: list[Rejected] = []
    from_cache = 0
    deduplicator = Deduplicator()
    for result in run_local(iter_units(cfg.raw_dir, cfg.ingest, sink), cfg, cfg.workers, cfg.cache_dir):
        sink.extend(result.inputs)
        from_cache += result.cached
        item = deduplicator.admit(result.item)
        if isinstance(item, Rejected):
            rejected.append(item)
        else:
            articles.append(item)
            claims.extend(result.claims)
        if progress is not None:
            progress(item.source if isinstance(item, Rejected) else item.source_file)
    counts, rejections = _tally(cfg, len(articles), rejected)
    counts = BuildCounts(**counts.model_dump(), claims=len(claims))
    return Extraction(articles, claims, rejections, counts, from_cache)


@dataclass(frozen=True)
class Assembled:
    """The whole dataset, after the global stages, ready to publish."""

    articles: list[Article]
    claims: list[Claim]
    speakers: list[Speaker]
    rejections: list[Rejection]
    counts: BuildCounts


def assemble(cfg: BuildConfig, extraction: Extraction, seen: list[FileEntry]) -> Assembled:
    """Global stages over all claims: link speakers → cluster → split → merge labels."""
    for name in (cfg.link.speakers_file, cfg.labels.labels_file):
        if (cfg.raw_dir / name).is_file():
            seen.append(file_entry(cfg.raw_dir / name, cfg.raw_dir))
    claims, speakers = link_speakers(extraction.claims, read_curated_speakers(cfg.raw_dir, cfg.link))
    claims, clusters = cluster_claims(claims, cfg.cluster)
    articles, claims, splits = assign_splits(extraction.articles, claims, cfg.split)
    labels, bad_lines = read_labels(cfg.raw_dir, cfg.labels)
    claims, merged = merge_labels(claims, articles, labels, cfg.labels)
    problems = bad_lines + merged.problems
    if problems or (merged.orphans and not cfg.labels.allow_orphans):
        raise LabelError(problems + merged.orphans)
    counts = extraction.counts.model_copy(
        update={
            "speakers": len(speakers),
            "clusters": clusters.clusters,
            "multi_claim_clusters": clusters.multi_claim_clusters,
            "cross_article_clusters": clusters.cross_article_clusters,
            "claims_per_split": splits.claims,
            "articles_per_split": splits.articles,
            "labels_merged": merged.merged,
            "labels_reanchored": merged.reanchored,
            "labels_orphaned": len(merged.orphans),
        }
    )
    return Assembled(articles, claims, speakers, extraction.rejections + merged.orphans, counts)


def _check_out(cfg: BuildConfig) -> None:
    """Refuse an output folder whose replacement would destroy something factpack did not make."""
    out, raw = cfg.out_dir.resolve(), cfg.raw_dir.resolve()
    articles = raw / cfg.ingest.articles_dir
    if out in (raw, articles) or out in raw.parents or articles in out.parents:
        raise ConfigError(
            f"{cfg.out_dir}: the output folder must not be or contain the raw folder {raw}, nor lie in its "
            f"{cfg.ingest.articles_dir}/ folder; choose another --out"
        )
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{cfg.out_dir}: exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST_NAME).is_file():
        raise ConfigError(
            f"{cfg.out_dir}: is not empty and holds no factpack dataset (no {MANIFEST_NAME}); factpack replaces only "
            "its own output, so choose another --out or empty the folder"
        )


def build(cfg: BuildConfig, progress: Progress | None = None) -> BuildReport:
    """Build the dataset folder ``cfg.out_dir`` from ``cfg.raw_dir``; the old folder stays until the new is whole."""
    _check_out(cfg)
    recover(cfg.out_dir)
    seen: list[FileEntry] = []
    extraction = extract_all(cfg, seen, progress)
    if extraction.rejections and not cfg.validation.skip_invalid:
        raise InvalidArticlesError(extraction.rejections)
    if not extraction.articles:
        raise InputError(f"{cfg.raw_dir}: every input was rejected, so there is nothing to publish")
    if not extraction.claims:
        raise InputError(
            f"{cfg.raw_dir}: no claim was found in {len(extraction.articles)} article(s), so there is nothing to "
            "publish; check that the texts hold body sentences"
        )
    result = assemble(cfg, extraction, seen)
    articles, claims, rejections, counts = result.articles, result.claims, result.rejections, result.counts
    try:
        staging = staging_folder(cfg.out_dir)
    except OSError as exc:
        raise OutputError(f"{cfg.out_dir}: cannot create a folder beside it ({exc.strerror}); check the path") from exc
    try:
        manifest = write_dataset(staging, articles, claims, result.speakers, rejections, counts, seen, cfg)
        swap_in(staging, cfg.out_dir)
    except OSError as exc:
        raise OutputError(f"{cfg.out_dir}: cannot write the dataset ({exc.strerror}); check space and rights") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return BuildReport(
        out_dir=str(Path(cfg.out_dir)),
        counts=counts,
        from_cache=extraction.from_cache,
        rejections=rejections,
        outputs=manifest.outputs,
    )
