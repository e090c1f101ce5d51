"""The Ray engine: the per-article work as a Ray Data pipeline, on a Ray started here or on an existing cluster.

Units go in with :func:`ray.data.from_items` as plain dicts (Arrow holds no dataclasses), ``WINDOW`` at a time as
the raw folder is listed (never the whole corpus's list in the driver), ``map_batches`` tasks run
:func:`builder.work.process_units` on ``BATCH`` of them at a time, and the results come back in input order as
plain Arrow columns (:func:`builder.work.result_row`: the packed Arrow payloads, JSON for problems and inputs), so
the output is the same as the local engine's and nothing is pickled.

Ray Data needs its driver on the cluster: submit the build there (``ray job submit ... --ray-address auto``). A Ray
Client address (``ray://``) is refused before anything runs, since a Ray Data pipeline over it fails part-way.

The corpus-wide stages run on the same Ray (:func:`ray_tasks`): their tasks (clustering's bands, matching's
chunks, each shard's writer and checks) go to Ray as tasks through :class:`RayTasks`, a
:class:`concurrent.futures.Executor`, where the local engine gives them a process pool. They read the spool and
write the new folder beside ``--out``, so on a cluster of several machines that folder must be one every node
sees at the same path.

Ray is an optional extra (``pip install 'factpack[ray]'``), imported only when this engine runs.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import signal
import socket
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import fields
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa

from builder.config import BuildConfig
from builder.engines.local import BATCH
from builder.errors import ConfigError, FactpackError
from builder.ingest import Unit
from builder.kept import KeptRef
from builder.work import UnitResult, process_units, result_from_row, result_row

__all__ = ["RayTasks", "ray_session", "ray_tasks", "run_ray"]

_FIELDS = tuple(field.name for field in fields(Unit))
WINDOW = 65_536
"""Units handed to one Ray Data pipeline: the driver holds at most this many, whatever the corpus; each window's
pipeline starts as the one before drains (about a second of the workers' time lost a window)."""
_RESULT_SCHEMA = pa.schema(
    [("source", pa.string()), ("article", pa.binary()), ("claims", pa.binary()), ("sketch", pa.binary()),
     ("summary", pa.binary()), ("rejected", pa.string()), ("inputs", pa.string()), ("cached", pa.bool_()),
     ("timings", pa.string()), ("credentials", pa.string()), ("dropped", pa.string()), ("key", pa.string()),
     ("kept", pa.bool_())]
)  # fmt: skip
# Set while a local Ray is imported and started (its processes inherit them) so that nothing it runs leaves this
# machine: no usage report; nodes bound to and talking on 127.0.0.1, not the first network interface (read when ray
# is imported); and HTTP to anywhere but this machine sent to a closed local port, because Ray's API server asks the
# cloud metadata addresses (169.254.169.254, metadata.google.internal) which cloud it runs on and no setting stops it.
_LOCAL_ONLY = {
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    "http_proxy": "http://127.0.0.1:9",
    "no_proxy": "127.0.0.1,localhost,::1",
}

_CONNECT_TIMEOUT_S = 10.0
"""How long a cluster's address has to accept a connection before the build is refused."""

_NO_USAGE = {"RAY_DATA_USAGE_DISABLED": "1"}
"""Set while the pipeline runs: Ray Data reads it as each run starts and ends. Otherwise it records its usage in an
actor, and starts a thread in this process that asks a Prometheus server for cluster metrics every 10 s for as long
as the process lives; there being none, the thread formats a traceback into Ray Data's debug log each time, which on
Python 3.11.7 can break this process's own parsing of Python source ("SystemError: AST constructor recursion depth
mismatch": the parser's depth count is shared between threads)."""


def run_ray(
    units: Iterable[Unit],
    cfg: BuildConfig,
    workers: int,
    cache_dir: Path | None,
    address: str | None = None,
    kept: KeptRef | None = None,
) -> Iterator[UnitResult]:
    """Every unit's result, in the order of ``units``, from at most ``workers`` Ray tasks at a time.

    ``address``: the cluster this process runs on (``auto`` inside ``ray job submit``, or its ``host:6379``);
    without it a local Ray of ``workers`` CPUs is started. A missing Ray is reported now, not at the first result.
    """
    _refuse_client(address)
    _import_ray(address)
    return _results(units, cfg, workers, cache_dir, address, kept)


def _refuse_client(address: str | None) -> None:
    if address is not None and address.startswith("ray://"):
        # Ray Data's executor needs a driver on the cluster (in Ray 2.60 it fails over Ray Client, half-way in).
        raise ConfigError(
            f"--ray-address {address}: Ray Data cannot run through Ray Client (ray://); run the build on the cluster: "
            "ray job submit --working-dir . -- factpack build raw --engine ray --ray-address auto"
        )


@contextmanager
def ray_session(workers: int, address: str | None = None) -> Iterator[None]:
    """Ray for the block: the one already up, else the cluster at ``address``, else a local one.

    Only a Ray started (or connected to) here is shut down after, so that a caller can keep one up across builds.
    """
    _import_ray(address)
    import ray

    if ray.is_initialized():
        yield
        return
    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    if address is not None:
        _check_listening(address)
        try:
            with _own_sigterm():
                ray.init(address=address, **quiet)
        except ConnectionError as exc:
            raise ConfigError(f"--ray-address {address}: no Ray cluster to join there ({exc})") from exc
    else:
        with _environ(_LOCAL_ONLY), _own_sigterm():
            try:
                ray.init(num_cpus=workers, include_dashboard=False, **quiet)
            except Exception as exc:  # Ray gives its node a fixed 30 s to start, too little on a busy machine
                _stop_half_started(exc)
                raise ConfigError(
                    f"--engine ray: the local Ray did not start ({exc}); try again when the machine is less busy, "
                    "or build with --engine local"
                ) from exc
    try:
        yield
    finally:
        with _own_sigterm():
            ray.shutdown()


class RayTasks(Executor):
    """An executor whose tasks are Ray tasks of one CPU each, on the Ray this process is connected to, on any of
    its nodes: each task first checks that it sees ``shared`` (the build's working folder, beside ``--out``), and
    otherwise fails with one line saying that on a cluster ``--out`` must be a folder every node sees. When the
    block it is used in fails, the tasks still queued or running are cancelled, and waited for."""

    def __init__(self, shared: Path) -> None:
        import ray

        self._run = ray.remote(num_cpus=1, max_retries=0)(_call)
        self._shared = shared
        self._running: dict[int, Any] = {}
        self._numbers = itertools.count()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        reference = self._run.remote(self._shared, fn, *args, **kwargs)
        number = next(self._numbers)
        self._running[number] = reference
        result: Future[Any] = Future()

        def done(task: Future[Any]) -> None:
            self._running.pop(number, None)  # a finished task's result is not kept in the object store
            error = task.exception()
            if error is None:
                result.set_result(task.result())
            else:  # the library's own error, not Ray's wrapping of it with the task's traceback
                cause = getattr(error, "cause", None)
                result.set_exception(cause if isinstance(cause, FactpackError) else error)

        reference.future().add_done_callback(done)
        return result

    def cancel_all(self) -> None:
        """Cancel every task not finished, and wait (up to a minute) until they have ended: a task still running
        could write into a folder the build is about to remove."""
        import ray

        running = list(self._running.values())
        for reference in running:
            with contextlib.suppress(Exception):  # done already, or its worker gone
                ray.cancel(reference, force=True)
        if running:
            with contextlib.suppress(Exception):
                ray.wait(running, num_returns=len(running), timeout=60)
        self._running.clear()


def _call(shared: Path, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Runs in a Ray task: one task of a corpus-wide stage, where the build's working folder is seen."""
    if not shared.is_dir():
        import ray

        node = ray.get_runtime_context().get_node_id()
        raise ConfigError(
            f"{shared}: not found on Ray node {node[:12]}, which runs a task of the corpus-wide stages; on a "
            "cluster of several machines, build with --out in a folder every node mounts at the same path"
        )
    return fn(*args, **kwargs)


@contextmanager
def ray_tasks(workers: int, address: str | None, shared: Path) -> Iterator[RayTasks]:
    """Ray for the whole build (:func:`ray_session`), and an executor for its corpus-wide stages' tasks, which
    read and write in ``shared``."""
    _refuse_client(address)
    with ray_session(workers, address):
        tasks = RayTasks(shared)
        try:
            yield tasks
        except BaseException:
            tasks.cancel_all()
            raise


def _check_listening(address: str) -> None:
    """Refuse a ``host:port`` where nothing accepts a connection: ``ray.init`` would wait on it for many minutes
    (its GCS client retries without end), where this answers in seconds. ``auto`` is Ray's own to resolve."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        return  # not host:port (``auto``, a cluster file): Ray resolves it and says what is wrong quickly
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=_CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(
            f"--ray-address {address}: nothing accepts a connection there ({reason}); start the cluster's head "
            "(ray start --head) or give its GCS address (host:6379), or 'auto' on a node of the cluster"
        ) from exc


@contextmanager
def _own_sigterm() -> Iterator[None]:
    """SIGTERM handled as before the block: ``ray.init`` replaces the handler with its own (``sys.exit``) for good,
    and Ray's core resets it to the default (the process killed at once) below Python, which still names its own;
    the command's (one line, exit 143, clean-up) would be lost. Set again, it is set for the system too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop_half_started(failure: BaseException) -> None:
    """Stop the processes a local Ray that failed to start had started (its GCS, raylet, …): ``ray.shutdown`` does
    not know that node, since ``ray.init`` failed while building it, and they would otherwise run on."""
    import ray

    for frame, _ in traceback.walk_tb(failure.__traceback__):
        node: Any = frame.f_locals.get("self")
        if type(node).__name__ == "Node" and hasattr(node, "kill_all_processes"):
            node.kill_all_processes(check_alive=False, allow_graceful=False, wait=True)
            break
    ray.shutdown()


def _results(
    units: Iterable[Unit],
    cfg: BuildConfig,
    workers: int,
    cache_dir: Path | None,
    address: str | None,
    kept: KeptRef | None,
) -> Iterator[UnitResult]:
    listed = iter(units)
    # from_items takes a list: a window of units (small: a JSONL line at most) at a time
    rows = [_row(unit) for unit in itertools.islice(listed, WINDOW)]
    if not rows:
        return
    with ray_session(workers, address), _level("ray.data", logging.ERROR), _environ(_NO_USAGE):
        while rows:
            yield from _window(rows, cfg, workers, cache_dir, kept)
            rows = [_row(unit) for unit in itertools.islice(listed, WINDOW)]


def _window(
    rows: list[dict[str, object]], cfg: BuildConfig, workers: int, cache_dir: Path | None, kept: KeptRef | None
) -> Iterator[UnitResult]:
    """One window of units through a Ray Data pipeline, results in input order."""
    import ray.data

    blocks = -(-len(rows) // BATCH)
    # Blocks of about BATCH units (from_items spreads the rows evenly): each task's hand-over is amortised,
    # tasks stay short enough to keep every worker busy, and the first results come back early.
    dataset = ray.data.from_items(rows, override_num_blocks=blocks)
    dataset.context.execution_options.preserve_order = True  # the dataset's own copy of the context
    dataset.context.enable_progress_bars = False
    results = dataset.map_batches(
        partial(_process_batch, cfg=cfg, cache_dir=cache_dir, kept=kept),
        batch_size=BATCH,
        batch_format="pyarrow",
        compute=ray.data.TaskPoolStrategy(size=min(workers, blocks)),
    )
    for row in results.iter_rows():  # streamed: blocks come back as tasks finish, in input order
        yield result_from_row(row)


def _process_batch(batch: pa.Table, cfg: BuildConfig, cache_dir: Path | None, kept: KeptRef | None) -> pa.Table:
    """Runs in a Ray task: a batch of unit rows in, their results out as plain columns, one row each."""
    results = process_units([_unit(row) for row in batch.to_pylist()], cfg, cache_dir, kept)
    return pa.Table.from_pylist([result_row(result) for result in results], schema=_RESULT_SCHEMA)


def _row(unit: Unit) -> dict[str, object]:
    return {name: getattr(unit, name) for name in _FIELDS}


def _unit(row: Mapping[str, Any]) -> Unit:
    return Unit(**{name: row[name] for name in _FIELDS})


def _import_ray(address: str | None) -> None:
    """Import Ray and Ray Data, or say how to install them; a local Ray must be imported under ``_LOCAL_ONLY``."""
    try:
        with _environ(_LOCAL_ONLY if address is None else {}):
            import ray.data  # noqa: F401
    except ImportError as exc:
        raise ConfigError("the ray engine needs Ray Data; install it with: pip install 'factpack[ray]'") from exc


@contextmanager
def _environ(values: Mapping[str, str]) -> Iterator[None]:
    """``values`` in the environment for the block, then the environment as it was."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _level(name: str, level: int) -> Iterator[None]:
    """Logger ``name`` at ``level`` for the block: Ray Data reports every run on the console at INFO."""
    logger = logging.getLogger(name)
    saved = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(saved)
