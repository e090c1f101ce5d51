"""With ``raw=``: every article's raw file is there and has the bytes the dataset says (its ``sha256``)."""

from __future__ import annotations

from pathlib import Path

import pytest

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


# --- every input format, and every name a format gives its text ---------------------------------------------------

TEXTS = [
    "Minister promises lower taxes\n\nWARSAW - The finance minister said on Monday that income tax would fall "
    'next year.\n\n"We will cut the income tax rate by two points in January," Jan Kowalski told reporters.\n',
    'Mayor defends new tram line\n\nKRAKOW - "The tram line will be finished before winter," the mayor said on '
    "Tuesday, rejecting claims of delays.\n\nCritics said the budget had doubled since 2019.\n",
    "Café owners welcome rule\n\nGDANSK - The owners' association said the new rule would save small cafés "
    "4,000 złoty a year.\n\n“This is the change we asked for,” its chair Anna Nowak said.\n",
]
EDITED = ("Tuesday", "Friday")  # in the second text only: one article changed, the others as built

# (file written, how its records name the text): the names of README › Input, news-please's text: null included
LAYOUTS = {
    "txt": ("txt", None),
    "jsonl-text": ("jsonl", {"text": None}),
    "jsonl-maintext": ("jsonl", {"maintext": None}),
    "jsonl-maintext-beside-null-text": ("jsonl", {"text": "null", "maintext": None}),
    "parquet-text": ("parquet", {"text": None}),
    "parquet-maintext": ("parquet", {"maintext": None}),
    "parquet-maintext-beside-null-text": ("parquet", {"maintext": None, "text": "null"}),
}


def write_layout(raw: Path, layout: str, texts: list[str], row_group_size: int = 2) -> str:
    """The three texts in ``raw/articles`` as ``layout`` stores them; the source file of the second."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    kind, names = LAYOUTS[layout]
    folder = raw / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "txt":
        for number, text in enumerate(texts, start=1):
            (folder / f"a{number}.txt").write_text(text, encoding="utf-8")
        return "articles/a2.txt"
    assert names is not None
    records = [{name: (text if marker is None else None) for name, marker in names.items()} for text in texts]
    if kind == "jsonl":
        lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        (folder / "feed.jsonl").write_text(lines, encoding="utf-8")
        return "articles/feed.jsonl"
    columns = {name: pa.array([record[name] for record in records], pa.string()) for name in names}
    pq.write_table(pa.table(columns), folder / "feed.parquet", row_group_size=row_group_size)
    return "articles/feed.parquet"


def verify_raw_cli(dist: Path, raw: Path) -> tuple[int, list[dict]]:
    """``factpack verify DIST --raw RAW --json``: the exit code and the problems."""
    import json

    from typer.testing import CliRunner

    from builder.cli import app

    result = CliRunner().invoke(app, ["verify", str(dist), "--raw", str(raw), "--json"])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, json.loads(result.stdout)["problems"]


def published_line(dist: Path, problem: dict) -> tuple[str, int | None]:
    import pyarrow.parquet as pq

    row = pq.read_table(dist / problem["file"], columns=["source_file", "source_line"]).slice(problem["row"], 1)
    return row.column(0)[0].as_py(), row.column(1)[0].as_py()


def build_layout(tmp_path: Path, layout: str) -> tuple[Path, Path, str]:
    """A raw folder of three articles in ``layout``, the dataset built from it, and the second's source file."""
    from builder.config import BuildConfig
    from builder.pipeline import build

    raw, dist = tmp_path / "raw", tmp_path / "dist"
    second = write_layout(raw, layout, TEXTS)
    report = build(BuildConfig(raw_dir=raw, out_dir=dist))
    assert report.counts.articles_accepted == 3 and report.counts.claims > 3
    return raw, dist, second


@pytest.fixture(params=sorted(LAYOUTS))
def built_layout(request, tmp_path) -> tuple[str, Path, Path, str]:
    return (request.param, *build_layout(tmp_path, request.param))


def test_verify_raw_of_an_unchanged_raw_folder_is_clean_in_every_layout(built_layout):
    layout, raw, dist, _ = built_layout
    code, problems = verify_raw_cli(dist, raw)
    assert (code, problems) == (0, []), layout


def test_verify_raw_finds_the_one_article_changed_after_the_build_in_every_layout(built_layout):
    layout, raw, dist, second = built_layout
    write_layout(raw, layout, [TEXTS[0], TEXTS[1].replace(*EDITED), TEXTS[2]])
    code, problems = verify_raw_cli(dist, raw)
    assert code == 1
    assert [(p["code"], p["field"]) for p in problems] == [("raw-hash-mismatch", "sha256")], problems
    expected_line = None if layout == "txt" else 2
    assert published_line(dist, problems[0]) == (second, expected_line)


@pytest.mark.parametrize("layout", sorted(name for name in LAYOUTS if name != "txt"))
def test_verify_raw_reads_a_row_wherever_its_row_group_now_is(tmp_path, layout):
    """The same rows written again in other row groups (or a JSONL file re-serialised) still hold the articles:
    verify compares each article with its row, not the file's bytes with the build's."""
    import json

    import pyarrow.parquet as pq

    raw, dist, second = build_layout(tmp_path, layout)
    path = raw / second
    if layout.startswith("parquet"):
        pq.write_table(pq.read_table(path), path, row_group_size=1)
        assert pq.ParquetFile(path).num_row_groups == 3
    else:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        path.write_text("".join(json.dumps(r, separators=(" , ", " : ")) + "\n" for r in records), encoding="utf-8")
    assert verify_raw_cli(dist, raw) == (0, []), layout


def test_verify_raw_of_a_parquet_row_moved_to_another_row_is_a_mismatch(tmp_path):
    """Row 2's text now stands at row 3 and row 3's at row 2: both articles are named, though every text is still
    somewhere in the file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    raw, dist, second = build_layout(tmp_path, "parquet-maintext")
    pq.write_table(pa.table({"maintext": [TEXTS[0], TEXTS[2], TEXTS[1]]}), raw / second, row_group_size=2)
    code, problems = verify_raw_cli(dist, raw)
    assert code == 1
    assert sorted(published_line(dist, p) for p in problems) == [(second, 2), (second, 3)], problems
    assert {p["code"] for p in problems} == {"raw-hash-mismatch"}


@pytest.mark.parametrize("layout", ["txt", "jsonl-maintext", "parquet-maintext"])
def test_verify_raw_finds_an_article_whose_published_hash_was_changed(tmp_path, layout):
    """The raw file is as built, but the dataset's ``sha256`` of one article is another's (the shard resealed, as
    a forger would): the article no longer says which bytes it was read from."""
    import hashlib

    import pyarrow.parquet as pq

    from verify.corrupt import seal, set_cell

    raw, dist, second = build_layout(tmp_path, layout)
    expected_line = None if layout == "txt" else 2
    for shard in sorted((dist / "articles").glob("*.parquet")):
        rows = pq.read_table(shard, columns=["source_file", "source_line"]).to_pylist()
        if {"source_file": second, "source_line": expected_line} in rows:
            name = shard.relative_to(dist).as_posix()
            row = rows.index({"source_file": second, "source_line": expected_line})
            break
    set_cell(dist, name, "sha256", row, hashlib.sha256(b"another text").hexdigest())
    seal(dist, name)
    report = verify_dataset(dist, raw=raw)
    assert ("raw-hash-mismatch", name, row, "sha256") in where(report), listing(report)
