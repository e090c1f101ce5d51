"""The global stages, over the keys of a :class:`~builder.spool.Spool`: link speakers → cluster → match → split →
labels.

Each declares the one section of :class:`~builder.config.BuildConfig` it reads (:data:`CORPUS_STAGES`) and is
handed only that, with the raw folder for the files its options name. A stage whose result a rebuild can reuse
(clustering, matching, splitting) keeps it in the cache under a key of its declared section's options and a digest
of its inputs (:func:`stage_key`): the declarations, not a hand-kept list, decide what an option change reruns.

What they decide is kept as per-claim and per-article arrays (:class:`Assembled`); publishing applies it to the
rows as it streams them out, a row group at a time (:meth:`Assembled.fill_claims`, :meth:`Assembled.fill_articles`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from builder.cache import Cache, array_digest
from builder.cluster import Clusters, ClusterStats, cluster
from builder.config import BuildConfig, LabelConfig
from builder.errors import LabelError
from builder.files import file_entry
from builder.labels import ArticleLookup, ClaimSpan, merge_labels, read_labels
from builder.link import Identities, link_speakers, read_curated_speakers
from builder.matches import ClaimMatches, MatchStats, match_claims
from builder.models import BuildCounts, FactCheck, Label, Rejection, SpeakerType
from builder.models.reports import UnevenSplit
from builder.split import SplitStats, assign_splits, uneven_splits
from builder.spool import Spool
from builder.timings import Clock

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["CORPUS_STAGES", "Assembled", "CorpusStage", "assemble", "stage_key"]

T = TypeVar("T")


@dataclass(frozen=True)
class CorpusStage:
    """One corpus-wide stage: its name and the config section it reads."""

    name: str
    section: str


CORPUS_STAGES: tuple[CorpusStage, ...] = (
    CorpusStage("link", "link"),
    CorpusStage("cluster", "cluster"),
    CorpusStage("match", "matches"),
    CorpusStage("split", "split"),
    CorpusStage("labels", "labels"),
)
"""Every corpus-wide stage before writing, in the order they run, with the section it reads."""

_SECTIONS = {stage.name: stage.section for stage in CORPUS_STAGES}


def _options(cfg: BuildConfig, stage: str) -> Any:
    """The one config section ``stage`` declares."""
    return getattr(cfg, _SECTIONS[stage])


def stage_key(cfg: BuildConfig, stage: str, inputs: list[Any]) -> str:
    """The cache key of a corpus-wide stage's result: its name, the options of the section it declares, and what
    names its inputs."""
    return Cache.key([stage, cfg.options()[_SECTIONS[stage]], *inputs])


@dataclass(frozen=True)
class Assembled:
    """What the global stages decided, by claim position and article index in the spool."""

    identities: Identities
    clusters: Clusters
    claim_start: np.ndarray  # article i's claims are claim_start[i]:claim_start[i+1]
    split_of_article: np.ndarray  # int8: index into builder.split.SPLITS
    labels: dict[int, tuple[int, Label]]  # claim position -> (line in labels file, label)
    labels_file: str
    counts: BuildCounts
    orphans: list[Rejection]
    uneven_splits: tuple[UnevenSplit, ...] = ()  # splits empty or far from their ratio, and why
    matches: ClaimMatches | None = None
    factchecks: tuple[FactCheck, ...] = ()
    stored: Path | None = None
    """Where its per-claim arrays are saved (:meth:`stored_in`): pickled, it then carries the path, not them."""

    def stored_in(self, folder: Path) -> Assembled:
        """The same, its per-claim and per-article arrays saved in ``folder``, so that handing it to each of many
        worker processes costs a path; they map the arrays from disk."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, values in self._arrays().items():
            np.save(folder / f"{name}.npy", values)
        return replace(self, stored=folder)

    def _arrays(self) -> dict[str, np.ndarray]:
        return {
            "cluster_id": self.clusters.cluster_id,
            "cluster_size": self.clusters.size,
            "claim_start": self.claim_start,
            "split_of_article": self.split_of_article,
            "match_group": self._match_group(),
        }

    def _match_group(self) -> np.ndarray:
        if self.matches is None:
            return np.zeros(self.clusters.cluster_id.size, dtype=np.uint64)
        return self.matches.group

    def __reduce__(self) -> tuple[Any, ...]:
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        if self.stored is not None:
            empty = np.empty(0, dtype=np.int64)
            values.update(claim_start=empty, split_of_article=empty)
            values["clusters"] = replace(self.clusters, cluster_id=empty, size=empty)
            if self.matches is not None:
                values["matches"] = replace(self.matches, group=empty, pairs=[], factchecks={})
        return (_restored, (values,))

    def fill_claims(self, table: pa.Table, positions: np.ndarray) -> pa.Table:
        """Claim rows (at ``positions`` in the corpus) with speaker ids, clusters, split and labels filled in."""
        import pyarrow as pa

        ids = self.identities.ids
        articles = np.searchsorted(self.claim_start, positions, side="right") - 1
        columns = {
            "speaker_id": pa.array(
                [ids[s][0] if s in ids else None for s in table.column("speaker").to_pylist()], pa.string()
            ),
            "cluster_id": pa.array([f"{x:016x}" for x in self.clusters.cluster_id[positions].tolist()], pa.string()),
            "cluster_size": pa.array(self.clusters.size[positions], pa.int64()),
            "match_group": pa.array(
                [f"{x:016x}" if x else None for x in self._match_group()[positions].tolist()], pa.string()
            ),
            "split": pa.array(self.split_of_article[articles].astype(np.int64), pa.int64()),
        }
        curated = self.identities.types
        if curated:
            # A curated type overrides the inferred one on every claim linked to that speaker.
            order = list(SpeakerType)
            speakers, inferred = table.column("speaker").to_pylist(), table.column("speaker_type").to_pylist()
            typed = [
                order.index(curated[ids[s][0]]) if s in ids and ids[s][0] in curated else kind
                for s, kind in zip(speakers, inferred, strict=True)
            ]
            columns["speaker_type"] = pa.array(typed, pa.int64())
        labelled = [self.labels.get(position) for position in positions.tolist()] if self.labels else []
        if any(labelled):
            columns["verdict"] = pa.array([x[1].verdict if x else None for x in labelled], pa.string())
            columns["check_worthy"] = pa.array([x[1].check_worthy if x else None for x in labelled], pa.bool_())
            columns["correction"] = pa.array([x[1].correction if x else None for x in labelled], pa.string())
            columns["label_source"] = pa.array(
                [f"{self.labels_file}:{x[0]}" if x else None for x in labelled], pa.string()
            )
        return _replace(table, columns)

    def fill_articles(self, table: pa.Table, positions: np.ndarray) -> pa.Table:
        """Article rows (at ``positions`` in input order) with their split filled in."""
        import pyarrow as pa

        return _replace(table, {"split": pa.array(self.split_of_article[positions].astype(np.int64), pa.int64())})


