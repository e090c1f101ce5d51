"""The per-article work's result carries what the URL rule took out of the article's URL, from a fresh read, from
the cache, and through the plain values an engine such as Ray carries results in."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq

import builder.models.base
import builder.unchanged
from builder.config import BuildConfig, ValidateConfig
from builder.ingest import iter_units
from builder.pipeline import build
from builder.urls import Found
from builder.work import process_units, result_from_row, result_row
from conftest import RAW, files_of

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


def _tomorrow() -> date:
    return date.today() + timedelta(days=1)


def _dated_tomorrow(raw: Path) -> None:
    """An article whose header's date, read off the text (no sidecar), is tomorrow's."""
    tomorrow = _tomorrow()
    header = f"Bridge to reopen\n\n{tomorrow:%B} {tomorrow.day}, {tomorrow.year}\n\n"
    text = header + "The mayor said the bridge would reopen.\n"
    (raw / "articles" / "dated.txt").write_text(text, encoding="utf-8")


def test_a_date_read_off_the_text_and_later_than_today_is_neither_cached_nor_kept(tmp_path, monkeypatch):
    """Left unknown today, the date is read on the day it names: a warm rebuild then gives what a clean one does,
    not the cached or kept unknown."""
    raw = shutil.copytree(RAW, tmp_path / "raw")
    _dated_tomorrow(raw)
    cfg = BuildConfig(raw_dir=raw)
    units = [unit for unit in iter_units(raw, cfg.ingest, []) if unit.rel == "articles/dated.txt"]
    [result] = process_units(units, cfg, tmp_path / "cache")
    assert result.packed is not None and json.loads(result.packed.summary)["published"] is None
    assert result.key == ""  # named by its bytes in the spool: no kept spool holds it under its key
    out, cache = tmp_path / "dist", tmp_path / "cache"
    build(BuildConfig(raw_dir=raw, out_dir=out, cache_dir=cache))
    monkeypatch.setattr(builder.models.base, "today", _tomorrow)
    monkeypatch.setattr(builder.unchanged, "_today", lambda: _tomorrow().isoformat())
    [later] = process_units(units, cfg, tmp_path / "cache")
    assert json.loads(later.packed.summary)["published"] == _tomorrow().isoformat()
    assert not later.cached and later.key != ""
    build(BuildConfig(raw_dir=raw, out_dir=out, cache_dir=cache))
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "clean"))
    assert files_of(out) == files_of(tmp_path / "clean")
    articles = [row for path in (out / "articles").glob("*.parquet") for row in pq.read_table(path).to_pylist()]
    assert {row["article_id"]: row["published"] for row in articles}["dated"] == _tomorrow()


def test_a_build_crossing_midnight_caches_no_date_it_left_unknown(tmp_path, monkeypatch):
    """Today ends while the article is validated: the date, refused as future, is not cached as unknown."""
    raw = shutil.copytree(RAW, tmp_path / "raw")
    _dated_tomorrow(raw)
    days = iter([date.today()])
    monkeypatch.setattr(builder.models.base, "today", lambda: next(days, _tomorrow()))
    cfg = BuildConfig(raw_dir=raw)
    units = [unit for unit in iter_units(raw, cfg.ingest, []) if unit.rel == "articles/dated.txt"]
    [result] = process_units(units, cfg, tmp_path / "cache")
    assert result.packed is not None and json.loads(result.packed.summary)["published"] is None
    assert result.key == "" and not [path for path in (tmp_path / "cache").rglob("*") if path.is_file()]
