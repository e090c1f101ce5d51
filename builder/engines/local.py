"""The local engine: in-process, or a process pool with a bounded window of batches in flight."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from builder.config import BuildConfig
from builder.ingest import Unit
from builder.work import UnitResult, process_units

__all__ = ["BATCH", "run_local"]

BATCH = 16  # units per hand-over: enough to amortise it, small enough to keep every worker busy
_AHEAD = 4  # batches in flight per worker: bounds memory whatever the corpus size


def run_local(units: Iterable[Unit], cfg: BuildConfig, workers: int, cache_dir: Path | None) -> Iterator[UnitResult]:
    """Every unit's result, in the order of ``units``."""
    iterator = iter(units)
    batches = iter(lambda: list(islice(iterator, BATCH)), [])
    if workers <= 1:
        for batch in batches:
            yield from process_units(batch, cfg, cache_dir)
        return
    # forkserver: workers do not inherit the parent's threads or open Arrow state
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        window: deque[Future[list[UnitResult]]] = deque()
        for batch in batches:
            window.append(pool.submit(process_units, batch, cfg, cache_dir))
            if len(window) >= workers * _AHEAD:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()