def _restored(values: dict[str, Any]) -> Assembled:
    """An unpickled :class:`Assembled`, its arrays mapped from where they are stored."""
    stored: Path | None = values["stored"]
    if stored is not None:

        def load(name: str) -> np.ndarray:
            array: np.ndarray = np.load(stored / f"{name}.npy", mmap_mode="r")
            return array

        values["clusters"] = replace(values["clusters"], cluster_id=load("cluster_id"), size=load("cluster_size"))
        if values["matches"] is not None:
            values["matches"] = replace(values["matches"], group=load("match_group"))
        values.update(claim_start=load("claim_start"), split_of_article=load("split_of_article"))
    return Assembled(**values)


def _replace(table: pa.Table, columns: dict[str, pa.Array]) -> pa.Table:
    import pyarrow as pa

    arrays = [columns.get(name, table.column(name)) for name in table.schema.names]
    return pa.Table.from_arrays(arrays, schema=table.schema)


def assemble(
    spool: Spool,
    counts: BuildCounts,
    cfg: BuildConfig,
    clock: Clock | None = None,
    pool: Executor | None = None,
    factchecks: tuple[FactCheck, ...] = (),
) -> Assembled:
    """Run the global stages on a closed spool; labels that do not anchor raise :class:`LabelError` unless
    orphans are allowed (bad label lines always do). ``clock`` adds up what each stage costs in this process;
    ``pool``'s processes (up to ``cfg.workers``) verify the clustering's bands between them."""
    timed = clock or Clock()
    with timed("link"):
        identities = link_speakers(
            spool.spoken, spool.titled, read_curated_speakers(cfg.raw_dir, _options(cfg, "link"))
        )
    with timed("cluster"):
        options = _options(cfg, "cluster")
        clusters = _reused(
            cfg,
            "cluster",
            [spool.content_digest],
            (_cluster_parts, _clusters_from),
            lambda: cluster(
                spool.sketches,
                spool.claim_ids,
                spool.article_of_claim,
                spool.outlet_of_claim,
                options,
                pool,
                min(cfg.workers, options.bands),
            ),
        )
    spool.sketches.release()  # 24 bytes an item, not needed by publishing
    with timed("match"):
        options = _options(cfg, "match")
        speaker_ids = {text: speaker_id for text, (speaker_id, _) in identities.ids.items()}
        model_file = cfg.raw_dir / options.model_file
        matches = _reused(
            cfg,
            "match",
            [
                spool.content_digest,
                array_digest(clusters.cluster_id),
                sorted(speaker_ids.items()),
                [check.model_dump(mode="json") for check in factchecks],
                _file_digest(model_file),
            ],
            (_match_parts, _matches_from),
            lambda: match_claims(
                spool.files(),
                spool.claim_ids,
                clusters.cluster_id,
                spool.article_of_claim,
                spool.published,
                speaker_ids,
                factchecks,
                options,
                pool,
                model_file,
            ),
        )
    with timed("split"):
        options = _options(cfg, "split")
        # a match group is whole clusters: split by it, so that no two claims of one group land in two splits
        kept_together = np.where(matches.group != 0, matches.group, clusters.cluster_id)
        # the rows (each article's hash, date and claims) and what keeps claims together name the result
        split_of_article, splits = _reused(
            cfg,
            "split",
            [spool.content_digest, array_digest(kept_together)],
            (_split_parts, _split_from),
            lambda: assign_splits(spool.sha256, spool.published, spool.article_of_claim, kept_together, options),
        )
        uneven = tuple(uneven_splits(splits, options))
    with timed("labels"):
        assembled = _with_labels(
            spool, counts, cfg.raw_dir, _options(cfg, "labels"), identities, clusters, split_of_article
        )
    stats = matches.stats
    counts = assembled.counts.model_copy(
        update={
            "claims_per_split": splits.claims,
            "articles_per_split": splits.articles,
            "match_groups": stats.groups,
            "claims_in_match_groups": stats.claims_in_groups,
            "matched_pairs": stats.matched_pairs,
            "factcheck_matches": stats.factcheck_rows,
        }
    )
    return replace(assembled, counts=counts, matches=matches, factchecks=factchecks, uneven_splits=uneven)


