"""Engines run the per-article work (:func:`builder.work.process_units`) and hand results back in input order.

``local``: this process (one worker) or a process pool (``--workers N``); ``ray``: Ray Data, on a local Ray or
a cluster (the optional extra ``factpack[ray]``). Results are yielded in the order of the units whatever order
the workers finish in, so the output is byte-identical for any engine and any number of workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Executor

from builder.config import BuildConfig
from builder.engines.local import run_local
from builder.ingest import Unit
from builder.kept import KeptRef
from builder.work import UnitResult

__all__ = ["run_engine", "run_local"]


def run_engine(
    units: Iterable[Unit], cfg: BuildConfig, pool: Executor | None = None, kept: KeptRef | None = None
) -> Iterator[UnitResult]:
    """Every unit's result, in input order, from the engine ``cfg`` names (the local one on ``pool`` when one is
    given: the build's, which its corpus-wide stages use next). A unit whose rows the kept spool in ``kept``
    holds comes back as its key alone (:func:`~builder.work.process_unit`)."""
    if cfg.engine == "ray":
        from builder.engines.ray import run_ray

        return run_ray(units, cfg, cfg.workers, cfg.cache_dir, cfg.ray_address, kept)
    return run_local(units, cfg, cfg.workers, cfg.cache_dir, pool, kept)
