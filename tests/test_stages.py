"""The per-article stage registry: one fold for the build's workers and for ``factpack validate``."""

from __future__ import annotations

from dataclasses import replace

from builder.config import BuildConfig
from builder.ingest import iter_raw
from builder.models import Article, CleanArticle, Extracted, Rejected
from builder.packed import Packed
from builder.stages import STAGES, VALIDATED, run_stages
from conftest import RAW, raw_article


def test_the_stages_run_in_this_order():
    assert [stage.name for stage in STAGES] == ["clean", "validate", "extract", "sketch"]
    assert VALIDATED in [stage.name for stage in STAGES]


def test_each_prefix_of_the_fold_yields_its_stage_output():
    cfg = BuildConfig()
    raw = next(item for item in iter_raw(RAW, cfg.ingest))
    assert isinstance(run_stages(raw, cfg, until="clean"), CleanArticle)
    assert isinstance(run_stages(raw, cfg, until=VALIDATED), Article)
    extracted = run_stages(raw, cfg, until="extract")
    assert isinstance(extracted, Extracted) and extracted.claims
    packed = run_stages(raw, cfg)
    assert isinstance(packed, Packed) and packed.batches()[1].num_rows == len(extracted.claims)


def test_a_rejection_ends_the_fold():
    cfg = BuildConfig()
    raw = raw_article("Title\n\nThe minister said the plan had failed.\n")
    bad = Rejected(source=raw.source, problems=())
    assert run_stages(bad, cfg) is bad
    future = replace(raw, metadata={"published": "2999-01-01"})
    rejected = run_stages(future, cfg)
    assert isinstance(rejected, Rejected) and rejected.problems[0].loc == "published"
