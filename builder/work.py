"""The per-article work: one unit through ingest → clean → validate → extract, cached when a cache is given.

A pure function of the unit, the options and the bytes on disk, so it can run in any process (see
:mod:`builder.engines`) and its results can be cached (:mod:`builder.cache`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.cache import Cache, CachedResult
from builder.clean import clean_article
from builder.config import BuildConfig
from builder.extract import extract_claims, extractor_id
from builder.ingest import Unit, read_unit
from builder.models import Article, Claim, FileEntry, Rejected
from builder.validate import validate_article

__all__ = ["UnitResult", "process_unit", "process_units"]


@dataclass(frozen=True)
class UnitResult:
    """The article (or its problems), its claims, the files read, and whether it came from the cache."""

    item: Article | Rejected
    claims: list[Claim]
    inputs: list[FileEntry]
    cached: bool


def _per_article_options(cfg: BuildConfig) -> dict[str, object]:
    options = cfg.options()
    return {name: options[name] for name in ("ingest", "clean", "validation", "extract")}


def process_unit(unit: Unit, cfg: BuildConfig, cache_dir: Path | None) -> UnitResult:
    inputs: list[FileEntry] = []
    raw = read_unit(unit, cfg.raw_dir, cfg.ingest, inputs)
    cache = Cache(cache_dir) if cache_dir is not None else None
    key = ""
    if cache is not None:
        key = Cache.key(
            [extractor_id(), _per_article_options(cfg), unit.kind, unit.rel, unit.line]
            + [entry.sha256 for entry in inputs]
            + ([Cache.key([unit.payload.hex()])] if unit.kind == "jsonl" else [])
        )
        hit = cache.load(key)
        if hit is not None:
            return UnitResult(hit.item, hit.claims, inputs, cached=True)
    if isinstance(raw, Rejected):
        item: Article | Rejected = raw
        claims: list[Claim] = []
    else:
        item = validate_article(clean_article(raw, cfg.clean))
        claims = list(extract_claims(item, cfg.extract)) if isinstance(item, Article) else []
    if cache is not None and isinstance(item, Article):
        # Rejections are not cached: they are cheap to find again, and some depend on the day (future dates).
        cache.store(key, CachedResult(item, claims))
    return UnitResult(item, claims, inputs, cached=False)


def process_units(units: list[Unit], cfg: BuildConfig, cache_dir: Path | None) -> list[UnitResult]:
    """A batch of units, for an engine that ships work in batches to amortise the hand-over."""
    return [process_unit(unit, cfg, cache_dir) for unit in units]
