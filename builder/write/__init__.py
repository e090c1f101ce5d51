"""Write: the Hub-ready dataset folder (layout: :mod:`builder.dataset_folder`), streaming the rows from the
build's spool.

* :mod:`.parquet`: shards of at most ``max_shard_rows`` rows named as the Hub names them; only a row group per
  split is buffered;
* :mod:`.card` (with the ``card.md`` template) and :mod:`.meta`: the dataset card and the citation;
* :mod:`.croissant`: ``croissant.json``; :mod:`.manifest`: ``manifest.json``, written last;
* :mod:`.tally`: the card's counters, kept as articles arrive.

Claims and articles are written one article at a time as the spool is read back.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel

from builder.assemble import Assembled
from builder.config import BuildConfig
from builder.dataset_folder import CARD_NAME, REJECTS_NAME
from builder.errors import OutputError
from builder.features import arrow_schema, features_of, features_sha256, to_batch
from builder.files import file_entry
from builder.link import speakers_table
from builder.models import (
    Article,
    BuildCounts,
    BuildManifest,
    Claim,
    ClaimType,
    DatasetMeta,
    FileEntry,
    Rejection,
    Speaker,
    Split,
)
from builder.split import SPLITS
from builder.spool import Spool, SpoolFiles
from builder.version import __version__
from builder.write.card import CardFacts, ConfigCard, SplitCard, render_card
from builder.write.croissant import croissant, write_croissant
from builder.write.manifest import file_entries, tool_versions, write_manifest
from builder.write.meta import citation
from builder.write.parquet import Fill, SplitWriter
from builder.write.tally import Tally

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["write_dataset"]

TOP_SPEAKERS = 10


def write_dataset(
    folder: Path,
    spool: Spool,
    assembled: Assembled,
    rejections: Sequence[Rejection],
    inputs: Sequence[FileEntry],
    meta: DatasetMeta,
    tally: Tally,
    cfg: BuildConfig,
    pool: Executor | None = None,
) -> tuple[BuildManifest, float]:
    """Write the whole dataset into the empty ``folder``; its manifest, and the CPU seconds worker processes
    spent writing (with a ``pool``, the claims and the articles are written by two of its processes at once,
    while this one waits)."""
    counts = assembled.counts
    files, schemas = spool.files(), (arrow_schema(Claim), arrow_schema(Article))
    if pool is not None:
        articles_job = pool.submit(_write_articles, folder, files, assembled, schemas[1], cfg)
        claims_job = pool.submit(_write_claims, folder, files, assembled, schemas[0], cfg)
        (claim_splits, article_count, claims_cpu), (article_splits, articles_cpu) = (
            claims_job.result(),
            articles_job.result(),
        )
        elsewhere = claims_cpu + articles_cpu
    else:
        claim_splits, article_count, _ = _write_claims(folder, files, assembled, schemas[0], cfg)
        article_splits, _ = _write_articles(folder, files, assembled, schemas[1], cfg)
        elsewhere = 0.0
    claims_card = _config_card("claims", Claim, claim_splits) if claim_splits else None
    articles_card = _config_card("articles", Article, article_splits) if article_splits else None
    speakers = speakers_table(assembled.identities, spool.spoken, article_count)
    config_cards = [card for card in (claims_card, articles_card) if card is not None]
    if speakers:  # datasets cannot load a config with no rows: an empty table is left out, and the card says so
        writer = SplitWriter(
            folder / "speakers", Split.TRAIN.value, len(speakers), cfg.publish.max_shard_rows, arrow_schema(Speaker)
        )
        writer.write(to_batch(Speaker, speakers))
        config_cards.append(_config_card("speakers", Speaker, [writer.close()]))
    import pyarrow.parquet as pq

    expected = {"claims": counts.claims, "articles": counts.articles_accepted, "speakers": len(speakers)}
    for name, rows in expected.items():
        written = sum(pq.read_metadata(shard).num_rows for shard in (folder / name).glob("*.parquet"))
        if written != rows:
            raise OutputError(f"{folder / name}: {written} rows written for {rows} {name}; report a bug")

    with (folder / REJECTS_NAME).open("w", encoding="utf-8") as stream:
        for rejection in rejections:
            stream.write(json.dumps(rejection.model_dump(mode="json"), ensure_ascii=False) + "\n")

    facts = _card_facts(spool, tally, rejections, counts, config_cards, meta, cfg)
    (folder / CARD_NAME).write_text(render_card(facts), encoding="utf-8")
    shards = [file_entry(path, folder) for c in config_cards for path in sorted((folder / c.name).glob("*.parquet"))]
    document = croissant(
        meta=meta, citation=facts.citation, languages=facts.languages, configs=config_cards, shards=shards
    )
    write_croissant(folder, document)  # before the manifest, which lists it with its hash

    manifest = BuildManifest(
        factpack_version=__version__,
        versions=tool_versions(),
        config=cfg.options(),
        counts=counts,
        inputs=sorted(inputs, key=lambda entry: entry.path),
        outputs=file_entries(folder),
        schemas={card.name: features_sha256(features_of(card.model).to_dict()) for card in config_cards},
    )
    write_manifest(folder, manifest)
    return manifest, elsewhere


def _writers(
    folder: Path, per_split: dict[str, int], schema: pa.Schema, fill: Fill, cfg: BuildConfig
) -> dict[int, SplitWriter]:
    """A writer per non-empty split (datasets cannot load an empty one), keyed by split index."""
    return {
        index: SplitWriter(folder, split.value, per_split[split.value], cfg.publish.max_shard_rows, schema, fill)
        for index, split in enumerate(SPLITS)
        if per_split.get(split.value, 0)
    }


def _write_claims(
    folder: Path, files: SpoolFiles, assembled: Assembled, schema: pa.Schema, cfg: BuildConfig
) -> tuple[list[tuple[str, int, int]], Counter[str], float]:
    """The claims config's shards: their splits (name, rows, Arrow bytes), the number of articles each speaker id
    is quoted in, and the CPU seconds it took (it may run in a process of its own)."""
    start = time.process_time()
    writers = _writers(folder / "claims", assembled.counts.claims_per_split, schema, assembled.fill_claims, cfg)
    article_count: Counter[str] = Counter()
    ids = assembled.identities.ids
    for article, batch in enumerate(files.iter_claims()):
        if not batch.num_rows:
            continue
        article_count.update({ids[s][0] for s in batch.column("speaker").to_pylist() if s in ids})
        first = int(files.claim_start[article])
        writers[int(assembled.split_of_article[article])].write(batch, np.arange(first, first + batch.num_rows))
    splits = [writer.close() for writer in writers.values()]
    return splits, article_count, time.process_time() - start


def _write_articles(
    folder: Path, files: SpoolFiles, assembled: Assembled, schema: pa.Schema, cfg: BuildConfig
) -> tuple[list[tuple[str, int, int]], float]:
    start = time.process_time()
    writers = _writers(folder / "articles", assembled.counts.articles_per_split, schema, assembled.fill_articles, cfg)
    for article, batch in enumerate(files.iter_articles()):
        writers[int(assembled.split_of_article[article])].write(batch, np.array([article]))
    return [writer.close() for writer in writers.values()], time.process_time() - start


def _config_card(name: str, model: type[BaseModel], splits: list[tuple[str, int, int]]) -> ConfigCard:
    cards = [SplitCard(split, f"{name}/{split}-*.parquet", rows, nbytes) for split, rows, nbytes in splits]
    return ConfigCard(name, cards, features_of(model)._to_yaml_list(), model)


def _card_facts(
    spool: Spool,
    tally: Tally,
    rejections: Sequence[Rejection],
    counts: BuildCounts,
    configs: list[ConfigCard],
    meta: DatasetMeta,
    cfg: BuildConfig,
) -> CardFacts:
    outlets = [(outlet, n, tally.claims_per_outlet[outlet]) for outlet, n in sorted(tally.articles_per_outlet.items())]
    sources = [
        (name, origins["curated"], origins["text"], origins["unknown"]) for name, origins in tally.field_origins.items()
    ]
    return CardFacts(
        meta=meta,
        citation=citation(meta, max((d.year for d in spool.published if d is not None), default=None)),
        languages=sorted(tally.languages),
        configs=configs,
        articles_seen=counts.articles_seen,
        articles_rejected=counts.articles_rejected,
        outlets=outlets,
        field_sources=sources,
        excluded_kinds=sorted(tally.excluded_kinds.items()),
        claim_types=[(claim_type.value, tally.claim_types[claim_type.value]) for claim_type in ClaimType],
        speakers=sorted(spool.spoken.items(), key=lambda item: (-item[1], item[0]))[:TOP_SPEAKERS],
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
