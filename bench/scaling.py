"""Scaling: what each stage of a build costs on one corpus, and the build time that implies at 1-256 workers.

Usage: python bench/scaling.py /tmp/bench/raw-10k --workers 2 --runs 3 [--ray] [--svg out.svg] > scaling-10k.md

Runs ``factpack build RAW --workers W --no-cache --skip-invalid --json`` RUNS times, each in a fresh process (peak
RSS from /usr/bin/time), and takes every stage's median CPU seconds from the build report. Then an Amdahl model
from those measured costs:

    T(n) = start(n) + driver + workers / n

``workers`` is the per-article CPU (read, clean, validate, extract, sketch: what the workers do, summed over them),
``driver`` everything the driver does alone (admitting results into the spool, linking, clustering, splitting,
labels, writing, verifying: the serial tail), and ``start(n)`` the engine's cost: for the local pool its start-up
(measured here as the wall time of the run minus its CPU at W workers, an upper bound), for Ray the measured
start-up plus its per-task overhead, ``tasks × overhead / n`` (with ``--ray``: one Ray run on the same corpus).
The model assumes the driver's admitting keeps up (it does the work serially, so it counts in ``driver``) and
that the per-article work divides evenly; it prints the modelled wall time and speed-up per worker count, and,
with ``--svg``, draws them. The corpus is read in place and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

WORKER_COUNTS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
BATCH = 16  # units per task, as the engines hand them over (builder.engines.local.BATCH)


def run(raw: Path, workers: int, engine: str) -> tuple[dict[str, object], float, float]:
    """One build: its report, wall seconds and peak RSS (MiB)."""
    with tempfile.TemporaryDirectory(prefix="factpack-scaling-") as scratch:
        command = ["factpack", "build", str(raw), "--out", str(Path(scratch) / "dist"), "--workers", str(workers)]
        command += ["--no-cache", "--skip-invalid", "--json", "--engine", engine]
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", *command], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
        seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
        return json.loads(result.stdout), float(seconds), int(kilobytes) / 1024


def median_costs(reports: list[dict[str, object]]) -> dict[tuple[str, str], float]:
    """Per (where, stage) the median CPU seconds over the runs."""
    costs: dict[tuple[str, str], list[float]] = {}
    for report in reports:
        for timing in report["timings"]:  # type: ignore[attr-defined]
            costs.setdefault((timing["where"], timing["name"]), []).append(timing["cpu_seconds"])
    return {key: statistics.median(values) for key, values in costs.items()}


def model(driver: float, workers: float, start: float, tasks: int, overhead: float) -> list[tuple[int, float, float]]:
    """(n, modelled wall seconds, speed-up over one worker) for each worker count."""
    one = driver + workers + overhead * tasks
    rows = []
    for n in WORKER_COUNTS:
        wall = (start if n > 1 else 0.0) + driver + (workers + overhead * tasks) / n
        rows.append((n, wall, one / wall))
    return rows


def svg(series: dict[str, list[tuple[int, float, float]]], path: Path) -> None:
    """Speed-up against workers, log2 x axis, one polyline per series, drawn by hand (no plotting dependency)."""
    width, height, pad = 640, 400, 50
    top = max(speedup for rows in series.values() for _, _, speedup in rows)
    ceiling = max(4, 2 ** (int(top).bit_length()))

    def x(n: int) -> float:
        return pad + (width - 2 * pad) * (n.bit_length() - 1) / (len(WORKER_COUNTS) - 1)

    def y(value: float) -> float:
        return height - pad - (height - 2 * pad) * value / ceiling

    colours = ["#1f6fb2", "#c0392b", "#2e8b57", "#8e44ad"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        'font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="black"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="black"/>',
    ]
    for n in WORKER_COUNTS:
        parts.append(f'<text x="{x(n):.0f}" y="{height - pad + 16}" text-anchor="middle">{n}</text>')
    for step in range(0, ceiling + 1, max(1, ceiling // 8)):
        parts.append(f'<text x="{pad - 6}" y="{y(step) + 4:.0f}" text-anchor="end">{step}×</text>')
        parts.append(f'<line x1="{pad}" y1="{y(step):.1f}" x2="{width - pad}" y2="{y(step):.1f}" stroke="#eee"/>')
    parts.append(f'<text x="{width / 2}" y="{height - 10}" text-anchor="middle">workers (modelled)</text>')
    for index, (name, rows) in enumerate(series.items()):
        colour = colours[index % len(colours)]
        points = " ".join(f"{x(n):.1f},{y(speedup):.1f}" for n, _, speedup in rows)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.append(f'<text x="{pad + 10}" y="{pad + 16 * (index + 1)}" fill="{colour}">{name}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ray", action="store_true", help="also measure Ray's start-up and per-task overhead")
    parser.add_argument("--svg", type=Path, default=None)
    args = parser.parse_args()

    measured = [run(args.raw, args.workers, "local") for _ in range(args.runs)]
    reports = [report for report, _, _ in measured]
    costs = median_costs(reports)
    wall = statistics.median(seconds for _, seconds, _ in measured)
    rss = statistics.median(mib for _, _, mib in measured)
    articles = int(reports[0]["counts"]["articles_seen"])  # type: ignore[index]
    driver = sum(cpu for (where, _), cpu in costs.items() if where == "driver")
    workers = sum(cpu for (where, _), cpu in costs.items() if where == "workers")
    tasks = -(-articles // BATCH)
    start = max(0.0, wall - driver - workers / args.workers)  # what the measured run spent beyond the model

    print(
        f"{args.raw}: {articles:,} articles; {args.runs} runs at --workers {args.workers} on {platform.machine()}, "
        f"{platform.python_version()}, {date.today()}; median wall {wall:.1f} s, peak RSS {rss:.0f} MiB\n"
    )
    print("| stage | where | CPU s (median) | share of CPU |")
    print("|---|---|---|---|")
    total = driver + workers
    for (where, name), cpu in costs.items():
        print(f"| {name} | {where} | {cpu:.2f} | {cpu / total:.1%} |")
    print(f"| **all** | | {total:.2f} | driver (serial) {driver / total:.1%} |\n")

    series = {"local pool": model(driver, workers, start, tasks, 0.0)}
    if args.ray:
        report, ray_wall, _ = run(args.raw, args.workers, "ray")
        ray_costs = median_costs([report])
        ray_driver = sum(cpu for (where, _), cpu in ray_costs.items() if where == "driver")
        ray_workers = sum(cpu for (where, _), cpu in ray_costs.items() if where == "workers")
        beyond = max(0.0, ray_wall - ray_driver - ray_workers / args.workers)
        ray_start = 10.0  # Ray's start-up, measured separately (README: "Engine start per process")
        overhead = max(0.0, beyond - ray_start) * args.workers / tasks
        series[f"Ray ({overhead * 1000:.0f} ms a task)"] = model(driver, workers, ray_start, tasks, overhead)
    print("| workers | " + " | ".join(f"{name}: wall s, speed-up" for name in series) + " |")
    print("|---|" + "---|" * len(series))
    for index, n in enumerate(WORKER_COUNTS):
        cells = " | ".join(f"{rows[index][1]:.1f} s, {rows[index][2]:.1f}×" for rows in series.values())
        print(f"| {n} | {cells} |")
    if args.svg is not None:
        svg(series, args.svg)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
