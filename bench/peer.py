"""The peer a user would otherwise write: datasets.from_generator + .map(factpack extraction) + to_parquet.

Usage: python bench/peer.py RAW OUT.parquet --workers N
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from datasets import Dataset

from builder.config import BuildConfig
from builder.models import Extracted, InputFormat, RawArticle
from builder.stages import run_stages


def articles(paths: list[str]) -> Any:
    for path in paths:
        yield {"path": path, "text": Path(path).read_bytes().decode("utf-8")}


def extract(row: dict[str, Any]) -> dict[str, Any]:
    raw = RawArticle(Path(row["path"]).stem, row["path"], None, InputFormat.TXT, row["text"], "0" * 64, {}, None)
    item = run_stages(raw, BuildConfig(), until="extract")
    claims = list(item.claims) if isinstance(item, Extracted) else []
    return {"claims": json.dumps([claim.model_dump(mode="json") for claim in claims])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    paths = [str(p) for p in sorted((args.raw / "articles").glob("*.txt"))]
    with tempfile.TemporaryDirectory() as cache:
        dataset = Dataset.from_generator(articles, gen_kwargs={"paths": paths}, cache_dir=cache)
        extracted = dataset.map(extract, num_proc=args.workers, remove_columns=["text"])
        extracted.to_parquet(str(args.out))


if __name__ == "__main__":
    main()
