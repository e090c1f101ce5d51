"""``<name>.parquet``: one article per row, a ``text`` column plus the sidecar fields as columns, as news corpora
on the Hugging Face Hub are stored (CC-News-style dumps, ``datasets``' own ``Dataset.to_parquet``). Column names
are understood as in JSONL (CC-News' ``domain`` and ``date``, the crawlers' names of :mod:`builder.formats.fields`;
their other fields are recorded as ignored).

The file is listed one row group at a time, never read whole: each row travels to the workers as its values in
canonical JSON (column order kept; dates and timestamps as ISO strings). A column type that has no faithful JSON
form is refused with the whole file: bytes are never decoded into text behind the user's back. The article id is
``<path without .parquet>:<row>`` (1-based, across row groups); ``sha256`` is of the text's UTF-8 bytes.

A unit's payload is the row (a JSON object), or why the row or the file cannot be read, naming the column (a JSON
array ``[column, reason]``; the unit has no ``line`` when it is the whole file).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.config import IngestConfig
from builder.formats.base import REFUSED, TEXT_FIELDS, InputReader, Unit, record_article, whole_file_problem
from builder.models import FileEntry, InputFormat, RawArticle, Rejected, Rejection, Stage

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

__all__ = ["READER"]

_FORMAT = InputFormat.PARQUET.value
_BLOCK = 1 << 20  # bytes hashed at a time
_BATCH = 256  # rows of a row group turned into Python values at a time


def units(path: Path, rel: str, seen: list[FileEntry]) -> Iterator[Unit]:
    """One unit per row, read one row group at a time; the file is hashed in blocks first."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
            size += len(block)
    seen.append(FileEntry(path=rel, bytes=size, sha256=digest.hexdigest()))
    try:
        file = _open(path)
    except _unreadable() as exc:
        yield Unit(REFUSED, rel, reason=f"not a readable Parquet file ({_why(exc)}); fix the file or remove it")
        return
    with file:
        refusal = _refusal(file.schema_arrow)
        if refusal is not None:
            yield Unit(_FORMAT, rel, payload=_json(list(refusal)))
            return
        row, groups = 0, file.num_row_groups
        for group in range(groups):
            rows = file.metadata.row_group(group).num_rows
            try:
                table = file.read_row_group(group)
            except _unreadable() as exc:
                where = f"row group {group + 1} of {groups} (rows {row + 1} to {row + rows})"
                yield Unit(REFUSED, rel, reason=f"{where} cannot be read ({_why(exc)}); the rows before it were read")
                return
            for batch in table.to_batches(max_chunksize=_BATCH):
                for record in _records(batch):
                    row += 1
                    yield Unit(_FORMAT, rel, row, _json(record))
            del table


def read(unit: Unit, raw_dir: Path, cfg: IngestConfig, seen: list[FileEntry]) -> RawArticle | Rejected:
    rel, number, payload = unit.rel, unit.line, unit.payload
    value = json.loads(payload)
    if number is None:  # the file as it stands: [column, reason]
        return whole_file_problem(rel, value[1], loc=value[0])
    source = f"{rel}:{number}"

    def problem(loc: str, reason: str) -> Rejected:
        return Rejected(
            source, (Rejection(file=rel, line=number, loc=loc, reason=reason, stage=Stage.INGEST, article=source),)
        )

    if isinstance(value, list):  # a value of the row that has no faithful JSON form: [column, reason]
        return problem(value[0], value[1])
    if len(payload) > cfg.max_bytes:
        sizes = {column: len(_json(cell)) for column, cell in value.items()}
        largest = max(sizes, key=sizes.__getitem__)
        reason = (
            f"row {number} is {len(payload)} bytes ({sizes[largest]} in column {largest!r}), over the limit of "
            f"{cfg.max_bytes}; raise --max-bytes"
        )
        return problem(largest, reason)
    stem = (raw_dir / rel).relative_to(raw_dir / cfg.articles_dir).with_suffix("").as_posix()
    return record_article(value, rel, number, stem, InputFormat.PARQUET, "column")


def holds(path: Path, line: int | None, text: str, sha256: str, encoding: str) -> bool:
    """The text's UTF-8 bytes hash to ``sha256``, and row ``line`` still holds the text in a text column (only
    that row's row group is read, and only its text columns)."""
    if line is None or line < 1 or hashlib.sha256(text.encode("utf-8")).hexdigest() != sha256:
        return False
    errors: tuple[type[Exception], ...] = (*_unreadable(), UnicodeDecodeError)
    try:
        with _open(path) as file:
            columns = [name for name in file.schema_arrow.names if name in TEXT_FIELDS]
            first = 1
            for group in range(file.num_row_groups):
                rows = file.metadata.row_group(group).num_rows
                if line < first + rows:
                    table = file.read_row_group(group, columns=columns)
                    return text in table.slice(line - first, 1).to_pylist()[0].values()
                first += rows
    except errors:
        return False
    return False


