"""The one place the whole build is composed.

::

    raw/articles ─ingest (formats/)→ units ─engine→ work: read, then STAGES: clean → validate → extract → sketch
                     └── Rejected (every problem of one input) ───────────────────────────────────────┐
    ─dedupe→ spool (rows on disk, keys in memory) ─assemble: link → cluster → split → labels→
    ─write→ ─verify→ swap → dist/

:func:`check` (``factpack validate``) runs the same :data:`~builder.stages.STAGES` up to validation, in this
process, and the same deduplication. The per-article stages run on the engine's workers
(:mod:`builder.engines`, :mod:`builder.work`); the global stages (:func:`builder.assemble.assemble`) work on
the spool's keys; writing streams the rows back.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from builder.assemble import assemble
from builder.cache import Cache
from builder.config import BuildConfig
from builder.dataset_folder import MANIFEST_NAME
from builder.dedupe import DEDUPE_KEYS, Deduplicator
from builder.engines import run_engine
from builder.engines.local import PARALLEL_ROWS, worker_pool
from builder.errors import (
    ConfigError,
    InputError,
    InvalidArticlesError,
    LabelError,
    OutputError,
    VerificationError,
)
from builder.extract.worthiness_model import model_in
from builder.factchecks import read_factchecks
from builder.features import from_rows
from builder.files import file_entry, os_reason
from builder.formats import FORMATS
from builder.ingest import Unit, iter_units, read_unit
from builder.kept import KeptSpool, kept_folder
from builder.labels import read_labels
from builder.link import read_curated_speakers
from builder.match.model import match_model_in
from builder.models import (
    Article,
    ArticleCounts,
    BuildCounts,
    BuildReport,
    Claim,
    FileEntry,
    Rejected,
    Rejection,
    ValidationReport,
)
from builder.packed import Packed, Summary
from builder.spool import Spool
from builder.stages import VALIDATED, dropping, run_kept
from builder.swap import check_replaceable, locked, recover, signals_held, staging_folder, swap_in
from builder.timings import Clock, report_timings
from builder.unchanged import look, previous_report, remember
from builder.verify import verify_timed
from builder.work import UnitResult
from builder.write import write_dataset
from builder.write.meta import read_dataset_meta
from builder.write.tally import Tally

__all__ = ["PUBLISHING", "Extraction", "Progress", "StageProgress", "build", "check", "extract_all"]


Progress = Callable[[str], None]
"""Called with the source of each input as it is finished ('articles/x.txt' or 'feed.jsonl:3')."""
StageProgress = Callable[[str], None]
"""Called with the name of each corpus-wide stage as it starts ('linking, clustering, splitting', …)."""
PUBLISHING = "putting the new folder in place"
"""The last stage: the new folder verified, the build puts it in place of the old one. From here on an interrupt
no longer leaves the old dataset (the command lets the build finish, then says so)."""


def _validated(
    cfg: BuildConfig, seen: list[FileEntry], progress: Progress | None
) -> Iterator[tuple[Article | Rejected, tuple[Rejection, ...]]]:
    """Every input read and run through the stages up to validation, in this process, with the fields dropped from
    it (``--drop-bad-metadata``); repeats rejected."""
    deduplicator = Deduplicator()
    for unit in iter_units(cfg.raw_dir, cfg.ingest, seen):
        raw = read_unit(unit, cfg.raw_dir, cfg.ingest, seen)
        kept, dropped = dropping(raw, cfg)
        item, dropped = run_kept(raw, kept, dropped, cfg, until=VALIDATED)
        if isinstance(item, Article):
            repeated = deduplicator.admit(item.model_dump(include=set(DEDUPE_KEYS)))
            item, dropped = (repeated, ()) if repeated else (item, dropped)
        yield item, dropped
        if progress is not None:
            progress(item.source if isinstance(item, Rejected) else item.source_file)


def _tally(
    cfg: BuildConfig, accepted: int, rejected: list[Rejected], dropped: list[Rejection]
) -> tuple[ArticleCounts, list[Rejection]]:
    """Counts that reconcile, and every problem: the rejected articles', then the fields dropped from accepted ones;
    refuses a raw folder with no input at all."""
    if accepted + len(rejected) == 0:
        found = " or ".join(f"*{suffix}" for suffix in FORMATS)
        raise InputError(f"{cfg.raw_dir / cfg.ingest.articles_dir}: no {found} articles found")
    rejections = [problem for item in rejected for problem in item.problems]
    counts = ArticleCounts(
        articles_seen=accepted + len(rejected),
        articles_accepted=accepted,
        articles_rejected=len(rejected),
        rejections=len(rejections),
        fields_dropped=len(dropped),
    )
    return counts, rejections + dropped


def check(cfg: BuildConfig, progress: Progress | None = None) -> ValidationReport:
    """Ingest, clean, validate and dedupe every input, and read the curated files, without writing anything."""
    accepted = 0
    rejected: list[Rejected] = []
    dropped: list[Rejection] = []
    for item, fields in _validated(cfg, [], progress):
        if isinstance(item, Rejected):
            rejected.append(item)
        else:
            accepted += 1
            dropped.extend(fields)
    counts, rejections = _tally(cfg, accepted, rejected, dropped)
    read_curated_speakers(cfg.raw_dir, cfg.link)  # raises, naming the entry, when the file is bad
    read_dataset_meta(cfg.raw_dir, cfg.publish)  # raises, naming the field
    model_in(cfg.raw_dir / cfg.extract.worthiness_model)  # raises, naming the file
    _, bad_lines = read_labels(cfg.raw_dir, cfg.labels)
    return ValidationReport(counts=counts, rejections=rejections + bad_lines)


@dataclass(frozen=True)
class _Admitted:
    """One unit's result: when it is accepted, its summary and the packed article, or where the kept spool holds
    its rows (``kept``, an article index); else why it is not."""

    result: UnitResult
    packed: Packed | None = None
    summary: Summary | None = None
    rejected: Rejected | None = None
    kept: int = -1


def _kept_rows(
    cfg: BuildConfig, result: UnitResult, kept: KeptSpool | None, hint: int
) -> tuple[Packed | None, Summary, int]:
    """A kept result's summary and where the kept spool holds its rows (likely at ``hint``); or, should the kept
    spool no longer hold them, the cache's entry (another process changed the cache during the build)."""
    article = -1 if kept is None else kept.keys.index(bytes.fromhex(result.key), hint)
    if kept is not None and article >= 0:
        summary: Summary = json.loads(kept.summary(article))
        return None, summary, article
    hit = Cache(cfg.cache_dir).load(result.key) if cfg.cache_dir is not None else None
    if hit is None or len(hit) != len(Packed.__dataclass_fields__):
        raise ConfigError(
            f"{cfg.cache_dir}: the cache changed while the build read it ({result.source}'s rows went); another "
            "process wrote it: build again"
        )
    packed = Packed(*hit)
    return packed, packed.summarized(), -1


