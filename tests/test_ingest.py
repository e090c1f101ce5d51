from __future__ import annotations

import json
from pathlib import Path

import pytest
from formats.test_fields import BODY
from formats.test_fields import NEWS_PLEASE as NEWS_PLEASE_FEED
from formats.test_fields import TRAFILATURA as TRAFILATURA_FEED

from builder.config import BuildConfig, IngestConfig
from builder.errors import InputError
from builder.ingest import iter_raw
from builder.models import FileEntry, InputFormat, RawArticle, Rejected
from builder.pipeline import check
from conftest import RAW, SEED_NAMES, write_article


def ingest(raw: Path, **options) -> list[RawArticle | Rejected]:
    return list(iter_raw(raw, IngestConfig(**options)))


def only(items):
    assert len(items) == 1
    return items[0]


def test_seeds_are_read_byte_for_byte_with_their_sidecars():
    seen: list[FileEntry] = []
    items = list(iter_raw(RAW, IngestConfig(), seen))
    assert [item.article_id for item in items] == SEED_NAMES
    for item in items:
        assert isinstance(item, RawArticle) and not item.problems
        assert item.text.encode("utf-8") == (RAW / item.source_file).read_bytes()
        assert item.metadata == json.loads((RAW / item.metadata_file).read_text(encoding="utf-8"))
    assert len(seen) == 10 and {e.path for e in seen} >= {"articles/000_441cd17370331efe.json"}


def test_missing_sidecar_is_allowed(tmp_path):
    write_article(tmp_path, "a", "Title\n\nBody.\n")
    item = only(ingest(tmp_path))
    assert isinstance(item, RawArticle) and item.metadata == {} and item.metadata_file is None


def test_malformed_sidecar_names_line_and_column(tmp_path):
    write_article(tmp_path, "a", "Title\n\nBody.\n", '{\n  "title": "x",\n  "outlet" "y"\n}')
    item = only(ingest(tmp_path))
    problem = only(list(item.problems))
    assert (problem.file, problem.line) == ("articles/a.json", 3)
    assert "malformed JSON at line 3 column 12" in problem.reason


def test_not_utf8_is_rejected_with_the_byte_offset(tmp_path):
    write_article(tmp_path, "a", b"Title\n\nIt cost \xa3100.\n")
    item = only(ingest(tmp_path))
    assert isinstance(item, Rejected)
    problem = only(list(item.problems))
    assert problem.loc == "text" and "not valid UTF-8 at byte 15" in problem.reason


@pytest.mark.parametrize(("content", "why"), [(b"", "empty"), (b" \n\t\n", "empty"), (b"a\x00b", "binary")])
def test_empty_and_binary_files_are_rejected(tmp_path, content, why):
    write_article(tmp_path, "a", content)
    item = only(ingest(tmp_path))
    assert isinstance(item, Rejected) and why in item.problems[0].reason


def test_file_over_max_bytes_is_rejected(tmp_path):
    write_article(tmp_path, "a", "x" * 101)
    item = only(ingest(tmp_path, max_bytes=100))
    assert isinstance(item, Rejected) and "over the limit of 100" in item.problems[0].reason


def test_sidecar_without_article_is_reported(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "lost.json").write_text("{}", encoding="utf-8")
    item = only(ingest(tmp_path))
    assert isinstance(item, Rejected) and "no lost.txt beside it" in item.problems[0].reason


def test_symlink_out_of_the_raw_folder_is_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("Title\n\nBody.\n", encoding="utf-8")
    (tmp_path / "raw" / "articles").mkdir(parents=True)
    (tmp_path / "raw" / "articles" / "link.txt").symlink_to(outside)
    item = only(ingest(tmp_path / "raw"))
    assert isinstance(item, Rejected) and "points outside" in item.problems[0].reason


