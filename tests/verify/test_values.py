"""The values checks' batch lookups: done in Arrow and NumPy, they find what a row-by-row look finds, in the same
order (the report lists the first ``limit`` problems in the order found)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.verify.dataset import Problems, Shard
from builder.verify.values import Index, _references_at_once, _references_row_by_row, hex_ids

WELL_FORMED = st.text("0123456789abcdef", min_size=16, max_size=16)
ID_VALUES = st.one_of(
    WELL_FORMED,
    st.none(),
    st.text("0123456789abcdefABCDEF", min_size=15, max_size=17),
    st.text(max_size=18),
    WELL_FORMED.map(lambda text: text + "\n"),
)


def _listed(problems: Problems) -> list[tuple[str, str, int | None, str | None, str]]:
    return [(p.code, p.file, p.row, p.field, p.note) for p in problems.listed]


@settings(deadline=None, max_examples=200)
@given(st.lists(ID_VALUES, max_size=40), st.integers(0, 5), st.booleans(), st.integers(0, 3))
def test_hex_ids_of_a_column_are_those_of_its_values(values, skip, optional, limit):
    column = pa.array(["0000000000000000"] * skip + values, pa.string()).slice(skip)
    at_once, row_by_row = Problems(limit), Problems(limit)
    rows, ids = hex_ids("claims/x.parquet", "claim_id", column, 7, at_once, optional)
    expected_rows, expected_ids = hex_ids("claims/x.parquet", "claim_id", values, 7, row_by_row, optional)
    assert rows.tolist() == expected_rows.tolist()
    assert ids.dtype == np.uint64 and ids.tolist() == expected_ids.tolist()
    assert (_listed(at_once), at_once.found) == (_listed(row_by_row), row_by_row.found)


def test_hex_ids_read_the_ids_big_endian():
    rows, ids = hex_ids("s", "claim_id", pa.array(["ffffffffffffffff", None, "0123456789abcdef"]), 0, Problems(9))
    assert rows.tolist() == [0, 2]
    assert ids.tolist() == [2**64 - 1, 0x0123456789ABCDEF]


ARTICLES = [f"a{n}" for n in range(6)]
SPEAKERS = [f"s{n}" for n in range(4)]


@settings(deadline=None, max_examples=200)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*ARTICLES, "gone", None]),
            st.sampled_from([*SPEAKERS, "nobody", None]),
            st.sampled_from([0, 1, 2, None]),
        ),
        max_size=30,
    ),
    st.dictionaries(st.sampled_from(ARTICLES), st.sampled_from([0, 1, 2, None]), max_size=6),
    st.sets(st.sampled_from(SPEAKERS)),
    st.sampled_from(["train", "test", None]),
    st.sets(st.sampled_from(["article_id", "speaker_id", "split"])),
)
def test_batch_lookups_find_what_a_row_by_row_look_finds(rows, articles, speakers, split, dropped):
    index = Index(
        article_split={article: s for article, s in articles.items() if s is not None},
        article_where={article: ("articles/a.parquet", at) for at, article in enumerate(articles)},
        speakers=set(speakers),
    )
    columns = {
        "article_id": pa.array([row[0] for row in rows], pa.string()),
        "speaker_id": pa.array([row[1] for row in rows], pa.string()),
        "split": pa.array([row[2] for row in rows], pa.int8()),
    }
    batch = pa.record_batch({name: values for name, values in columns.items() if name not in dropped})
    if not batch.num_columns:
        batch = pa.record_batch({"claim_id": pa.array([None] * len(rows), pa.string())})
    name = "claims/x.parquet" if split is None else f"claims/{split}-00000-of-00001.parquet"
    shard = Shard(Path("."), name, "claims", split)
    found = _references_at_once(shard, batch, index)
    assert found is not None
    assert found == _references_row_by_row(shard, batch, index)


def test_columns_of_other_types_are_looked_up_as_row_by_row():
    shard = Shard(Path("."), "claims/train-00000-of-00001.parquet", "claims", "train")
    index = Index(article_split={"1": 0}, article_where={"1": ("a", 0)})
    numbered = pa.record_batch({"article_id": pa.array([1, 2]), "split": pa.array([0, 1], pa.int8())})
    found = _references_at_once(shard, numbered, index)
    assert found == _references_row_by_row(shard, numbered, index)
    assert [code for _, code, _, _ in found] == ["article-unknown", "article-unknown", "split-leak"]
    named = pa.record_batch({"article_id": pa.array(["1"]), "split": pa.array(["test"])})
    assert _references_at_once(shard, named, index) == _references_row_by_row(shard, named, index)
    assert [code for _, code, _, _ in _references_row_by_row(shard, named, index)] == ["split-leak"]
    listed = pa.record_batch({"article_id": pa.array([["1"], ["1"]]), "split": pa.array([0, 1], pa.int8())})
    assert _references_at_once(shard, listed, index) is None  # a list no dictionary holds: judged row by row


def test_odd_columns_are_looked_up_as_row_by_row_or_left_to_it():
    shard = Shard(Path("."), "claims/train-00000-of-00001.parquet", "claims", "train")
    index = Index(article_split={"a0": 0, "a1": 2**63 + 5}, article_where={"a0": ("a", 0), "a1": ("a", 1)})
    batches = [
        # a dictionary-typed column whose dictionary holds a null: that row names no article
        pa.record_batch({"article_id": pa.DictionaryArray.from_arrays(pa.array([0, 1, 1]), pa.array(["gone", None]))}),
        # splits past a signed 64-bit integer, in the claims and in the index
        pa.record_batch({"article_id": pa.array(["a1", "a0"]), "split": pa.array([2**63 + 5, 2**64 - 1], pa.uint64())}),
    ]
    for batch in batches:
        found = _references_at_once(shard, batch, index)
        assert found is None or found == _references_row_by_row(shard, batch, index)
    assert _references_row_by_row(shard, batches[0], index) == [(0, "article-unknown", "no article gone", "article_id")]


def test_hex_ids_of_a_chunked_column_are_those_of_its_values():
    values = ["0123456789abcdef", "bogus", None]
    chunked = pa.chunked_array([values[:1], values[1:]], pa.string())
    problems, expected = Problems(9), Problems(9)
    rows, ids = hex_ids("s", "claim_id", chunked, 0, problems)
    assert (rows.tolist(), ids.tolist()) == ([0], [0x0123456789ABCDEF])
    hex_ids("s", "claim_id", values, 0, expected)
    assert _listed(problems) == _listed(expected)