def _admitted(
    cfg: BuildConfig,
    seen: list[FileEntry],
    progress: Progress | None,
    driver: Clock | None = None,
    pool: Executor | None = None,
    kept: KeptSpool | None = None,
) -> Iterator[_Admitted]:
    """Every unit's result from the engine (the local one on ``pool`` when given), in input order, its summary
    read; an article that repeats an earlier one is rejected here. ``driver`` adds up what this costs the driver
    ("admit"), and listing the raw folder as the engine takes its units ("list"). With ``kept``, an unchanged
    article's rows stay in the kept spool (``_Admitted.kept``)."""
    deduplicator = Deduplicator()
    timed = driver or Clock()
    units = _listed(iter_units(cfg.raw_dir, cfg.ingest, seen), timed)
    following = 0  # the kept article after the last one taken: most likely the next
    for result in run_engine(units, cfg, pool, None if kept is None else kept.ref):
        with timed("admit"):
            seen.extend(result.inputs)
            if result.kept:
                packed, summary, article = _kept_rows(cfg, result, kept, following)
                following = article + 1 if article >= 0 else following
            elif result.packed is not None:
                packed, summary, article = result.packed, result.packed.summarized(), -1
            else:
                admitted = _Admitted(result, rejected=result.rejected)
                summary = None
            if summary is not None:
                repeated = deduplicator.admit(summary)
                admitted = (
                    _Admitted(result, rejected=repeated)
                    if repeated
                    else _Admitted(result, packed, summary, kept=article)
                )
        yield admitted
        if progress is not None:
            progress(result.source)


def _listed(units: Iterator[Unit], timed: Clock) -> Iterator[Unit]:
    """``units``, each one's listing (the driver's, however the engine takes them) added up as "list"."""
    while True:
        with timed("list"):
            unit = next(units, None)
        if unit is None:
            return
        yield unit


