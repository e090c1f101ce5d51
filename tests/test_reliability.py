"""The bad-input matrix of the README, one test per row, each on real files through the real pipeline."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builder.cli import app
from builder.config import BuildConfig, IngestConfig, ValidateConfig
from builder.pipeline import build, check, extract_all
from conftest import REPO, finishes_within, rows_of, write_article

runner = CliRunner()
BBC_LATIN1 = REPO.parent / "shared" / "corpora" / "bbc" / "sport" / "199.txt"
BODY = "Title line\n\nThe council met on Monday and agreed a budget of 5 million. It said taxes would not rise.\n"


def only_problem(raw: Path, **ingest):
    report = check(BuildConfig(raw_dir=raw, ingest=IngestConfig(**ingest)))
    (problem,) = report.rejections
    return problem


def beside(raw: Path) -> Path:
    """A dataset folder next to the raw folder ``raw``: never inside it."""
    return raw.with_name(f"{raw.name}-dist")


def assert_claims_are_raw_slices(raw: Path, **options) -> list:
    result = extract_all(BuildConfig(raw_dir=raw, **options))
    texts = {a.article_id: a.text for a in result.articles}
    for claim in result.claims:
        assert texts[claim.article_id][claim.char_start : claim.char_end] == claim.text
    return result.claims


def latin1_bytes() -> bytes:
    """The real defect when the BBC corpus sits beside the repository (it does in CI), else the same defect."""
    return BBC_LATIN1.read_bytes() if BBC_LATIN1.is_file() else b"Title\n\nTickets cost \xa330 each, the club said.\n"


def test_not_utf8_is_rejected_with_the_byte_offset(tmp_path):
    data = latin1_bytes()
    write_article(tmp_path, "latin1", data)
    problem = only_problem(tmp_path)
    offset = data.index(b"\xa3")
    assert (problem.file, problem.loc) == ("articles/latin1.txt", "text")
    assert f"not valid UTF-8 at byte {offset}" in problem.reason and "--encoding-fallback cp1252" in problem.reason
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1 and "articles/latin1.txt: text: not valid UTF-8" in result.stderr


def test_encoding_fallback_decodes_and_records_it(tmp_path):
    import hashlib

    from builder.verify import verify_dataset

    data = latin1_bytes()
    raw, dist = tmp_path / "raw", beside(tmp_path)
    path = write_article(raw, "latin1", data)
    claims = assert_claims_are_raw_slices(raw, ingest=IngestConfig(encoding_fallback="cp1252"))
    assert claims
    argv = ["build", str(raw), "--out", str(dist), "--encoding-fallback", "cp1252", "--no-cache", "--workers", "1"]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    (article,) = rows_of(dist, "articles")
    assert (article["encoding"], article["text"]) == ("cp1252", data.decode("cp1252"))
    assert article["sha256"] == hashlib.sha256(data).hexdigest()  # the hash is of the bytes as scraped
    assert verify_dataset(dist, raw=raw).ok  # the raw file still holds the article, read with its codec
    path.write_bytes(data.replace(b"\xa3", b"\xa4", 1))  # one byte, still cp1252
    mismatched = [p.code for p in verify_dataset(dist, raw=raw).problems]
    assert mismatched == ["raw-hash-mismatch"]


@pytest.mark.parametrize(
    ("name", "raw_bytes"),
    [
        ("bom", "\ufeff" + BODY),
        ("crlf", BODY.replace("\n", "\r\n")),
        ("lone_cr", BODY.replace("\n", "\r")),
        ("tabs_nbsp_zero_width", BODY.replace("council", "coun\u200bcil").replace(" met", "\u00a0met\t")),
    ],
)
def test_bom_line_endings_and_invisible_characters_keep_offsets_exact(tmp_path, name, raw_bytes):
    write_article(tmp_path, name, raw_bytes.encode("utf-8"))
    claims = assert_claims_are_raw_slices(tmp_path)
    assert [c.text.replace("\u200b", "").replace("\u00a0", " ").replace("\t", "") for c in claims] == [
        "The council met on Monday and agreed a budget of 5 million.",
        "taxes would not rise",  # reported speech: "It said …"
    ]
    if name == "bom":
        (article,) = extract_all(BuildConfig(raw_dir=tmp_path)).articles
        assert article.text[0] == "\ufeff" and article.title == "Title line"


@pytest.mark.parametrize(
    ("content", "says", "fix"),
    [
        (b"", "empty", "remove the file or fill it"),
        (b"  \r\n\t ", "empty", "remove the file or fill it"),
        (b"PK\x03\x04\x00\x00binary", "binary content (NUL byte at character 4)", "only text articles are read"),
        (b"x" * 2_000, "2000 bytes is over the limit of 1000", "raise --max-bytes"),
    ],
    ids=["empty", "whitespace", "binary", "oversize"],
)
def test_empty_binary_and_oversize_files_are_rejected(tmp_path, content, says, fix):
    write_article(tmp_path, "bad", content)
    problem = only_problem(tmp_path, max_bytes=1_000)
    assert problem.file == "articles/bad.txt" and says in problem.reason and problem.reason.endswith(fix)
    result = runner.invoke(
        app, ["build", str(tmp_path), "--out", str(beside(tmp_path)), "--max-bytes", "1000", "--no-cache"]
    )
    assert result.exit_code == 1 and f"articles/bad.txt: {problem.loc or '(file)'}: {problem.reason}" in result.stderr
    assert not (beside(tmp_path)).exists()


def test_a_future_date_is_rejected(tmp_path):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    write_article(tmp_path, "a", BODY, json.dumps({"published": tomorrow}))
    problem = only_problem(tmp_path)
    assert (problem.file, problem.loc) == ("articles/a.json", "published") and "in the future" in problem.reason


def test_missing_sidecar_marks_values_as_inferred(tmp_path):
    write_article(tmp_path, "a", BODY)
    (article,) = extract_all(BuildConfig(raw_dir=tmp_path)).articles
    assert article.field_sources.title == "text:1" and article.outlet is None


def test_duplicates_are_reported_and_the_first_in_path_order_kept(tmp_path):
    url = "https://example.org/story"
    write_article(tmp_path, "a_first", BODY, json.dumps({"url": url}))
    write_article(tmp_path, "b_same_bytes", BODY)
    write_article(
        tmp_path, "c_same_url", "Other\n\nA different story about the council today.\n", json.dumps({"url": url})
    )
    report = check(BuildConfig(raw_dir=tmp_path))
    reasons = {(r.file, r.loc): r.reason for r in report.rejections}
    assert reasons[("articles/b_same_bytes.txt", "text")].startswith(
        "duplicate: same raw bytes as articles/a_first.txt"
    )
    assert reasons[("articles/c_same_url.txt", "url")].startswith("duplicate: same URL as articles/a_first.txt")
    assert report.counts.articles_seen == report.counts.articles_accepted + report.counts.articles_rejected


def test_the_same_article_id_twice_is_reported(tmp_path):
    write_article(tmp_path, "feed:1", BODY)  # a text file whose id equals the first line of feed.jsonl
    line = json.dumps({"text": "Wire\n\nSomething else entirely happened in the city."})
    (tmp_path / "articles" / "feed.jsonl").write_text(line + "\n", encoding="utf-8")
    report = check(BuildConfig(raw_dir=tmp_path))
    (problem,) = report.rejections
    assert problem.loc == "article_id" and "same article id as articles/feed.jsonl:1" in problem.reason


def test_odd_file_names_work(tmp_path):
    for name in ("with spaces", "Ünïcödé — 記事", "dots.in.name"):
        write_article(tmp_path, name, BODY.replace("council", f"council {name}"))
    result = build(BuildConfig(raw_dir=tmp_path, out_dir=beside(tmp_path)))
    assert result.counts.articles_accepted == 3
    assert {row["article_id"] for row in rows_of(beside(tmp_path), "articles")} == {
        "with spaces",
        "Ünïcödé — 記事",
        "dots.in.name",
    }


def test_a_symlink_out_of_the_raw_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(BODY, encoding="utf-8")
    (tmp_path / "raw" / "articles").mkdir(parents=True)
    (tmp_path / "raw" / "articles" / "link.txt").symlink_to(outside)
    problem = only_problem(tmp_path / "raw")
    assert "points outside" in problem.reason and problem.file == "articles/link.txt"


def test_pathological_text_stays_linear(tmp_path):
    """Each input is about a megabyte in one paragraph, built in its own process side by side with the others: about
    10 s each when linear on a 2-core machine; a step quadratic in the claims or pronouns (as the walk back over
    every name was, 80 s on the first input) runs over the limit."""

    def built(name: str, body: str, check) -> Callable[[], None]:
        def run() -> None:
            raw = tmp_path / name
            write_article(raw, name, "Title\n\n" + body)
            check(assert_claims_are_raw_slices(raw, validation=ValidateConfig(skip_invalid=True)))

        return run

    def run_on(claims: list) -> None:
        assert len(claims) >= 60_000 and all(len(c.context) <= len(c.text) + 2_100 for c in claims)
        assert {c.speaker for c in claims} == {"Anna Berg", None}  # no man is named: "he" stays unresolved

    def unbalanced(claims: list) -> None:
        assert len(claims) >= 40_000

    def marks(claims: list) -> None:
        assert all(c.text.strip('"') for c in claims)

    finishes_within(
        60,
        built("run_on", ('"We will win," he said, and Anna Berg told the radio that it was fine. ' * 30_000), run_on),
        built("marks", '"' * 10_000 + " then “unbalanced « marks ” everywhere.\n", marks),
        built("unbalanced", "“Open and never closed. " * 40_000 + "\n", unbalanced),
    )


def test_every_rejection_names_file_field_and_fix(tmp_path):
    write_article(tmp_path, "a", BODY, json.dumps({"published": "2014-02-30", "url": "ftp://x", "colour": 1}))
    report = check(BuildConfig(raw_dir=tmp_path))
    assert sorted(r.loc for r in report.rejections) == ["colour", "published", "url"]
    assert all(r.file == "articles/a.json" for r in report.rejections)
    reasons = {r.loc: r.reason for r in report.rejections}
    assert reasons["published"] == "impossible date '2014-02-30': February 2014 has 28 days"
    assert "http:// or https://" in reasons["url"]
    assert "unknown field; the fields are title, outlet" in reasons["colour"]


def _spin() -> None:
    while True:  # CPU, and no end
        pass


def test_a_time_guard_fails_what_runs_too_long_or_raises():
    import time

    # computing: stopped by its CPU limit (a second: the limit is whole seconds)
    with pytest.raises(pytest.fail.Exception, match=r"after 0\.5 s of CPU: a linear step has become super-linear$"):
        finishes_within(0.5, _spin)
    # waiting: stopped at ten times the bound on the clock; one slow function among several is enough
    with pytest.raises(pytest.fail.Exception, match=r"still running after 0\.1 s .*1\.0 s on the clock"):
        finishes_within(0.1, lambda: None, lambda: time.sleep(30))
    with pytest.raises(pytest.fail.Exception, match="ZeroDivisionError"):
        finishes_within(10, lambda: 1 / 0)
    finishes_within(10, lambda: None)


def test_offsets_index_the_raw_bytes_of_a_crlf_article(tmp_path):
    """Sliced from the file on disk, not from text the code produced: a decode that turned CRLF into LF would move
    every offset after the first line break."""
    body = (
        'Title line\r\n\r\nThe mayor said on Monday that the bridge "will reopen in May".\r\n'
        '"We have spent 3 million euros," the council added.\r\n'
    )
    path = write_article(tmp_path, "crlf", body.encode("utf-8"))
    out = beside(tmp_path)
    build(BuildConfig(raw_dir=tmp_path, out_dir=out))
    raw = path.read_bytes().decode("utf-8")  # no newline translation: the bytes as they are
    claims = rows_of(out, "claims")
    assert len(claims) >= 2
    for claim in claims:
        assert raw[claim["char_start"] : claim["char_end"]] == claim["text"]
        if claim["cue"] is not None:
            assert raw[claim["cue_start"] : claim["cue_end"]] == claim["cue"]
    assert any(claim["char_start"] > raw.index("\r\n\r\n") for claim in claims)


def test_the_manifest_rows_of_each_shard_are_its_parquet_rows(seed_dist):
    import pyarrow.parquet as pq

    manifest = json.loads((seed_dist / "manifest.json").read_text(encoding="utf-8"))
    counted = {entry["path"]: entry["rows"] for entry in manifest["outputs"] if entry.get("rows") is not None}
    assert counted and all(path.endswith(".parquet") for path in counted)
    for path, rows in counted.items():
        assert rows == pq.read_metadata(seed_dist / path).num_rows, path
    assert sum(rows for path, rows in counted.items() if path.startswith("claims/")) == manifest["counts"]["claims"]


def test_a_file_hash_covers_every_block_of_a_large_file(tmp_path):
    import hashlib

    from builder.files import file_entry

    path = tmp_path / "big.bin"
    data = bytes(range(256)) * (3 * 4096) + b"tail of the file"  # 3 MiB and 16 bytes: three blocks and a piece
    path.write_bytes(data)
    entry = file_entry(path, tmp_path)
    assert (entry.path, entry.bytes, entry.sha256) == ("big.bin", len(data), hashlib.sha256(data).hexdigest())
