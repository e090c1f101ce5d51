"""The spool: packed articles in, the same rows and keys out; the worker's summary agrees with its rows."""

from __future__ import annotations

import errno
import os
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from builder.config import BuildConfig
from builder.features import plain_schema
from builder.models import Claim, ClaimType
from builder.packed import Packed
from builder.spool import Spool


def _spooled(folder: Path, packed: list[Packed]) -> Spool:
    spool = Spool(folder, BuildConfig())
    for item in packed:
        spool.append(item, item.summarized())
    spool.close()
    return spool


def test_the_spool_reads_back_every_row_as_packed(seeds: list[Packed], tmp_path: Path):
    spool = _spooled(tmp_path / "spool", seeds)
    articles, claims = list(spool.iter_articles()), list(spool.iter_claims())
    assert len(articles) == len(claims) == len(seeds)
    for item, article, rows in zip(seeds, articles, claims, strict=True):
        expected_article, expected_claims = item.batches()
        assert article.equals(expected_article) and rows.equals(expected_claims)
    spool.release()


def test_the_spool_keys_come_from_the_summaries(seeds: list[Packed], tmp_path: Path):
    spool = _spooled(tmp_path / "spool", seeds)
    rows = pa.Table.from_batches([item.batches()[1] for item in seeds])
    assert spool.claims == rows.num_rows
    assert [f"{value:016x}" for value in spool.claim_ids.tolist()] == rows.column("claim_id").to_pylist()
    speakers = Counter(speaker for speaker in rows.column("speaker").to_pylist() if speaker)
    assert spool.spoken == speakers and spool.spoken  # the seeds quote people
    articles = pa.Table.from_batches([item.batches()[0] for item in seeds])
    assert spool.article_ids == articles.column("article_id").to_pylist()
    assert spool.published == articles.column("published").to_pylist()
    assert any(isinstance(day, date) for day in spool.published)  # dates, not ISO strings
    assert spool.claim_start.tolist()[-1] == rows.num_rows
    spool.release()


def test_a_summary_counts_the_claim_types_and_titles_of_its_rows(seeds: list[Packed]):
    for item in seeds:
        summary, rows = item.summarized(), item.batches()[1].to_pylist()
        types = Counter(tuple(ClaimType)[row["claim_type"]] for row in rows)
        assert summary["claim_types"] == [types[kind] for kind in ClaimType]
        titled = sorted({(row["speaker"], row["speaker_title"]) for row in rows if row["speaker_title"]})
        assert [tuple(pair) for pair in summary["titled"]] == titled


def _reencoded(stream: bytes, schema: pa.Schema) -> bytes:
    sink = pa.BufferOutputStream()
    batch = pa.ipc.open_stream(stream).read_next_batch()
    with pa.ipc.new_stream(sink, schema) as writer:
        writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))
    return bytes(sink.getvalue().to_pybytes())


def test_a_stream_encoded_otherwise_is_spooled_by_value(seeds: list[Packed], tmp_path: Path):
    tagged = plain_schema(Claim).with_metadata({"written-by": "another tool"})  # other schema bytes, same columns
    item = seeds[0]
    other = Packed(item.article, _reencoded(item.claims, tagged), item.sketch, item.summary)
    assert not other.claims.startswith(item.claims[:64])
    spool = _spooled(tmp_path / "spool", [other])
    (rows,) = spool.iter_claims()
    assert rows.equals(item.batches()[1])
    spool.release()


def test_a_stream_of_another_schema_is_refused(seeds: list[Packed], tmp_path: Path):
    item = seeds[0]
    narrower = pa.schema(list(plain_schema(Claim))[:3])
    sink = pa.BufferOutputStream()
    batch = item.batches()[1]
    with pa.ipc.new_stream(sink, narrower) as writer:
        writer.write_batch(pa.RecordBatch.from_arrays(batch.columns[:3], schema=narrower))
    spool = Spool(tmp_path / "spool", BuildConfig())
    with pytest.raises((pa.ArrowInvalid, ValueError)):
        spool.append(
            Packed(item.article, bytes(sink.getvalue().to_pybytes()), item.sketch, item.summary), item.summarized()
        )
    spool.release()


class _FullDisk:
    """A spool stream's file on a disk that fills up at its next write, or whose close reports an I/O error after
    closing (as Linux's close does): every other call reaches the real file. Injected, since a real disk cannot be
    made to fail at one chosen call."""

    def __init__(self, file: object, *, failing: str) -> None:
        self._file = file
        self._failing = failing

    def write(self, data: bytes) -> int:
        if self._failing == "write":
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._file.write(data)  # type: ignore[attr-defined, no-any-return]

    def close(self) -> None:
        self._file.close()  # type: ignore[attr-defined]
        if self._failing == "close":
            raise OSError(errno.EIO, "Input/output error")

    def __getattr__(self, name: str) -> object:
        return getattr(self._file, name)


def open_files_under(folder: Path) -> list[str]:
    """The files under ``folder`` this process holds open, read from /proc/self/fd."""
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # the descriptor of the listing itself, closed by now
        if target.startswith(f"{folder}/"):
            held.append(target)
    return held


@pytest.mark.parametrize("finish", ["close", "release"])
def test_a_failed_close_still_closes_every_file_and_raises_the_first_failure(seeds, tmp_path, finish):
    folder = tmp_path / "spool"
    spool = Spool(folder, BuildConfig())
    for item in seeds:
        spool.append(item, item.summarized())
    # two streams and the summaries, the bands, the shingles
    assert len(open_files_under(folder)) == 3 + BuildConfig().cluster.bands + 1
    spool._articles._file = _FullDisk(spool._articles._file, failing="write")  # type: ignore[assignment]
    spool._claims._file = _FullDisk(spool._claims._file, failing="close")  # type: ignore[assignment]
    with pytest.raises(OSError) as raised:
        getattr(spool, finish)()
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, str(folder / "articles.arrows"))
    assert open_files_under(folder) == []
