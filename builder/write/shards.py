"""The shards of the claims and articles configs: where each article's rows go, and each shard written, or taken
from the cache when an earlier build wrote the same bytes.

Each split's articles are dealt into buckets by a hash of their id, in input order within a bucket, and each
bucket's rows are cut every ``max_shard_rows`` (:func:`plan_shards`). An article added, changed or removed moves
the rows of its own bucket only, so every other shard keeps its bytes; only the shards' numbers in their Hub names
(``train-00003-of-00016``) may shift. The number of buckets is a power of two fixed by the split's claims (its
articles, when more), the same for both configs (:func:`bucket_count`): it changes when the split's rows cross a
power of two times ``max_shard_rows``, and then each bucket splits in two or two merge.

A shard's key (:func:`shard_key`) names everything its bytes depend on: the code and the tools that shape the
output, the publish options, each article's rows (the spool's row digest), the rows taken, and what the
corpus-wide stages filled in (clusters, match groups, split, labels, linked speakers). With a cache, a shard
whose key was written before is copied from ``<cache>/shard/`` and its SHA-256 checked against the one recorded,
else written and a copy kept there: a rebuild encodes in proportion to what changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from builder.assemble import Assembled
from builder.cache import Cache, array_digest
from builder.config import BuildConfig
from builder.dataset_folder import shard_name
from builder.errors import OutputError
from builder.files import file_entry, write_atomic
from builder.split import SPLITS
from builder.spool import Spool, SpoolFiles
from builder.write.manifest import tool_versions
from builder.write.parquet import SplitWriter

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Shard", "Written", "article_buckets", "bucket_count", "plan_shards", "shard_keys", "write_shard"]

CACHE_FOLDER = "shard"


@dataclass(frozen=True)
class Shard:
    """One shard to write: the articles whose rows (claims, or the articles themselves) fall in it, in order, how
    many rows of the first one the shard before took, its rows, its number and its split's count of shards; and
    its key, when there is a cache to keep it in."""

    config: str
    split: int  # index into SPLITS
    number: int
    count: int
    rows: int
    articles: np.ndarray
    skip: int
    key: str = ""

    @property
    def name(self) -> str:
        return f"{self.config}/{shard_name(SPLITS[self.split].value, self.number, self.count)}"


@dataclass(frozen=True)
class Written:
    """One shard written: its rows and Arrow bytes, the speaker ids quoted in each article that starts in it (an
    article counted once, where its first row is), the CPU seconds it took, and whether it came from the cache."""

    rows: int
    nbytes: int
    speakers: Counter[str]
    cpu_seconds: float
    reused: bool = False


def bucket_count(rows: int, max_rows: int) -> int:
    """How many buckets a split of ``rows`` rows is dealt into: one when it fits a shard, else the power of two
    that brings a bucket's expected rows to at most ``max_rows``."""
    if rows <= max_rows:
        return 1
    return 1 << int(np.ceil(np.log2(rows / max_rows)))


def article_buckets(article_ids: Sequence[str]) -> np.ndarray:
    """Each article's place on a ring (uint64, a hash of its id): with ``b`` buckets (a power of two) it is in the
    bucket its top log2(b) bits name, so that when the count doubles each bucket splits in two."""
    digests = b"".join(hashlib.blake2b(ident.encode("utf-8"), digest_size=8).digest() for ident in article_ids)
    return np.frombuffer(digests, dtype=">u8").astype(np.uint64)


