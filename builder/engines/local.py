"""The local engine: in-process, or a process pool with a bounded window of batches in flight.

A pool's workers watch the driver: when it dies, for any reason (SIGKILL and the OOM killer included, where no
cleanup of its own runs), each worker exits within a second, and the pool's helper processes (the forkserver,
the resource tracker) end with them, so a killed build leaves no process behind.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import nullcontext
from itertools import islice
from pathlib import Path

from builder.config import BuildConfig
from builder.ingest import Unit
from builder.work import UnitResult, process_units

__all__ = ["BATCH", "PARALLEL_ROWS", "run_local", "watch_driver", "worker_pool"]

BATCH = 16  # units per hand-over: enough to amortise it, small enough to keep every worker busy
PARALLEL_ROWS = 50_000
"""Rows from which the writer and verify split their work over worker processes: below, starting a pool costs
more than it saves."""
_AHEAD = 4  # batches in flight per worker: bounds memory whatever the corpus size


def run_local(
    units: Iterable[Unit], cfg: BuildConfig, workers: int, cache_dir: Path | None, pool: Executor | None = None
) -> Iterator[UnitResult]:
    """Every unit's result, in the order of ``units``; on ``pool`` when one is given, else on a pool of its own
    (``workers`` > 1) or here."""
    iterator = iter(units)
    batches = iter(lambda: list(islice(iterator, BATCH)), [])
    if workers <= 1:
        for batch in batches:
            yield from process_units(batch, cfg, cache_dir)
        return
    with nullcontext(pool) if pool is not None else worker_pool(workers) as running:
        window: deque[Future[list[UnitResult]]] = deque()
        for batch in batches:
            window.append(running.submit(process_units, batch, cfg, cache_dir))
            if len(window) >= workers * _AHEAD:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that end when this process does (see :func:`watch_driver`); forkserver, so
    that they inherit neither this process's threads nor its open Arrow state."""
    context = multiprocessing.get_context("forkserver")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=watch_driver, initargs=(os.getpid(),)
    )


def watch_driver(driver: int) -> None:
    """Run in each worker as it starts: a thread that ends the worker as soon as the ``driver`` process is gone."""
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
