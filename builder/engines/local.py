"""The local engine: in-process, or a process pool with a bounded window of batches in flight.

A pool's workers watch the driver: when it dies, for any reason (SIGKILL and the OOM killer included, where no
cleanup of its own runs), each worker exits within a second, and the pool's helper processes (the forkserver,
the resource tracker) end with them, so a killed build leaves no process behind.

Ctrl-C is the driver's alone: a terminal sends SIGINT to the whole process group, and a worker that saw it would
print a traceback of its own. The forkserver starts with SIGINT blocked, so it and every worker it forks never
receive it; the driver, interrupted, ends them (:func:`stop_pool`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import select
import signal
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import nullcontext
from itertools import islice
from pathlib import Path

from builder.config import BuildConfig
from builder.errors import ConfigError
from builder.files import os_reason
from builder.ingest import Unit
from builder.kept import KeptRef
from builder.swap import signals_held
from builder.work import UnitResult, process_units

__all__ = ["BATCH", "PARALLEL_ROWS", "run_local", "stop_pool", "watch_driver", "worker_pool"]

BATCH = 16  # units per hand-over: enough to amortise it, small enough to keep every worker busy
PARALLEL_ROWS = 50_000
"""Rows from which the writer and verify split their work over worker processes: below, starting a pool costs
more than it saves."""
_AHEAD = 4  # batches in flight per worker: bounds memory whatever the corpus size


def run_local(
    units: Iterable[Unit],
    cfg: BuildConfig,
    workers: int,
    cache_dir: Path | None,
    pool: Executor | None = None,
    kept: KeptRef | None = None,
) -> Iterator[UnitResult]:
    """Every unit's result, in the order of ``units``; on ``pool`` when one is given, else on a pool of its own
    (``workers`` > 1) or here. ``kept``: see :func:`~builder.work.process_unit`."""
    iterator = iter(units)
    batches = iter(lambda: list(islice(iterator, BATCH)), [])
    if workers <= 1:
        for batch in batches:
            yield from process_units(batch, cfg, cache_dir, kept)
        return
    with nullcontext(pool) if pool is not None else worker_pool(workers) as running:
        window: deque[Future[list[UnitResult]]] = deque()
        for batch in batches:
            window.append(running.submit(process_units, batch, cfg, cache_dir, kept))
            if len(window) >= workers * _AHEAD:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that end when this process does (see :func:`watch_driver`) and never see
    SIGINT (see :func:`_start_forkserver`); forkserver, so that they inherit neither this process's threads nor its
    open Arrow state. As a context manager it waits for its work when the block ends, and stops it at once
    (:func:`stop_pool`) when the block fails or is interrupted."""
    _start_forkserver()
    context = multiprocessing.get_context("forkserver")
    return _Pool(max_workers=workers, mp_context=context, initializer=watch_driver, initargs=(os.getpid(),))


class _Pool(ProcessPoolExecutor):
    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, traceback: object) -> None:
        if kind is not None:
            stop_pool(self)
            return
        try:
            self.shutdown(wait=True)
        except BaseException:  # interrupted while waiting for the last work
            stop_pool(self)
            raise


def _start_forkserver() -> None:
    """Start this process's forkserver, unless it runs, with SIGINT blocked: the mask is inherited through its exec
    and by every worker it forks, so a Ctrl-C sent to the process group, at any moment of their lives (their
    imports included), is held pending in them and never handled. Blocked, not ignored here for a moment: a
    Ctrl-C meant for this process in that moment is then delivered to it as soon as the forkserver is started."""
    # The resource tracker first: starting it unblocks SIGINT in the calling thread (Python 3.11's
    # resource_tracker.ensure_running), which would undo the block below.
    multiprocessing.resource_tracker.ensure_running()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        multiprocessing.forkserver.ensure_running()
    except OSError as exc:
        # Its socket lives in a folder of its own under the temporary folder, and a Unix socket's path is at most
        # 107 bytes: a long TMPDIR makes it fail with no error number ("AF_UNIX path too long").
        raise ConfigError(
            f"the worker pool cannot start ({os_reason(exc)}; temporary folder {tempfile.gettempdir()}); set TMPDIR "
            "to a short folder such as /tmp, or build with --workers 1"
        ) from exc
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def stop_pool(pool: Executor) -> None:
    """End ``pool`` now, after a failure or an interrupt: queued work cancelled, running work killed, and its worker
    processes gone when this returns, so that none writes into a folder being removed, and nothing is left to
    wait for (or to be interrupted while waiting for) as this process exits."""
    # Taken before shutdown(), which drops them; Python 3.14 has ProcessPoolExecutor.kill_workers() for this.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)
    with signals_held():
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()
        for process in processes:
            process.join()
        # A worker killed while sending its result leaves half a message in the result pipe, and the pool's
        # manager thread waits in that read for the rest, for ever; the interpreter then never exits, joining it.
        # This process holds the pipe's last writing end: closed, the read ends, and the thread with it.
        writer = getattr(results, "_writer", None)
        if writer is not None:
            writer.close()


def watch_driver(driver: int) -> None:
    """Run in each worker as it starts: a thread that ends the worker as soon as the ``driver`` process is gone.
    SIGINT is ignored as well, for a worker of a forkserver that multiprocessing started again by itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(driver,), name="factpack-watch-driver", daemon=True).start()


def _exit_with(driver: int) -> None:
    try:
        handle = os.pidfd_open(driver)  # Linux 5.3+: readable once the process has ended, whatever pid comes next
    except OSError:
        handle = None  # already gone (ESRCH), or no pidfd here: ask for the pid instead
    if handle is not None:
        select.select([handle], [], [])
    else:
        while _alive(driver):
            time.sleep(0.5)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