def plan_shards(claim_start: np.ndarray, split_of_article: np.ndarray, ring: np.ndarray, max_rows: int) -> list[Shard]:
    """Every shard of the claims and the articles configs (see the module's docstring): claims first, the larger
    config, so that workers finish together. A split's two configs share one bucket count (fixed by the larger
    of its claims and its articles), so that a bucket's claims and articles are of the same articles: a claims
    shard's texts are in its own bucket's article shards, not spread over all of them."""
    per_article = {"claims": np.diff(claim_start), "articles": np.ones(len(split_of_article), dtype=np.int64)}
    dealt = []
    for index in range(len(SPLITS)):
        articles = np.flatnonzero(split_of_article == index)
        buckets = bucket_count(max(int(per_article["claims"][articles].sum()), articles.size), max_rows)
        bits = buckets.bit_length() - 1
        bucket = ring[articles] >> np.uint64(64 - bits) if bits else np.zeros(articles.size, dtype=np.uint64)
        order = np.argsort(bucket, kind="stable")
        bounds = np.searchsorted(bucket[order], np.arange(buckets + 1, dtype=np.uint64))
        dealt.append((articles[order], bounds))
    shards: list[Shard] = []
    for config, rows in per_article.items():
        for index, (articles, bounds) in enumerate(dealt):
            pieces: list[tuple[np.ndarray, int, int]] = []
            for start, stop in itertools.pairwise(bounds.tolist()):
                members = articles[start:stop]
                ends = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(rows[members])])
                total = int(ends[-1])
                for first in range(0, total, max_rows):
                    last = min(first + max_rows, total)
                    at = int(np.searchsorted(ends, first, side="right")) - 1  # the article holding row `first`
                    end = int(np.searchsorted(ends, last, side="left"))
                    pieces.append((members[at:end], first - int(ends[at]), last - first))
            for number, (members, skip, count) in enumerate(pieces):
                shards.append(Shard(config, index, number, len(pieces), count, members, skip))
    return shards


def _positions(claim_start: np.ndarray, shard: Shard) -> np.ndarray:
    """The corpus positions of the rows in ``shard``, in order: of its claims (claims config), or of its articles
    in input order (articles config). What its key names and what its writer fills are these rows."""
    if shard.config != "claims":
        return shard.articles[shard.skip : shard.skip + shard.rows].astype(np.int64)
    ranges = [np.arange(claim_start[a], claim_start[a + 1]) for a in shard.articles.tolist()]
    every = np.concatenate(ranges) if ranges else np.empty(0, dtype=np.int64)
    return every[shard.skip : shard.skip + shard.rows]


def shard_keys(plan: list[Shard], spool: Spool, assembled: Assembled, cfg: BuildConfig) -> list[Shard]:
    """The shards with their keys (see the module's docstring); unchanged when there is no cache."""
    if cfg.cache_dir is None:
        return plan
    common = [CACHE_FOLDER, cfg.options()["publish"], tool_versions()]
    texts = list(spool.speaker_texts)
    ids, curated = assembled.identities.ids, assembled.identities.types
    labelled = np.array(sorted(assembled.labels), dtype=np.int64)
    group = assembled.matches.group if assembled.matches is not None else None
    keyed = []
    for shard in plan:
        rows = [spool.row_digests[a].tobytes().hex() for a in shard.articles.tolist()]
        parts = [*common, shard.config, shard.split, shard.skip, shard.rows, rows]
        if shard.config == "claims":
            positions = _positions(spool.claim_start, shard)
            numbers = [spool.speakers_of[spool.speaker_start[a] : spool.speaker_start[a + 1]] for a in shard.articles]
            spoken = sorted({texts[n] for n in np.concatenate(numbers).tolist()}) if numbers else []
            linked = [(text, ids[text][0] if text in ids else None) for text in spoken]
            labels = labelled[np.isin(labelled, positions)].tolist()
            parts += [
                array_digest(assembled.clusters.cluster_id[positions]),
                array_digest(assembled.clusters.size[positions]),
                array_digest(group[positions]) if group is not None else None,
                [[text, speaker, curated.get(speaker) if speaker else None] for text, speaker in linked],
                assembled.labels_file if labels else None,
                [[p, assembled.labels[p][0], assembled.labels[p][1].model_dump(mode="json")] for p in labels],
            ]
        keyed.append(replace(shard, key=Cache.key(parts)))
    return keyed


