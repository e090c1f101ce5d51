"""The crawlers' records as users have them (a trafilatura feed, news-please and newspaper4k JSON lines, a CC-News
Parquet dump), built into a dataset: the outlet and the byline land in the published fields, under the documented
precedence; a problem names the field the user wrote; a field name close to a known one gets "did you mean".

The table itself is pinned name by name in tests/formats/test_field_names.py.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.config import BuildConfig, ValidateConfig
from builder.formats import fields
from builder.models import Rejection
from builder.pipeline import build, check
from conftest import REPO, rows_of

BODY = (
    "Port traffic hits record\n\nGDANSK - The port authority said container traffic grew by 12 percent in 2021.\n\n"
    '"We have never handled so many ships," its director Marek Zielinski told reporters.\n'
)
OTHER = "Bridge closes\n\nThe bridge will close for 3 weeks in June, the city said on Monday.\n"

TRAFILATURA = [  # as `trafilatura --json` writes them: the site name under "source-hostname", the URL under "source"
    {
        "title": "Port traffic hits record",
        "author": "Ewa Lis; Jan Nowak",
        "hostname": "example.com",
        "date": "2022-01-10",
        "fingerprint": "a1b2c3d4",
        "id": None,
        "license": None,
        "comments": "",
        "raw_text": "Port traffic hits record GDANSK - The port authority said container traffic grew.",
        "text": BODY,
        "language": "en",
        "image": None,
        "pagetype": "article",
        "filedate": "2022-01-11",
        "source": "https://example.com/port",
        "source-hostname": "Example News",
        "excerpt": "Container traffic grew by 12 percent.",
        "categories": "",
        "tags": "",
    },
    {  # a page without a site name: the host name is the outlet
        "title": "Bridge closes",
        "author": None,
        "hostname": "example.com",
        "date": "2022-01-11",
        "text": OTHER,
        "language": "en",
        "source": "https://example.com/bridge",
        "source-hostname": None,
    },
]
NEWS_PLEASE = [  # news-please's JSON: text null beside maintext, the authors a list
    {
        "authors": ["Ewa Lis", "Jan Nowak"],
        "date_download": "2022-01-11 06:00:01",
        "date_modify": None,
        "date_publish": "2022-01-10 08:15:00",
        "description": "Container traffic grew by 12 percent.",
        "filename": "https%3A%2F%2Fexample.com%2Fport.json",
        "image_url": "https://example.com/port.jpg",
        "language": "en",
        "localpath": None,
        "maintext": BODY,
        "source_domain": "example.com",
        "text": None,
        "title": "Port traffic hits record",
        "title_page": None,
        "title_rss": None,
        "url": "https://example.com/port",
    },
    {"authors": [], "date_publish": "2022-01-11 09:00:00", "maintext": OTHER, "source_domain": "example.com"},
]
NEWSPAPER4K = [  # Article.to_json() of newspaper4k
    {
        "url": "https://example.com/port",
        "read_more_link": "",
        "language": "en",
        "title": "Port traffic hits record",
        "top_image": "https://example.com/port.jpg",
        "meta_img": "https://example.com/port.jpg",
        "images": ["https://example.com/port.jpg"],
        "movies": [],
        "keywords": [],
        "keyword_scores": {},
        "meta_keywords": [""],
        "tags": [],
        "authors": ["Ewa Lis", "Jan Nowak"],
        "publish_date": "2022-01-10T08:15:00+01:00",
        "summary": "",
        "meta_description": "Container traffic grew by 12 percent.",
        "meta_lang": "en",
        "meta_favicon": "https://example.com/favicon.ico",
        "meta_site_name": "Example News",
        "canonical_link": "https://example.com/port",
        "text": BODY,
        "source_url": "https://example.com",
    },
    {"url": "https://example.com/bridge", "language": None, "meta_lang": "en", "text": OTHER, "authors": []},
]
CC_NEWS = [  # the columns of CC-News on the Hugging Face Hub
    {
        "title": "Port traffic hits record",
        "text": BODY,
        "domain": "example.com",
        "date": "2022-01-10 08:15:00",
        "description": "Container traffic grew by 12 percent.",
        "url": "https://example.com/port",
        "image_url": "https://example.com/port.jpg",
    },
    {
        "title": "Bridge closes",
        "text": OTHER,
        "domain": "example.org",
        "date": "2022-01-11 09:00:00",
        "description": "",
        "url": "https://example.org/bridge",
        "image_url": None,
    },
]

# crawler -> (its records, the file it writes, what each published article holds)
CRAWLED: dict[str, tuple[list[dict[str, Any]], str, list[dict[str, Any]]]] = {
    "trafilatura": (
        TRAFILATURA,
        "feed.jsonl",
        [
            {
                "outlet": "Example News",
                "byline": "Ewa Lis; Jan Nowak",
                "url": "https://example.com/port",
                "published": datetime.date(2022, 1, 10),
                "language": "en",
                "ignored_fields": [
                    "categories", "comments", "excerpt", "filedate", "fingerprint", "hostname", "id", "image",
                    "license", "pagetype", "raw_text", "tags",
                ],
            },
            {
                "outlet": "example.com",
                "byline": None,
                "url": "https://example.com/bridge",
                "published": datetime.date(2022, 1, 11),
                "language": "en",
                "ignored_fields": [],
            },
        ],
    ),
    "news-please": (
        NEWS_PLEASE,
        "feed.jsonl",
        [
            {
                "outlet": "example.com",
                "byline": "Ewa Lis; Jan Nowak",
                "url": "https://example.com/port",
                "published": datetime.date(2022, 1, 10),
                "language": "en",
                "ignored_fields": [
                    "date_download", "date_modify", "description", "filename", "image_url", "localpath",
                    "title_page", "title_rss",
                ],
            },
            {
                "outlet": "example.com",
                "byline": None,
                "url": None,
                "published": datetime.date(2022, 1, 11),
                "language": None,
                "ignored_fields": [],
            },
        ],
    ),
    "newspaper4k": (
        NEWSPAPER4K,
        "feed.jsonl",
        [
            {
                "outlet": "Example News",
                "byline": "Ewa Lis; Jan Nowak",
                "url": "https://example.com/port",
                "published": datetime.date(2022, 1, 10),
                "language": "en",
                "ignored_fields": [
                    "canonical_link", "images", "keyword_scores", "keywords", "meta_description", "meta_favicon",
                    "meta_img", "meta_keywords", "meta_lang", "movies", "read_more_link", "source_url", "summary",
                    "tags", "top_image",
                ],
            },
            {
                "outlet": None,
                "byline": None,
                "url": "https://example.com/bridge",
                "published": None,
                "language": "en",
                "ignored_fields": [],
            },
        ],
    ),
    "CC-News": (
        CC_NEWS,
        "cc_news.parquet",
        [
            {
                "outlet": "example.com",
                "byline": None,
                "url": "https://example.com/port",
                "published": datetime.date(2022, 1, 10),
                "language": None,
                "ignored_fields": ["description", "image_url"],
            },
            {
                "outlet": "example.org",
                "byline": None,
                "url": "https://example.org/bridge",
                "published": datetime.date(2022, 1, 11),
                "language": None,
                "ignored_fields": ["description", "image_url"],
            },
        ],
    ),
}  # fmt: skip


def write(raw: Path, name: str, records: list[dict[str, Any]]) -> str:
    folder = raw / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    if name.endswith(".jsonl"):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    else:
        pq.write_table(pa.Table.from_pylist(records), folder / name)
    return f"articles/{name}"


@pytest.mark.parametrize("crawler", list(CRAWLED))
def test_a_crawlers_file_is_built_with_its_outlet_byline_and_date_in_the_published_fields(tmp_path, crawler):
    records, name, expected = CRAWLED[crawler]
    raw, dist = tmp_path / "raw", tmp_path / "dist"
    write(raw, name, records)
    report = build(BuildConfig(raw_dir=raw, out_dir=dist))
    assert (report.counts.articles_accepted, report.rejections) == (2, [])
    articles = sorted(rows_of(dist, "articles"), key=lambda row: row["source_line"])
    kind = name.rsplit(".", 1)[1]
    for article, wanted in zip(articles, expected, strict=True):
        assert {key: article[key] for key in wanted} == wanted
        for field in ("outlet", "byline", "url", "published", "language"):
            assert article["field_sources"][field] == (None if wanted[field] is None else kind), field
    assert articles[0]["text"] == BODY and articles[0]["title"] == "Port traffic hits record"


# record -> (the outlet used, the names passed over, listed in ignored_fields)
PRECEDENCE_CASES = [
    (
        {"outlet": "Own Name", "sitename": "Example News", "hostname": "example.com"},
        "Own Name",
        ["hostname", "sitename"],
    ),
    ({"hostname": "example.com", "sitename": "Example News"}, "Example News", ["hostname"]),
    ({"hostname": "example.com", "source-hostname": "Example News"}, "Example News", ["hostname"]),
    ({"domain": "example.com", "meta_site_name": "Example News"}, "Example News", ["domain"]),
    ({"source_domain": "example.com", "hostname": "www.example.com"}, "www.example.com", ["source_domain"]),
    ({"sitename": None, "hostname": "example.com"}, "example.com", []),  # a null says nothing
    ({"sitename": None, "hostname": None}, None, []),
]


@pytest.mark.parametrize(("given", "outlet", "passed_over"), PRECEDENCE_CASES)
def test_a_site_name_gives_the_outlet_before_a_host_name(tmp_path, given, outlet, passed_over):
    raw, dist = tmp_path / "raw", tmp_path / "dist"
    write(raw, "feed.jsonl", [{"text": BODY, **given}])
    build(BuildConfig(raw_dir=raw, out_dir=dist))
    (article,) = rows_of(dist, "articles")
    assert (article["outlet"], article["ignored_fields"]) == (outlet, passed_over)


def test_factpacks_own_date_is_used_before_a_crawlers_and_the_other_is_listed(tmp_path):
    raw, dist = tmp_path / "raw", tmp_path / "dist"
    write(raw, "feed.jsonl", [{"text": BODY, "date": "2022-02-02", "published": "2022-01-10", "meta_lang": "pl"}])
    build(BuildConfig(raw_dir=raw, out_dir=dist))
    (article,) = rows_of(dist, "articles")
    assert article["published"] == datetime.date(2022, 1, 10) and article["language"] == "pl"
    assert article["ignored_fields"] == ["date"]


def test_two_texts_under_two_names_are_a_problem_naming_the_second(tmp_path):
    raw = tmp_path / "raw"
    write(raw, "feed.jsonl", [{"text": BODY, "maintext": OTHER}])
    (problem,) = check(BuildConfig(raw_dir=raw)).rejections
    assert (problem.loc, problem.reason) == ("maintext", "gives 'text' a second time; keep one of the two fields")


def rejections(raw: Path, name: str, records: list[dict[str, Any]]) -> list[Rejection]:
    write(raw, name, records)
    return check(BuildConfig(raw_dir=raw, validation=ValidateConfig(skip_invalid=True))).rejections


# the field as the user wrote it -> a value factpack refuses
BAD_VALUES: dict[str, Any] = {
    "date": "yesterday",
    "date_publish": "2022-13-01 08:00:00",
    "publish_date": "the tenth",
    "published": "yesterday",
    "source": "not a link",
    "url": "ftp://example.com/port",
    "meta_lang": "English",
    "sitename": 42,
    "source-hostname": 42,
    "meta_site_name": 42,
    "hostname": 42,
    "source_domain": 42,
    "domain": 42,
    "author": 42,
    "authors": [42],
    "title": 42,
}


@pytest.mark.parametrize("name", [".jsonl", ".parquet"])
@pytest.mark.parametrize("field", list(BAD_VALUES))
def test_a_refused_value_is_named_by_the_users_own_field_then_factpacks(tmp_path, field, name):
    bad = BAD_VALUES[field]
    (problem,) = rejections(tmp_path, f"feed{name}", [{"text": BODY, field: bad}])
    meant = fields.MEANS[field]
    assert problem.loc == (field if meant == field else f"{field} ({meant})")
    assert (problem.file, problem.line) == (f"articles/feed{name}", 1)
    assert str(problem).startswith(f"articles/feed{name}:1: {problem.loc}: ")


def test_every_crawler_name_of_a_metadata_field_has_a_refused_value_case():
    assert set(BAD_VALUES) >= {name for name, meant in fields.MEANS.items() if meant not in {"text", name}}


def test_a_text_under_news_pleases_name_is_named_so_when_refused(tmp_path):
    (problem,) = rejections(tmp_path, "feed.jsonl", [{"maintext": "  \n", "text": None}])
    assert (problem.loc, problem.reason) == (
        "maintext (text)",
        "empty or whitespace only; fill the text or remove the line",
    )


@pytest.mark.parametrize(
    ("typo", "hint"),
    [
        ("publised", "published"),
        ("titel", "title"),
        ("athors", "authors"),
        ("sitenme", "sitename"),
        ("bylin", "byline"),
    ],
)
def test_an_unknown_field_close_to_a_known_one_says_did_you_mean(tmp_path, typo, hint):
    (problem,) = rejections(tmp_path, "feed.jsonl", [{"text": BODY, typo: "x"}])
    assert problem.loc == typo
    assert problem.reason == (
        f"unknown field; did you mean {hint!r}? Expected text, title, outlet, byline, url, published, language, notes "
        "(or a crawler's name for one)"
    )


def test_an_unknown_column_far_from_every_known_name_gets_no_guess(tmp_path):
    (problem,) = rejections(tmp_path, "rows.parquet", [{"text": BODY, "colour": "red"}])
    assert (problem.loc, problem.reason) == (
        "colour",
        "unknown column; expected text, title, outlet, byline, url, published, language, notes (or a crawler's name "
        "for one)",
    )


def test_a_name_as_close_to_two_known_names_gets_no_guess(tmp_path):
    # "stname" is as close to sitename as to hostname: naming either would send the user the wrong way half the time
    (problem,) = rejections(tmp_path, "feed.jsonl", [{"text": BODY, "stname": "Example News"}])
    assert (problem.loc, problem.reason) == (
        "stname",
        "unknown field; expected text, title, outlet, byline, url, published, language, notes (or a crawler's name "
        "for one)",
    )


def test_the_readme_shows_the_crawler_table_the_code_reads_with():
    assert fields.markdown_table() in (REPO / "README.md").read_text(encoding="utf-8")
