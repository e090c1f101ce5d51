"""Where a build spends its time: wall and CPU seconds per stage, on the driver and summed over the workers.

A :class:`Clock` adds up what the stages it times cost in the process it runs in (``time.process_time`` is that
process's CPU); workers send theirs back with each result, and the driver adds them to its own. Nothing timed
reaches an artifact: the figures are for the build report (``factpack build --json``) and the benchmarks.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from builder.models import StageTiming

__all__ = ["Clock", "report_timings"]

Spent = tuple[str, float, float]
"""A stage's name, wall seconds and CPU seconds."""


class Clock:
    """Wall and CPU seconds per stage name, in the order the stages were first timed."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - wall, time.process_time() - cpu)

    def add(self, name: str, wall: float, cpu: float) -> None:
        spent = self.spent.setdefault(name, [0.0, 0.0])
        spent[0] += wall
        spent[1] += cpu

    def items(self) -> tuple[Spent, ...]:
        return tuple((name, wall, cpu) for name, (wall, cpu) in self.spent.items())

    def extend(self, items: Iterable[Spent]) -> None:
        for name, wall, cpu in items:
            self.add(name, wall, cpu)


def report_timings(workers: Clock, driver: Clock) -> tuple[list[StageTiming], float]:
    """Every stage's figures (per-article stages first, summed over the workers), and the driver's share of the
    CPU: the part no number of workers shortens."""
    timings = [
        StageTiming(name=name, where=where, wall_seconds=round(wall, 3), cpu_seconds=round(cpu, 3))
        for where, clock in (("workers", workers), ("driver", driver))
        for name, wall, cpu in clock.items()
    ]
    total = sum(t.cpu_seconds for t in timings)
    serial = sum(t.cpu_seconds for t in timings if t.where == "driver")
    return timings, round(serial / total, 4) if total else 0.0
