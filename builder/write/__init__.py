"""Write: the Hub-ready dataset folder (layout: :mod:`builder.dataset_folder`), streaming the rows from the
build's spool.

* :mod:`.parquet`: shards of at most ``max_shard_rows`` rows named as the Hub names them; only a row group per
  split is buffered;
* :mod:`.shards`: where each article's rows go in the claims and articles configs (buckets by a hash of the
  article id, so a change moves only its bucket's shards), and each shard written or taken from the cache;
* :mod:`.card` (with the ``card.md`` template) and :mod:`.meta`: the dataset card and the citation;
* :mod:`.croissant`: ``croissant.json``; :mod:`.manifest`: ``manifest.json``, written last;
* :mod:`.tally`: the card's counters, kept as articles arrive.

Claims and articles are written one article at a time as the spool is read back.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from builder.assemble import Assembled
from builder.config import BuildConfig
from builder.dataset_folder import CARD_NAME, REJECTS_NAME
from builder.errors import OutputError
from builder.extract.worthiness_model import model_in
from builder.features import arrow_schema, features_of, features_sha256, to_batch
from builder.files import file_entry
from builder.link import speakers_table
from builder.match.model import match_model_in
from builder.models import (
    Article,
    BuildCounts,
    BuildManifest,
    Claim,
    ClaimMatch,
    ClaimType,
    DatasetMeta,
    FactCheckMatch,
    FileEntry,
    Rejection,
    ResolutionKind,
    Speaker,
    Split,
)
from builder.split import SPLITS
from builder.spool import Spool
from builder.version import __version__
from builder.write.card import CardFacts, ConfigCard, SplitCard, StandaloneCounts, render_card
from builder.write.croissant import croissant, write_croissant
from builder.write.manifest import file_entries, tool_versions, write_manifest
from builder.write.meta import citation
from builder.write.parquet import SplitWriter
from builder.write.quality import load_quality
from builder.write.shards import Shard, Written, article_buckets, plan_shards, shard_keys, write_shard
from builder.write.tally import Tally

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
    spent writing. Every shard of the claims and the articles configs is written on its own (by ``pool``'s
    processes when one is given, while this one waits), from the spool's rows of the articles it holds."""
    counts = assembled.counts
    files, schemas = spool.files(), {"claims": arrow_schema(Claim), "articles": arrow_schema(Article)}
    ring = article_buckets(spool.article_ids)
    plan = plan_shards(files.claim_start, assembled.split_of_article, ring, cfg.publish.max_shard_rows)
    plan = shard_keys(plan, spool, assembled, cfg)
    if pool is not None:
        shared = assembled.stored_in(spool.folder / "assembled")
        jobs = [pool.submit(write_shard, folder, files, shared, schemas[task.config], cfg, task) for task in plan]
        written = [job.result() for job in jobs]
    else:
        written = [write_shard(folder, files, assembled, schemas[task.config], cfg, task) for task in plan]
    elsewhere = sum(done.cpu_seconds for done in written) if pool is not None else 0.0
    article_count: Counter[str] = sum((done.speakers for done in written), Counter())
    claim_splits, article_splits = _splits(plan, written, "claims"), _splits(plan, written, "articles")
    claims_card = _config_card("claims", Claim, claim_splits) if claim_splits else None
    articles_card = _config_card("articles", Article, article_splits) if article_splits else None
    speakers = speakers_table(assembled.identities, spool.spoken, article_count, spool.typed)
    config_cards = [card for card in (claims_card, articles_card) if card is not None]
    if speakers:  # datasets cannot load a config with no rows: an empty table is left out, and the card says so
        writer = SplitWriter(
            folder / "speakers", Split.TRAIN.value, len(speakers), cfg.publish.max_shard_rows, arrow_schema(Speaker)
        )
        writer.write(to_batch(Speaker, speakers))
        config_cards.append(_config_card("speakers", Speaker, [writer.close()]))
    found = _match_rows(spool, assembled)
    for name, model, records in (("matches", ClaimMatch, found[0]), ("factcheck_matches", FactCheckMatch, found[1])):
        if records:
            config_cards.append(_config_card(name, model, _write_by_split(folder / name, model, records, cfg)))
    import pyarrow.parquet as pq

    expected = {
        "claims": counts.claims,
        "articles": counts.articles_accepted,
        "speakers": len(speakers),
        "matches": len(found[0]),
        "factcheck_matches": len(found[1]),
    }
    for name, rows in expected.items():
        written = sum(pq.read_metadata(shard).num_rows for shard in (folder / name).glob("*.parquet"))
        if written != rows:
            raise OutputError(f"{folder / name}: {written} rows written for {rows} {name}; report a bug")

    with (folder / REJECTS_NAME).open("w", encoding="utf-8") as stream:
        for rejection in rejections:
            stream.write(json.dumps(rejection.model_dump(mode="json"), ensure_ascii=False) + "\n")

    facts = _card_facts(spool, tally, rejections, counts, config_cards, meta, cfg)
    facts = replace(facts, uneven_splits=assembled.uneven_splits)
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
        outputs=file_entries(folder, known=shards),
        schemas={card.name: features_sha256(features_of(card.model).to_dict()) for card in config_cards},
    )
    write_manifest(folder, manifest)
    return manifest, elsewhere