def _open(path: Path) -> pq.ParquetFile:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path)


def _unreadable() -> tuple[type[Exception], ...]:
    """What reading a file that is not Parquet, is truncated or is corrupt raises."""
    import pyarrow as pa

    return (OSError, pa.ArrowException)


def _why(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _refusal(schema: pa.Schema) -> tuple[str, str] | None:
    """Why the file cannot be read as articles whatever its rows hold, and the column that says so."""
    names: list[str] = schema.names
    if not any(name in TEXT_FIELDS for name in names):
        listed = ", ".join(repr(name) for name in names) or "none"
        return "text", f"no 'text' column (nor {', '.join(TEXT_FIELDS[1:])}); the columns are {listed}"
    for name in names:
        if names.count(name) > 1:
            return name, f"column {name!r} appears {names.count(name)} times; keep one"
    for field in schema:
        why = _unfaithful(field.type)
        if why is not None:
            return field.name, f"column {field.name!r} is {field.type} {why}"
    return None


def _unfaithful(type_: pa.DataType) -> str | None:
    """Why values of this Arrow type have no faithful JSON form, else None."""
    import pyarrow as pa

    t = pa.types
    if t.is_binary(type_) or t.is_large_binary(type_) or t.is_fixed_size_binary(type_) or t.is_binary_view(type_):
        return "(bytes): factpack never decodes bytes into text; store the column as strings (UTF-8), or drop it"
    if t.is_dictionary(type_):
        return _unfaithful(type_.value_type)
    if t.is_list(type_) or t.is_large_list(type_) or t.is_fixed_size_list(type_) or t.is_list_view(type_):
        return _unfaithful(type_.value_type)
    if t.is_large_list_view(type_):
        return _unfaithful(type_.value_type)
    if t.is_map(type_):
        return _unfaithful(type_.key_type) or _unfaithful(type_.item_type)
    if t.is_struct(type_):
        return next(filter(None, (_unfaithful(type_.field(i).type) for i in range(type_.num_fields))), None)
    plain = (
        t.is_null(type_)
        or t.is_boolean(type_)
        or t.is_integer(type_)
        or (t.is_floating(type_) and not t.is_float16(type_))
        or t.is_decimal(type_)
        or t.is_string(type_)
        or t.is_large_string(type_)
        or t.is_string_view(type_)
        or t.is_date(type_)
        or t.is_timestamp(type_)
        or t.is_time(type_)
    )
    if plain:
        return None
    return "(no JSON form); factpack reads strings, numbers, booleans, dates, timestamps and lists or structs of them"


def _records(batch: pa.RecordBatch) -> Iterator[dict[str, Any] | list[str]]:
    """The rows of a batch as JSON-ready values, or ``[column, reason]`` for a row with a value that is not."""
    try:
        rows: list[dict[str, Any]] | None = batch.to_pylist()
    except _UNCONVERTIBLE:
        rows = None  # a string that is not UTF-8, a date past year 9999: find its row and column
    if rows is not None:
        yield from ({name: _plain(value) for name, value in row.items()} for row in rows)
        return
    names: list[str] = batch.schema.names
    for index in range(batch.num_rows):
        record: dict[str, Any] = {}
        for name, column in zip(names, batch.columns, strict=True):
            try:
                record[name] = _plain(column[index].as_py())
            except UnicodeDecodeError as exc:
                yield [name, f"not valid UTF-8 at byte {exc.start} of the value; Parquet strings must be UTF-8"]
                break
            except _UNCONVERTIBLE as exc:
                yield [name, f"the value has no Python form ({_why(exc)}); fix the column"]
                break
        else:
            yield record


_UNCONVERTIBLE = (UnicodeDecodeError, ValueError, OverflowError)
"""What turning an Arrow value into a Python one raises on a value Python cannot hold."""


def _plain(value: Any) -> Any:
    """A value as JSON holds it: dates, times and timestamps as ISO strings, decimals as numbers."""
    if isinstance(value, datetime.date | datetime.time):  # datetime (and pandas' Timestamp) are dates
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


READER = InputReader(
    name=InputFormat.PARQUET,
    suffix=".parquet",
    shape="*.parquet",
    units=units,
    read=read,
    holds=holds,
)
