from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import Result
from typer.testing import CliRunner

from builder.cli import app
from builder.config import BuildConfig, IngestConfig
from builder.ingest import iter_raw
from builder.models import Article, Rejected
from builder.stages import VALIDATED, run_stages
from conftest import RAW, rows_of, write_article

runner = CliRunner()

TEXT = "Headline here\n\nOctober 06, 2014\n\nBy Jane Doe\n\nWARSAW — The alliance met on Monday.\n"


def run(raw: Path) -> list[Article | Rejected]:
    return [run_stages(item, BuildConfig(), until=VALIDATED) for item in iter_raw(raw, IngestConfig())]


def sidecar(**fields) -> str:
    return json.dumps(fields)


def test_every_seed_validates():
    items = run(RAW)
    assert all(isinstance(item, Article) for item in items) and len(items) == 5


def test_curated_values_win_and_inferred_fill_the_gaps(tmp_path):
    write_article(tmp_path, "a", TEXT, sidecar(title="Curated", outlet="Wire", published=None, language="en"))
    article = run(tmp_path)[0]
    assert isinstance(article, Article)
    assert (article.title, article.field_sources.title) == ("Curated", "sidecar")
    assert (str(article.published), article.field_sources.published) == ("2014-10-06", "text:3:month-day-year")
    assert (article.byline, article.field_sources.byline) == ("Jane Doe", "text:5")
    assert (article.dateline, article.field_sources.dateline) == ("WARSAW", "text:7")
    assert (article.url, article.field_sources.url) == (None, None)


def test_missing_sidecar_marks_every_value_as_inferred(tmp_path):
    write_article(tmp_path, "a", TEXT)
    article = run(tmp_path)[0]
    assert isinstance(article, Article)
    assert article.field_sources.title == "text:1" and article.title == "Headline here"
    assert article.outlet is None and article.field_sources.outlet is None


@pytest.mark.parametrize(
    ("fields", "loc", "says"),
    [
        ({"published": "2014-02-30"}, "published", "impossible date '2014-02-30': February 2014 has 28 days"),
        ({"published": "06/10/2014"}, "published", "ambiguous date '06/10/2014': write 2014-06-10 or 2014-10-06"),
        ({"published": 1412553600}, "published", "expected a date string like 2014-10-06, got int"),
        ({"title": 42}, "title", "valid string"),
        ({"url": "ftp://example.org/x"}, "url", "http:// or https://"),
        ({"language": "English"}, "language", "BCP 47"),
        ({"language": "en_GB"}, "language", "BCP 47"),  # a valid prefix ("en") is not enough: the whole tag
        ({"language": "en-"}, "language", "BCP 47"),
        ({"author": "Jane"}, "author", "unknown field"),
    ],
)
def test_bad_sidecar_field_is_named_with_its_file(tmp_path, fields, loc, says):
    write_article(tmp_path, "a", TEXT, sidecar(**fields))
    item = run(tmp_path)[0]
    assert isinstance(item, Rejected)
    (problem,) = item.problems
    assert (problem.file, problem.loc) == ("articles/a.json", loc)
    assert says in problem.reason


@pytest.mark.parametrize(
    ("written", "source"),
    [
        ("2014-10-06", "sidecar"),
        ("2014-10-06T23:30:00-05:00", "sidecar"),  # ISO either way: no form named, the date as written
        ("Mon, 06 Oct 2014 08:00:00 +0000", "sidecar:rfc2822"),
        ("6 October 2014", "sidecar:day-month-year"),
        ("Oct. 6, 2014", "sidecar:month-day-year"),
    ],
)
def test_a_sidecar_date_in_any_unambiguous_form_is_published_as_iso_with_the_form_read(tmp_path, written, source):
    write_article(tmp_path, "a", TEXT, sidecar(published=written))
    (article,) = run(tmp_path)
    assert isinstance(article, Article)
    assert (article.published.isoformat(), article.field_sources.published) == ("2014-10-06", source)


@pytest.mark.parametrize(
    ("line", "source"),
    [("2014-10-06", "text:3"), ("October 6, 2014", "text:3:month-day-year"), ("6th Oct 2014", "text:3:day-month-year")],
)
def test_a_date_read_off_the_text_names_its_line_and_form(tmp_path, line, source):
    write_article(tmp_path, "a", TEXT.replace("October 06, 2014", line))
    (article,) = run(tmp_path)
    assert isinstance(article, Article)
    assert (article.published.isoformat(), article.field_sources.published) == ("2014-10-06", source)


