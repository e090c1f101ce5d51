"""Benchmark runner: median of N runs of each variant on one corpus; prints a Markdown table.

Usage: python bench/run.py /tmp/bench/raw-10k --workers 2 --runs 3 > /tmp/bench/10k.md
       python bench/run.py /tmp/bench/raw-100k --runs 1 --only factpack floor   (a subset of the variants)

Variants (each a fresh process, timed with /usr/bin/time for wall time and peak RSS of the build's own process):
  factpack     factpack build RAW --workers W --no-cache
  ray          the same with --engine ray (a local Ray of W CPUs, started by the build)
  floor        bench/floor.py: read, split sentences with offsets, write one zstd Parquet table
  peer         bench/peer.py: datasets.from_generator + .map(factpack's per-article extraction) + to_parquet
  incremental  factpack build with a warm cache after one article changed
  unchanged    factpack build with a warm cache after nothing changed (the folder is left as it is)
  labels       factpack build with a warm cache after a labels-only change (raw/labels.jsonl: 20 judgements, one
               of them changed each run; removed afterwards)
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one run."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M", *command], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) / 1024


def incremental(factpack: list[str], files: list[Path], scratch: Path, workers: int, runs: int) -> tuple[float, float]:
    """Median wall time and RSS of a warm-cache rebuild after one article changed."""
    cache = scratch / "cache"
    warm = [*factpack, "--out", str(scratch / "inc"), "--workers", str(workers), "--cache-dir", str(cache)]
    timed(warm)
    changed = files[len(files) // 2]
    original = changed.read_text(encoding="utf-8")
    measured = []
    for number in range(runs):
        changed.write_text(original + f"\nA paragraph added for run {number} of the benchmark.\n", encoding="utf-8")
        measured.append(timed(warm))
    changed.write_text(original, encoding="utf-8")
    return statistics.median(r[0] for r in measured), statistics.median(r[1] for r in measured)


def unchanged(factpack: list[str], scratch: Path, workers: int, runs: int) -> tuple[float, float]:
    """Median wall time and RSS of a warm-cache rebuild after nothing changed (it leaves the folder as it is)."""
    cache = scratch / "unchanged-cache"
    warm = [*factpack, "--out", str(scratch / "unchanged"), "--workers", str(workers), "--cache-dir", str(cache)]
    timed(warm)
    measured = [timed(warm) for _ in range(runs)]
    return statistics.median(r[0] for r in measured), statistics.median(r[1] for r in measured)


def labels_only(factpack: list[str], raw: Path, scratch: Path, workers: int, runs: int) -> tuple[float, float]:
    """Median wall time and RSS of a warm-cache rebuild after a labels-only change."""
    import json

    import pyarrow.parquet as pq

    cache, out = scratch / "labels-cache", scratch / "labels-dist"
    warm = [*factpack, "--out", str(out), "--workers", str(workers), "--cache-dir", str(cache)]
    timed(warm)
    ids = pq.read_table(sorted((out / "claims").glob("*.parquet"))[0], columns=["claim_id"]).column(0).to_pylist()
    labels = raw / "labels.jsonl"
    measured = []
    try:
        for number in range(runs):
            lines = [{"claim_id": claim, "check_worthy": True, "verdict": "true"} for claim in ids[:20]]
            lines[number % 20]["verdict"] = f"false (run {number})"
            labels.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
            measured.append(timed(warm))
    finally:
        labels.unlink(missing_ok=True)
    return statistics.median(r[0] for r in measured), statistics.median(r[1] for r in measured)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only", nargs="*", default=["factpack", "ray", "floor", "peer", "incremental", "unchanged", "labels"]
    )
    args = parser.parse_args()
    files = sorted((args.raw / "articles").glob("*.txt"))
    megabytes = sum(f.stat().st_size for f in files) / 1e6
    scratch = Path(tempfile.mkdtemp(prefix="factpack-bench-"))
    python = sys.executable
    factpack = [python, "-c", "from builder.cli import main; main()", "build", str(args.raw)]
    build = [*factpack, "--out", str(scratch / "dist"), "--workers", str(args.workers), "--no-cache"]
    variants = {
        "factpack": ("factpack build", build),
        "ray": ("factpack build --engine ray", [*build, "--engine", "ray"]),
        "floor": ("floor", [python, str(HERE / "floor.py"), str(args.raw), str(scratch / "floor.parquet"),
                            "--workers", str(args.workers)]),
        "peer": ("datasets.map peer", [python, str(HERE / "peer.py"), str(args.raw), str(scratch / "peer.parquet"),
                                       "--workers", str(args.workers)]),
    }  # fmt: skip
    results: dict[str, tuple[float, float]] = {}
    for key, (name, command) in variants.items():
        if key not in args.only:
            continue
        runs = [timed(command) for _ in range(args.runs)]
        results[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
        print(f"{name}: {results[name]}", file=sys.stderr)
    if "incremental" in args.only:
        results["incremental (1 changed)"] = incremental(factpack, files, scratch, args.workers, args.runs)
    if "unchanged" in args.only:
        results["unchanged"] = unchanged(factpack, scratch, args.workers, args.runs)
    if "labels" in args.only:
        results["labels only"] = labels_only(factpack, args.raw, scratch, args.workers, args.runs)
    shutil.rmtree(scratch, ignore_errors=True)

    floor = results["floor"][0] if "floor" in results else float("nan")
    print(f"{len(files):,} articles, {megabytes:.1f} MB; {platform.processor() or platform.machine()}, "
          f"{args.workers} workers, Python {platform.python_version()}, {date.today().isoformat()}, "
          f"median of {args.runs}\n")  # fmt: skip
    print("| variant | wall (s) | articles/s | MB/s | peak RSS (MiB) | vs floor |")
    print("|---|---|---|---|---|---|")
    for name, (seconds, rss) in results.items():
        print(
            f"| {name} | {seconds:.1f} | {len(files) / seconds:,.0f} | {megabytes / seconds:.2f} | {rss:,.0f} "
            f"| {floor / seconds:.2f}× |"
        )


if __name__ == "__main__":
    main()
