"""Engines run the per-article work (:func:`builder.work.process_units`) and hand results back in input order.

``local``: this process (one worker) or a process pool (``--workers N``). Results are yielded in the order of
the units whatever order the workers finish in, so the output is byte-identical for any number of workers.
"""

from __future__ import annotations

from builder.engines.local import run_local

__all__ = ["run_local"]
