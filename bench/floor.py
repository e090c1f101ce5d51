"""The floor: read the files, split sentences with offsets (factpack's segmenter), write one zstd Parquet table.

Usage: python bench/floor.py RAW OUT.parquet --workers N
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from builder.segment import iter_sentences


def sentences(path: Path) -> list[tuple[str, int, int, str]]:
    text = path.read_bytes().decode("utf-8")
    return [(path.name, start, end, text[start:end]) for start, end in iter_sentences(text, 0, len(text))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    paths = sorted((args.raw / "articles").glob("*.txt"))
    with ProcessPoolExecutor(args.workers) as pool:
        rows = [row for batch in pool.map(sentences, paths, chunksize=64) for row in batch]
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(("file", "start", "end", "text"))})
    pq.write_table(table, args.out, compression="zstd")


if __name__ == "__main__":
    main()