def _file_digest(path: Path) -> str | None:
    """The SHA-256 of a file the options name, or None when there is none (one that cannot be read was refused
    before the build began)."""
    try:
        return file_entry(path, path.parent).sha256
    except FileNotFoundError:
        return None


def _reused(
    cfg: BuildConfig,
    stage: str,
    inputs: list[Any],
    encoding: tuple[Callable[[T], tuple[bytes, ...]], Callable[[tuple[bytes, ...] | None], T | None]],
    run: Callable[[], T],
) -> T:
    """``stage``'s result as the cache kept it under its key (:func:`stage_key` of ``inputs``), else ``run``'s,
    then kept; ``encoding`` turns a result into the cache's byte strings, and them back into it (None: none)."""
    key = stage_key(cfg, stage, inputs)
    write, read = encoding
    result = read(_load(cfg, stage, key))
    if result is None:
        result = run()
        _store(cfg, stage, key, write(result))
    return result


def _load(cfg: BuildConfig, stage: str, key: str) -> tuple[bytes, ...] | None:
    """What the cache kept of ``stage``'s result under ``key`` (in the cache's folder named after the stage)."""
    return Cache(cfg.cache_dir / stage).load(key) if cfg.cache_dir is not None else None


def _store(cfg: BuildConfig, stage: str, key: str, parts: tuple[bytes, ...]) -> None:
    """Keep a corpus-wide result; as for the per-article results, a cache that cannot be written never fails a
    build."""
    if cfg.cache_dir is not None:
        with contextlib.suppress(OSError):
            Cache(cfg.cache_dir / stage).store(key, parts)


def _cluster_parts(clusters: Clusters) -> tuple[bytes, ...]:
    stats = json.dumps(asdict(clusters.stats)).encode("utf-8")
    return (clusters.cluster_id.tobytes(), clusters.size.tobytes(), stats)


def _match_parts(matches: ClaimMatches) -> tuple[bytes, ...]:
    pairs = [[first, second, score, list(words)] for first, second, score, words in matches.pairs]
    factchecks = [[cluster_id, found] for cluster_id, found in sorted(matches.factchecks.items())]
    return (
        matches.group.tobytes(),
        json.dumps(pairs).encode("utf-8"),
        json.dumps(factchecks).encode("utf-8"),
        json.dumps(asdict(matches.stats)).encode("utf-8"),
    )


def _matches_from(entry: tuple[bytes, ...] | None) -> ClaimMatches | None:
    """Matches read back from the cache (None: none kept). JSON keeps a float's exact value, so a score read back
    is the one computed."""
    if entry is None or len(entry) != 4:
        return None
    group, pairs, factchecks, stats = entry
    return ClaimMatches(
        np.frombuffer(group, dtype=np.uint64),
        [(first, second, score, tuple(words)) for first, second, score, words in json.loads(pairs)],
        {cluster_id: [(index, score) for index, score in found] for cluster_id, found in json.loads(factchecks)},
        MatchStats(**json.loads(stats)),
    )


