"""Publish: write a Hub-ready dataset folder.

Layout of the folder::

    README.md                                   the card, YAML `configs:` + `dataset_info` first
    claims/train-00000-of-00001.parquet         default config, zstd, with `datasets` features metadata
    articles/train-00000-of-00001.parquet
    hf/claims/, hf/articles/                    the same tables, `save_to_disk` DatasetDicts
    rejects.jsonl                               every Rejection (empty when none)
    manifest.json                               inputs, outputs, versions, options
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from builder.config import BuildConfig
from builder.features import features_of, to_table
from builder.models import Article, BuildCounts, BuildManifest, Claim, ClaimType, FieldSources, FileEntry, Rejection
from builder.publish.card import CardFacts, ConfigCard, render_card
from builder.publish.hf import save_dataset_dict
from builder.publish.manifest import file_entries, tool_versions, write_manifest
from builder.publish.parquet import write_shards

__all__ = ["CONFIGS", "REJECTS_NAME", "write_dataset"]

CONFIGS = ("claims", "articles")
REJECTS_NAME = "rejects.jsonl"
SPLIT = "train"
TOP_SPEAKERS = 10


def write_dataset(
    folder: Path,
    articles: Sequence[Article],
    claims: Sequence[Claim],
    rejections: Sequence[Rejection],
    counts: BuildCounts,
    inputs: Sequence[FileEntry],
    cfg: BuildConfig,
) -> BuildManifest:
    """Write the whole dataset into the empty ``folder`` and return its manifest."""
    from builder import __version__

    config_cards = []
    for name, model, records in (("claims", Claim, claims), ("articles", Article, articles)):
        table = to_table(model, list(records))
        shards = write_shards(table, folder / name, SPLIT, cfg.publish.max_shard_rows)
        digest = hashlib.sha256()
        for shard in shards:
            digest.update(shard.read_bytes())
        features = features_of(model)
        save_dataset_dict({SPLIT: (table, digest.hexdigest()[:16])}, features, folder / "hf" / name)
        config_cards.append(
            ConfigCard(name, f"{name}/{SPLIT}-*.parquet", features._to_yaml_list(), len(records), table.nbytes, model)
        )

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
        rejections=list(rejections),
    )


def _origin(source: str | None) -> str:
    if source is None:
        return "unknown"
    return "text" if source.startswith("text:") else "curated"
