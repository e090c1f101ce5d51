"""A small raw folder of every input shape and several kinds of bad input, written by the tests that read its
dataset (tests/test_published.py, tests/test_golden.py): no research data, every value chosen so that a field
computed wrongly shows.

Accepted: a .txt with a sidecar whose speaker "told Polish daily Gazeta Wyborcza" (a ``medium``), with a byline
and a dateline; a cp1252 .txt with CRLF line ends (its ``sha256``, of the file's bytes, differs from the hash of
the decoded text); a Q&A interview of two turns (``question``); a .txt repeating a claim of the first under an
honorific (a cluster of two across articles, a speaker alias); the role the interview gives her, in an article
that does not name her (linked across articles); a quotation running over two paragraphs; two JSONL lines with
news-please and trafilatura fields (``ignored_fields``); a Parquet row. Refused: an empty file, a binary one, a
sidecar with a future date, a malformed sidecar, a sidecar without its text, a copy of an accepted file, three bad
JSONL lines and a label anchored to no claim. A label by claim id and a curated speaker with a QID are applied.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from builder.config import BuildConfig, IngestConfig, LabelConfig, PublishConfig, SplitConfig, ValidateConfig

WYBORCZA = (
    "Berg says taxes will rise\n"
    "By Jan Nowak\n\n"
    "WARSAW — Anna Berg told Polish daily Gazeta Wyborcza that taxes would rise by 2% next year.\n\n"
    '"We have no other choice," she said. The ministry has 4,000 staff in Warsaw.\n'
)
WYBORCZA_SIDECAR = {
    "outlet": "Notes from Poland",
    "url": "https://example.org/berg",
    "published": "2024-03-05",
    "language": "en",
    "notes": "Written for the published-field tests.",
}
LABELLED_CLAIM = "taxes would rise by 2% next year"
LATIN1 = (
    "Prices\r\n\r\n"
    "Tom Reed said tickets would cost £30 each, up from £25.\r\n\r\n"
    "The club sold 12,000 tickets in 2023.\r\n"
)
INTERVIEW = (
    "Taxes: an interview\n\n"
    "Host Name, Radio One: Will taxes rise next year?\n\n"
    "Anna Berg, Finance Minister: Taxes will rise by two percent next year. They will fall in 2026.\n\n"
    "Host Name, Radio One: When will they fall?\n\n"
    "Anna Berg, Finance Minister: They will fall in May 2026.\n"
)
SPEECH = (
    "Budget speech\n\n"
    '"We will halve the deficit in two years," Anna Berg said. "Every ministry will have to save, and the savings '
    "start in April.\n\n"
    '"Nobody will be spared, not even my own department."\n'
)
BERG = "Budget day\n\nMs Berg said on Friday that taxes would rise by 2% next year.\n"
MINISTER = "Deficit\n\nThe deficit will fall to 3% in 2025, the finance minister said on Monday.\n"
BERG_SIDECAR = {"outlet": "Budget Watch", "published": "2024-03-08", "language": "en"}
FEED = [
    {
        "text": "Harbour reopens\n\n"
        "The harbour reopened on Tuesday after 14 months of repairs, the port authority said.\n",
        "url": "https://example.org/harbour",
        "published": "2024-02-01",
        "outlet": "Coast News",
        "language": "en",
        "authors": ["A. Writer"],
        "source_domain": "example.org",
    },
    {
        "maintext": "Bridge closes\n\nThe bridge will close for 3 weeks in June, Lena Ford said.\n",
        "date_publish": "2024-02-03",
        "title": "Bridge closes",
        "sitename": "Coast News",
        "hostname": "example.org",
    },
]
FEED_BAD = [
    b"{not json",
    json.dumps({"text": "Rain\n\nIt rained 40 mm on Sunday.\n", "colour": "red"}).encode(),
    json.dumps({"text": "Snow\n\nIt snowed 10 cm on Monday.\n", "url": "not a url"}).encode(),
]
ROW = {
    "text": "Wind\n\nWinds reached 120 km/h on Friday, forecasters said.\n",
    "url": "https://example.org/wind",
    "published": "2024-01-20",
    "image_url": "https://example.org/w.jpg",
}
SPEAKERS = [{"name": "Anna Berg", "qid": "Q4115189"}]
ORPHAN_LABEL = {"claim_id": "ffffffffffffffff", "verdict": "false"}


def labelled_claim_id() -> str:
    """The id of the claim labelled by id: the documented hash of the article's bytes and the span."""
    data = WYBORCZA.encode("utf-8")
    start = WYBORCZA.index(LABELLED_CLAIM)
    key = f"{hashlib.sha256(data).hexdigest()}:{start}:{start + len(LABELLED_CLAIM)}"
    return hashlib.sha256(key.encode("ascii")).hexdigest()[:16]


