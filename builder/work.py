"""The per-article work: one unit read by its format, then folded through :data:`~builder.stages.STAGES`,
cached when a cache is given.

A pure function of the unit, the options and the bytes on disk, so it can run in any process (see
:mod:`builder.engines`) and its results can be cached (:mod:`builder.cache`): the key is the extractor, the
per-article options, the unit's place, the hash of every file it read and of what its listing read (its
``payload``). An accepted article leaves the worker :class:`~builder.packed.Packed`; a rejected one, its
problems, and what the URL rule took out of its URL (:mod:`builder.urls`), for the build report and the card.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.cache import Cache
from builder.config import BuildConfig
from builder.extract import extractor_id
from builder.extract.worthiness_model import model_in
from builder.ingest import Unit, read_unit
from builder.kept import KeptRef, KeySet, kept_keys
from builder.models import FileEntry, RawArticle, Rejected, Rejection
from builder.packed import Packed
from builder.stages import PER_ARTICLE_SECTIONS, dropping, run_kept
from builder.timings import Clock, Spent
from builder.urls import NOTHING, Found
from builder.validate import curated_metadata

if TYPE_CHECKING:
    pass

__all__ = ["UnitResult", "process_unit", "process_units", "result_from_row", "result_row"]


@dataclass(frozen=True)
class UnitResult:
    """The packed article or its problems, the files read, and whether it came from the cache."""

    source: str
    packed: Packed | None
    rejected: Rejected | None
    inputs: list[FileEntry]
    cached: bool
    timings: tuple[Spent, ...] = field(default=(), compare=False)
    """What each per-article stage cost this unit, in the worker that ran it (not part of the result's value)."""
    credentials: Found = NOTHING
    """What the URL rule took out of the accepted article's URL (nothing for a rejected one): names, no value."""
    dropped: tuple[Rejection, ...] = ()
    """The accepted article's metadata fields dropped for an invalid value (``--drop-bad-metadata``), one problem
    each, marked ``kept``."""
    key: str = ""
    """The accepted article's cache key (the code, its options and every byte it read: what fixes the packed
    bytes), or "" when it is not cached; the spool identifies the article's rows by it."""
    kept: bool = False
    """The kept spool the build named holds this key's rows (:mod:`builder.kept`): ``packed`` is None and the
    driver copies them from there."""


def result_row(result: UnitResult) -> dict[str, Any]:
    """A result as plain values (bytes, strings, a bool), for an engine that carries results in Arrow tables."""
    packed, rejected = result.packed, result.rejected
    return {
        "source": result.source,
        "article": packed.article if packed else None,
        "claims": packed.claims if packed else None,
        "sketch": packed.sketch if packed else None,
        "summary": packed.summary if packed else None,
        "rejected": None if rejected is None else json.dumps([p.model_dump(mode="json") for p in rejected.problems]),
        "inputs": json.dumps([entry.model_dump(mode="json") for entry in result.inputs]),
        "cached": result.cached,
        "timings": json.dumps(result.timings),
        "credentials": json.dumps([result.credentials.login, result.credentials.parameters]),
        "dropped": json.dumps([problem.model_dump(mode="json") for problem in result.dropped]),
        "key": result.key,
        "kept": result.kept,
    }


def result_from_row(row: Mapping[str, Any]) -> UnitResult:
    """The inverse of :func:`result_row`."""
    packed = (
        Packed(row["article"], row["claims"], row["sketch"], row["summary"]) if row["article"] is not None else None
    )
    rejected = None
    if row["rejected"] is not None:
        problems = tuple(Rejection.model_validate(problem) for problem in json.loads(row["rejected"]))
        rejected = Rejected(source=row["source"], problems=problems)
    inputs = [FileEntry.model_validate(entry) for entry in json.loads(row["inputs"])]
    timings = tuple((name, wall, cpu) for name, wall, cpu in json.loads(row["timings"]))
    login, parameters = json.loads(row["credentials"])
    credentials = Found(login, tuple(parameters)) if login or parameters else NOTHING
    dropped = tuple(Rejection.model_validate(problem) for problem in json.loads(row["dropped"]))
    return UnitResult(
        row["source"],
        packed,
        rejected,
        inputs,
        bool(row["cached"]),
        timings,
        credentials,
        dropped,
        row["key"],
        bool(row["kept"]),
    )


def _per_article_options(cfg: BuildConfig) -> dict[str, object]:
    """The options that shape a per-article result: the sections the reader and the stages declare."""
    options = cfg.options()
    return {name: options[name] for name in PER_ARTICLE_SECTIONS}


def _extractor(cfg: BuildConfig) -> str:
    """The extractor id the claims will carry: the rules', with the fitted model's hash when the raw folder has
    one (so a new model misses the cache)."""
    model = model_in(cfg.raw_dir / cfg.extract.worthiness_model)
    return extractor_id(None if model is None else model.sha256)


@dataclass(frozen=True)
class _Batch:
    """What every unit of a batch shares: the start of its cache key, and the kept spool's keys."""

    key_start: tuple[str, dict[str, object]]
    kept: KeySet | None


def _batch(cfg: BuildConfig, kept_in: KeptRef | None) -> _Batch:
    return _Batch((_extractor(cfg), _per_article_options(cfg)), None if kept_in is None else kept_keys(kept_in))


def process_unit(
    unit: Unit, cfg: BuildConfig, cache_dir: Path | None, kept_in: KeptRef | None = None, batch: _Batch | None = None
) -> UnitResult:
    """One unit's result; with a cache, a unit whose key the kept spool in ``kept_in`` holds is handed back as its
    key alone (``kept``), and one the cache holds is read from it. ``batch``: what its batch shares, when
    :func:`process_units` has it."""
    clock = Clock()
    inputs: list[FileEntry] = []
    with clock("read"):
        raw = read_unit(unit, cfg.raw_dir, cfg.ingest, inputs)
    source = unit.rel if unit.line is None else f"{unit.rel}:{unit.line}"
    kept, dropped = dropping(raw, cfg)
    # An input read with problems (a sidecar that cannot be read adds no hash) would share the key of the article
    # without them: it is neither looked up nor stored, and is rejected afresh every time. One with dropped fields
    # is not cached either: its field problems are found afresh and reported by every build, warm or cold.
    readable = isinstance(raw, RawArticle) and not raw.problems and not dropped
    cache = Cache(cache_dir) if cache_dir is not None and readable else None
    key = ""
    if cache is not None:
        with clock("cache"):
            shared = batch or _batch(cfg, kept_in)
            key = Cache.key(
                [*shared.key_start, unit.format, unit.rel, unit.line]
                + [entry.sha256 for entry in inputs]
                + ([Cache.key([unit.payload.hex()])] if unit.payload else [])
            )
            spooled = shared.kept is not None and bytes.fromhex(key) in shared.kept
            hit = None if spooled else cache.load(key)
        if spooled:
            return UnitResult(source, None, None, inputs, True, clock.items(), _stripped(raw), key=key, kept=True)
        if hit is not None and len(hit) == len(Packed.__dataclass_fields__):
            return UnitResult(source, Packed(*hit), None, inputs, True, clock.items(), _stripped(raw), key=key)
    packed, dropped = run_kept(raw, kept, dropped, cfg, clock=clock)
    if isinstance(packed, Rejected):
        return UnitResult(packed.source, None, packed, inputs, cached=False, timings=clock.items())
    if cache is not None and _held_for_a_day(packed):
        # Its key does not hold the day: without one, it is neither stored nor found in a kept spool (which names
        # it by its bytes), and a build on the day its date names reads the date.
        cache, key = None, ""
    if cache is not None:
        # Rejections are not cached: they are cheap to find again, and some depend on the day (future dates).
        with clock("cache"), contextlib.suppress(OSError):  # a full cache disk never fails a build: not cached
            cache.store(key, packed.parts())
    return UnitResult(source, packed, None, inputs, False, clock.items(), _stripped(kept), dropped, key)


def _held_for_a_day(packed: Packed) -> bool:
    """Whether the article's date was left unknown for being later than today (:class:`~builder.packed.Summary`'s
    ``published_known_from``): a result that changes on a later day."""
    return packed.summarized()["published_known_from"] is not None


def _stripped(raw: RawArticle | Rejected) -> Found:
    """What validation took out of an accepted article's URL: the same rule on the same input, so a cached
    result counts as a fresh one does (the text never holds one: such an article is rejected)."""
    return curated_metadata(raw)[1] if isinstance(raw, RawArticle) else NOTHING


def process_units(
    units: list[Unit], cfg: BuildConfig, cache_dir: Path | None, kept_in: KeptRef | None = None
) -> list[UnitResult]:
    """A batch of units, for an engine that ships work in batches to amortise the hand-over."""
    shared = _batch(cfg, kept_in) if cache_dir is not None else None
    return [process_unit(unit, cfg, cache_dir, kept_in, shared) for unit in units]