@contextmanager
def _build_pool(cfg: BuildConfig, work: Path) -> Iterator[Executor | None]:
    """Where the build's tasks run, started once for the per-article stages and the corpus-wide ones: with the
    Ray engine, Ray tasks on the build's Ray (held for the whole build); with the local engine and more than one
    worker, worker processes; else none. Ray's tasks read and write in ``work``, beside ``--out``. When the build
    fails or is interrupted, queued work is cancelled and running work killed before the build's folders are
    removed (see :func:`worker_pool` and :class:`~builder.engines.ray.RayTasks`)."""
    if cfg.engine == "ray":
        from builder.engines.ray import ray_tasks

        with ray_tasks(cfg.workers, cfg.ray_address, work) as tasks:
            yield tasks
        return
    if cfg.workers <= 1:
        yield None
        return
    with worker_pool(cfg.workers) as pool:
        yield pool


def _tail_pool(cfg: BuildConfig, claims: int, pool: Executor | None) -> AbstractContextManager[Executor | None]:
    """Where the corpus-wide stages' tasks run (clustering's bands, each shard's writer and checks): for a large
    corpus (:data:`PARALLEL_ROWS` claims) built with workers, the build's ``pool`` (Ray tasks under the Ray
    engine), or processes started now; else none, and these stages run in this process."""
    if cfg.workers <= 1 or claims < PARALLEL_ROWS:
        return nullcontext(None)
    return nullcontext(pool) if pool is not None else worker_pool(cfg.workers)


@dataclass(frozen=True)
class Extraction:
    """What the per-article stages produced for a raw folder, as records in memory (for small corpora)."""

    articles: list[Article]
    claims: list[Claim]
    rejections: list[Rejection]
    counts: BuildCounts
    from_cache: int = 0


def extract_all(cfg: BuildConfig, progress: Progress | None = None) -> Extraction:
    """Run the per-article stages on the configured engine and workers and return the records; nothing is
    published and no global stage runs. For evaluation and inspection of small corpora: it holds everything."""
    articles: list[Article] = []
    claims: list[Claim] = []
    rejected: list[Rejected] = []
    dropped: list[Rejection] = []
    from_cache = 0
    for item in _admitted(cfg, [], progress):
        from_cache += item.result.cached
        if item.rejected is not None:
            rejected.append(item.rejected)
        elif item.packed is not None:
            article, rows = item.packed.batches()
            articles.extend(from_rows(Article, article))
            claims.extend(from_rows(Claim, rows))
            dropped.extend(item.result.dropped)
    counts, rejections = _tally(cfg, len(articles), rejected, dropped)
    return Extraction(articles, claims, rejections, BuildCounts(**counts.model_dump(), claims=len(claims)), from_cache)


def _check_out(cfg: BuildConfig) -> None:
    """Refuse an output folder whose replacement would destroy something factpack did not make."""
    out, raw = cfg.out_dir.resolve(), cfg.raw_dir.resolve()
    # Not even beside the articles: a dataset replaced inside the raw folder would be swapped in and out of the
    # folder the build reads, and published with it if the raw folder is.
    if out == raw or out in raw.parents or raw in out.parents:
        raise ConfigError(
            f"{cfg.out_dir}: the output folder must not be, contain or lie inside the raw folder {raw}; choose "
            "another --out"
        )
    check_replaceable(
        cfg.out_dir, lambda folder: (folder / MANIFEST_NAME).is_file(), f"factpack dataset (no {MANIFEST_NAME})"
    )


def build(
    cfg: BuildConfig,
    progress: Progress | None = None,
    stages: StageProgress | None = None,
    waiting: Callable[[int | None], None] | None = None,
) -> BuildReport:
    """Build the dataset folder ``cfg.out_dir`` from ``cfg.raw_dir``; the old folder stays until the new is whole.

    ``progress`` hears of every input as it is done, ``stages`` of every corpus-wide stage as it starts. One build
    at a time writes an output folder: another one's raises :class:`OutputError` naming its pid, or, with
    ``cfg.wait``, is waited for (``waiting`` hears its pid).
    """
    _check_out(cfg)
    with locked(cfg.out_dir, wait=cfg.wait, waiting=waiting):
        return _locked_build(cfg, progress, stages)


def _usable_cache(cfg: BuildConfig) -> tuple[BuildConfig, list[str]]:
    """The options with the cache dropped when it cannot be written (read-only, full, not a folder), and the
    warning saying so: a cache makes a build faster, it is never a reason for one to fail."""
    if cfg.cache_dir is None:
        return cfg, []
    try:
        cfg.cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cfg.cache_dir, prefix=".probe-") as probe:
            probe.write(b"factpack")
            probe.flush()
    except OSError as exc:
        warning = f"{cfg.cache_dir}: the cache cannot be written ({os_reason(exc)}); building without it"
        return cfg.model_copy(update={"cache_dir": None}), [warning]
    return cfg, []