def _match_rows(spool: Spool, assembled: Assembled) -> tuple[list[ClaimMatch], list[FactCheckMatch]]:
    """The rows of the matches and factcheck_matches configs, in claim id order."""
    matches = assembled.matches
    if matches is None:
        return [], []
    ids, cluster_ids = spool.claim_ids, assembled.clusters.cluster_id
    split_of_claim = assembled.split_of_article[spool.article_of_claim]
    pairs = []
    for first, second, score, shared in matches.pairs:
        one, other = sorted((f"{int(ids[first]):016x}", f"{int(ids[second]):016x}"))
        pairs.append(
            ClaimMatch(
                claim_id=one,
                other_claim_id=other,
                score=score,
                shared_words=list(shared),
                match_group=f"{int(matches.group[first]):016x}",
                split=SPLITS[int(split_of_claim[first])],
            )
        )
    checked = []
    if matches.factchecks:
        keys = np.array(sorted(matches.factchecks), dtype=np.uint64)
        for position in np.flatnonzero(np.isin(cluster_ids, keys)).tolist():
            found = matches.factchecks[int(cluster_ids[position])]
            for rank, (index, score) in enumerate(found, start=1):
                check = assembled.factchecks[index]
                checked.append(
                    FactCheckMatch(
                        claim_id=f"{int(ids[position]):016x}",
                        factcheck_url=check.url,
                        rank=rank,
                        score=score,
                        claim_reviewed=check.claim_reviewed,
                        rating=check.rating,
                        split=SPLITS[int(split_of_claim[position])],
                    )
                )
    pairs.sort(key=lambda row: (row.claim_id, row.other_claim_id))
    checked.sort(key=lambda row: (row.claim_id, row.rank))
    return pairs, checked


def _write_by_split(
    folder: Path, model: type[BaseModel], rows: Sequence[ClaimMatch | FactCheckMatch], cfg: BuildConfig
) -> list[tuple[str, int, int]]:
    """Write ``rows`` (each with a ``split``) as one split's shards each; (split, rows, Arrow bytes) per split."""
    written = []
    for split in Split:
        kept = [row for row in rows if row.split == split]
        if kept:
            writer = SplitWriter(folder, split.value, len(kept), cfg.publish.max_shard_rows, arrow_schema(model))
            writer.write(to_batch(model, kept))
            written.append(writer.close())
    return written


