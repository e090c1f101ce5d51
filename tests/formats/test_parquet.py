"""Parquet input: one article per row, read one row group at a time, every rejection naming file, row and column.

Every file here is a real Parquet file written by pyarrow or by ``datasets``; nothing is mocked.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.config import BuildConfig, IngestConfig
from builder.formats import FORMATS, REFUSED, reader
from builder.formats.parquet import READER
from builder.ingest import iter_raw, read_unit
from builder.models import FileEntry, InputFormat, RawArticle, Rejected, Rejection
from builder.pipeline import build, check
from builder.verify import verify_dataset
from conftest import RAW, rows_of

# Texts with reported speech, so that a build extracts claims from them.
TEXTS = [
    "Minister promises lower taxes\n\nWARSAW - The finance minister said on Monday that income tax would fall "
    'next year.\n\n"We will cut the income tax rate by two points in January," Jan Kowalski told reporters.\n',
    'Mayor defends new tram line\n\nKRAKOW - "The tram line will be finished before winter," the mayor said on '
    "Tuesday, rejecting claims of delays.\n\nCritics said the budget had doubled since 2019.\n",
    "Café owners welcome rule — “finally”\n\nGDANSK - The owners' association said the new rule would save "
    "small cafés 4,000 złoty a year.\n\n“This is the change we asked for,” its chair Anna Nowak said.\n",
]


def articles(folder: Path) -> Path:
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    return folder / "articles"


def ingest(raw: Path, **options) -> list[RawArticle | Rejected]:
    return list(iter_raw(raw, IngestConfig(**options)))


def problems(item: RawArticle | Rejected) -> tuple[Rejection, ...]:
    return item.problems


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_pyarrow_file_is_read_row_by_row_with_its_metadata(tmp_path):
    table = pa.table(
        {
            "text": TEXTS,
            "title": ["Minister promises lower taxes", None, "Café owners welcome rule"],
            "url": ["https://example.com/a", None, None],
            "published": pa.array([datetime.date(2020, 1, 2), None, datetime.date(2021, 3, 4)], pa.date32()),
            "outlet": ["Wire", "Wire", None],
            "language": ["en", "en", "en"],
            "id": ["x1", "x2", "x3"],
        }
    )
    path = articles(tmp_path) / "feed.parquet"
    pq.write_table(table, path)
    seen: list[FileEntry] = []
    items = list(iter_raw(tmp_path, IngestConfig(), seen))
    assert [item.article_id for item in items] == ["feed:1", "feed:2", "feed:3"]
    for row, (item, text) in enumerate(zip(items, TEXTS, strict=True), start=1):
        assert isinstance(item, RawArticle) and not item.problems
        assert item.input_format is InputFormat.PARQUET and item.source_file == "articles/feed.parquet"
        assert item.source_line == row and item.metadata_file == "articles/feed.parquet"
        assert item.metadata_source == "parquet" and item.ignored_fields == ("id",)
        assert item.text == text and item.text.encode("utf-8") == text.encode("utf-8")
        assert item.sha256 == sha(text)
    assert items[0].metadata == {
        "title": "Minister promises lower taxes",
        "url": "https://example.com/a",
        "published": "2020-01-02",
        "outlet": "Wire",
        "language": "en",
    }
    assert items[1].metadata["published"] is None
    data = path.read_bytes()
    assert seen == [FileEntry(path="articles/feed.parquet", bytes=len(data), sha256=hashlib.sha256(data).hexdigest())]


def test_a_datasets_file_with_news_please_columns_is_read(tmp_path):
    from datasets import Dataset

    path = articles(tmp_path) / "cc_news.parquet"
    Dataset.from_dict(
        {
            "maintext": TEXTS[:2],
            "date_publish": [datetime.datetime(2020, 1, 2, 10, 30), datetime.datetime(2020, 1, 3, 8, 0)],
            "source_domain": ["example.com", "example.org"],
            "url": ["https://example.com/1", "https://example.org/2"],
        }
    ).to_parquet(str(path))
    items = ingest(tmp_path)
    assert [item.article_id for item in items] == ["cc_news:1", "cc_news:2"]
    first, second = items
    assert isinstance(first, RawArticle) and isinstance(second, RawArticle)
    assert (first.text, second.text) == (TEXTS[0], TEXTS[1]) and first.sha256 == sha(TEXTS[0])
    assert first.metadata == {
        "published": "2020-01-02T10:30:00",
        "outlet": "example.com",
        "url": "https://example.com/1",
    }
    assert first.ignored_fields == () and not first.problems
    assert second.source_line == 2 and second.input_format is InputFormat.PARQUET


def test_rows_of_several_row_groups_come_in_order_numbered_across_the_file(tmp_path):
    texts = [f'Article number {n}.\n\nIt said "row {n}" here.\n' for n in range(1, 12)]
    path = articles(tmp_path) / "groups.parquet"
    pq.write_table(pa.table({"text": texts}), path, row_group_size=3)
    assert pq.ParquetFile(path).num_row_groups == 4
    items = ingest(tmp_path)
    assert [item.article_id for item in items] == [f"groups:{n}" for n in range(1, 12)]
    assert [item.source_line for item in items] == list(range(1, 12))
    assert [item.text for item in items] == texts


def test_the_payload_is_the_row_as_json_in_column_order(tmp_path):
    path = articles(tmp_path) / "p.parquet"
    stamp = datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    table = pa.table({"title": ["T"], "text": ["Body."], "published": pa.array([stamp], pa.timestamp("us", "UTC"))})
    pq.write_table(table, path)
    (unit,) = READER.units(path, "articles/p.parquet", [])
    assert unit.format == "parquet" and unit.line == 1
    assert json.loads(unit.payload) == {"title": "T", "text": "Body.", "published": "2020-01-02T03:04:05+00:00"}
    assert list(json.loads(unit.payload)) == ["title", "text", "published"]


def test_a_full_build_with_parquet_and_text_verifies_and_loads(tmp_path):
    from datasets import load_dataset

    raw = tmp_path / "raw"
    folder = articles(raw)
    seed = "000_441cd17370331efe"
    (folder / f"{seed}.txt").write_bytes((RAW / "articles" / f"{seed}.txt").read_bytes())
    (folder / f"{seed}.json").write_bytes((RAW / "articles" / f"{seed}.json").read_bytes())
    table = pa.table({"text": TEXTS, "outlet": ["Wire"] * 3, "language": ["en"] * 3})
    pq.write_table(table, folder / "wire.parquet", row_group_size=2)
    dist = tmp_path / "dist"
    report = build(BuildConfig(raw_dir=raw, out_dir=dist))
    assert report.counts.articles_seen == 4 and report.counts.articles_accepted == 4
    assert verify_dataset(dist, raw=raw).ok

    published = rows_of(dist, "articles")
    by_id = {row["article_id"]: row for row in published}
    assert set(by_id) == {seed, "wire:1", "wire:2", "wire:3"}
    for row in range(1, 4):
        article = by_id[f"wire:{row}"]
        assert article["source_file"] == "articles/wire.parquet" and article["source_line"] == row
        assert article["text"] == TEXTS[row - 1] and article["sha256"] == sha(TEXTS[row - 1])
        assert article["outlet"] == "Wire" and article["field_sources"]["outlet"] == "parquet"
    claims = rows_of(dist, "claims")
    assert {claim["article_id"] for claim in claims} >= {"wire:1", "wire:2", "wire:3"}
    for claim in claims:
        text = by_id[claim["article_id"]]["text"]
        assert text[claim["char_start"] : claim["char_end"]] == claim["text"]

    loaded = load_dataset(str(dist), "articles", cache_dir=str(tmp_path / "hf-cache"))
    names = {}
    for split in loaded.values():
        labels = split.features["input_format"]
        for row in split:
            names[row["article_id"]] = labels.int2str(row["input_format"])
    assert names == {seed: "txt", "wire:1": "parquet", "wire:2": "parquet", "wire:3": "parquet"}


def test_verify_raw_finds_a_parquet_row_changed_after_the_build(tmp_path):
    raw = tmp_path / "raw"
    path = articles(raw) / "wire.parquet"
    pq.write_table(pa.table({"text": TEXTS}), path, row_group_size=2)
    dist = tmp_path / "dist"
    build(BuildConfig(raw_dir=raw, out_dir=dist))
    assert verify_dataset(dist, raw=raw).ok
    changed = [TEXTS[0], TEXTS[1], TEXTS[2].replace("4,000", "5,000")]  # row 3, in the second row group
    pq.write_table(pa.table({"text": changed}), path, row_group_size=2)
    report = verify_dataset(dist, raw=raw)
    assert not report.ok
    mismatched = [p for p in report.problems if p.code == "raw-hash-mismatch"]
    assert len(mismatched) == 1 and mismatched[0].field == "sha256"
    published = [
        row for shard in sorted((dist / "articles").glob("*.parquet")) for row in pq.read_table(shard).to_pylist()
    ]
    (row,) = [r for r in published if r["article_id"] == "wire:3"]
    assert READER.holds(path, 3, row["text"], row["sha256"], "utf-8") is False
    assert READER.holds(path, 2, TEXTS[1], sha(TEXTS[1]), "utf-8") is True
    assert READER.holds(path, 1, TEXTS[1], sha(TEXTS[1]), "utf-8") is False  # the text, but not at that row
    assert READER.holds(path, 9, TEXTS[1], sha(TEXTS[1]), "utf-8") is False  # no such row


def test_a_file_without_a_text_column_is_one_rejection_naming_the_column(tmp_path):
    pq.write_table(pa.table({"body": ["a", "b", "c"], "title": ["x", "y", "z"]}), articles(tmp_path) / "f.parquet")
    (item,) = ingest(tmp_path)
    assert isinstance(item, Rejected)
    (problem,) = item.problems
    assert (problem.file, problem.line, problem.loc) == ("articles/f.parquet", None, "text")
    assert "no 'text' column" in problem.reason and "'body'" in problem.reason


def test_bad_values_are_rejected_with_file_row_and_column(tmp_path):
    raw = tmp_path / "raw"
    folder = articles(raw)
    pq.write_table(
        pa.table({"text": [TEXTS[0], None, TEXTS[2]], "published": pa.array([None, None, 20200102], pa.int64())}),
        folder / "mixed.parquet",
    )
    pq.write_table(pa.table({"text": pa.array([7], pa.int64())}), folder / "number.parquet")
    pq.write_table(pa.table({"text": [TEXTS[1]], "colour": ["red"]}), folder / "unknown.parquet")
    report = check(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist"))
    assert report.counts.articles_seen == 5 and report.counts.articles_accepted == 1
    where = {(r.file, r.line, r.loc) for r in report.rejections}
    assert where == {
        ("articles/mixed.parquet", 2, "text"),  # null text
        ("articles/mixed.parquet", 3, "published"),  # an int64 date
        ("articles/number.parquet", 1, "text"),  # an int text
        ("articles/unknown.parquet", 1, "colour"),  # an unknown column
    }
    reasons = {(r.file, r.loc): r.reason for r in report.rejections}
    assert "missing" in reasons["articles/mixed.parquet", "text"]
    assert "got int" in reasons["articles/mixed.parquet", "published"]
    assert "int" in reasons["articles/number.parquet", "text"]
    assert reasons["articles/unknown.parquet", "colour"].startswith("unknown column")


@pytest.mark.parametrize(
    "data",
    [b"not parquet at all", b"PAR1" + b"\0" * 40 + b"PAR1", "truncated"],
    ids=["not-parquet", "bad-footer", "truncated"],
)
def test_a_file_that_is_not_readable_parquet_is_one_refused_unit(tmp_path, data):
    path = articles(tmp_path) / "bad.parquet"
    if data == "truncated":
        pq.write_table(pa.table({"text": TEXTS}), path)
        data = path.read_bytes()[:-20]
    path.write_bytes(data)
    seen: list[FileEntry] = []
    units = list(READER.units(path, "articles/bad.parquet", seen))
    assert [unit.format for unit in units] == [REFUSED]
    (item,) = ingest(tmp_path)
    assert isinstance(item, Rejected)
    (problem,) = item.problems
    assert problem.file == "articles/bad.parquet" and "not a readable Parquet file (" in problem.reason
    assert len(seen) == 1 and seen[0].bytes == len(data)
    with pytest.raises((OSError, pa.ArrowException)) as raised:
        pq.ParquetFile(path)
    said = " ".join(str(raised.value).split())
    assert said and f"({said}); fix the file or remove it" in problem.reason  # pyarrow's own reason, on one line


def test_a_binary_column_is_refused_never_decoded(tmp_path):
    table = pa.table({"text": pa.array([TEXTS[0].encode("utf-8")], pa.binary())})
    pq.write_table(table, articles(tmp_path) / "bytes.parquet")
    (item,) = ingest(tmp_path)
    assert isinstance(item, Rejected)
    (problem,) = item.problems
    assert (problem.file, problem.loc) == ("articles/bytes.parquet", "text")
    assert "binary" in problem.reason and "never decodes bytes" in problem.reason


def test_a_string_that_is_not_utf8_is_rejected_with_its_row_and_column(tmp_path):
    data = b"fine textbad \xff text"
    offsets = pa.array([0, 9, len(data)], pa.int32()).buffers()[1]
    strings = pa.StringArray.from_buffers(2, offsets, pa.py_buffer(data))
    pq.write_table(pa.table({"text": strings}), articles(tmp_path) / "latin.parquet")
    first, second = ingest(tmp_path)
    assert isinstance(first, RawArticle) and first.text == "fine text"
    assert isinstance(second, Rejected)
    (problem,) = second.problems
    assert (problem.file, problem.line, problem.loc) == ("articles/latin.parquet", 2, "text")
    assert "not valid UTF-8" in problem.reason


def test_a_date_python_cannot_hold_is_rejected_with_its_row_and_column(tmp_path):
    seconds = [int(datetime.datetime(2020, 1, 2, tzinfo=datetime.UTC).timestamp()), 10**12]  # the second: year 33658
    table = pa.table({"text": TEXTS[:2], "published": pa.array(seconds, pa.timestamp("s"))})
    pq.write_table(table, articles(tmp_path) / "far.parquet")
    first, second = ingest(tmp_path)
    assert isinstance(first, RawArticle) and first.metadata == {"published": "2020-01-02T00:00:00"}
    assert isinstance(second, Rejected)
    (problem,) = second.problems
    assert (problem.file, problem.line, problem.loc) == ("articles/far.parquet", 2, "published")
    assert "no Python form" in problem.reason


def test_a_row_over_max_bytes_is_rejected_naming_its_largest_column(tmp_path):
    long = "A long article.\n\n" + "word " * 400
    pq.write_table(pa.table({"text": [TEXTS[0], long], "title": ["t", "t"]}), articles(tmp_path) / "big.parquet")
    first, second = ingest(tmp_path, max_bytes=1000)
    assert isinstance(first, RawArticle)
    assert isinstance(second, Rejected)
    (problem,) = second.problems
    assert (problem.file, problem.line, problem.loc) == ("articles/big.parquet", 2, "text")
    assert "over the limit of 1000" in problem.reason and "--max-bytes" in problem.reason


def test_listing_reads_one_row_group_at_a_time(tmp_path):
    # The last row group's data is overwritten (the footer is intact): a reader that decoded the whole file before
    # yielding would fail at once; one that reads row group by row group yields the first rows, then refuses the rest.
    path = articles(tmp_path) / "groups.parquet"
    texts = [f"Row {n} of the file.\n" for n in range(1, 9)]
    pq.write_table(pa.table({"text": texts}), path, row_group_size=2, compression="none")
    metadata = pq.ParquetFile(path).metadata
    assert metadata.num_row_groups == 4
    chunk = metadata.row_group(3).column(0)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data = bytearray(path.read_bytes())
    data[start : start + chunk.total_compressed_size] = b"\xff" * chunk.total_compressed_size
    path.write_bytes(bytes(data))

    listing = READER.units(path, "articles/groups.parquet", [])
    first = next(listing)
    assert (first.format, first.line, json.loads(first.payload)) == ("parquet", 1, {"text": texts[0]})
    rest = list(listing)
    assert [unit.line for unit in rest[:-1]] == [2, 3, 4, 5, 6]
    assert rest[-1].format == REFUSED and "row group 4 of 4 (rows 7 to 8)" in rest[-1].reason
    assert pq.ParquetFile(path).read_row_group(0).num_rows == 2  # the file is as described: only the last group is bad
    with pytest.raises((OSError, pa.ArrowException)):
        pq.read_table(path)


def test_the_reader_is_registered_and_read_unit_goes_through_it(tmp_path):
    assert FORMATS[".parquet"] is READER and reader("parquet") is READER
    path = articles(tmp_path) / "one.parquet"
    pq.write_table(pa.table({"text": [TEXTS[0]]}), path)
    (unit,) = READER.units(path, "articles/one.parquet", [])
    item = read_unit(unit, tmp_path, IngestConfig(), [])
    assert isinstance(item, RawArticle) and item.article_id == "one:1"


def _damage(path: Path, chunks: list[tuple[int, int]]) -> None:
    """Overwrite the pages of the given (row group, column) chunks of an uncompressed file; the footer stays."""
    metadata = pq.ParquetFile(path).metadata
    data = bytearray(path.read_bytes())
    for group, column in chunks:
        chunk = metadata.row_group(group).column(column)
        start = chunk.dictionary_page_offset or chunk.data_page_offset
        data[start : start + chunk.total_compressed_size] = b"\xff" * chunk.total_compressed_size
    path.write_bytes(bytes(data))


def test_verify_raw_reads_only_the_rows_row_group_and_only_its_text_column(tmp_path):
    # Every page of the file is damaged after the build but the text of the second row group: an article there is
    # still held, so verify read neither the other row groups nor the other column of its own.
    raw, dist = tmp_path / "raw", tmp_path / "dist"
    path = articles(raw) / "wire.parquet"
    texts = [TEXTS[n % 3].replace("Monday", f"day {n}").replace("Tuesday", f"day {n}") for n in range(6)]
    texts = [text.replace("2019", str(2010 + n)).replace("4,000", f"{n},000") for n, text in enumerate(texts)]
    notes = [f"note {n} " * 20 for n in range(6)]
    pq.write_table(pa.table({"notes": notes, "text": texts}), path, row_group_size=2, compression="none")
    build(BuildConfig(raw_dir=raw, out_dir=dist))
    assert verify_dataset(dist, raw=raw).ok
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    _damage(path, [(0, 0), (0, 1), (1, 0), (2, 0), (2, 1)])  # row group 2 keeps only its text column
    with pytest.raises((OSError, pa.ArrowException)):
        pq.ParquetFile(path).read_row_group(1)

    report = verify_dataset(dist, raw=raw)
    shards = {}
    mismatched = set()
    for problem in report.problems:
        assert problem.code == "raw-hash-mismatch", str(problem)
        if problem.file not in shards:
            shards[problem.file] = pq.read_table(dist / problem.file, columns=["source_line"]).column(0).to_pylist()
        mismatched.add(shards[problem.file][problem.row])
    assert mismatched == {1, 2, 5, 6}  # the rows of the damaged row groups; rows 3 and 4 are still held
    for row in (3, 4):
        assert READER.holds(path, row, texts[row - 1], sha(texts[row - 1]), "utf-8") is True


def test_large_and_dictionary_encoded_string_columns_are_read_as_strings(tmp_path):
    # polars writes large strings; pandas writes a categorical column dictionary-encoded.
    table = pa.table(
        {
            "text": pa.array(TEXTS[:2], pa.large_string()),
            "outlet": pa.array(["Wire", "Wire"]).dictionary_encode(),
            "title": pa.array(["Taxes", None], pa.large_string()).dictionary_encode(),
        }
    )
    pq.write_table(table, articles(tmp_path) / "frames.parquet")
    schema = pq.ParquetFile(articles(tmp_path) / "frames.parquet").schema_arrow
    assert pa.types.is_large_string(schema.field("text").type) and pa.types.is_dictionary(schema.field("outlet").type)
    first, second = ingest(tmp_path)
    assert isinstance(first, RawArticle) and isinstance(second, RawArticle)
    assert (first.text, second.text) == (TEXTS[0], TEXTS[1])
    assert first.metadata == {"outlet": "Wire", "title": "Taxes"} and second.metadata == {
        "outlet": "Wire",
        "title": None,
    }
    assert not first.problems and not second.problems


@pytest.mark.parametrize(
    "column",
    [
        pa.array([[b"Ewa Lis"]], pa.list_(pa.binary())),
        pa.array([{"name": b"Ewa Lis"}], pa.struct([("name", pa.binary())])),
        pa.array([b"Ewa Lis"]).dictionary_encode(),
        pa.array([[("name", b"Ewa Lis")]], pa.map_(pa.string(), pa.binary())),
    ],
    ids=["list", "struct", "dictionary", "map"],
)
def test_bytes_inside_a_list_struct_dictionary_or_map_column_are_refused_never_decoded(tmp_path, column):
    pq.write_table(pa.table({"text": [TEXTS[0]], "authors": column}), articles(tmp_path) / "nested.parquet")
    (item,) = ingest(tmp_path)
    assert isinstance(item, Rejected)
    (problem,) = item.problems
    assert (problem.file, problem.line, problem.loc) == ("articles/nested.parquet", None, "authors")
    assert (
        problem.reason.startswith("column 'authors' is ") and "(bytes): factpack never decodes bytes" in problem.reason
    )


def test_a_column_name_given_twice_is_refused_for_the_file_naming_it(tmp_path):
    table = pa.Table.from_arrays(
        [pa.array([TEXTS[0]]), pa.array(["Wire"]), pa.array([TEXTS[1]])], ["text", "outlet", "text"]
    )
    pq.write_table(table, articles(tmp_path) / "twice.parquet")
    (item,) = ingest(tmp_path)
    assert isinstance(item, Rejected)
    (problem,) = item.problems
    assert (problem.file, problem.line, problem.loc) == ("articles/twice.parquet", None, "text")
    assert problem.reason == "column 'text' appears 2 times; keep one"
