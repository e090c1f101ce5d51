"""The per-article stage registry: one fold for the build's workers and for ``factpack validate``."""

from __future__ import annotations

from dataclasses import replace

from builder.config import BuildConfig
from builder.ingest import iter_raw
from builder.models import Article, CleanArticle, Extracted, Rejected
from builder.packed import Packed
from builder.stages import PER_ARTICLE_SECTIONS, STAGES, VALIDATED, ArticleStage, per_article_sections, run_stages
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


def test_each_stage_declares_the_one_config_section_it_receives():
    sections = BuildConfig().options()
    assert [(stage.name, stage.section) for stage in STAGES] == [
        ("clean", "clean"),
        ("validate", None),
        ("extract", "extract"),
        ("sketch", "cluster"),
    ]
    assert all(stage.section is None or stage.section in sections for stage in STAGES)


def test_a_stage_is_handed_its_declared_section_and_the_raw_folder_only(monkeypatch):
    import builder.stages

    handed = []

    def recording(name: str, section: str | None) -> ArticleStage:
        return ArticleStage(name, section, lambda item, options, raw_dir: handed.append((options, raw_dir)) or item)

    monkeypatch.setattr(
        builder.stages, "STAGES", (recording("a", "clean"), recording("b", None), recording("c", "split"))
    )
    cfg = BuildConfig(raw_dir=RAW)
    raw = raw_article("Title\n\nThe minister said the plan had failed.\n")
    assert run_stages(raw, cfg) is raw
    assert handed == [(cfg.clean, RAW), (None, RAW), (cfg.split, RAW)]


def test_the_per_article_cache_holds_exactly_the_sections_the_reader_and_the_stages_declare():
    from builder.work import _per_article_options

    assert PER_ARTICLE_SECTIONS == ("ingest", "validation", "clean", "extract", "cluster")
    cfg = BuildConfig()
    assert list(_per_article_options(cfg)) == list(PER_ARTICLE_SECTIONS)
    # a new stage reading another section puts that section in the key: nothing to remember by hand
    noop = ArticleStage("link", "link", lambda item, options, raw_dir: item)
    assert per_article_sections((*STAGES, noop)) == (*PER_ARTICLE_SECTIONS, "link")
    assert per_article_sections((*STAGES, noop, noop)) == (*PER_ARTICLE_SECTIONS, "link")


def test_each_corpus_wide_stage_declares_the_section_its_cache_key_holds():
    from builder.assemble import CORPUS_STAGES, stage_key
    from builder.config import ClusterConfig, SplitConfig

    sections = BuildConfig().options()
    assert [(stage.name, stage.section) for stage in CORPUS_STAGES] == [
        ("link", "link"),
        ("cluster", "cluster"),
        ("match", "matches"),
        ("split", "split"),
        ("labels", "labels"),
    ]
    assert all(stage.section in sections for stage in CORPUS_STAGES)
    cfg = BuildConfig()
    other_split = cfg.model_copy(update={"split": SplitConfig(mode="temporal")})
    other_cluster = cfg.model_copy(update={"cluster": ClusterConfig(threshold=0.9)})
    key = stage_key(cfg, "cluster", ["digest"])
    assert stage_key(other_split, "cluster", ["digest"]) == key  # another stage's option: the result stands
    assert stage_key(other_cluster, "cluster", ["digest"]) != key  # its own: computed again
    assert stage_key(cfg, "cluster", ["other digest"]) != key
    assert stage_key(cfg, "match", ["digest"]) != key