def _split_parts(split: tuple[np.ndarray, SplitStats]) -> tuple[bytes, ...]:
    split_of_article, splits = split
    stats = asdict(splits)
    dates = splits.largest_group_dates
    stats["largest_group_dates"] = None if dates is None else [day.isoformat() for day in dates]
    return (split_of_article.astype(np.int8).tobytes(), json.dumps(stats).encode("utf-8"))


def _split_from(entry: tuple[bytes, ...] | None) -> tuple[np.ndarray, SplitStats] | None:
    """Each article's split and the split sizes read back from the cache (None: none kept)."""
    if entry is None or len(entry) != 2:
        return None
    split_of_article, stats = entry
    values = json.loads(stats)
    dates = values.pop("largest_group_dates")
    first_last = None if dates is None else (date.fromisoformat(dates[0]), date.fromisoformat(dates[1]))
    return np.frombuffer(split_of_article, dtype=np.int8), SplitStats(**values, largest_group_dates=first_last)


def _clusters_from(entry: tuple[bytes, ...] | None) -> Clusters | None:
    """Clusters read back from the cache (None: none kept)."""
    if entry is None or len(entry) != 3:
        return None
    ids, sizes, stats = entry
    return Clusters(
        np.frombuffer(ids, dtype=np.uint64), np.frombuffer(sizes, dtype=np.int64), ClusterStats(**json.loads(stats))
    )


def _with_labels(
    spool: Spool,
    counts: BuildCounts,
    raw_dir: Path,
    options: LabelConfig,
    identities: Identities,
    clusters: Clusters,
    split_of_article: np.ndarray,
) -> Assembled:
    """The labels anchored to their claims, with what the stages before decided and the counts so far."""
    labels, bad_lines = read_labels(raw_dir, options)
    order = np.argsort(spool.claim_ids, kind="stable")
    ordered = spool.claim_ids[order]

    def position_of(claim_id: str) -> int | None:
        value = np.uint64(int(claim_id, 16))
        at = int(np.searchsorted(ordered, value))
        return int(order[at]) if at < ordered.size and ordered[at] == value else None

    wanted = {
        label.selector.article
        for _, label in labels
        if label.selector is not None and (label.claim_id is None or position_of(label.claim_id) is None)
    }
    anchored, merged = merge_labels(labels, position_of, _article_lookup(spool, wanted), options)
    problems = bad_lines + merged.problems
    if problems or (merged.orphans and not options.allow_orphans):
        raise LabelError(problems + merged.orphans)
    stats = clusters.stats
    counts = counts.model_copy(
        update={
            "speakers": len({speaker_id for speaker_id, _ in identities.ids.values()}),
            "clusters": stats.clusters,
            "multi_claim_clusters": stats.multi_claim_clusters,
            "cross_article_clusters": stats.cross_article_clusters,
            "labels_merged": merged.merged,
            "labels_reanchored": merged.reanchored,
            "labels_orphaned": len(merged.orphans),
        }
    )
    return Assembled(
        identities,
        clusters,
        spool.claim_start,
        split_of_article,
        anchored,
        options.labels_file,
        counts,
        merged.orphans,
    )


def _article_lookup(spool: Spool, wanted: set[str]) -> ArticleLookup:
    """Texts and claim spans of the articles named in ``wanted`` (by id, source file or file name), read in one
    pass over the spool; a name means the first article, in input order, that answers to it."""
    index: dict[str, int] = {}
    for number, (article_id, source) in enumerate(zip(spool.article_ids, spool.source_files, strict=True)):
        for name in (article_id, source, PurePosixPath(source).name):
            if name in wanted:
                index.setdefault(name, number)
    needed = set(index.values())
    found: dict[int, tuple[str, list[ClaimSpan]]] = {}
    if needed:
        claims_of = spool.iter_claims()
        for number, article in enumerate(spool.iter_articles()):
            claims = next(claims_of)
            if number not in needed:
                continue
            first = int(spool.claim_start[number])
            spans = [
                ClaimSpan(first + offset, claim_id, start, end)
                for offset, (claim_id, start, end) in enumerate(
                    zip(*(claims.column(n).to_pylist() for n in ("claim_id", "char_start", "char_end")), strict=True)
                )
            ]
            found[number] = (article.column("text")[0].as_py(), spans)

    def lookup(name: str) -> tuple[str, list[ClaimSpan]] | None:
        return found.get(index[name]) if name in index else None

    return lookup
