"""A record's date in the forms crawlers and spreadsheets write it, on real JSONL and Parquet files: read under
each name a record gives it (``published``, ``date``, ``date_publish``), published as YYYY-MM-DD with the form
named in ``field_sources``; an ambiguous one refused naming the file, its line or row, and the ISO forms."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from builder.config import BuildConfig, ValidateConfig
from builder.pipeline import build
from conftest import rows_of

BODY = "Port expands\n\nThe port authority said container traffic grew by {n} percent in 2021.\n"


def feed(raw: Path, records: list[dict]) -> None:
    folder = raw / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_record_dates_in_every_form_and_name_are_published_as_iso_with_their_form(tmp_path):
    raw, dist = tmp_path / "raw", tmp_path / "dist"
    feed(
        raw,
        [
            {"text": BODY.format(n=1), "date": "Tue, 05 Mar 2024 10:00:00 +0000"},
            {"maintext": BODY.format(n=2), "date_publish": "2024-03-05 23:30:00"},
            {"text": BODY.format(n=3), "published": "March 5, 2024"},
            {"text": BODY.format(n=4), "published": "03/05/2024"},
        ],
    )
    dates = ["5 March 2024", "2024-03-05T23:30:00-05:00", "5/3/2024"]
    texts = [BODY.format(n=n) for n in (5, 6, 7)]
    pq.write_table(pa.table({"text": texts, "published": dates}), raw / "articles" / "dump.parquet")

    report = build(BuildConfig(raw_dir=raw, out_dir=dist, validation=ValidateConfig(skip_invalid=True)))

    seen = {
        row["article_id"]: (row["published"].isoformat(), row["field_sources"]["published"])
        for row in rows_of(dist, "articles")
    }
    assert seen == {
        "feed:1": ("2024-03-05", "jsonl:rfc2822"),
        "feed:2": ("2024-03-05", "jsonl"),
        "feed:3": ("2024-03-05", "jsonl:month-day-year"),
        "dump:1": ("2024-03-05", "parquet:day-month-year"),
        "dump:2": ("2024-03-05", "parquet"),
    }
    refused = sorted((r.file, r.line, r.loc, r.reason) for r in report.rejections)
    assert refused == [
        (
            "articles/dump.parquet",
            3,
            "published",
            "ambiguous date '5/3/2024': write 2024-05-03 or 2024-03-05 (YYYY-MM-DD)",
        ),
        (
            "articles/feed.jsonl",
            4,
            "published",
            "ambiguous date '03/05/2024': write 2024-03-05 or 2024-05-03 (YYYY-MM-DD)",
        ),
    ]
