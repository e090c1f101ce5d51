"""Per-article extraction time: clean → validate → extract on one core, articles already read into memory.

Usage: python bench/extract.py ../shared/corpora/bbc [--runs 5] [--limit N]

Reads every ``*.txt`` of the corpus once (outside the timing), then times the per-article chain over all of them,
``--runs`` times, in this process; prints the median, the fastest and the slowest run as milliseconds per article
and MB/s, with the claim count so that two versions can be compared on the same input. The corpus is read in
place and never copied into the repository or a dataset.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

from builder.config import BuildConfig
from builder.ingest import iter_units, read_unit
from builder.models import Extracted, RawArticle
from builder.stages import run_stages


def load(corpus: Path, limit: int | None) -> list[RawArticle]:
    cfg = BuildConfig(raw_dir=corpus.parent)
    cfg = cfg.model_copy(update={"ingest": cfg.ingest.model_copy(update={"articles_dir": corpus.name})})
    articles: list[RawArticle] = []
    for unit in iter_units(cfg.raw_dir, cfg.ingest):
        raw = read_unit(unit, cfg.raw_dir, cfg.ingest, [])
        if isinstance(raw, RawArticle):
            articles.append(raw)
        if limit is not None and len(articles) >= limit:
            break
    return articles


def run(articles: list[RawArticle], cfg: BuildConfig) -> int:
    claims = 0
    for raw in articles:
        item = run_stages(raw, cfg, until="extract")
        if isinstance(item, Extracted):
            claims += len(item.claims)
    return claims


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    articles = load(args.corpus.resolve(), args.limit)
    size_mb = sum(len(a.text.encode("utf-8")) for a in articles) / 1e6
    cfg = BuildConfig()
    claims = run(articles, cfg)  # warm-up: imports, regex compilation
    seconds = []
    for _ in range(args.runs):
        started = time.perf_counter()
        run(articles, cfg)
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    per_article = [1000 * s / len(articles) for s in (median, min(seconds), max(seconds))]
    print(f"{len(articles)} articles, {size_mb:.1f} MB, {claims} claims; {platform.processor() or platform.machine()}")
    print(
        f"extraction per article: median {per_article[0]:.2f} ms (min {per_article[1]:.2f}, max {per_article[2]:.2f})"
        f" over {args.runs} runs; {size_mb / median:.2f} MB/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
