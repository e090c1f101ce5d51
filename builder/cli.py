"""The ``factpack`` command: parse arguments, call one library function, render its result.

A :class:`FactpackError` becomes a message on stderr and the exit code its class carries; no traceback.

Why one long module: a command is one short function (its options, one library call, the rendering of its
result), and the commands share the option types and the error mapping; split, each file would import the rest.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar, cast

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from builder.config import (
    BuildConfig,
    IngestConfig,
    LabelConfig,
    PublishConfig,
    SplitConfig,
    ValidateConfig,
    default_cache_dir,
)
from builder.errors import FactpackError, InvalidArticlesError, LabelError, VerificationError
from builder.export import EXPORTS

if TYPE_CHECKING:
    from builder.models import BuildReport, DecisionQuality

__all__ = ["app", "main"]


class _OneLineUsageErrors(TyperGroup):
    """A bad option or argument is one line on stderr and exit 2, as every error is (click's usage box is five)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        run = partial(super().main, args, prog_name, complete_var, False, windows_expand_args, **extra)
        if not standalone_mode:
            return run()
        try:
            code = run()  # typer.Exit(n) comes back as n
        except NoArgsIsHelpError as exc:  # a bare group: its help, as before
            typer.echo(exc.ctx.get_help() if exc.ctx is not None else "", err=True)
            sys.exit(exc.exit_code)
        except UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "factpack"
            typer.echo(f"error: {exc.format_message()} (see '{command} --help')", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_OneLineUsageErrors,
    name="factpack",
    help="Turn a folder of raw news articles into a provenance-exact claims dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
T = TypeVar("T")

RawArg = Annotated[Path, typer.Argument(help="The raw folder (articles under RAW/articles/).")]
MaxBytesOpt = Annotated[int, typer.Option(min=1, help="Largest raw text accepted, in bytes.")]
FallbackOpt = Annotated[
    str | None,
    typer.Option(help="Decode texts that are not UTF-8 with this codec (e.g. cp1252); recorded per article."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
DropOpt = Annotated[
    bool,
    typer.Option(
        "--drop-bad-metadata",
        help="Keep an article whose only problems are metadata values (a bad date, language, …): those fields are "
        "dropped, each listed in rejects.jsonl.",
    ),
]


def _fail(exc: FactpackError) -> typer.Exit:
    if isinstance(exc, InvalidArticlesError | LabelError):
        for rejection in exc.rejections:
            typer.echo(str(rejection), err=True)
    if isinstance(exc, VerificationError):
        for problem in exc.report.problems:
            typer.echo(str(problem), err=True)
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(exc.exit_code)


def _call(function: Callable[[], T]) -> T:
    try:
        return function()
    except FactpackError as exc:
        raise _fail(exc) from None


class _Bar:
    """A live line on stderr (silent when stderr is not a terminal): inputs done with their rate, then the name
    of each corpus-wide stage with its elapsed time."""

    def __init__(self, bar: Any, task: Any) -> None:
        self._bar = bar
        self._task = task

    def advance(self, _source: str) -> None:
        self._bar.advance(self._task)
        task = self._bar.tasks[0]
        rate = task.completed / task.elapsed if task.elapsed else 0.0
        self._bar.update(self._task, rate=f"{task.completed:,} inputs, {rate:,.0f}/s")

    def stage(self, name: str) -> None:
        self._bar.update(self._task, description=name)
        self._bar.refresh()  # drawn now: a short stage would otherwise never be seen


@contextmanager
def _progress(label: str) -> Iterator[_Bar]:
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        yield _Bar(bar, bar.add_task(label, total=None, rate=""))


def _echo_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))


class Engine(StrEnum):
    LOCAL = "local"
    RAY = "ray"


class ExportOrder(StrEnum):
    DATASET = "dataset"
    CHECK_WORTHINESS = "check-worthiness"


class SplitMode(StrEnum):
    HASH = "hash"
    TEMPORAL = "temporal"


def _split_config(mode: SplitMode, ratios: tuple[float, float, float]) -> SplitConfig:
    try:
        return SplitConfig(mode=mode.value, train=ratios[0], validation=ratios[1], test=ratios[2])
    except ValueError as exc:
        raise typer.BadParameter("--ratios must be three shares in [0, 1] that sum to 1") from exc


@app.command()
def build(
    raw: RawArg = Path("raw"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Dataset folder to (re)place.")] = Path("dist"),
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Publish without invalid articles instead of failing.")
    ] = False,
    drop_bad_metadata: DropOpt = False,
    max_bytes: MaxBytesOpt = 5_000_000,
    encoding_fallback: FallbackOpt = None,
    max_shard_rows: Annotated[int, typer.Option(min=1, help="Most rows in one parquet shard.")] = 100_000,
    split: Annotated[
        SplitMode, typer.Option(help="hash: stable hash of each leak-free group; temporal: oldest to train.")
    ] = SplitMode.HASH,
    ratios: Annotated[tuple[float, float, float], typer.Option(help="train validation test shares, summing to 1.")] = (
        0.8,
        0.1,
        0.1,
    ),
    allow_orphan_labels: Annotated[
        bool, typer.Option("--allow-orphan-labels", help="Build even if some labels no longer match a claim.")
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, help="Processes for the per-article stages (default: every core).")
    ] = os.cpu_count() or 1,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            help="Per-article result cache; a rebuild re-extracts only what changed. "
            "[default: $XDG_CACHE_HOME/factpack, else ~/.cache/factpack]"
        ),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    engine: Annotated[
        Engine, typer.Option(help="local: a process pool; ray: Ray Data (pip install 'factpack[ray]').")
    ] = Engine.LOCAL,
    ray_address: Annotated[
        str | None, typer.Option(help="With --engine ray: the cluster to join (ray://head:10001, auto).")
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="If another build is writing --out, wait for it instead of failing.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Build the dataset folder from the raw folder.

    Example: factpack build raw --out dist --workers 4
    """
    with _interruptible(out) as interrupts:
        cfg = BuildConfig(
            raw_dir=raw,
            out_dir=out,
            workers=workers,
            engine=engine.value,
            ray_address=ray_address,
            cache_dir=None if no_cache else cache_dir or default_cache_dir(),
            wait=wait,
            ingest=_ingest_config(max_bytes, encoding_fallback),
            validation=ValidateConfig(skip_invalid=skip_invalid, drop_bad_metadata=drop_bad_metadata),
            split=_split_config(split, ratios),
            labels=LabelConfig(allow_orphans=allow_orphan_labels),
            publish=PublishConfig(max_shard_rows=max_shard_rows),
        )
        from builder.pipeline import PUBLISHING
        from builder.pipeline import build as run_build

        with _progress("reading articles") as bar:

            def stage(name: str) -> None:
                if name == PUBLISHING:
                    interrupts.published()
                bar.stage(name)

            report = _call(lambda: run_build(cfg, bar.advance, stage, _waiting))
        _render(report, as_json)


def _render(report: BuildReport, as_json: bool) -> None:
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        _echo_json(report.model_dump(mode="json", exclude={"outputs"}))
        return
    counts = report.counts
    for rejection in report.rejections:
        typer.echo(str(rejection) if rejection.kept else f"skipped: {rejection}", err=True)  # kept: says so itself
    typer.echo(
        f"{report.out_dir}: {counts.claims} claims from {counts.articles_accepted} articles "
        f"({counts.articles_seen} read, {counts.articles_rejected} rejected{_dropped(counts.fields_dropped)}, "
        f"{report.from_cache} from the cache)"
    )
    if report.unchanged:
        typer.echo(
            "  nothing changed since the last build of this folder, which already holds its output: left as it was"
        )
    splits = ", ".join(f"{name} {n}" for name, n in counts.claims_per_split.items())
    typer.echo(
        f"  splits: {splits}; speakers {counts.speakers}; clusters {counts.clusters} "
        f"({counts.multi_claim_clusters} with 2+ claims, {counts.cross_article_clusters} across articles); "
        f"match groups {counts.match_groups} ({counts.claims_in_match_groups} claims, "
        f"{counts.factcheck_matches} fact-check matches); "
        f"labels {counts.labels_merged} merged, {counts.labels_reanchored} re-anchored, "
        f"{counts.labels_orphaned} orphaned"
    )
    if report.credentials.urls:
        typer.echo(f"  {report.credentials}")
    per_article = sum(t.cpu_seconds for t in report.timings if t.where == "workers")
    driver = sum(t.cpu_seconds for t in report.timings if t.where == "driver")
    typer.echo(
        f"  CPU: {per_article:.1f} s per-article on the workers, {driver:.1f} s on the driver "
        f"({report.serial_share:.0%} serial); --json lists every stage"
    )


_SIGNALS = {signal.SIGINT: ("SIGINT", 130), signal.SIGTERM: ("SIGTERM", 143)}
"""Each signal that ends a build like an error: Ctrl-C, and SIGTERM (docker stop, systemd, a cancelled CI job);
exit 128 + the signal."""


class _Interrupted(BaseException):
    """SIGINT or SIGTERM, raised where the build is, so that it cleans up as it does after an error."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Interrupts:
    """The build command's SIGINT and SIGTERM handler. The first signal is the one the user is told about, once;
    any later one does nothing, so that it cannot cut the clean-up short nor surface as a traceback while the
    process ends. Before the build has decided to put its new folder in place, the signal is raised where the build
    is; after (:meth:`published`), the build finishes and the command then ends with the signal's exit code.

    Later signals are ignored here, by a handler that returns, and not by setting ``SIG_IGN``: Python reports a
    signal whose handler became ``SIG_IGN`` between its arrival and its handling with a traceback of its own."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self._publishing = False
        self._ended = False

    def __call__(self, signum: int, _frame: object) -> None:
        if self.signum is not None or self._ended:
            return
        self.signum = signum
        if not self._publishing:
            raise _Interrupted(signum)

    def published(self) -> None:
        self._publishing = True

    def end(self) -> None:
        """The command is over: from now on a signal changes nothing (the process is only exiting)."""
        self._ended = True


_ENDS_THE_PROCESS = False
"""Set by :func:`main`: once the build command has ended, this process only exits."""


@contextmanager
def _interruptible(out: Path) -> Iterator[_Interrupts]:
    """SIGINT and SIGTERM end the build like an error (its temporary folders removed, the previous dataset kept) or,
    once its new folder is being put in place, let it finish; either way one line on stderr says which, and the exit
    code is 128 + the signal (130, 143)."""
    interrupts = _Interrupts()
    previous = {sig: signal.signal(sig, interrupts) for sig in _SIGNALS}
    try:
        yield interrupts
    except (_Interrupted, KeyboardInterrupt) as exc:
        signum = exc.signum if isinstance(exc, _Interrupted) else signal.SIGINT
        interrupts.end()
        raise _interrupted(out, signum, published=False) from None
    finally:
        interrupts.end()
        if not _ENDS_THE_PROCESS:  # called in a process that goes on (a test's): its handlers back
            for sig, handler in previous.items():
                signal.signal(sig, signal.SIG_DFL if handler is None else handler)
    if interrupts.signum is not None:  # it arrived after the swap decision: the build finished
        raise _interrupted(out, interrupts.signum, published=True)


def _interrupted(out: Path, signum: int, *, published: bool) -> typer.Exit:
    name, code = _SIGNALS[signal.Signals(signum)]
    if published:
        done = f"the new dataset was already being put in place, and {out} now holds it"
    else:
        done = "nothing published, " + (f"{out} is as it was" if out.exists() else f"{out} was not created")
    typer.echo(f"error: interrupted by {name}: {done}; temporary folders removed", err=True)
    return typer.Exit(code)


def _waiting(holder: int | None) -> None:
    who = f"pid {holder}" if holder is not None else "another process"
    typer.echo(f"waiting for the build ({who}) writing the same folder to finish", err=True)


def _ingest_config(max_bytes: int, encoding_fallback: str | None) -> IngestConfig:
    try:
        return IngestConfig(max_bytes=max_bytes, encoding_fallback=encoding_fallback)
    except ValueError as exc:
        raise typer.BadParameter(f"--encoding-fallback: unknown codec {encoding_fallback!r}") from exc


def _dropped(fields: int) -> str:
    """The summary line's count of dropped fields, when one was dropped."""
    return f", {fields} field{'s' if fields != 1 else ''} dropped" if fields else ""


@app.command()
def validate(
    raw: RawArg = Path("raw"),
    max_bytes: MaxBytesOpt = 5_000_000,
    encoding_fallback: FallbackOpt = None,
    drop_bad_metadata: DropOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Check every article and sidecar; exit 1 when anything is invalid (a field --drop-bad-metadata would drop
    is listed, and is not).

    Example: factpack validate raw
    """
    from builder.pipeline import check

    cfg = BuildConfig(
        raw_dir=raw,
        ingest=_ingest_config(max_bytes, encoding_fallback),
        validation=ValidateConfig(drop_bad_metadata=drop_bad_metadata),
    )
    with _progress("validating") as bar:
        report = _call(lambda: check(cfg, bar.advance))
    if as_json:
        _echo_json(report.model_dump(mode="json"))
    else:
        for rejection in report.rejections:
            typer.echo(str(rejection), err=True)
        counts = report.counts
        typer.echo(
            f"{counts.articles_seen} read: {counts.articles_accepted} valid, {counts.articles_rejected} invalid "
            f"({counts.rejections} problems{_dropped(counts.fields_dropped)})"
        )
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the *.schema.json files.")] = Path("schema"),
    check_only: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the folder differs from the models.")
    ] = False,
) -> None:
    """Write the JSON Schemas of every record type, generated from the models.

    Example: factpack schema --out schema
    """
    from builder.schemas import stale_schemas, write_schemas

    if check_only:
        stale = stale_schemas(out)
        for path in stale:
            typer.echo(f"{path}: differs from the models; run 'factpack schema'", err=True)
        raise typer.Exit(1 if stale else 0)
    for path in write_schemas(out):
        typer.echo(str(path))


@app.command()
def inspect(dist: Annotated[Path, typer.Argument(help="A built dataset folder.")], as_json: JsonOpt = False) -> None:
    """Show rows per split and per outlet, and null counts per field, of every config.

    Example: factpack inspect dist
    """
    from builder.inspect import inspect_dataset

    summary = _call(lambda: inspect_dataset(dist))
    if as_json:
        _echo_json(summary.model_dump(mode="json"))
        return
    for config in summary.configs:
        typer.echo(f"[{config.name}]")
        typer.echo("  splits:  " + ", ".join(f"{k}={v}" for k, v in config.rows_per_split.items()))
        typer.echo("  outlets: " + ", ".join(f"{k}={v}" for k, v in config.rows_per_outlet.items()))
        nulls = {k: v for k, v in config.nulls_per_field.items() if v}
        typer.echo("  nulls:   " + (", ".join(f"{k}={v}" for k, v in nulls.items()) or "none"))


@app.command(name="eval")
def eval_(
    gold: Annotated[Path, typer.Argument(help="Gold claims, JSONL in the format of tests/gold/README.md.")],
    target: Annotated[Path, typer.Argument(help="A built dataset folder, or a raw folder to extract in memory.")],
    as_json: JsonOpt = False,
) -> None:
    """Score extracted claims against a gold set: span P/R/F1 per type, speaker and cue accuracy, type confusion,
    and PolNeAR's quotation figures (its last line is score.py's: quotes P=… R=… F1=… speaker_acc=… indirect_R=…).

    Example: factpack eval tests/gold/seeds.jsonl dist
    """
    from builder.evaluate import evaluate_path, render_report

    report = _call(lambda: evaluate_path(gold, target))
    if as_json:
        _echo_json(report.model_dump(mode="json"))
    else:
        typer.echo(render_report(report))


if TYPE_CHECKING:
    ExportFormat = str
else:  # the choices of --format: the names in the export registry
    ExportFormat = StrEnum("ExportFormat", {name: name for name in EXPORTS})
_DEFAULT_EXPORT = ExportFormat(next(iter(EXPORTS)))
_EXPORT_HELP = "; ".join(f"{name}: {export.help}" for name, export in EXPORTS.items()) + "."
_EXPORT_OUT_HELP = "; ".join(f"{name}: {export.out_help}" for name, export in EXPORTS.items()) + "."


@app.command()
def export(
    dist: Annotated[Path, typer.Argument(help="A built dataset folder.")] = Path("dist"),
    export_format: Annotated[
        ExportFormat,
        typer.Option("--format", help=_EXPORT_HELP),
    ] = _DEFAULT_EXPORT,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help=_EXPORT_OUT_HELP),
    ] = None,
    order: Annotated[
        ExportOrder | None,
        typer.Option("--order", help="label-studio: tasks in the dataset's order, or most check-worthy first."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="label-studio: only the first N tasks.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Export the claims for other tools: schema.org Claim JSON-LD (ClaimReview-ready), or Label Studio tasks
    whose completed export 'factpack labels import-label-studio' merges back into raw/labels.jsonl, or Label Studio
    tasks of the matched pairs whose completed export 'factpack match fit --label-studio' learns from.

    Example: factpack export dist --format label-studio --order check-worthiness --limit 200 --out annotation/
    """
    chosen = EXPORTS[export_format]
    given = {name: value for name, value in (("order", order), ("limit", limit)) if value is not None}
    for name in given.keys() - chosen.options:
        raise typer.BadParameter(f"--{name} does not apply to --format {export_format}")
    options = {name: value.value if isinstance(value, StrEnum) else value for name, value in given.items()}
    to_stdout = out is None or str(out) == "-"
    if to_stdout and not chosen.streams:
        if out is not None:
            writes = f"--format {export_format} writes {chosen.out_help}"
            raise typer.BadParameter(f"--out -: {writes}, not a stream; give its path")
        out = Path(chosen.default_out)
    elif to_stdout and as_json:
        raise typer.BadParameter("--json needs --out FILE: without it the claims themselves go to standard output")
    target: Path | TextIO = sys.stdout if to_stdout and chosen.streams else cast(Path, out)
    report = _call(lambda: chosen.run(dist, target, **options))
    if as_json:
        _echo_json(report.model_dump(mode="json"))
        return
    typer.echo(chosen.summary(report), err=target is sys.stdout)  # standard output holds the claims then


labels_app = typer.Typer(help="Curators' labels: bring annotations back into raw/labels.jsonl.", no_args_is_help=True)
app.add_typer(labels_app, name="labels")
worthiness_app = typer.Typer(help="Check-worthiness: score text with the build's own score.", no_args_is_help=True)
app.add_typer(worthiness_app, name="worthiness")


@worthiness_app.command("score")
def worthiness_score(
    source: Annotated[
        str,
        typer.Argument(
            help="A UTF-8 file, one sentence per line or JSONL with text (and speaker, claim_type); - for stdin."
        ),
    ] = "-",
    model: Annotated[
        Path | None, typer.Option("--model", help="A model file from 'factpack worthiness fit' (default: the rules).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Score sentences as the build scores claims, in input order: 'score<TAB>text' per line, or --json with each
    score's terms. The lines are one document (a speaker who keeps asking is a moderator).

    Example: factpack worthiness score speeches.txt | sort -rn | head
    """
    import sys

    from builder.worthiness import score_file

    path = None if source == "-" else Path(source)
    stdin = sys.stdin.buffer.read() if path is None else None
    report = _call(lambda: score_file(path, stdin, model))
    if as_json:
        _echo_json(report.model_dump(mode="json"))
        return
    for item in report.scored:
        typer.echo(f"{item.score:.3f}\t{item.text}")


@worthiness_app.command("fit")
def worthiness_fit(
    labels: Annotated[
        Path | None,
        typer.Argument(help="JSONL: text, label (true/false), optionally speaker, claim_type, cue_kind, document."),
    ] = None,
    dist: Annotated[
        Path, typer.Option("--dist", help="Without LABELS: the dataset folder whose check_worthy labels to learn.")
    ] = Path("dist"),
    out: Annotated[Path, typer.Option("--out", help="The model file to write.")] = Path("raw/worthiness-model.json"),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Cross-validate only; write nothing.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Fit a check-worthiness model on labels you own (the check_worthy judgements a built dataset carries, or a
    JSONL of labelled texts); print its cross-validated ranking quality against the rules', then write it.

    Example: factpack worthiness fit --dist dist --out raw/worthiness-model.json
    """
    from builder.worthiness import fit_model, render_document_spread

    report = _call(lambda: fit_model(labels, dist=None if labels else dist, out=None if dry_run else out))
    if as_json:
        _echo_json(report.model_dump(mode="json"))
        return
    typer.echo(
        f"{report.source}: {report.examples} labelled texts ({report.positives} check-worthy) "
        f"from {report.documents} document(s)"
    )
    by_document = "" if report.cv_map is None else f", MAP {report.cv_map:.3f} (rules {report.rules_map:.3f})"
    balanced = "balanced" if report.balanced else "as they come"
    typer.echo(
        f"  {report.folds}-fold cross-validation, chose L2 {report.l2:g}, classes {balanced}, neighbours "
        f"{report.neighbours:g}: AP {report.cv_ap:.3f} (rules {report.rules_ap:.3f}){by_document}"
    )
    if report.document_ap:
        typer.echo(f"  {render_document_spread(report.document_ap)}")
    typer.echo(f"  wrote {report.out}" if report.out else "  dry run: nothing written")


match_app = typer.Typer(
    help="Claim matching: the same claim or not, and which fact-checks a claim repeats.", no_args_is_help=True
)
app.add_typer(match_app, name="match")


@match_app.command("score")
def match_score(
    source: Annotated[
        str,
        typer.Argument(
            help='A UTF-8 JSONL file, one pair per line: {"a": ..., "b": ...} (and a_speaker, b_speaker); - for stdin.'
        ),
    ] = "-",
    model: Annotated[
        Path | None,
        typer.Option("--model", help="A model file from 'factpack match fit' (default: the default matcher)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Say whether the two sentences of each pair state the same claim, in input order:
    'line<TAB>score<TAB>same|different' (and '<TAB>ruled out: why'), or --json with each score's features.

    Example: factpack match score pairs.jsonl | grep -w same
    """
    import sys

    from builder.matching import score_pairs

    path = None if source == "-" else Path(source)
    stdin = sys.stdin.buffer.read() if path is None else None
    report = _call(lambda: score_pairs(path, stdin, model))
    if as_json:
        _echo_json(report.model_dump(mode="json"))
        return
    for pair in report.scored:
        ruled_out = "" if pair.ruled_out is None else f"\truled out: {pair.ruled_out}"
        typer.echo(f"{pair.line}\t{pair.score:.3f}\t{'same' if pair.match else 'different'}{ruled_out}")


@match_app.command("rank")
def match_rank(
    queries: Annotated[
        str, typer.Argument(help='A UTF-8 JSONL file, one claim per line: {"id": ..., "text": ...}; - for stdin.')
    ],
    against: Annotated[
        Path, typer.Option("--against", help="A ClaimReview file of fact-checks: JSON-LD (.json, .jsonld) or .jsonl.")
    ],
    top: Annotated[int, typer.Option("--top", help="List at most this many fact-checks per claim.")] = 5,
    model: Annotated[
        Path | None,
        typer.Option("--model", help="A model file from 'factpack match fit': re-rank BM25's best 20 by its score."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Rank the fact-checks of a ClaimReview file against each claim, by BM25 over their claim and headline (with
    --model, BM25's best 20 re-ranked by the model's score): 'id<TAB>rank<TAB>score<TAB>url' per fact-check found,
    best first, or --json.

    Example: factpack match rank claims.jsonl --against factchecks.jsonl --top 3
    """
    import sys

    from builder.matching import rank_queries

    path = None if queries == "-" else Path(queries)
    stdin = sys.stdin.buffer.read() if path is None else None
    report = _call(lambda: rank_queries(path, against, top, stdin, model))
    if as_json:
        _echo_json(report.model_dump(mode="json"))
        return
    for query in report.ranked:
        if not query.matches:  # said apart from the table on stdout, which stays one row per fact-check
            typer.echo(f"{query.id}: no fact-check shares a word with it", err=True)
        for rank, found in enumerate(query.matches, start=1):
            typer.echo(f"{query.id}\t{rank}\t{found.score:.4f}\t{found.url}")


@match_app.command("fit")
def match_fit(
    labels: Annotated[
        Path | None, typer.Argument(help="JSONL: a, b, label (true/false), optionally a_speaker, b_speaker, group.")
    ] = None,
    label_studio: Annotated[
        Path | None,
        typer.Option(
            "--label-studio",
            help="Instead of LABELS: the completed Label Studio JSON export of 'factpack export --format "
            "label-studio-pairs' tasks.",
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="The model file to write.")] = Path("raw/match-model.json"),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Cross-validate only; write nothing.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Fit a claim matcher on pairs you labelled (the same claim or not); print its cross-validated decisions'
    quality against the default matcher's on the same pairs, then write it.

    Example: factpack match fit pairs.jsonl --out raw/match-model.json
    (or: factpack match fit --label-studio project-2-export.json)
    """
    from builder.matching import fit_pairs

    report = _call(lambda: fit_pairs(labels, None if dry_run else out, label_studio=label_studio))
    if as_json:
        _echo_json(report.model_dump(mode="json"))
        return
    skipped = f"; {report.unannotated} task(s) without an annotation skipped" if report.unannotated else ""
    typer.echo(
        f"{report.source}: {report.examples} labelled pairs ({report.positives} the same claim) "
        f"in {report.groups} group(s){skipped}"
    )
    kept = "by group" if report.by_group else "pairs dealt in turn"
    typer.echo(
        f"  {report.folds}-fold cross-validation ({kept}), L2 {report.l2:g}, threshold {report.threshold:.3f}: "
        f"{_decisions(report.cv)}"
    )
    typer.echo(f"  the default matcher on the same pairs: {_decisions(report.default)}")
    typer.echo(f"  wrote {report.out}" if report.out else "  dry run: nothing written")


def _decisions(found: DecisionQuality) -> str:
    return (
        f"accuracy {found.accuracy:.3f}, precision {found.precision:.3f}, recall {found.recall:.3f}, F1 {found.f1:.3f}"
    )


@app.command()
def standalone(
    source: Annotated[
        str,
        typer.Argument(help="A UTF-8 file, one passage per line or JSONL with text; - for stdin."),
    ] = "-",
    as_json: JsonOpt = False,
) -> None:
    """Resolve each passage's references (he, his, a short name, "the alliance") from what the passage names, as
    the build resolves claims: the standalone text per line, or --json with each replacement and its offsets.

    Example: echo "Jens Stoltenberg leads NATO. He met Putin." | factpack standalone -
    """
    import sys

    from builder.standalone import standalone_file

    path = None if source == "-" else Path(source)
    stdin = sys.stdin.buffer.read() if path is None else None
    report = _call(lambda: standalone_file(path, stdin))
    if as_json:
        _echo_json(report.model_dump(mode="json"))
        return
    for passage in report.resolved:
        typer.echo(passage.standalone)


@labels_app.command("import-label-studio")
def import_label_studio(
    export_file: Annotated[Path, typer.Argument(help="Label Studio's JSON export (the full one, not JSON-MIN).")],
    raw: Annotated[Path, typer.Option("--raw", help="The raw folder whose labels.jsonl is merged into.")] = Path("raw"),
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Merge the good tasks even when some are invalid.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Merge a completed Label Studio export into raw/labels.jsonl; the next build merges it into the claims.

    Example: factpack labels import-label-studio project-1-export.json --raw raw
    """
    from builder.labels import import_label_studio as run_import

    report = _call(lambda: run_import(export_file, raw, skip_invalid=skip_invalid))
    if as_json:
        _echo_json(report.model_dump(mode="json"))
    else:
        for problem in report.problems:
            typer.echo(str(problem), err=True)
        if report.written:
            state = "written"
        elif report.withheld:
            state = "NOT written (fix the tasks above, or use --skip-invalid)"
        else:
            state = "unchanged (it already holds every label)"
        typer.echo(
            f"{report.labels_file} {state}: {report.tasks} tasks, {report.labels} labels "
            f"({report.added} added, {report.replaced} replaced, {report.unchanged} unchanged); "
            f"{report.unannotated} unannotated, {report.superseded} superseded, {report.invalid} invalid"
        )
    if report.problems:
        raise typer.Exit(1)


@app.command()
def verify(
    dist: Annotated[Path, typer.Argument(help="A dataset folder (built here or downloaded).")] = Path("dist"),
    raw: Annotated[
        Path | None, typer.Option(help="The raw folder it was built from: check every article against its file.")
    ] = None,
    limit_errors: Annotated[int, typer.Option(min=1, help="List at most this many problems.")] = 100,
    as_json: JsonOpt = False,
) -> None:
    """Check a dataset folder end to end, offline: manifest, card against data, Croissant, values, provenance
    and card metadata; exit 0 when everything holds, 1 otherwise, listing every problem with its code and place.

    Example: factpack verify dist --raw raw
    """
    from builder.verify import verify_dataset

    report = _call(lambda: verify_dataset(dist, raw, limit_errors))
    if as_json:
        _echo_json(report.model_dump(mode="json"))
    else:
        for problem in report.problems:
            typer.echo(str(problem))
        checked = ", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in report.checked.items())
        if report.ok:
            typer.echo(f"{dist}: verified ({checked})")
        else:
            more = f", listing the first {len(report.problems)}" if report.truncated else ""
            found = f"{report.found}+" if report.truncated else str(report.found)  # checks stop early once over
            typer.echo(f"{dist}: does NOT verify: {found} problem(s){more} (checked {checked})")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def review(
    dist: Annotated[Path, typer.Argument(help="A built dataset folder.")] = Path("dist"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the site (replaced if it is one).")] = Path(
        "site"
    ),
    as_json: JsonOpt = False,
) -> None:
    """Write a static review site: an index of articles and rejects, one page per article with every claim
    highlighted by type (speaker, cue, check-worthiness on hover or focus; filters by type and speaker).

    Open OUT/index.html in a browser; no server and no network needed.

    Example: factpack review dist --out site
    """
    from builder.review import write_site

    report = _call(lambda: write_site(dist, out))
    if as_json:
        _echo_json({name: str(value) if isinstance(value, Path) else value for name, value in vars(report).items()})
        return
    typer.echo(
        f"{report.index}: {report.pages} pages, {report.articles} articles, {report.claims} claims, "
        f"{report.rejects} rejects"
    )


@app.command()
def publish(
    repo_id: Annotated[str, typer.Argument(help="The Hub dataset repository, owner/name.")],
    dist: Annotated[Path, typer.Option("--dist", help="The built dataset folder to upload.")] = Path("dist"),
    private: Annotated[bool, typer.Option("--private", help="Create the repository private (or make it so).")] = False,
    revision: Annotated[str, typer.Option(help="Branch to commit to; created from main when missing.")] = "main",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Upload nothing: list every file, its size, SHA-256 and change.")
    ] = False,
    against: Annotated[
        Path | None, typer.Option(help="The published manifest.json to compare with (the dry run is offline).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Upload the dataset folder to the Hugging Face Hub as one commit (token: HF_TOKEN or 'hf auth login').

    Example: factpack publish my-org/factpack-claims --dry-run --against published/manifest.json
    """
    from builder.hub_upload import plan_as_json, publish_to_hub

    result = _call(
        lambda: publish_to_hub(dist, repo_id, revision=revision, private=private, dry_run=dry_run, against=against)
    )
    if as_json:
        _echo_json(plan_as_json(result))
        return
    plan = result.plan
    for planned in plan.files:
        typer.echo(f"{planned.change:<9} {planned.bytes:>12,} {planned.sha256}  {planned.path}")
    counts = ", ".join(
        f"{plan.count(change)} {change}"
        for change in ("new", "changed", "unchanged", "deleted", "upload")
        if plan.count(change)
    )
    typer.echo(f"compared with: {plan.baseline}")
    if result.dry_run:
        typer.echo(f"dry run: {plan.repo_id}@{plan.revision} would get {counts} ({plan.upload_bytes:,} bytes to send)")
    elif result.commit_url is None:
        typer.echo(f"{plan.repo_id}@{plan.revision} already holds this folder; nothing committed")
    else:
        typer.echo(f"published {plan.repo_id}@{plan.revision} ({counts}): {result.commit_url}")


def main() -> None:
    """Console entry point."""
    global _ENDS_THE_PROCESS
    _ENDS_THE_PROCESS = True
    app(prog_name="factpack")


if __name__ == "__main__":  # pragma: no cover
    main()
