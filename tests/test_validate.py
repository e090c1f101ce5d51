from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.config import BuildConfig, IngestConfig
from builder.ingest import iter_raw
from builder.models import Article, Rejected
from builder.stages import VALIDATED, run_stages
from conftest import RAW, write_article

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
    assert (str(article.published), article.field_sources.published) == ("2014-10-06", "text:3")
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
        ({"published": "2014-02-30"}, "published", "day value is outside expected range"),
        ({"published": "06/10/2014"}, "published", "expected an ISO date"),
        ({"published": 1412553600}, "published", "expected an ISO date string"),
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


def test_all_problems_of_an_article_are_reported_together(tmp_path):
    write_article(tmp_path, "a", TEXT, sidecar(published="2014-13-01", url="nope", colour="red"))
    item = run(tmp_path)[0]
    assert isinstance(item, Rejected)
    assert sorted(p.loc for p in item.problems) == ["colour", "published", "url"]
    assert {p.article for p in item.problems} == {"articles/a.txt"}


def test_jsonl_metadata_problems_name_file_and_line(tmp_path):
    (tmp_path / "articles").mkdir()
    lines = [{"text": TEXT, "published": "2014-10-06T08:00:00Z"}, {"text": TEXT, "published": "yesterday"}]
    (tmp_path / "articles" / "feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    good, bad = run(tmp_path)
    assert isinstance(good, Article) and str(good.published) == "2014-10-06"
    assert good.field_sources.published == "jsonl"
    assert isinstance(bad, Rejected)
    assert (bad.problems[0].file, bad.problems[0].line, bad.problems[0].loc) == (
        "articles/feed.jsonl",
        2,
        "published",
    )


def test_a_bad_guess_from_the_text_is_dropped_not_rejected(tmp_path):
    text = "World Cup plans\n\nJuly 19, 2099\n\nThe final is set for Paris.\n\nOriginal url: https://?ref=rss\n"
    write_article(tmp_path, "a", text)
    (article,) = run(tmp_path)
    assert isinstance(article, Article)
    assert (article.published, article.field_sources.published) == (None, None)
    assert (article.url, article.field_sources.url) == (None, None)
