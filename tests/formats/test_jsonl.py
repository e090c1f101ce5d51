"""JSONL input: one article per line, on real files. What a line's record is (its bytes without the line break,
and line 1 without a byte order mark), what ``--max-bytes`` counts of it, and what stays as defined when a file
starts with a byte order mark: article ids, lines, the text's sha256, every offset, the file's hash.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from pathlib import Path

import pytest

from builder.config import BuildConfig, IngestConfig
from builder.ingest import iter_raw
from builder.models import RawArticle, Rejected
from builder.pipeline import build
from builder.verify import verify_dataset
from conftest import rows_of

BOM = codecs.BOM_UTF8
RECORDS = [
    {"text": "Port expands\n\nThe port authority said container traffic grew by 12 percent in 2021.\n", "outlet": "W"},
    {"text": "Rail losses\n\nThe auditors said the railway lost 3 million zloty a month.\n", "outlet": "W"},
]


def line(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def write_feed(raw: Path, data: bytes) -> Path:
    folder = raw / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "feed.jsonl"
    path.write_bytes(data)
    return path


def ingest(raw: Path, **options) -> list[RawArticle | Rejected]:
    return list(iter_raw(raw, IngestConfig(**options)))


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b""], ids=["lf", "crlf", "last-line-without-break"])
@pytest.mark.parametrize("bom", [b"", BOM], ids=["plain", "bom"])
def test_max_bytes_counts_the_records_bytes_not_its_line_break_nor_a_bom(tmp_path, ending, bom):
    record = line(RECORDS[0])
    size = len(record)
    write_feed(tmp_path, bom + record + ending)
    (item,) = ingest(tmp_path, max_bytes=size)
    assert isinstance(item, RawArticle) and item.text == RECORDS[0]["text"]
    (rejected,) = ingest(tmp_path, max_bytes=size - 1)
    assert isinstance(rejected, Rejected)
    (problem,) = rejected.problems
    assert (problem.file, problem.line, problem.article) == ("articles/feed.jsonl", 1, "articles/feed.jsonl:1")
    assert problem.reason == (
        f"the record is {size} bytes (its line break not counted), over the limit of {size - 1}; raise --max-bytes"
    )


def test_a_byte_order_mark_starting_a_jsonl_file_is_read_past_and_every_offset_and_hash_stays(tmp_path):
    raw, dist = tmp_path / "raw", tmp_path / "dist"
    data = BOM + line(RECORDS[0]) + b"\r\n" + line(RECORDS[1]) + b"\r\n"
    path = write_feed(raw, data)
    report = build(BuildConfig(raw_dir=raw, out_dir=dist))
    assert (report.counts.articles_accepted, report.rejections) == (2, [])
    articles = {row["article_id"]: row for row in rows_of(dist, "articles")}
    assert set(articles) == {"feed:1", "feed:2"}
    for number, record in enumerate(RECORDS, start=1):
        article = articles[f"feed:{number}"]
        assert (article["source_file"], article["source_line"]) == ("articles/feed.jsonl", number)
        assert article["text"] == record["text"]  # the mark is outside the record, never in the text
        assert article["sha256"] == hashlib.sha256(record["text"].encode("utf-8")).hexdigest()
        assert (article["outlet"], article["field_sources"]["outlet"]) == ("W", "jsonl")
    claims = rows_of(dist, "claims")
    assert {claim["article_id"] for claim in claims} == {"feed:1", "feed:2"}
    for claim in claims:
        text = articles[claim["article_id"]]["text"]
        assert text[claim["char_start"] : claim["char_end"]] == claim["text"]
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = [entry for entry in manifest["inputs"] if entry["path"] == "articles/feed.jsonl"]
    assert (entry["bytes"], entry["sha256"]) == (len(data), hashlib.sha256(path.read_bytes()).hexdigest())
    assert verify_dataset(dist, raw=raw).ok


def test_a_byte_order_mark_is_read_past_only_at_the_start_of_the_file(tmp_path):
    # Two files joined with cat: the second one's mark now starts line 2, inside the file.
    write_feed(tmp_path, BOM + line(RECORDS[0]) + b"\n" + BOM + line(RECORDS[1]) + b"\n")
    first, second = ingest(tmp_path)
    assert isinstance(first, RawArticle) and first.article_id == "feed:1" and not first.problems
    assert isinstance(second, Rejected)
    (problem,) = second.problems
    assert (problem.file, problem.line, problem.article) == ("articles/feed.jsonl", 2, "articles/feed.jsonl:2")
    assert problem.reason == "a byte order mark (U+FEFF) starts the record; only the file may start with one: remove it"


def test_a_line_holding_only_a_byte_order_mark_is_blank_and_places_count_the_mark(tmp_path):
    write_feed(tmp_path, BOM + b"\n" + line(RECORDS[0]) + b"\n")
    (item,) = ingest(tmp_path)
    assert isinstance(item, RawArticle) and (item.article_id, item.source_line) == ("feed:2", 2)
    # Columns and bytes in messages count the line as it is on disk: the mark is character 1, bytes 0 to 2.
    write_feed(tmp_path, BOM + b'{"text" "x"}\n')
    (malformed,) = ingest(tmp_path)
    assert malformed.problems[0].reason == "malformed JSON at column 10: Expecting ':' delimiter"
    write_feed(tmp_path, BOM + b'{"text": "caf\xe9"}\n')
    (not_utf8,) = ingest(tmp_path)
    assert not_utf8.problems[0].reason == "not valid UTF-8 at byte 16 of the line; re-save as UTF-8"