def test_a_linked_folder_is_refused_not_entered_and_a_link_inside_the_folder_is_read(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("Title\n\nBody.\n", encoding="utf-8")
    articles = tmp_path / "raw" / "articles"
    articles.mkdir(parents=True)
    (articles / "linked").symlink_to(outside, target_is_directory=True)
    (articles / "real.txt").write_text("Title\n\nThe minister said the plan works.\n", encoding="utf-8")
    (articles / "alias.txt").symlink_to(articles / "real.txt")
    items = ingest(tmp_path / "raw")
    assert [item.source_file for item in items if isinstance(item, RawArticle)] == [
        "articles/alias.txt",
        "articles/real.txt",
    ]
    (refused,) = [item for item in items if isinstance(item, Rejected)]
    assert refused.source == "articles/linked" and "a link to a folder" in refused.problems[0].reason
    assert "copy its files in" in refused.problems[0].reason


def test_missing_articles_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        ingest(tmp_path)


def test_a_missing_raw_folder_is_named_itself_not_its_articles_folder(tmp_path):
    with pytest.raises(InputError) as missing:
        ingest(tmp_path / "rawx")
    assert str(missing.value) == (
        f"{tmp_path / 'rawx'}: no such folder; give the raw folder, the one holding articles/ (factpack build RAW)"
    )
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    with pytest.raises(InputError, match=r"/file: not a folder; give the raw folder"):
        ingest(tmp_path / "file")
    with pytest.raises(InputError, match=r"/articles: no such folder; put articles there"):
        ingest(tmp_path)  # the raw folder is there, its articles/ is not


def test_jsonl_articles_carry_file_and_line(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    lines = [
        {
            "text": "Headline\n\nFirst body sentence.",
            "title": "Headline",
            "outlet": "Wire",
            "published": "2020-01-02",
        },
        {},
        {
            "maintext": "Body from news-please.",
            "date_publish": "2020-01-03 10:00:00",
            "authors": ["A"],
            "url": None,
        },
        {"text": "x", "colour": "red"},
        {"title": "no text"},
    ]
    payload = "\n".join("" if not line else json.dumps(line) for line in lines) + "\nnot json\n"
    (folder / "feed.jsonl").write_text(payload, encoding="utf-8")
    items = ingest(tmp_path)
    assert [getattr(i, "article_id", getattr(i, "source", None)) for i in items] == [
        "feed:1",
        "feed:3",
        "feed:4",
        "articles/feed.jsonl:5",
        "articles/feed.jsonl:6",
    ]
    first, third = items[0], items[1]
    assert isinstance(first, RawArticle) and first.input_format is InputFormat.JSONL and first.source_line == 1
    assert first.metadata == {"title": "Headline", "outlet": "Wire", "published": "2020-01-02"}
    assert isinstance(third, RawArticle) and third.text == "Body from news-please."
    assert third.metadata == {"published": "2020-01-03 10:00:00", "byline": "A", "url": None}
    assert third.ignored_fields == ()
    # a readable article with a bad field travels on, carrying the problem for validation to report
    assert isinstance(items[2], RawArticle)
    assert "unknown field" in items[2].problems[0].reason and items[2].problems[0].loc == "colour"
    assert items[3].problems[0].loc == "text" and "missing" in items[3].problems[0].reason
    assert "malformed JSON" in items[4].problems[0].reason and items[4].problems[0].line == 6
    # every problem names the file and its own line, not only the malformed one
    assert [(p.file, p.line) for item in items[2:] for p in item.problems] == [
        ("articles/feed.jsonl", 4),
        ("articles/feed.jsonl", 5),
        ("articles/feed.jsonl", 6),
    ]


def test_a_lone_surrogate_in_a_sidecar_is_rejected(tmp_path):
    write_article(tmp_path, "a", "Title\n\nBody.\n", '{"title": "Bad \\ud800 title"}')
    item = only(ingest(tmp_path))
    assert "lone surrogate" in item.problems[0].reason and item.problems[0].file == "articles/a.json"


def test_unreadable_sidecar_and_other_files_are_reported_hidden_files_skipped(tmp_path):
    write_article(tmp_path, "a", "Title\n\nBody.\n")
    (tmp_path / "articles" / "a.json").mkdir()
    (tmp_path / "articles" / "notes.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "articles" / ".DS_Store").write_bytes(b"\x00")
    (tmp_path / "articles" / "B.TXT").write_text("Upper\n\nCase suffix.\n", encoding="utf-8")
    items = {getattr(i, "source_file", getattr(i, "source", "")): i for i in ingest(tmp_path)}
    assert set(items) == {"articles/a.txt", "articles/notes.html", "articles/B.TXT"}
    assert "cannot be read" in items["articles/a.txt"].problems[0].reason
    assert "not an article" in items["articles/notes.html"].problems[0].reason
    assert isinstance(items["articles/B.TXT"], RawArticle)


def test_news_please_text_null_beside_maintext_is_understood(tmp_path):
    (tmp_path / "articles").mkdir()
    record = {"maintext": "Body of the story.", "text": None, "title": "T"}
    (tmp_path / "articles" / "np.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    item = only(ingest(tmp_path))
    assert isinstance(item, RawArticle) and item.text == "Body of the story." and not item.problems


def test_invalid_utf8_in_a_jsonl_line_or_a_sidecar_is_rejected_naming_its_place(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    good = [json.dumps({"text": f"Headline {n}\n\nA body sentence number {n}."}).encode("utf-8") for n in range(3)]
    bad = b'{"text": "Caf\xe9 au lait."}'
    (folder / "feed.jsonl").write_bytes(b"\n".join([good[0], good[1], bad, good[2]]) + b"\n")
    (folder / "a.txt").write_text("Title\n\nThe minister said the plan had failed.\n", encoding="utf-8")
    (folder / "a.json").write_bytes(b'{"outlet": "Caf\xe9 Times"}')
    report = check(BuildConfig(raw_dir=tmp_path))
    found = sorted((problem.file, problem.line, problem.article) for problem in report.rejections)
    assert found == [("articles/a.json", None, "articles/a.txt"), ("articles/feed.jsonl", 3, "articles/feed.jsonl:3")]
    assert all("UTF-8" in problem.reason for problem in report.rejections)
    assert report.counts.articles_accepted == 3  # the other three lines of the feed


# --- news-please and trafilatura records, end to end: read, built, published ---------------------------------------

# One record of each crawler, as tests/formats/test_fields.py writes its feeds, with one author.
NEWS_PLEASE = {**NEWS_PLEASE_FEED[0], "authors": ["Ewa Lis"]}
TRAFILATURA = {
    **{name: value for name, value in TRAFILATURA_FEED[0].items() if name != "filedate"},
    "author": "Ewa Lis",
}
TOOLS = {
    "news-please": (
        NEWS_PLEASE,
        {
            "title": "Port traffic hits record",
            "url": "https://example.com/port",
            "outlet": "example.com",
            "byline": "Ewa Lis",
        },
    ),
    "trafilatura": (
        TRAFILATURA,
        {
            "title": "Port traffic hits record",
            "url": "https://example.com/port",
            "outlet": "Example News",
            "byline": "Ewa Lis",
        },
    ),
}


def write_records(raw: Path, kind: str, records: list[dict]) -> str:
    folder = raw / "articles"
    folder.mkdir(parents=True)
    if kind == "jsonl":
        (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(records), folder / "feed.parquet")
    return f"articles/feed.{kind}"


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_a_tool_record_lands_in_the_published_fields_with_where_each_came_from(tmp_path, tool, kind):
    from builder.pipeline import build
    from builder.verify import verify_dataset
    from conftest import rows_of

    record, given = TOOLS[tool]
    raw, dist = tmp_path / "raw", tmp_path / "dist"
    source = write_records(raw, kind, [record])
    report = build(BuildConfig(raw_dir=raw, out_dir=dist))
    assert (report.counts.articles_accepted, report.rejections) == (1, [])
    (article,) = rows_of(dist, "articles")
    assert (article["article_id"], article["source_file"], article["source_line"]) == ("feed:1", source, 1)
    assert article["text"] == BODY
    assert article["published"].isoformat() == "2022-01-10"
    sources = article["field_sources"]
    assert sources["published"] == kind
    for name, value in given.items():
        assert (article[name], sources[name]) == (value, kind)
    assert article["language"] == "en" and sources["language"] == kind
    used = {"text", "maintext", "date", "date_publish", "title", "url", "source", "language", "authors", "author"}
    tool_fields = set(record) - used - {"source_domain", "source-hostname"}  # trafilatura's hostname: passed over
    assert set(article["ignored_fields"]) == tool_fields
    claims = rows_of(dist, "claims")
    assert {claim["published"].isoformat() for claim in claims} == {"2022-01-10"}
    assert "container traffic grew by 12 percent in 2021" in {claim["text"] for claim in claims}
    for claim in claims:
        assert BODY[claim["char_start"] : claim["char_end"]] == claim["text"]
    assert verify_dataset(dist, raw=raw).ok


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
@pytest.mark.parametrize(
    ("field", "value"),
    [("published", "2022-01-10"), ("date_publish", "2022-01-10 08:15:00"), ("date", "2022-01-10")],
)
def test_each_name_of_the_date_is_the_published_date(tmp_path, kind, field, value):
    from builder.pipeline import build
    from conftest import rows_of

    raw, dist = tmp_path / "raw", tmp_path / "dist"
    write_records(raw, kind, [{"maintext": BODY, field: value}, {"maintext": BODY.replace("12", "13"), field: None}])
    build(BuildConfig(raw_dir=raw, out_dir=dist))
    dated, undated = sorted(rows_of(dist, "articles"), key=lambda row: row["article_id"])
    assert (dated["published"].isoformat(), dated["field_sources"]["published"]) == ("2022-01-10", kind)
    assert (undated["published"], undated["field_sources"]["published"]) == (None, None)  # null says nothing
    assert dated["ignored_fields"] == [] and dated["text"] == BODY


@pytest.mark.parametrize("kind", ["txt", "parquet"])
def test_an_input_of_exactly_max_bytes_is_read_and_one_byte_more_is_rejected(tmp_path, kind):
    import pyarrow as pa
    import pyarrow.parquet as pq

    if kind == "txt":
        size = write_article(tmp_path, "a", BODY).stat().st_size
    else:
        (tmp_path / "articles").mkdir()
        pq.write_table(pa.table({"text": [BODY], "title": ["Port"]}), tmp_path / "articles" / "a.parquet")
        size = len(json.dumps({"text": BODY, "title": "Port"}, ensure_ascii=False, separators=(",", ":")).encode())
    assert isinstance(only(ingest(tmp_path, max_bytes=size)), RawArticle)
    rejected = only(ingest(tmp_path, max_bytes=size - 1))
    assert isinstance(rejected, Rejected) and f"over the limit of {size - 1}" in rejected.problems[0].reason


def test_the_encoding_fallback_decodes_a_text_file_never_a_jsonl_line_or_a_parquet_string(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from builder.cli import app

    folder = tmp_path / "articles"
    folder.mkdir()
    latin = b"Title\n\nTickets cost \xa330 each, the club said on Monday.\n"
    (folder / "a.txt").write_bytes(latin)
    good = json.dumps({"text": "Headline\n\nThe mayor said the bridge would reopen in May."}).encode("utf-8")
    (folder / "feed.jsonl").write_bytes(good + b"\n" + b'{"text": "Caf\xe9 owners said prices rose."}\n')
    data = b"Cafe owners said prices rose.Caf\xe9 owners said prices fell."
    offsets = pa.array([0, 29, len(data)], pa.int32()).buffers()[1]
    strings = pa.StringArray.from_buffers(2, offsets, pa.py_buffer(data))
    pq.write_table(pa.table({"text": strings}), folder / "wire.parquet")

    read = ingest(tmp_path, encoding_fallback="cp1252")
    items = {getattr(item, "article_id", getattr(item, "source", "")): item for item in read}
    assert set(items) == {"a", "feed:1", "articles/feed.jsonl:2", "wire:1", "articles/wire.parquet:2"}
    assert (items["a"].encoding, items["a"].text) == ("cp1252", latin.decode("cp1252"))
    assert items["feed:1"].encoding == items["wire:1"].encoding == "utf-8"
    assert "not valid UTF-8 at byte 13 of the line" in items["articles/feed.jsonl:2"].problems[0].reason
    assert "not valid UTF-8" in items["articles/wire.parquet:2"].problems[0].reason

    result = CliRunner().invoke(app, ["validate", str(tmp_path), "--encoding-fallback", "cp1252"])
    assert result.exit_code == 1
    assert "articles/feed.jsonl:2" in result.stderr and "articles/wire.parquet:2" in result.stderr
    assert "articles/a.txt" not in result.stderr


def test_every_rejection_names_its_article_a_file_or_a_files_line_or_row(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from builder.config import ValidateConfig
    from builder.pipeline import build

    raw = tmp_path / "raw"
    folder = raw / "articles"
    write_article(raw, "a", BODY, json.dumps({"colour": "red"}))  # a sidecar's problem is its article's
    write_article(raw, "b", b"Title\n\nIt cost \xa3100.\n")
    lines = [{"text": BODY}, {"text": BODY.replace("12", "13"), "colour": "red"}, {"title": "no text"}]
    (folder / "feed.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    pq.write_table(pa.table({"text": [BODY.replace("12", "14"), None]}), folder / "wire.parquet")
    data = BODY.replace("12", "15").encode("utf-8") + b"Caf\xe9"
    offsets = pa.array([0, len(data) - 4, len(data)], pa.int32()).buffers()[1]
    strings = pa.StringArray.from_buffers(2, offsets, pa.py_buffer(data))
    pq.write_table(pa.table({"text": strings}), folder / "latin.parquet")  # row 2 is not UTF-8
    expected = [
        ("articles/a.json", None, "colour", "articles/a.txt"),
        ("articles/b.txt", None, "text", "articles/b.txt"),
        ("articles/feed.jsonl", 2, "colour", "articles/feed.jsonl:2"),
        ("articles/feed.jsonl", 3, "text", "articles/feed.jsonl:3"),
        ("articles/latin.parquet", 2, "text", "articles/latin.parquet:2"),
        ("articles/wire.parquet", 2, "text", "articles/wire.parquet:2"),
    ]
    report = check(BuildConfig(raw_dir=raw))
    assert sorted((r.file, r.line, r.loc, r.article) for r in report.rejections) == expected
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist", validation=ValidateConfig(skip_invalid=True)))
    published = [json.loads(line) for line in (tmp_path / "dist" / "rejects.jsonl").read_text("utf-8").splitlines()]
    assert sorted((r["file"], r["line"], r["loc"], r["article"]) for r in published) == expected


@pytest.mark.parametrize("kind", ["txt", "jsonl", "parquet"])
def test_the_article_id_is_the_path_under_the_articles_folder_so_same_names_in_two_folders_differ(tmp_path, kind):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "articles"
    for place, number in (("2021/wire", 1), ("2022/wire", 2)):
        (folder / place).mkdir(parents=True)
        text = BODY.replace("12 percent", f"{number} percent")
        if kind == "txt":
            (folder / place / "feed.txt").write_text(text, encoding="utf-8")
        elif kind == "jsonl":
            (folder / place / "feed.jsonl").write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
        else:
            pq.write_table(pa.table({"text": [text]}), folder / place / "feed.parquet")
    suffix = "" if kind == "txt" else ":1"
    expected = [f"2021/wire/feed{suffix}", f"2022/wire/feed{suffix}"]
    assert [item.article_id for item in ingest(tmp_path)] == expected
    report = check(BuildConfig(raw_dir=tmp_path))
    assert (report.counts.articles_accepted, report.rejections) == (2, [])


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_an_empty_whitespace_only_or_binary_text_in_a_record_is_rejected_naming_its_line_or_row(tmp_path, kind):
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [BODY, "", " \r\n\t ", "Title\n\nA\x00B\n"]
    folder = tmp_path / "articles"
    folder.mkdir()
    if kind == "jsonl":
        (folder / "feed.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    else:
        pq.write_table(pa.table({"text": texts}), folder / "feed.parquet")
    first, *rest = ingest(tmp_path)
    assert isinstance(first, RawArticle) and first.text == BODY
    assert [type(item) for item in rest] == [Rejected] * 3
    record = "line" if kind == "jsonl" else "row"
    empty = f"empty or whitespace only; fill the text or remove the {record}"
    assert [(p.file, p.line, p.loc, p.reason) for item in rest for p in item.problems] == [
        (f"articles/feed.{kind}", 2, "text", empty),
        (f"articles/feed.{kind}", 3, "text", empty),
        (f"articles/feed.{kind}", 4, "text", "binary content (NUL byte at character 8); only text articles are read"),
    ]


def test_the_folder_is_listed_as_rglob_lists_it_in_path_order_hidden_files_and_linked_folders_not_entered(tmp_path):
    from builder.ingest import _entries

    root = tmp_path / "articles"
    for name in ("a.txt", "a-b/x.txt", "a/b/c.txt", "a/b.json", "a0.txt", "A.TXT", ".hidden/y.txt", "a/.z.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("Title\n\nBody.\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "w.txt").write_text("Title\n\nBody.\n", encoding="utf-8")
    (root / "a" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    listed = sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if not any(part.startswith(".") for part in path.relative_to(root).parts)
    )
    assert [name for name, _ in _entries(root)] == listed
    assert "a/linked" in listed and "a/linked/w.txt" not in listed and "broken.txt" in listed


def test_a_link_through_a_file_is_rejected_not_a_crash_and_an_articles_folder_outside_the_raw_folder_is_named(
    tmp_path,
):
    articles = tmp_path / "raw" / "articles"
    articles.mkdir(parents=True)
    (articles / "real.txt").write_text("Title\n\nThe minister said the plan works.\n", encoding="utf-8")
    (articles / "through.txt").symlink_to(articles / "real.txt" / "inside")
    items = ingest(tmp_path / "raw")
    assert [item.source_file for item in items if isinstance(item, RawArticle)] == ["articles/real.txt"]
    (refused,) = [item for item in items if isinstance(item, Rejected)]
    assert refused.source == "articles/through.txt" and "cannot be read" in refused.problems[0].reason
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.raises(InputError, match="not under the raw folder"):
        ingest(tmp_path / "raw", articles_dir=str(elsewhere))
