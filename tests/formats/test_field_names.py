"""The field names of the crawlers (trafilatura, news-please, newspaper4k, CC-News), entry by entry: each name that
means one of factpack's fields gives its value to that field, and each of their other names is read past and listed
in ``ignored_fields``, never a problem. Every case is a real JSONL or Parquet file on disk, read by ingest and
validated.

The table is :data:`builder.formats.fields.CRAWLERS`; the pinned lists here are checked against it both ways, so a
name added there needs a case here, and a name dropped there fails.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.config import BuildConfig, IngestConfig
from builder.formats import fields
from builder.ingest import iter_raw
from builder.models import Article, RawArticle
from builder.stages import run_stages

BODY = "Bridge opens\n\nThe minister opened the bridge on Monday.\n"

# name -> (factpack's field, the value written, what the validated article holds)
ALIASES: dict[str, tuple[str, Any, object]] = {
    "maintext": ("text", BODY, BODY),  # news-please
    "date_publish": ("published", "2020-01-03 10:00:00", datetime.date(2020, 1, 3)),  # news-please
    "publish_date": ("published", "2020-01-03T10:00:00+01:00", datetime.date(2020, 1, 3)),  # newspaper4k
    "date": ("published", "2020-01-04", datetime.date(2020, 1, 4)),  # trafilatura, CC-News
    "sitename": ("outlet", "Example News", "Example News"),  # trafilatura (Python)
    "source-hostname": ("outlet", "Example News", "Example News"),  # trafilatura (JSON)
    "meta_site_name": ("outlet", "Example News", "Example News"),  # newspaper4k
    "hostname": ("outlet", "example.org", "example.org"),  # trafilatura
    "source_domain": ("outlet", "example.org", "example.org"),  # news-please
    "domain": ("outlet", "example.org", "example.org"),  # CC-News
    "author": ("byline", "Jane Doe; John Roe", "Jane Doe; John Roe"),  # trafilatura
    "authors": ("byline", ["Jane Doe", "John Roe"], "Jane Doe; John Roe"),  # news-please, newspaper4k
    "source": ("url", "https://example.org/bridge", "https://example.org/bridge"),  # trafilatura (JSON)
    "meta_lang": ("language", "en", "en"),  # newspaper4k
}

# name -> a value as the tool writes it
TOOL_FIELDS: dict[str, Any] = {
    # news-please
    "date_download": "2020-01-05 08:00:00",
    "date_modify": "2020-01-05 09:00:00",
    "description": "The minister opened the bridge.",
    "filename": "https%3A%2F%2Fexample.org%2Fbridge.json",
    "image_url": "https://example.org/bridge.jpg",
    "localpath": "/data/news-please/bridge.html",
    "title_page": "Bridge opens | Example",
    "title_rss": "Bridge opens",
    # trafilatura
    "id": "bridge-1",
    "fingerprint": "b2c4e6f8a0",
    "excerpt": "The minister opened the bridge.",
    "categories": "Local",
    "tags": "bridges;transport",
    "license": "CC BY 4.0",
    "comments": "First!",
    "raw_text": "Bridge opens The minister opened the bridge on Monday.",
    "image": "https://example.org/bridge.jpg",
    "pagetype": "article",
    "filedate": "2020-01-05",
    # newspaper4k
    "source_url": "https://example.org",
    "canonical_link": "https://example.org/bridge",
    "read_more_link": "",
    "top_image": "https://example.org/bridge.jpg",
    "meta_img": "https://example.org/bridge.jpg",
    "images": ["https://example.org/bridge.jpg"],
    "movies": [],
    "keywords": ["bridge"],
    "keyword_scores": {"bridge": 1.0},
    "meta_keywords": ["bridge", "minister"],
    "summary": "",
    "meta_description": "The minister opened the bridge.",
    "meta_favicon": "https://example.org/favicon.ico",
}


def read_one(folder: Path, record: dict[str, Any], suffix: str) -> RawArticle:
    """The one article of a file holding ``record`` as its only JSONL line or Parquet row."""
    articles = folder / "articles"
    articles.mkdir()
    path = articles / f"feed{suffix}"
    if suffix == ".jsonl":
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    else:
        pq.write_table(pa.table({key: [value] for key, value in record.items()}), path)
    items = list(iter_raw(folder, IngestConfig()))
    assert len(items) == 1 and isinstance(items[0], RawArticle), items
    return items[0]


def validated(folder: Path, raw: RawArticle) -> Article:
    article = run_stages(raw, BuildConfig(raw_dir=folder), until="validate")
    assert isinstance(article, Article), article
    return article


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
@pytest.mark.parametrize("name", list(ALIASES))
def test_a_crawlers_name_gives_its_value_to_factpacks_field(tmp_path, name, suffix):
    field, written, published = ALIASES[name]
    record = {name: written} if field == "text" else {"text": BODY, name: written}
    raw = read_one(tmp_path, record, suffix)
    assert raw.problems == () and raw.ignored_fields == ()
    article = validated(tmp_path, raw)
    assert getattr(article, field) == published
    if field != "text":
        assert raw.metadata == {field: published if field == "byline" else written}
        assert getattr(article.field_sources, field) == suffix[1:]


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
@pytest.mark.parametrize("name", list(TOOL_FIELDS))
def test_another_field_the_tools_write_is_listed_as_ignored_never_a_problem(tmp_path, name, suffix):
    raw = read_one(tmp_path, {"text": BODY, name: TOOL_FIELDS[name]}, suffix)
    assert raw.problems == () and raw.metadata == {}
    assert raw.ignored_fields == (name,)
    assert list(validated(tmp_path, raw).ignored_fields) == [name]


def test_every_alias_has_a_case_and_every_case_is_an_alias():
    own = {name: name for name in fields.OWN}
    assert {name: field for name, (field, _, _) in ALIASES.items()} | own == fields.MEANS


def test_every_ignored_tool_field_has_a_case_and_every_case_is_one():
    assert set(TOOL_FIELDS) == fields.READ_PAST


def test_a_name_neither_factpacks_nor_the_tools_is_a_problem_naming_it(tmp_path):
    # What an entry dropped from the tables would become: the tables are the only thing between the two outcomes.
    raw = read_one(tmp_path, {"text": BODY, "date_crawled": "2020-01-05"}, ".jsonl")
    assert raw.ignored_fields == ()
    assert [(p.loc, p.reason.split(";")[0]) for p in raw.problems] == [("date_crawled", "unknown field")]
