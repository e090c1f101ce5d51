"""With ``raw=``: every article's raw file is there and has the bytes the dataset says (its ``sha256``)."""

from __future__ import annotations

from builder.verify import verify_dataset
from verify.corrupt import ARTICLES_TRAIN, column, where

RAW_CODES = {"raw-missing", "raw-hash-mismatch"}


def listing(report) -> str:
    return "\n".join(str(problem) for problem in report.problems) or "(no problem)"


def article_row(seed_dist, source_file: str) -> int:
    """The row of the articles train shard whose article was read from ``source_file``."""
    return column(seed_dist, ARTICLES_TRAIN, "source_file").index(source_file)


def test_raw_hash_mismatch(seed_dist, raw_copy):
    source = "articles/003_440fd8f644ac4721.txt"
    row = article_row(seed_dist, source)
    assert row > 0  # not trivially the first row
    data = bytearray((raw_copy / source).read_bytes())
    at = data.index(b"NATO")
    data[at] = ord("M")  # one byte, still UTF-8, same size
    (raw_copy / source).write_bytes(bytes(data))
    report = verify_dataset(seed_dist, raw=raw_copy)
    assert report.ok is False
    assert ("raw-hash-mismatch", ARTICLES_TRAIN, row, "sha256") in where(report), listing(report)
    # Only that article: the other four files are as built.
    assert {(p.file, p.row) for p in report.problems if p.code in RAW_CODES} == {(ARTICLES_TRAIN, row)}, listing(report)


def test_raw_missing(seed_dist, raw_copy):
    source = "articles/004_f3fa3fc9bb42fcfb.txt"
    row = article_row(seed_dist, source)
    (raw_copy / source).unlink()
    report = verify_dataset(seed_dist, raw=raw_copy)
    assert report.ok is False
    assert ("raw-missing", ARTICLES_TRAIN, row, "source_file") in where(report), listing(report)
    assert ("raw-hash-mismatch", ARTICLES_TRAIN, row, "sha256") not in where(report), "an absent file has no hash"


def test_raw_checks_jsonl_articles_line_by_line(tmp_path):
    import json

    from builder.config import BuildConfig
    from builder.pipeline import build

    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    records = [
        {"text": f"Headline {n}\n\nThe mayor said on Monday that {n} bridges would reopen in May.", "outlet": "Wire"}
        for n in range(1, 4)
    ]
    feed = raw / "articles" / "feed.jsonl"
    feed.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    dist = tmp_path / "dist"
    build(BuildConfig(raw_dir=raw, out_dir=dist))
    clean = verify_dataset(dist, raw=raw)
    assert clean.ok and clean.checked["raw_files"] == 1, listing(clean)
    records[1]["text"] = records[1]["text"].replace("Monday", "Friday")  # line 2 edited, the others untouched
    feed.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    report = verify_dataset(dist, raw=raw)
    mismatched = [problem for problem in report.problems if problem.code in RAW_CODES]
    assert len(mismatched) == 1 and mismatched[0].code == "raw-hash-mismatch", listing(report)
    shard = dist / mismatched[0].file
    import pyarrow.parquet as pq

    assert pq.read_table(shard, columns=["source_line"]).column(0)[mismatched[0].row].as_py() == 2
