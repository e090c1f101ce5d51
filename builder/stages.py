"""The per-article stages, in order: the one registry that a build's workers fold over whole and
``factpack validate`` over its prefix.

::

    RawArticle ─clean→ CleanArticle ─validate→ Article ─extract→ Extracted ─sketch→ Packed

Each stage is ``(item, cfg) -> next item | Rejected``; a :class:`~builder.models.Rejected` ends the fold and is
what the unit yields. Reading a unit into a :class:`~builder.models.RawArticle` comes before (its format's
reader, :mod:`builder.ingest`); comparing an article with the others (:mod:`builder.dedupe`) and everything
corpus-wide come after, in :mod:`builder.pipeline`. A new per-article stage is a function and its line in
:data:`STAGES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from builder.clean import clean_article
from builder.config import BuildConfig
from builder.extract import extract_claims
from builder.extract.worthiness_model import model_in
from builder.models import Article, Extracted, RawArticle, Rejected, Rejection
from builder.packed import pack
from builder.timings import Clock
from builder.validate import drop_bad_metadata, validate_article

__all__ = ["STAGES", "VALIDATED", "ArticleStage", "dropping", "run_kept", "run_stages"]


@dataclass(frozen=True)
class ArticleStage:
    """One per-article stage: its name and what it does to an item."""

    name: str
    run: Callable[[Any, BuildConfig], Any]


def _extract(article: Article, cfg: BuildConfig) -> Extracted:
    model = model_in(cfg.raw_dir / cfg.extract.worthiness_model)
    return Extracted(article, tuple(extract_claims(article, cfg.extract, model)))


STAGES: tuple[ArticleStage, ...] = (
    ArticleStage("clean", lambda raw, cfg: clean_article(raw, cfg.clean)),
    ArticleStage("validate", lambda clean, cfg: validate_article(clean)),
    ArticleStage("extract", _extract),
    ArticleStage("sketch", lambda extracted, cfg: pack(extracted.article, list(extracted.claims), cfg)),
)
"""Every per-article stage, in the order they run."""

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
        if clock is None:
            item = stage.run(item, cfg)
        else:
            with clock(stage.name):
                item = stage.run(item, cfg)
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