def _locked_build(cfg: BuildConfig, progress: Progress | None, stages: StageProgress | None) -> BuildReport:
    recover(cfg.out_dir)  # under the lock: whatever another build left, it is not running any more
    cfg, warnings = _usable_cache(cfg)
    driver = Clock()
    state = previous = None
    if cfg.cache_dir is not None:
        with driver("unchanged"):
            state = look(cfg)
            previous = None if state is None else previous_report(cfg, state)
    if previous is not None:
        timings, serial_share = report_timings(Clock(), driver)
        return previous.model_copy(
            update={
                "unchanged": True,
                "from_cache": previous.counts.articles_seen,  # every input's result is the recorded one
                "timings": timings,
                "serial_share": serial_share,
                "warnings": warnings + previous.warnings,
            }
        )
    try:
        staging = staging_folder(cfg.out_dir)
        work = staging_folder(cfg.out_dir, "spool-")
    except OSError as exc:
        raise OutputError(
            f"{cfg.out_dir}: cannot create a folder beside it ({os_reason(exc)}); check the path"
        ) from exc
    spool: Spool | None = None
    kept_in = None if cfg.cache_dir is None else kept_folder(cfg.cache_dir, cfg.out_dir)
    kept = None if kept_in is None else KeptSpool.open(kept_in, cfg.cluster.bands)
    try:
        spool = Spool(work, cfg, kept)
        with _build_pool(cfg, work) as pool:
            report = _build(cfg, spool, staging, progress, stages or (lambda _name: None), pool, driver)
        published_ns = time.time_ns()
        if kept_in is not None:
            _keep(spool, kept, kept_in)
        if state is not None:
            remember(cfg, state, report, published_ns)
        return report.model_copy(update={"warnings": warnings + report.warnings})
    except Exception as exc:
        if kept_in is not None and isinstance(exc, _INPUT_FAULTS):
            if spool is not None and spool.closed:  # whole rows: the next build, its input fixed, takes them
                _keep(spool, kept, kept_in)
        elif kept_in is not None and kept is not None:
            _discard(kept, kept_in)
        if isinstance(exc, OSError):
            where = exc.filename or cfg.out_dir
            raise OutputError(
                f"{where}: cannot write the dataset ({os_reason(exc)}); free space on that disk, check its rights, "
                "or choose another --out"
            ) from exc
        raise
    finally:
        if kept is not None:
            kept.close()
        _clean_up(spool, staging, work)


_INPUT_FAULTS = (InvalidArticlesError, LabelError, InputError)
"""Failures of the raw folder's own making, which a kept spool cannot have caused: the build's spool, when it is
whole, is kept as a successful build's is (it may have taken the kept spool's files)."""


def _keep(spool: Spool, kept: KeptSpool | None, folder: Path) -> None:
    """The build is in place: keep its spool for the next build of the folder. Nothing here fails the build (it
    has published); a spool that cannot be kept leaves the next build to read the cache."""
    if kept is not None:
        kept.close()
    try:
        spool.release()
    except OSError:
        return
    spool.keep(folder)


def _discard(kept: KeptSpool, folder: Path) -> None:
    """A build that copied from a kept spool failed in a way the spool may have caused (a read fault, a result
    that does not verify, a bug): remove it, so that the next build reads the checked per-article cache instead
    of failing again the same way."""
    kept.close()
    shutil.rmtree(folder, ignore_errors=True)


def _clean_up(spool: Spool | None, *folders: Path) -> None:
    """Close the spool and remove the build's folders, after a success or a failure. A fault here (the disk that
    just filled up refusing to close a file) must not mask the one the user is told about: the next build's
    :func:`~builder.swap.recover` removes whatever is left. An interrupt waits until it is done, so that the
    folders are gone when the user is told they are."""
    steps: list[Callable[[], object]] = [] if spool is None else [spool.release]
    steps += [functools.partial(shutil.rmtree, folder) for folder in folders if folder.exists()]
    with signals_held():
        for step in steps:
            try:
                step()
            except OSError:
                continue


