"""Where the claims and articles configs' rows go, and shards taken from the cache when their bytes were written
before."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.config import BuildConfig, PublishConfig
from builder.pipeline import build
from builder.write import shards
from builder.write.shards import Shard, article_buckets, bucket_count, plan_shards
from conftest import RAW, files_of


@settings(deadline=None)
@given(st.integers(0, 10**7), st.integers(1, 10**5))
def test_a_split_is_dealt_into_the_fewest_power_of_two_buckets_whose_expected_rows_fit_a_shard(rows, max_rows):
    count = bucket_count(rows, max_rows)
    assert count & (count - 1) == 0  # a power of two
    assert count * max_rows >= rows
    assert count == 1 or (count // 2) * max_rows < rows


def _rows(plan: list[Shard], claim_start: np.ndarray, config: str, split: int) -> list[tuple[int, int]]:
    """(article, row of the article) of every row the plan puts in ``config``/``split``, shard by shard."""
    placed = []
    for shard in (s for s in plan if s.config == config and s.split == split):
        sizes = np.diff(claim_start)[shard.articles] if config == "claims" else np.ones(shard.articles.size, int)
        every = [(int(a), row) for a, size in zip(shard.articles, sizes, strict=True) for row in range(int(size))]
        placed.append(every[shard.skip : shard.skip + shard.rows])
    return [row for rows in placed for row in rows]


@settings(deadline=None, max_examples=60)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 2)), min_size=1, max_size=60),
    st.integers(1, 40),
)
def test_every_row_is_in_one_shard_of_at_most_max_rows_numbered_in_order(articles, max_rows):
    counts = np.array([claims for claims, _ in articles], dtype=np.int64)
    claim_start = np.concatenate([[0], np.cumsum(counts)])
    split_of = np.array([split for _, split in articles], dtype=np.int8)
    ring = article_buckets([f"article-{number}" for number in range(len(articles))])
    plan = plan_shards(claim_start, split_of, ring, max_rows)
    for config in ("claims", "articles"):
        for split in range(3):
            members = np.flatnonzero(split_of == split)
            sizes = counts[members] if config == "claims" else np.ones(members.size, int)
            expected = {(int(a), row) for a, size in zip(members, sizes, strict=True) for row in range(int(size))}
            placed = _rows(plan, claim_start, config, split)
            assert sorted(placed) == sorted(expected)  # every row once
            mine = [s for s in plan if s.config == config and s.split == split]
            assert [s.number for s in mine] == list(range(len(mine)))
            assert all(s.count == len(mine) and 0 < s.rows <= max_rows for s in mine)


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(0, 30), min_size=2, max_size=80), st.integers(5, 40), st.data())
def test_an_article_added_moves_only_the_shards_of_its_own_bucket(counts, max_rows, data):
    ids = [f"article-{number}" for number in range(len(counts))]
    at = data.draw(st.integers(0, len(counts)))  # where the new article comes in input order
    claims = data.draw(st.integers(1, 30))
    after_ids, after_counts = [*ids[:at], "new", *ids[at:]], [*counts[:at], claims, *counts[at:]]

    def placed(ids: list[str], counts: list[int], config: str) -> set[tuple[tuple[str, ...], int, int]]:
        claim_start = np.concatenate([[0], np.cumsum(np.array(counts, dtype=np.int64))])
        plan = plan_shards(claim_start, np.zeros(len(ids), np.int8), article_buckets(ids), max_rows)
        return {(tuple(ids[a] for a in s.articles), s.skip, s.rows) for s in plan if s.config == config}

    count = bucket_count(max(sum(after_counts), len(after_counts)), max_rows)
    if bucket_count(max(sum(counts), len(counts)), max_rows) != count:
        return  # the split doubled: every bucket split in two
    bits = count.bit_length() - 1
    ring = article_buckets(after_ids)
    bucket = dict(zip(after_ids, (ring >> np.uint64(64 - bits)).tolist() if bits else [0] * len(ring), strict=True))
    for config in ("claims", "articles"):
        moved = placed(ids, counts, config) ^ placed(after_ids, after_counts, config)
        assert moved  # the new article's rows are somewhere
        assert {bucket[member] for members, _, _ in moved for member in members} == {bucket["new"]}


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=80), st.integers(1, 40))
def test_a_claims_shard_and_the_article_shards_of_its_bucket_hold_the_same_articles(counts, max_rows):
    """So that checking a claims shard against its articles' texts reads its own bucket's article shards only."""
    ids = [f"article-{number}" for number in range(len(counts))]
    claim_start = np.concatenate([[0], np.cumsum(np.array(counts, dtype=np.int64))])
    plan = plan_shards(claim_start, np.zeros(len(ids), np.int8), article_buckets(ids), max_rows)
    count = bucket_count(max(sum(counts), len(counts)), max_rows)
    bits = count.bit_length() - 1
    ring = article_buckets(ids)
    bucket = (ring >> np.uint64(64 - bits)) if bits else np.zeros(len(ids), np.uint64)
    for config in ("claims", "articles"):
        for shard in (s for s in plan if s.config == config):
            assert len({int(bucket[a]) for a in shard.articles if config == "articles" or counts[a]}) <= 1
    claimed = {a for s in plan if s.config == "claims" for a in s.articles.tolist() if counts[a]}
    in_articles = {a for s in plan if s.config == "articles" for a in s.articles.tolist()}
    assert claimed <= in_articles == set(range(len(ids)))


def test_a_rebuild_writes_only_the_shards_whose_rows_changed_and_gives_a_clean_builds_bytes(tmp_path, monkeypatch):
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    shutil.copytree(RAW, raw)
    publish = PublishConfig(max_shard_rows=7)
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "a", cache_dir=cache, publish=publish))
    written: list[str] = []
    real = shards._write

    def counted(folder: Path, *args: object) -> object:
        shard = args[-1]
        assert isinstance(shard, Shard)
        written.append(shard.name)
        return real(folder, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(shards, "_write", counted)
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "b", cache_dir=cache, publish=publish))
    assert written == []  # nothing changed: every shard from the cache
    assert files_of(tmp_path / "b") == files_of(tmp_path / "a")

    article = raw / "articles" / "003_440fd8f644ac4721.txt"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\nThe town council said the old bridge would be closed until March.\n", "utf-8")
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "c", cache_dir=cache, publish=publish))
    every = sorted(p.relative_to(tmp_path / "c").as_posix() for p in (tmp_path / "c").rglob("*.parquet"))
    changed = {
        name
        for name in every
        if name.startswith(("claims/", "articles/")) and any(a == "003" for a in _article_files(tmp_path / "c" / name))
    }
    assert written and set(written) <= changed  # the changed article's shards only
    assert len(written) < len([n for n in every if n.startswith(("claims/", "articles/"))])
    monkeypatch.undo()
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "clean", cache_dir=None, publish=publish))
    assert files_of(tmp_path / "c") == files_of(tmp_path / "clean")


def _article_files(path: Path) -> set[str]:
    """The raw files' numbers ('003') of the articles a shard holds rows of."""
    column = "article_id"
    return {ident.split("_")[0] for ident in pq.read_table(path, columns=[column]).column(column).to_pylist()}


def test_a_damaged_or_missing_cached_shard_is_written_again(tmp_path):
    cache = tmp_path / "cache"
    build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "a", cache_dir=cache))
    kept = sorted((cache / "shard").rglob("*.parquet"))
    records = sorted((cache / "shard").rglob("*.json"))
    assert len(kept) == len(records) == 6
    # Not in place: the cached file is the published one (a link), so it is replaced as a build replaces it.
    damaged = kept[0].read_bytes()
    kept[0].unlink()
    kept[0].write_bytes(damaged[:-10] + b"0123456789")
    kept[1].unlink()
    records[2].write_text("{", encoding="utf-8")
    build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "b", cache_dir=cache))
    assert files_of(tmp_path / "b") == files_of(tmp_path / "a")
    build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "c", cache_dir=cache))  # and kept again, whole
    assert files_of(tmp_path / "c") == files_of(tmp_path / "a")
    assert len(list((cache / "shard").rglob("*.parquet"))) == 6