def test_a_dateline_date_fills_published_only_when_the_sidecar_gives_none(tmp_path):
    text = "Headline here\n\nWARSAW, Oct. 6, 2014 — The alliance met on Monday.\n"
    write_article(tmp_path, "a", text)
    write_article(tmp_path, "b", text.replace("Monday", "Tuesday"), sidecar(published="2014-10-07"))
    dated, curated = run(tmp_path)
    assert isinstance(dated, Article) and isinstance(curated, Article)
    assert (dated.published.isoformat(), dated.field_sources.published) == ("2014-10-06", "text:3:month-day-year")
    assert (dated.dateline, dated.field_sources.dateline) == ("WARSAW", "text:3")
    assert (curated.published.isoformat(), curated.field_sources.published) == ("2014-10-07", "sidecar")


def test_all_problems_of_an_article_are_reported_together(tmp_path):
    write_article(tmp_path, "a", TEXT, sidecar(published="2014-13-01", url="nope", colour="red"))
    item = run(tmp_path)[0]
    assert isinstance(item, Rejected)
    assert sorted(p.loc for p in item.problems) == ["colour", "published", "url"]
    assert {p.article for p in item.problems} == {"articles/a.txt"}


def test_jsonl_metadata_problems_name_file_and_line(tmp_path):
    (tmp_path / "articles").mkdir()
    lines = [{"text": TEXT, "published": "2014-10-06T08:00:00Z"}, {"text": TEXT, "published": "10/06/2014"}]
    (tmp_path / "articles" / "feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    good, bad = run(tmp_path)
    assert isinstance(good, Article) and str(good.published) == "2014-10-06"
    assert good.field_sources.published == "jsonl"
    assert isinstance(bad, Rejected)
    assert (bad.problems[0].file, bad.problems[0].line, bad.problems[0].loc, bad.problems[0].reason) == (
        "articles/feed.jsonl",
        2,
        "published",
        "ambiguous date '10/06/2014': write 2014-10-06 or 2014-06-10 (YYYY-MM-DD)",
    )


def test_a_bad_guess_from_the_text_is_dropped_not_rejected(tmp_path):
    text = "World Cup plans\n\nJuly 19, 2099\n\nThe final is set for Paris.\n\nOriginal url: https://?ref=rss\n"
    write_article(tmp_path, "a", text)
    (article,) = run(tmp_path)
    assert isinstance(article, Article)
    assert (article.published, article.field_sources.published) == (None, None)
    assert (article.url, article.field_sources.url) == (None, None)


SECRET_URL = "https://jdoe:s3cretpass@www.example.com/news/a?token=abc123&id=7"
SECRETS = ("jdoe", "s3cretpass", "abc123")


def shown(item: Rejected) -> str:
    return "\n".join(f"{p.loc} {p.reason} {p!s}" for p in item.problems)


def test_a_curated_url_loses_its_login_and_credential_parameters(tmp_path):
    write_article(tmp_path, "a", TEXT, sidecar(url=SECRET_URL))
    (article,) = run(tmp_path)
    assert isinstance(article, Article)
    assert (article.url, article.field_sources.url) == ("https://www.example.com/news/a?id=7", "sidecar")


def test_a_url_read_off_the_text_is_never_one_with_a_credential(tmp_path):
    write_article(tmp_path, "a", TEXT + "\nOriginal url: " + SECRET_URL + "\n")
    (item,) = run(tmp_path)
    assert isinstance(item, Rejected)
    (problem,) = item.problems
    at = len(TEXT + "\nOriginal url: ")
    assert (problem.file, problem.loc, problem.stage) == ("articles/a.txt", "text", "validate")
    assert problem.reason == (
        f"character {at}: a URL here holds a login (user:password@) and the parameter 'token'; the text is "
        "published byte for byte, never edited, so remove the credential from the raw file"
    )


def test_a_text_with_a_credential_url_is_rejected_once_per_url_with_its_line(tmp_path):
    (tmp_path / "articles").mkdir()
    text = TEXT + "Links: https://n.example/a?sig=1 and https://n.example/b?id=2 and https://n.example/c?sid=3\n"
    (tmp_path / "articles" / "feed.jsonl").write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    (item,) = run(tmp_path)
    assert isinstance(item, Rejected)
    assert [(p.file, p.line, p.loc) for p in item.problems] == [("articles/feed.jsonl", 1, "text")] * 2
    assert [p.reason.split(";")[0] for p in item.problems] == [
        f"character {text.index('https://n.example/a')}: a URL here holds the parameter 'sig'",
        f"character {text.index('https://n.example/c')}: a URL here holds the parameter 'sid'",
    ]


@pytest.mark.parametrize("name", ["title", "outlet", "notes"])
def test_a_curated_string_holding_a_credential_url_is_rejected_naming_the_field(tmp_path, name):
    write_article(tmp_path, "a", TEXT, sidecar(**{name: "From " + SECRET_URL}))
    (item,) = run(tmp_path)
    assert isinstance(item, Rejected)
    assert [(p.file, p.loc) for p in item.problems] == [("articles/a.json", name)]
    assert item.problems[0].reason.startswith("character 5: a URL here holds a login")
    assert not any(secret in shown(item) for secret in SECRETS)


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"published": SECRET_URL}, "published"),  # pydantic's message quotes the value it refused
        ({"title": [SECRET_URL]}, "title"),
        ({"language": SECRET_URL}, "language"),
        ({"url": SECRET_URL.replace("https", "gopher") + " x"}, "url"),
        ({SECRET_URL: 1}, "https://***@www.example.com/news/a?token=***&id=7"),  # an unknown field named so
    ],
)
def test_no_rejection_quotes_a_credential_of_the_value_it_refuses(tmp_path, fields, loc):
    write_article(tmp_path, "a", TEXT, sidecar(**fields))
    (item,) = run(tmp_path)
    assert isinstance(item, Rejected)
    assert loc in [p.loc for p in item.problems]
    assert not any(secret in shown(item) for secret in SECRETS), shown(item)


