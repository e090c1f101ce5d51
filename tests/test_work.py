"""The per-article work's result carries what the URL rule took out of the article's URL, from a fresh read, from
the cache, and through the plain values an engine such as Ray carries results in."""

from __future__ import annotations

import json
import shutil

from builder.config import BuildConfig, ValidateConfig
from builder.ingest import iter_units
from builder.urls import Found
from builder.work import process_units, result_from_row, result_row
from conftest import RAW

SECRET_URL = "https://jdoe:s3cretpass@www.example.com/news/a?token=abc123&id=7"


def test_what_the_url_rule_took_travels_with_the_result(tmp_path):
    raw = shutil.copytree(RAW, tmp_path / "raw")
    sidecar = raw / "articles" / "000_441cd17370331efe.json"
    sidecar.write_text(json.dumps({**json.loads(sidecar.read_text()), "url": SECRET_URL}), encoding="utf-8")
    cfg = BuildConfig(raw_dir=raw)
    units = list(iter_units(raw, cfg.ingest, []))
    fresh = process_units(units, cfg, tmp_path / "cache")
    cached = process_units(units, cfg, tmp_path / "cache")
    expected = [Found(login=True, parameters=("token",))] + [Found()] * 4
    assert [result.credentials for result in fresh] == expected
    assert [result.cached for result in cached] == [True] * 5
    assert [result.credentials for result in cached] == expected
    assert [result_from_row(result_row(result)).credentials for result in fresh] == expected


def test_the_fields_dropped_from_a_kept_article_travel_with_the_result(tmp_path):
    raw = shutil.copytree(RAW, tmp_path / "raw")
    sidecar = raw / "articles" / "000_441cd17370331efe.json"
    sidecar.write_text(json.dumps({**json.loads(sidecar.read_text()), "language": "english"}), encoding="utf-8")
    cfg = BuildConfig(raw_dir=raw, validation=ValidateConfig(drop_bad_metadata=True))
    results = process_units(list(iter_units(raw, cfg.ingest, [])), cfg, tmp_path / "cache")
    assert [len(result.dropped) for result in results] == [1, 0, 0, 0, 0]
    assert all(result.packed is not None for result in results)
    (dropped,) = results[0].dropped
    assert (dropped.file, dropped.loc, dropped.kept) == ("articles/000_441cd17370331efe.json", "language", True)
    assert [result_from_row(result_row(result)).dropped for result in results] == [r.dropped for r in results]
