"""Publish: write a Hub-ready dataset folder.

Layout of the folder::

    README.md                                   the card, YAML `configs:` + `dataset_info` first
    claims/{train,validation,test}-00000-of-00001.parquet   default config, zstd, with `datasets` features
    articles/{train,validation,test}-….parquet              split as their claims
    speakers/train-00000-of-00001.parquet                   one row per linked speaker
    hf/claims/, hf/articles/, hf/speakers/                  the same tables, `save_to_disk` DatasetDicts
    rejects.jsonl                               every Rejection (empty when none)
    manifest.json                               inputs, outputs, versions, options
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from builder.config import BuildConfig
from builder.errors import OutputError
from builder.features import features_of, to_table
from builder.models import (
    Article,
    BuildCounts,
    BuildManifest,
    Claim,
    ClaimType,
    FieldSources,
    FileEntry,
    Rejection,
    Speaker,
    Split,
)
from builder.publish.card import CardFacts, ConfigCard, SplitCard, render_card
from builder.publish.hf import save_dataset_dict
from builder.publish.manifest import file_entries, tool_versions, write_manifest
from builder.publish.parquet import write_shards

__all__ = ["REJECTS_NAME", "write_dataset"]

REJECTS_NAME = "rejects.jsonl"
TOP_SPEAKERS = 10


def write_dataset(
    folder: Path,
    articles: Sequence[Article],
    claims: Sequence[Claim],
    speakers: Sequence[Speaker],
    rejections: Sequence[Rejection],
    counts: BuildCounts,
    inputs: Sequence[FileEntry],
    cfg: BuildConfig,
) -> BuildManifest:
    """Write the whole dataset into the empty ``folder`` and return its manifest."""
    import pyarrow.parquet as pq

    from builder import __version__

    tables: list[tuple[str, type[BaseModel], Sequence[Any], bool]] = [
        ("claims", Claim, claims, True),
        ("articles", Article, articles, True),
        ("speakers", Speaker, speakers, False),
    ]
    config_cards = []
    for name, model, records, by_split in tables:
        if not records:
            continue  # datasets cannot load a config with no rows: an empty table is left out, and the card says so
        card = _write_config(folder, name, model, records, cfg, by_split=by_split)
        written = sum(pq.read_metadata(shard).num_rows for shard in (folder / name).glob("*.parquet"))
        if written != len(records):
            raise OutputError(f"{folder / name}: {written} rows written for {len(records)} {name}; report a bug")
        config_cards.append(card)

    with (folder / REJECTS_NAME).open("w", encoding="utf-8") as stream:
        for rejection in rejections:
            stream.write(json.dumps(rejection.model_dump(mode="json"), ensure_ascii=False) + "\n")

    facts = _card_facts(articles, claims, rejections, counts, config_cards, cfg)
    (folder / "README.md").write_text(render_card(facts), encoding="utf-8")

    manifest = BuildManifest(
        factpack_version=__version__,
        versions=tool_versions(),
        config=cfg.options(),
        counts=counts,
        inputs=sorted(inputs, key=lambda entry: entry.path),
        outputs=file_entries(folder),
    )
    write_manifest(folder, manifest)
    return manifest


def _write_config(
    folder: Path, name: str, model: type[BaseModel], records: Sequence[Any], cfg: BuildConfig, by_split: bool = True
) -> ConfigCard:
    """Parquet shards per split (empty splits are left out) and the save_to_disk copy of one config."""
    features = features_of(model)
    groups: dict[str, list[Any]] = {}
    for split in Split:
        rows = [record for record in records if record.split is split] if by_split else list(records)
        if rows or (split is Split.TRAIN and not by_split):
            groups[split.value] = rows
        if not by_split:
            break
    splits, tables = [], {}
    for split_name, rows in groups.items():
        table = to_table(model, rows)
        shards = write_shards(table, folder / name, split_name, cfg.publish.max_shard_rows)
        digest = hashlib.sha256()
        for shard in shards:
            digest.update(shard.read_bytes())
        tables[split_name] = (table, digest.hexdigest()[:16])
        splits.append(SplitCard(split_name, f"{name}/{split_name}-*.parquet", table.num_rows, table.nbytes))
    save_dataset_dict(tables, features, folder / "hf" / name)
    return ConfigCard(name, splits, features._to_yaml_list(), model)


def _card_facts(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    rejections: Sequence[Rejection],
    counts: BuildCounts,
    configs: list[ConfigCard],
    cfg: BuildConfig,
) -> CardFacts:
    unknown = "(unknown)"
    articles_per_outlet = Counter(article.outlet or unknown for article in articles)
    claims_per_outlet = Counter(claim.outlet or unknown for claim in claims)
    outlets = [(outlet, n, claims_per_outlet[outlet]) for outlet, n in sorted(articles_per_outlet.items())]
    sources = []
    for name in FieldSources.model_fields:
        origins = Counter(_origin(getattr(article.field_sources, name)) for article in articles)
        sources.append((name, origins["curated"], origins["text"], origins["unknown"]))
    kinds = Counter(span.kind.value for article in articles for span in article.excluded)
    types = Counter(claim.claim_type.value for claim in claims)
    speakers = Counter(claim.speaker for claim in claims if claim.speaker)
    return CardFacts(
        pretty_name=cfg.publish.pretty_name,
        license=cfg.publish.license,
        languages=sorted({article.language for article in articles if article.language}),
        configs=configs,
        articles_seen=counts.articles_seen,
        articles_rejected=counts.articles_rejected,
        outlets=outlets,
        field_sources=sources,
        excluded_kinds=sorted(kinds.items()),
        claim_types=[(claim_type.value, types[claim_type.value]) for claim_type in ClaimType],
        speakers=sorted(speakers.items(), key=lambda item: (-item[1], item[0]))[:TOP_SPEAKERS],
        splits=[
            (split.value, counts.articles_per_split.get(split.value, 0), counts.claims_per_split.get(split.value, 0))
            for split in Split
        ],
        split_rule=_split_rule(cfg),
        cluster_rule=_cluster_rule(cfg),
        clusters=[
            ("clusters (singletons included)", counts.clusters),
            ("clusters of two or more claims", counts.multi_claim_clusters),
            ("clusters spanning two or more articles", counts.cross_article_clusters),
        ],
        rejections=list(rejections),
    )


def _cluster_rule(cfg: BuildConfig) -> str:
    c = cfg.cluster
    return (
        f"Word {c.shingle_words}-gram shingles, MinHash ({c.num_perm} permutations) with banded LSH ({c.bands} bands "
        f"of {c.num_perm // c.bands}) to find candidates without comparing all pairs, then a verified Jaccard "
        f"similarity ≥ {c.threshold:g}, or ≥ {c.containment:.0%} of the shorter claim's shingles inside the longer "
        f"(a quotation reused in part, for claims of {c.min_containment_shingles} shingles or more); containment is "
        "checked on the LSH candidates, so a short piece of a much longer claim is found reliably only when it is one "
        "of the longer claim's sentences."
    )


def _split_rule(cfg: BuildConfig) -> str:
    ratios = f"{cfg.split.train:g} / {cfg.split.validation:g} / {cfg.split.test:g}"
    if cfg.split.mode == "temporal":
        return (
            f"Assignment is **temporal** ({ratios}): groups in order of their earliest publication date, the oldest "
            "claims to train; undated groups last."
        )
    return (
        f"Assignment is by a **stable hash** of each group ({ratios} of groups in expectation), so adding articles "
        "does not move existing claims unless a new article shares a cluster with them."
    )


def _origin(source: str | None) -> str:
    if source is None:
        return "unknown"
    return "text" if source.startswith("text:") else "curated"