def test_a_jsonl_field_named_by_a_credential_url_is_shown_masked(tmp_path):
    (tmp_path / "articles").mkdir()
    line = json.dumps({"text": TEXT, SECRET_URL: "x"})
    (tmp_path / "articles" / "feed.jsonl").write_text(line + "\n", encoding="utf-8")
    (item,) = run(tmp_path)
    assert isinstance(item, Rejected)
    assert [p.loc for p in item.problems] == ["https://***@www.example.com/news/a?token=***&id=7"]


@pytest.mark.parametrize(
    ("field", "hint"),
    [
        ("publised", "did you mean 'published'? "),
        ("outlt", "did you mean 'outlet'? "),
        ("date", "did you mean 'published'? 'date' is a crawler's name, read in JSONL and Parquet only. "),
        ("sitename", "did you mean 'outlet'? 'sitename' is a crawler's name, read in JSONL and Parquet only. "),
        ("colour", ""),  # nothing close: no guess
    ],
)
def test_an_unknown_sidecar_field_says_which_field_was_meant_when_one_is_close(tmp_path, field, hint):
    write_article(tmp_path, "a", TEXT, sidecar(**{field: "2024-03-05"}))
    (item,) = run(tmp_path)
    assert isinstance(item, Rejected)
    (problem,) = item.problems
    assert (problem.file, problem.loc) == ("articles/a.json", field)
    listed = "the fields are title, outlet, byline, url, published, language, notes"
    assert problem.reason == f"unknown field; {hint}{listed.capitalize() if hint else listed} " + (
        "(see schema/article_metadata.schema.json)"
    )


def test_a_sidecar_byline_is_the_published_byline_before_one_read_off_the_text(tmp_path):
    write_article(tmp_path, "a", TEXT, sidecar(byline="Jane Doe; AP"))
    (article,) = run(tmp_path)
    assert isinstance(article, Article)
    assert (article.byline, article.field_sources.byline) == ("Jane Doe; AP", "sidecar")


# --drop-bad-metadata: an article whose only problems are metadata values is kept without those fields.

SEED = "articles/000_441cd17370331efe"
AMBIGUOUS = "ambiguous date '03/05/2024': write 2024-03-05 or 2024-05-03 (YYYY-MM-DD)"
NOT_A_TAG = "expected a BCP 47 language tag such as 'en' or 'pt-BR', got 'english'"


def spoil_seed_sidecar(raw: Path) -> None:
    """The first seed's sidecar with an ambiguous ``published`` and a ``language`` that is not a tag."""
    path = raw / f"{SEED}.json"
    fields = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**fields, "published": "03/05/2024", "language": "english"}), encoding="utf-8")


def cli_build(raw: Path, out: Path, *options: str) -> Result:
    return runner.invoke(app, ["build", str(raw), "--out", str(out), "--no-cache", "--workers", "1", *options])


def rejects_of(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / "rejects.jsonl").read_text(encoding="utf-8").splitlines()]


