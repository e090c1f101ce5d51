"""Scaling: what each stage of a build costs on one corpus, and the build time that implies at 1-256 workers.

Usage: python bench/scaling.py /tmp/bench/raw-10k --workers 2 --runs 3 [--ray] [--start S] [--svg out.svg] > out.md

Runs ``factpack build RAW --workers W --no-cache --skip-invalid --json`` RUNS times, each in a fresh process (peak
RSS from /usr/bin/time), and takes every stage's median wall and CPU seconds from the build report. Then a model of
the build at n workers from those measured costs, each stage scaled by the parallelism the code gives it:

    T(n) = start + max(per_article / n, admit) + serial
           + cluster_driver + cluster_workers / min(n, bands)
           + write_driver + write_workers / min(n, shards) + verify_driver + verify_workers / min(n, shards)

``per_article`` is the CPU of the per-article stages (read, clean, validate, extract, sketch, summed over the
workers); ``admit`` the driver's own work while they run (listing the raw folder, admitting results into the
spool), which overlaps them; ``serial`` what only the driver does after them (link, split, labels, swap);
clustering's bands are shared out between up to ``bands`` (32) processes; writing and verify run a task per
shard of the claims and articles configs (``shards``, from the report's rows per split and the default 100,000
rows a shard), assumed to cost alike. ``start`` is what the measured run spent beyond this model at W (imports,
the pool's start-up, the driver competing with the workers for the cores, the last batches): an upper bound of
the fixed cost, kept for every n.
At n = 1 the model is the sum of every stage's CPU. With ``--ray``, one Ray run on the same corpus gives
Ray's per-task overhead (beyond its measured 10 s start-up), added as ``tasks × overhead / n``. It prints the
modelled wall time and speed-up per worker count and, with ``--svg``, draws them. The corpus is read in place and
never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
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


def median_costs(reports: list[dict[str, object]]) -> dict[tuple[str, str], tuple[float, float]]:
    """Per (where, stage) the median wall and CPU seconds over the runs."""
    costs: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for report in reports:
        for timing in report["timings"]:  # type: ignore[attr-defined]
            costs.setdefault((timing["where"], timing["name"]), []).append(
                (timing["wall_seconds"], timing["cpu_seconds"])
            )
    return {
        key: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for key, values in costs.items()
    }


PER_ARTICLE = ("read", "cache", "clean", "validate", "extract", "sketch")
ADMIT = ("list", "admit", "spool")
SHARD_ROWS = 100_000  # PublishConfig.max_shard_rows, the default the benchmark builds with
BANDS = 32  # ClusterConfig.bands: clustering shares its bands out between at most this many processes


@dataclass(frozen=True)
class Costs:
    """A run's measured costs, grouped as the model scales them."""

    per_article: float
    admit: float
    serial: float
    cluster_driver: float
    cluster_workers: float
    write_driver: float
    write_workers: float
    verify_driver: float
    verify_workers: float
    shards: int  # of the claims and articles configs: the tasks writing and verify share out

    @classmethod
    def of(cls, costs: dict[tuple[str, str], tuple[float, float]], shards: int) -> Costs:
        def cpu(where: str, names: tuple[str, ...]) -> float:
            return sum(c for (w, name), (_, c) in costs.items() if w == where and name in names)

        known = {*PER_ARTICLE, *ADMIT, "cluster", "write", "verify"}
        return cls(
            per_article=cpu("workers", PER_ARTICLE),
            admit=cpu("driver", ADMIT),
            serial=sum(c for (w, name), (_, c) in costs.items() if w == "driver" and name not in known),
            cluster_driver=cpu("driver", ("cluster",)),
            cluster_workers=cpu("workers", ("cluster",)),
            write_driver=cpu("driver", ("write",)),
            write_workers=cpu("workers", ("write",)),
            verify_driver=cpu("driver", ("verify",)),
            verify_workers=cpu("workers", ("verify",)),
            shards=shards,
        )

    def total(self) -> float:
        """CPU seconds of the whole build: its wall time on one worker."""
        return (
            self.per_article + self.admit + self.serial + self.cluster_driver + self.cluster_workers
            + self.write_driver + self.write_workers + self.verify_driver + self.verify_workers
        )  # fmt: skip

    def wall(self, n: int, start: float, overhead: float = 0.0) -> float:
        """Modelled wall seconds at ``n`` workers (``overhead``: seconds of engine work per article, divided)."""
        if n == 1:
            return self.total() + overhead
        tasks = min(n, self.shards)
        return (
            start + max((self.per_article + overhead) / n, self.admit) + self.serial
            + self.cluster_driver + self.cluster_workers / min(n, BANDS)
            + self.write_driver + self.write_workers / tasks + self.verify_driver + self.verify_workers / tasks
        )  # fmt: skip