LABEL = {"verdict": "false", "check_worthy": True, "correction": "Taxes rise by 1% next year."}


def write_mixed_raw(raw: Path) -> Path:
    articles = raw / "articles"
    articles.mkdir(parents=True)
    (articles / "wyborcza.txt").write_bytes(WYBORCZA.encode("utf-8"))
    (articles / "wyborcza.json").write_text(json.dumps(WYBORCZA_SIDECAR), encoding="utf-8")
    (articles / "wyborcza_again.txt").write_bytes(WYBORCZA.encode("utf-8"))
    (articles / "latin1.txt").write_bytes(LATIN1.encode("cp1252"))
    (articles / "interview.txt").write_bytes(INTERVIEW.encode("utf-8"))
    (articles / "speech.txt").write_bytes(SPEECH.encode("utf-8"))
    (articles / "berg.txt").write_bytes(BERG.encode("utf-8"))
    (articles / "minister.txt").write_bytes(MINISTER.encode("utf-8"))
    (articles / "berg.json").write_text(json.dumps(BERG_SIDECAR), encoding="utf-8")
    lines = [json.dumps(record).encode("utf-8") for record in FEED] + FEED_BAD
    (articles / "feed.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))
    pq.write_table(pa.table({key: [value] for key, value in ROW.items()}), articles / "rows.parquet")
    (articles / "empty.txt").write_bytes(b"  \n\n")
    (articles / "binary.txt").write_bytes(b"Title\n\n\x00\x01\x02 data\n")
    (articles / "future.txt").write_text("Later\n\nThe council voted 7 to 2 for the plan.\n", encoding="utf-8")
    (articles / "future.json").write_text(json.dumps({"published": "2999-01-01"}), encoding="utf-8")
    (articles / "broken.txt").write_text("Broken\n\nThe river rose 2 metres overnight.\n", encoding="utf-8")
    (articles / "broken.json").write_text('{"outlet": ', encoding="utf-8")
    (articles / "stray.json").write_text(json.dumps({"outlet": "Nobody"}), encoding="utf-8")
    (raw / "speakers.json").write_text(json.dumps(SPEAKERS), encoding="utf-8")
    labels = [ORPHAN_LABEL, {"claim_id": labelled_claim_id(), **LABEL}]
    (raw / "labels.jsonl").write_text("".join(json.dumps(label) + "\n" for label in labels), encoding="utf-8")
    return raw


def build_mixed(root: Path) -> tuple[Path, Path]:
    """The mixed raw folder written under ``root`` and the dataset built from it: (raw, dist)."""
    from builder.pipeline import build

    raw = write_mixed_raw(root / "raw")
    build(mixed_config(raw, root / "dist"))
    return raw, root / "dist"


def mixed_config(raw: Path, out: Path) -> BuildConfig:
    """Options away from every default that shapes the output, so that the manifest must record each."""
    return BuildConfig(
        raw_dir=raw,
        out_dir=out,
        ingest=IngestConfig(encoding_fallback="cp1252", max_bytes=100_000),
        validation=ValidateConfig(skip_invalid=True),
        labels=LabelConfig(allow_orphans=True),
        split=SplitConfig(mode="temporal", train=0.6, validation=0.2, test=0.2),
        publish=PublishConfig(max_shard_rows=4),
    )