def _build(
    cfg: BuildConfig,
    spool: Spool,
    staging: Path,
    progress: Progress | None,
    stages: StageProgress,
    pool: Executor | None,
    driver: Clock,
) -> BuildReport:
    meta = read_dataset_meta(cfg.raw_dir, cfg.publish)  # before the long part: a typo here fails at once
    model_in(cfg.raw_dir / cfg.extract.worthiness_model)  # a model file of another format, too
    match_model_in(cfg.raw_dir / cfg.matches.model_file)
    seen: list[FileEntry] = []
    rejected: list[Rejected] = []
    dropped: list[Rejection] = []
    from_cache = 0
    tally = Tally()
    workers = Clock()
    with driver("factchecks"):  # before the long part, as the metadata: a bad record fails at once
        factchecks, bad_factchecks = read_factchecks(
            cfg.raw_dir, cfg.matches.factchecks_dir, credentials=tally.credentials
        )
    if bad_factchecks and not cfg.validation.skip_invalid:
        raise InvalidArticlesError(bad_factchecks)
    for item in _admitted(cfg, seen, progress, driver, pool, spool.kept):
        from_cache += item.result.cached
        workers.extend(item.result.timings)
        with driver("spool"):
            if item.rejected is not None:
                rejected.append(item.rejected)
            elif item.summary is not None:
                if item.packed is not None:
                    spool.append(item.packed, item.summary, item.result.key)
                else:
                    spool.append_kept(item.kept, item.summary)
                dropped.extend(item.result.dropped)
                tally.add(item.summary)
                tally.credentials.add(item.result.credentials)
    with driver("spool"):
        spool.close()
    articles = len(spool.article_ids)
    counts, rejections = _tally(cfg, articles, rejected, dropped)
    if rejected and not cfg.validation.skip_invalid:
        raise InvalidArticlesError([rejection for rejection in rejections if not rejection.kept])
    if not articles:
        raise InputError(f"{cfg.raw_dir}: every input was rejected, so there is nothing to publish")
    if not spool.claims:
        raise InputError(
            f"{cfg.raw_dir}: no claim was found in {articles} article(s), so there is nothing to "
            "publish; check that the texts hold body sentences"
        )
    for name in (
        cfg.link.speakers_file,
        cfg.labels.labels_file,
        cfg.publish.metadata_file,
        cfg.extract.worthiness_model,
        cfg.matches.model_file,
    ):
        if (cfg.raw_dir / name).is_file():
            seen.append(file_entry(cfg.raw_dir / name, cfg.raw_dir))
    rejections = rejections + bad_factchecks
    for path in sorted({check.source.split(":")[0] for check in factchecks}):
        seen.append(file_entry(cfg.raw_dir / path, cfg.raw_dir))
    with _tail_pool(cfg, spool.claims, pool) as tail:
        stages(f"linking, clustering, matching, splitting {spool.claims:,} claims")
        assembled = assemble(
            spool, BuildCounts(**counts.model_dump(), claims=spool.claims), cfg, driver, tail, tuple(factchecks)
        )
        if assembled.clusters.cpu_elsewhere:
            workers.add("cluster", 0.0, assembled.clusters.cpu_elsewhere)
        if assembled.matches is not None and assembled.matches.cpu_elsewhere:
            workers.add("match", 0.0, assembled.matches.cpu_elsewhere)
        rejections = rejections + assembled.orphans
        stages("writing shards, card and manifest")
        with driver("write"):
            manifest, elsewhere = write_dataset(staging, spool, assembled, rejections, seen, meta, tally, cfg, tail)
        if elsewhere:
            workers.add("write", 0.0, elsewhere)
        spool.release()  # its files are read to the end: close them before verify reads every shard
        # What publishing read is let go of: verify's checks across shards hold every claim's keys at once.
        spool.drop_keys()
        built, uneven, outputs = assembled.counts, assembled.uneven_splits, manifest.outputs
        del assembled, manifest
        seen.clear()
        stages("verifying the new folder against its card, manifest and raw files")
        with driver("verify"):
            kept = cfg.cache_dir / "verify" if cfg.cache_dir is not None else None
            verified, elsewhere = verify_timed(staging, cfg.raw_dir, pool=tail, kept=kept)
        if elsewhere:
            workers.add("verify", 0.0, elsewhere)
    if not verified.ok:
        raise VerificationError(
            verified,
            f"{cfg.out_dir}: the new dataset does not verify, so the old one was left in place",
            "fix the cause in the raw folder (a curated file), or report a bug when the data is factpack's own",
        )
    stages(PUBLISHING)
    with driver("swap"):
        swap_in(staging, cfg.out_dir)
    timings, serial_share = report_timings(workers, driver)
    return BuildReport(
        out_dir=str(Path(cfg.out_dir)),
        counts=built,
        from_cache=from_cache,
        rejections=rejections,
        outputs=outputs,
        timings=timings,
        serial_share=serial_share,
        credentials=tally.credentials.report(),
        uneven_splits=list(uneven),
        warnings=[str(split) for split in uneven],
    )