def model(costs: Costs, start: float, overhead: float = 0.0) -> list[tuple[int, float, float]]:
    """(n, modelled wall seconds, speed-up over one worker) for each worker count."""
    one = costs.wall(1, start, overhead)
    return [(n, costs.wall(n, start, overhead), one / costs.wall(n, start, overhead)) for n in WORKER_COUNTS]


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
    parser.add_argument(
        "--start",
        type=float,
        default=None,
        help="also model with this fixed cost instead of the measured residual (say the wall time of a one-article "
        "build plus the pool's start-up: what remains when the driver has a core of its own)",
    )
    args = parser.parse_args()

    measured = [run(args.raw, args.workers, "local") for _ in range(args.runs)]
    reports = [report for report, _, _ in measured]
    medians = median_costs(reports)
    counts = reports[0]["counts"]
    shards = sum(
        -(-rows // SHARD_ROWS)
        for key in ("claims_per_split", "articles_per_split")
        for rows in counts[key].values()  # type: ignore[index]
    )
    costs = Costs.of(medians, shards)
    wall = statistics.median(seconds for _, seconds, _ in measured)
    rss = statistics.median(mib for _, _, mib in measured)
    articles = int(reports[0]["counts"]["articles_seen"])  # type: ignore[index]
    tasks = -(-articles // BATCH)
    start = max(0.0, wall - costs.wall(args.workers, 0.0))  # what the measured run spent beyond the model
    shares = [float(report["serial_share"]) for report in reports]  # type: ignore[arg-type]

    print(
        f"{args.raw}: {articles:,} articles; {args.runs} runs at --workers {args.workers} on {platform.machine()}, "
        f"{platform.python_version()}, {date.today()}; median wall {wall:.1f} s, peak RSS {rss:.0f} MiB\n"
    )
    print("| stage | where | wall s (median) | CPU s (median) | share of CPU |")
    print("|---|---|---|---|---|")
    total = costs.total()
    for (where, name), (stage_wall, cpu) in medians.items():
        shown = f"{stage_wall:.2f}" if where == "driver" else "(summed)"
        print(f"| {name} | {where} | {shown} | {cpu:.2f} | {cpu / total:.1%} |")
    print(f"| **all** | | {wall:.1f} | {total:.2f} | driver only (serial): {statistics.median(shares):.1%} |\n")
    print(
        f"Beyond the model at {args.workers} workers (start-ups, waits, imbalance): {start:.1f} s; {shards} shards.\n"
    )

    series = {f"local pool (fixed {start:.1f} s, measured)": model(costs, start)}
    if args.start is not None:
        series[f"local pool (fixed {args.start:.1f} s)"] = model(costs, args.start)
    if args.ray:
        report, ray_wall, _ = run(args.raw, args.workers, "ray")
        ray_start = 10.0  # Ray's start-up, measured separately (README: "Engine start per process")
        beyond = max(0.0, ray_wall - Costs.of(median_costs([report]), shards).wall(args.workers, ray_start))
        overhead = beyond * args.workers  # per-article engine seconds, summed over the tasks
        series[f"Ray ({overhead / tasks * 1000:.0f} ms a task)"] = model(costs, ray_start, overhead)
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
