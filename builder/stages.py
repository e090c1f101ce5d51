"""The per-article stages, in order: the one registry that a build's workers fold over whole and
``factpack validate`` over its prefix.

::

    RawArticle ─clean→ CleanArticle ─validate→ Article ─extract→ Extracted ─sketch→ Packed

Each stage declares the one section of :class:`~builder.config.BuildConfig` it reads (``section``; None: it reads
none) and is ``(item, that section, raw folder) -> next item | Rejected``: it receives that section only, and the
raw folder for the input files its options name (the extract stage's fitted model). A
:class:`~builder.models.Rejected` ends the fold and is what the unit yields. Reading a unit into a
:class:`~builder.models.RawArticle` comes before (its format's reader, :mod:`builder.ingest`, reading ``ingest``),
and so does dropping bad metadata (:func:`dropping`, reading ``validation``); comparing an article with the others
(:mod:`builder.dedupe`) and everything corpus-wide come after, in :mod:`builder.pipeline`.

:data:`PER_ARTICLE_SECTIONS` is derived from these declarations: the sections whose options shape a per-article
result, which is what the per-article cache key holds (:mod:`builder.work`), so that an option a stage reads can
never be left out of it. A new per-article stage is a function and its line in :data:`STAGES`, with its section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.clean import clean_article
from builder.config import BuildConfig, ExtractConfig
from builder.extract import extract_claims
from builder.extract.worthiness_model import model_in
from builder.models import Article, Extracted, RawArticle, Rejected, Rejection
from builder.packed import pack
from builder.timings import Clock
from builder.validate import drop_bad_metadata, validate_article

__all__ = [
    "PER_ARTICLE_SECTIONS",
    "STAGES",
    "VALIDATED",
    "ArticleStage",
    "dropping",
    "per_article_sections",
    "run_kept",
    "run_stages",
]


@dataclass(frozen=True)
class ArticleStage:
    """One per-article stage: its name, the config section it reads (None: none), and what it does to an item
    given that section and the raw folder."""

    name: str
    section: str | None
    run: Callable[[Any, Any, Path], Any]


def _extract(article: Article, options: ExtractConfig, raw_dir: Path) -> Extracted:
    model = model_in(raw_dir / options.worthiness_model)
    return Extracted(article, tuple(extract_claims(article, options, model)))


STAGES: tuple[ArticleStage, ...] = (
    ArticleStage("clean", "clean", lambda raw, options, _: clean_article(raw, options)),
    ArticleStage("validate", None, lambda clean, _, __: validate_article(clean)),
    ArticleStage("extract", "extract", _extract),
    ArticleStage("sketch", "cluster", lambda found, options, _: pack(found.article, list(found.claims), options)),
)
"""Every per-article stage, in the order they run."""

_BEFORE_STAGES = ("ingest", "validation")  # read by the unit's reader and by dropping, before the stages


def per_article_sections(stages: tuple[ArticleStage, ...] = STAGES) -> tuple[str, ...]:
    """The config sections whose options shape a per-article result: the reader's and dropping's, then each
    stage's declared section, once each, in order."""
    declared = (stage.section for stage in stages if stage.section is not None)
    return tuple(dict.fromkeys([*_BEFORE_STAGES, *declared]))


PER_ARTICLE_SECTIONS = per_article_sections()
"""The config sections whose options shape a per-article result, from the stages' declarations."""

VALIDATED = "validate"
"""The last stage ``factpack validate`` runs: what it reports is what a build would reject."""


def run_stages(
    raw: RawArticle | Rejected, cfg: BuildConfig, until: str | None = None, clock: Clock | None = None
) -> Any:
    """Fold ``raw`` through :data:`STAGES` (through the stage named ``until``, if given); a rejection ends it.
    ``clock``, when given, adds up what each stage costs."""
    item: Any = raw
    for stage in STAGES:
        if isinstance(item, Rejected):
            break
        options = None if stage.section is None else getattr(cfg, stage.section)
        if clock is None:
            item = stage.run(item, options, cfg.raw_dir)
        else:
            with clock(stage.name):
                item = stage.run(item, options, cfg.raw_dir)
        if stage.name == until:
            break
    return item


def dropping(raw: RawArticle | Rejected, cfg: BuildConfig) -> tuple[RawArticle | Rejected, tuple[Rejection, ...]]:
    """With ``--drop-bad-metadata``, ``raw`` without its invalid metadata fields and a problem for each
    (:func:`~builder.validate.drop_bad_metadata`); else ``raw`` and none."""
    if cfg.validation.drop_bad_metadata and isinstance(raw, RawArticle):
        return drop_bad_metadata(raw)
    return raw, ()


def run_kept(
    raw: RawArticle | Rejected,
    kept: RawArticle | Rejected,
    dropped: tuple[Rejection, ...],
    cfg: BuildConfig,
    until: str | None = None,
    clock: Clock | None = None,
) -> tuple[Any, tuple[Rejection, ...]]:
    """:func:`run_stages` on ``kept``, what :func:`dropping` left of ``raw``, and the fields ``dropped`` when the
    article comes through. One rejected all the same (a problem in its text) is run again as it came in, so that it
    is rejected with every problem, as it would be without the option."""
    item = run_stages(kept, cfg, until, clock)
    if dropped and isinstance(item, Rejected):
        return run_stages(raw, cfg, until, clock), ()
    return item, dropped