def test_drop_bad_metadata_keeps_the_claims_of_an_article_whose_only_faults_are_sidecar_fields(raw_copy, tmp_path):
    spoil_seed_sidecar(raw_copy)
    skipped, kept = tmp_path / "skipped", tmp_path / "kept"
    assert cli_build(raw_copy, skipped, "--skip-invalid").exit_code == 0
    # Without --skip-invalid: the article is not invalid any more, only two of its fields are.
    result = cli_build(raw_copy, kept, "--drop-bad-metadata")
    assert result.exit_code == 0, result.output
    dropped = [
        {"file": f"{SEED}.json", "line": None, "loc": "published", "reason": AMBIGUOUS},
        {"file": f"{SEED}.json", "line": None, "loc": "language", "reason": NOT_A_TAG},
    ]
    common = {"stage": "validate", "article": f"{SEED}.txt"}
    assert rejects_of(kept) == [{**row, **common, "kept": True} for row in dropped]
    assert rejects_of(skipped) == [{**row, **common, "kept": False} for row in dropped]
    assert [line for line in result.stderr.splitlines() if not line.startswith("warning: ")] == [
        f"{SEED}.json: published: {AMBIGUOUS}; the field was dropped, the article kept",
        f"{SEED}.json: language: {NOT_A_TAG}; the field was dropped, the article kept",
    ]
    claims_kept, claims_skipped = rows_of(kept, "claims"), rows_of(skipped, "claims")
    seed_id = SEED.removeprefix("articles/")
    ours = [claim for claim in claims_kept if claim["article_id"] == seed_id]
    assert ours and len(claims_kept) == len(claims_skipped) + len(ours)
    assert result.stdout.splitlines()[0] == (
        f"{kept}: {len(claims_kept)} claims from 5 articles (5 read, 0 rejected, 2 fields dropped, 0 from the cache)"
    )
    (article,) = [row for row in rows_of(kept, "articles") if row["article_id"] == seed_id]
    # The fields dropped are absent: the date is read off the text, the language is unknown.
    assert (str(article["published"]), article["field_sources"]["published"]) == (
        "2014-10-06",
        "text:5:month-day-year",
    )
    assert (article["language"], article["field_sources"]["language"]) == (None, None)
    assert article["title"] and article["field_sources"]["title"] == "sidecar"
    manifest = json.loads((kept / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert (manifest["articles_seen"], manifest["articles_accepted"], manifest["articles_rejected"]) == (5, 5, 0)
    assert (manifest["rejections"], manifest["fields_dropped"]) == (0, 2)
    card = (kept / "README.md").read_text(encoding="utf-8")
    assert "(5 inputs read, 0 rejected; 2 metadata fields dropped from kept articles)." in card
    assert f"| {SEED}.json |  | published | {AMBIGUOUS} | kept, this field dropped |" in card
    assert f"| {SEED}.json |  | language | {NOT_A_TAG} | rejected |" in (skipped / "README.md").read_text()
    verified = runner.invoke(app, ["verify", str(kept), "--raw", str(raw_copy)])
    assert verified.exit_code == 0, verified.output


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_drop_bad_metadata_names_a_crawler_field_as_the_feed_wrote_it(tmp_path, suffix):
    raw, out = tmp_path / "raw", tmp_path / "dist"
    (raw / "articles").mkdir(parents=True)
    lines = [
        {"text": TEXT, "date": "Tue, 7 Oct 2014 08:00:00 +0000", "sitename": "Wire"},  # 7 October was a Tuesday
        {"text": TEXT.replace("Monday", "Friday"), "date": "10/06/2014", "sitename": "Wire"},
    ]
    feed = raw / "articles" / f"feed{suffix}"
    if suffix == ".jsonl":
        feed.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    else:
        pq.write_table(pa.Table.from_pylist(lines), feed)
    result = cli_build(raw, out, "--drop-bad-metadata", "--json", "--ratios", "1", "0", "0")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    counts = report["counts"]
    assert (counts["articles_seen"], counts["articles_accepted"], counts["articles_rejected"]) == (2, 2, 0)
    assert (counts["rejections"], counts["fields_dropped"]) == (0, 1)
    reason = "ambiguous date '10/06/2014': write 2014-10-06 or 2014-06-10 (YYYY-MM-DD)"
    expected = {
        "file": f"articles/feed{suffix}",
        "line": 2,
        "loc": "date (published)",
        "reason": reason,
        "stage": "validate",
        "article": f"articles/feed{suffix}:2",
        "kept": True,
    }
    assert report["rejections"] == [expected] and rejects_of(out) == [expected]
    second = [row for row in rows_of(out, "articles") if row["article_id"] == "feed:2"]
    assert [(row["outlet"], str(row["published"]), row["field_sources"]["published"]) for row in second] == [
        ("Wire", "2014-10-06", "text:3:month-day-year")
    ]


@pytest.mark.parametrize(
    ("fault", "sidecar_text", "problems"),
    [
        (
            "a credential in the text",
            json.dumps({"published": "03/05/2024"}),
            [
                ("articles/a.txt", "text", "character 87: a URL here holds a login (user:password@); the text is"),
                ("articles/a.json", "published", AMBIGUOUS),
            ],
        ),
        (
            "a credential in a curated string",
            json.dumps({"published": "03/05/2024", "notes": "from https://jdoe:pw@example.com/a"}),
            [
                ("articles/a.json", "notes", "character 5: a URL here holds a login"),
                ("articles/a.json", "published", AMBIGUOUS),
            ],
        ),
        (
            "an unknown field",
            json.dumps({"published": "03/05/2024", "publised": "2024-03-05"}),
            [
                ("articles/a.json", "published", AMBIGUOUS),
                ("articles/a.json", "publised", "unknown field; did you mean 'published'?"),
            ],
        ),
        (
            "a malformed sidecar",
            '{"published": "03/05/2024",',
            [("articles/a.json", "", "malformed JSON at line 1 column 28")],
        ),
    ],
)
def test_drop_bad_metadata_still_rejects_an_article_with_another_fault(tmp_path, fault, sidecar_text, problems):
    raw, out = tmp_path / "raw", tmp_path / "dist"
    text = TEXT
    if fault == "a credential in the text":
        text = TEXT.replace("met on Monday.", "met on Monday. See https://jdoe:pw@example.com/a")
    write_article(raw, "a", text, sidecar_text)
    write_article(raw, "b", TEXT.replace("Monday", "Friday"))
    result = cli_build(raw, out, "--drop-bad-metadata", "--skip-invalid", "--json", "--ratios", "1", "0", "0")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)["counts"]
    assert (counts["articles_accepted"], counts["articles_rejected"], counts["fields_dropped"]) == (1, 1, 0)
    found = sorted((r["file"], r["loc"], r["reason"], r["kept"]) for r in rejects_of(out))
    assert len(found) == len(problems)
    for (file, loc, reason, kept), (want_file, want_loc, says) in zip(found, sorted(problems), strict=True):
        assert (file, loc, kept) == (want_file, want_loc, False) and reason.startswith(says), reason


def test_drop_bad_metadata_does_not_drop_a_bad_value_that_holds_a_credential(tmp_path):
    # Dropping the field would take the credential out of sight: the fix is in the raw file.
    write_article(tmp_path, "a", TEXT, sidecar(published="https://jdoe:pw@example.com/a"))
    result = runner.invoke(app, ["validate", str(tmp_path), "--drop-bad-metadata"])
    assert result.exit_code == 1
    assert result.stdout == "1 read: 0 valid, 1 invalid (2 problems)\n"
    login = "character 0: a URL here holds a login (user:password@); remove the credential"
    assert result.stderr.splitlines() == [
        f"articles/a.json: published: {login}",
        "articles/a.json: published: expected a date like 2024-03-05 (YYYY-MM-DD), 5 March 2024, March 5, 2024 or an "
        "RFC 2822 time (Tue, 05 Mar 2024 10:00:00 +0000), got 'https://***@example.com/a'",
    ]


def test_validate_with_drop_bad_metadata_lists_the_fields_a_build_would_drop_and_passes(raw_copy):
    spoil_seed_sidecar(raw_copy)
    plain = runner.invoke(app, ["validate", str(raw_copy)])
    assert plain.exit_code == 1
    assert plain.stdout == "5 read: 4 valid, 1 invalid (2 problems)\n"
    dropping = runner.invoke(app, ["validate", str(raw_copy), "--drop-bad-metadata"])
    assert dropping.exit_code == 0, dropping.output
    assert dropping.stdout == "5 read: 5 valid, 0 invalid (0 problems, 2 fields dropped)\n"
    assert dropping.stderr.splitlines() == [
        f"{SEED}.json: published: {AMBIGUOUS}; the field was dropped, the article kept",
        f"{SEED}.json: language: {NOT_A_TAG}; the field was dropped, the article kept",
    ]
    as_json = json.loads(runner.invoke(app, ["validate", str(raw_copy), "--drop-bad-metadata", "--json"]).stdout)
    assert as_json["counts"]["fields_dropped"] == 2
    assert [(r["loc"], r["kept"]) for r in as_json["rejections"]] == [("published", True), ("language", True)]