def _splits(shards: list[Shard], written: list[Written], config: str) -> list[tuple[str, int, int]]:
    """(split, rows, Arrow bytes) of each non-empty split of ``config``, in split order."""
    totals: dict[int, list[int]] = {}
    for shard, done in zip(shards, written, strict=True):
        if shard.config == config:
            total = totals.setdefault(shard.split, [0, 0])
            total[0], total[1] = total[0] + done.rows, total[1] + done.nbytes
    return [(SPLITS[index].value, rows, nbytes) for index, (rows, nbytes) in sorted(totals.items())]


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
        fields_dropped=counts.fields_dropped,
        outlets=outlets,
        field_sources=sources,
        excluded_kinds=sorted(tally.excluded_kinds.items()),
        claim_types=[(claim_type.value, tally.claim_types[claim_type.value]) for claim_type in ClaimType],
        standalone=StandaloneCounts(
            resolved=tally.standalone[0],
            kinds=dict(zip((kind.value for kind in ResolutionKind), tally.standalone[1:-1], strict=True)),
            needs_context=tally.standalone[-1],
        ),
        speakers=sorted(spool.spoken.items(), key=lambda item: (-item[1], item[0]))[:TOP_SPEAKERS],
        splits=[
            (split.value, counts.articles_per_split.get(split.value, 0), counts.claims_per_split.get(split.value, 0))
            for split in Split
        ],
        split_rule=_split_rule(cfg),
        cluster_rule=_cluster_rule(cfg),
        quality=load_quality(),
        match_rule=_match_rule(cfg),
        matches=[
            ("match groups (two or more clusters)", counts.match_groups),
            ("claims in a match group", counts.claims_in_match_groups),
            ("linked pairs (rows of matches)", counts.matched_pairs),
            ("fact-check matches (rows of factcheck_matches)", counts.factcheck_matches),
        ],
        clusters=[
            ("clusters (singletons included)", counts.clusters),
            ("clusters of two or more claims", counts.multi_claim_clusters),
            ("clusters spanning two or more articles", counts.cross_article_clusters),
        ],
        rejections=list(rejections),
        worthiness=model_in(cfg.raw_dir / cfg.extract.worthiness_model),
        credentials=tally.credentials.report(),
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


def _match_rule(cfg: BuildConfig) -> str:
    m = cfg.matches
    if not m.enabled:
        return "Matching was switched off for this build (matches.enabled false)."
    window = "any dates" if m.window_days is None else f"articles published at most {m.window_days} days apart"
    return (
        "One claim per cluster is compared, by sentence and by the parts of a sentence around a colon or semicolon. "
        f"Candidates share at least {m.min_shared_words} content words that at most {m.max_word_claims} compared "
        f"sentences hold (one, with the same linked speaker), come from two articles, and from {window}. The matcher "
        "is a logistic function of word, stem, character-trigram, word-order, lower-case-word and length "
        "similarities of the two `standalone` texts and their products, its feature weights chosen by "
        "cross-validation on MRPC news paraphrases (no "
        f"weight for any word); a pair is one claim at a score ≥ {m.threshold:g} (≥ {m.statement_threshold:g} for "
        "two outlets' own statements), never when one denies what the other asserts, when both give figures and "
        "none is the same, or when their linked speakers differ. Groups do not chain: two groups join only when "
        "every claim of one matched every claim of the other. Published fact-checks (`raw/factchecks/`, "
        f"ClaimReview) are matched the same way, the best {m.factcheck_top} per claim kept. Measured (bench/"
        "matching.py): on MRPC's training pairs, 10-fold cross-validated, the decision is right on 75.7% (F1 "
        "0.821); by hand, 73 of the 93 match groups of the BBC news corpus (2,225 articles) state one claim."
        + _match_model(cfg)
    )


def _match_model(cfg: BuildConfig) -> str:
    model = match_model_in(cfg.raw_dir / cfg.matches.model_file)
    if model is None:
        return ""
    cv = model.quality.get("cv", {})
    return (
        f" This build's pairs were scored by a model fitted on the curators' own labels "
        f"(`{cfg.matches.model_file}`, sha256 {model.sha256[:12]}), not by the default: cross-validated on those "
        f"labels, accuracy {cv.get('accuracy', 0):.3f} and F1 {cv.get('f1', 0):.3f}."
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