def write_shard(
    folder: Path,
    files: SpoolFiles,
    assembled: Assembled,
    schema: pa.Schema,
    cfg: BuildConfig,
    shard: Shard,
) -> Written:
    """Write one shard into ``folder`` (in any process), or place the cache's copy of it."""
    started = time.process_time()
    cache = cfg.cache_dir / CACHE_FOLDER if cfg.cache_dir is not None and shard.key else None
    path = folder / shard.name
    if cache is not None:
        reused = _reuse(cache, shard.key, path)
        if reused is not None:
            rows, nbytes, speakers = reused
            return Written(rows, nbytes, speakers, time.process_time() - started, reused=True)
    rows, nbytes, speakers = _write(folder, files, assembled, schema, cfg, shard)
    if cache is not None:
        with contextlib.suppress(OSError, OutputError):  # a cache never fails a build
            _keep(cache, shard.key, path, rows, nbytes, speakers)
    return Written(rows, nbytes, speakers, time.process_time() - started)


def _write(
    folder: Path, files: SpoolFiles, assembled: Assembled, schema: pa.Schema, cfg: BuildConfig, shard: Shard
) -> tuple[int, int, Counter[str]]:
    claims = shard.config == "claims"
    fill = assembled.fill_claims if claims else assembled.fill_articles
    split = SPLITS[shard.split].value
    writer = SplitWriter(
        folder / shard.config,
        split,
        shard.rows,
        cfg.publish.max_shard_rows,
        schema,
        fill,
        named=(shard.number, shard.count),
    )
    positions = _positions(files.claim_start, shard)
    done = 0
    speakers: Counter[str] = Counter()
    ids = assembled.identities.ids
    indices = shard.articles.tolist()
    batches = files.iter_claims(indices) if claims else files.iter_articles(indices)
    for number, batch in enumerate(batches):
        skip = shard.skip if number == 0 else 0
        take = min(batch.num_rows - skip, shard.rows - done)
        if take <= 0:
            continue
        if claims and not skip:
            speakers.update({ids[s][0] for s in batch.column("speaker").to_pylist() if s in ids})
        writer.write(batch.slice(skip, take), positions[done : done + take])
        done += take
    _, rows, nbytes = writer.close()
    return rows, nbytes, speakers


def _entry(cache: Path, key: str) -> tuple[Path, Path]:
    return cache / key[:2] / f"{key}.parquet", cache / key[:2] / f"{key}.json"


def _reuse(cache: Path, key: str, path: Path) -> tuple[int, int, Counter[str]] | None:
    """Place the cache's shard at ``path`` and return what writing it returned; None when there is no whole
    entry (absent, torn, or its bytes not the ones recorded: then nothing is left at ``path``)."""
    shard, record = _entry(cache, key)
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
        path.parent.mkdir(exist_ok=True)  # the config's folder; the new folder itself is there or the build stopped
        # A copy, never a link: a dataset folder must not share its files' bytes with the cache or another folder,
        # where an edit made in place in one would change the others.
        shutil.copyfile(shard, path)
        if file_entry(path, path.parent).sha256 == kept["sha256"]:
            return int(kept["rows"]), int(kept["nbytes"]), Counter(kept["speakers"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    path.unlink(missing_ok=True)
    return None


def _keep(cache: Path, key: str, path: Path, rows: int, nbytes: int, speakers: Counter[str]) -> None:
    """Keep the shard just written: a copy of its bytes, then the record that makes the entry whole, each under a
    temporary name renamed into place."""
    shard, record = _entry(cache, key)
    shard.parent.mkdir(parents=True, exist_ok=True)
    temporary = shard.with_name(f".{shard.name}.{os.getpid()}.partial")
    try:
        shutil.copyfile(path, temporary)
        temporary.replace(shard)
    finally:
        temporary.unlink(missing_ok=True)
    facts = {"rows": rows, "nbytes": nbytes, "speakers": dict(speakers), "sha256": file_entry(path, path.parent).sha256}
    write_atomic(record, [json.dumps(facts)])
