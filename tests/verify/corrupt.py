"""Corrupting a copy of a built dataset folder on disk, one precise fault at a time (no mocks).

Shards are rewritten with pyarrow: the schema metadata (the ``huggingface`` features) travels with
``table.schema``, so a rewritten shard differs from the original only in what the test changed (and in its bytes,
so the manifest's hash, and Croissant's, no longer match it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

CLAIMS_TRAIN = "claims/train-00000-of-00001.parquet"
CLAIMS_VALIDATION = "claims/validation-00000-of-00001.parquet"
CLAIMS_TEST = "claims/test-00000-of-00001.parquet"
CLAIMS_SHARDS = (CLAIMS_TEST, CLAIMS_TRAIN, CLAIMS_VALIDATION)
ARTICLES_TRAIN = "articles/train-00000-of-00001.parquet"
ARTICLES_VALIDATION = "articles/validation-00000-of-00001.parquet"
ARTICLES_TEST = "articles/test-00000-of-00001.parquet"
SPEAKERS_TRAIN = "speakers/train-00000-of-00001.parquet"

Where = tuple[str, str, int | None, str | None]
"""(code, file, row, field) of a problem."""


def where(report: Any) -> set[Where]:
    """Every problem of a VerifyReport as (code, file, row, field)."""
    return {(p.code, p.file, p.row, p.field) for p in report.problems}


def codes(report: Any) -> set[str]:
    return {p.code for p in report.problems}


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by POSIX path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# Parquet shards


def read_shard(dist: Path, shard: str) -> pa.Table:
    return pq.read_table(dist / shard)


def write_shard(dist: Path, shard: str, table: pa.Table) -> None:
    pq.write_table(table, dist / shard)


def column(dist: Path, shard: str, name: str) -> list[Any]:
    """A column of a shard as Python values (ClassLabels as integers)."""
    return read_shard(dist, shard).column(name).to_pylist()


def cell(dist: Path, shard: str, name: str, row: int) -> Any:
    return column(dist, shard, name)[row]


def edit_column(dist: Path, shard: str, name: str, change: Callable[[list[Any]], list[Any]]) -> None:
    """Rewrite one column (same Arrow type and schema metadata) with ``change(values)``."""
    table = read_shard(dist, shard)
    index = table.schema.get_field_index(name)
    field = table.schema.field(index)
    values = change(table.column(name).to_pylist())
    write_shard(dist, shard, table.set_column(index, field, pa.array(values, type=field.type)))


def set_cell(dist: Path, shard: str, name: str, row: int, value: Any) -> None:
    """Set one value of one column (a struct as a dict, a list of structs as a list of dicts)."""

    def change(values: list[Any]) -> list[Any]:
        values[row] = value
        return values

    edit_column(dist, shard, name, change)


def cast_column(dist: Path, shard: str, name: str, to: pa.DataType) -> None:
    """Change a column's Arrow type, leaving the ``huggingface`` metadata as it was."""
    table = read_shard(dist, shard)
    index = table.schema.get_field_index(name)
    write_shard(dist, shard, table.set_column(index, pa.field(name, to), table.column(name).cast(to)))


def edit_shard_features(dist: Path, shard: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Edit the ``datasets`` features stored in a shard's ``huggingface`` schema metadata (the data stay)."""
    table = read_shard(dist, shard)
    meta = json.loads(table.schema.metadata[b"huggingface"])
    change(meta["info"]["features"])
    write_shard(dist, shard, table.replace_schema_metadata({b"huggingface": json.dumps(meta).encode("utf-8")}))


def flip_byte(path: Path, offset: int | None = None) -> None:
    """Invert every bit of one byte (the middle one by default); the size stays."""
    data = bytearray(path.read_bytes())
    at = len(data) // 2 if offset is None else offset
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


# README.md (the card)

_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)


def replace_in_card(dist: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in README.md."""
    path = dist / "README.md"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the card"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_card_yaml(dist: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Load the card's YAML front matter, let ``change`` edit it, and write it back (the prose stays)."""
    path = dist / "README.md"
    text = path.read_text(encoding="utf-8")
    match = _FRONT.match(text)
    assert match is not None
    data = yaml.safe_load(match.group(1))
    change(data)
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    path.write_text(f"---\n{front}---\n{text[match.end() :]}", encoding="utf-8")


def dataset_info(data: dict[str, Any], config: str) -> dict[str, Any]:
    (info,) = [entry for entry in data["dataset_info"] if entry["config_name"] == config]
    return info


def card_config(data: dict[str, Any], config: str) -> dict[str, Any]:
    (entry,) = [entry for entry in data["configs"] if entry["config_name"] == config]
    return entry


# JSON files


def edit_json(path: Path, change: Callable[[Any], object]) -> None:
    """Load a JSON file, let ``change`` edit it in place (what it returns is ignored), and write it back."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def manifest_output(manifest: dict[str, Any], path: str) -> dict[str, Any]:
    (entry,) = [entry for entry in manifest["outputs"] if entry["path"] == path]
    return entry


def refresh_manifest_entry(dist: Path, path: str) -> None:
    """Make the manifest agree with a file changed after the build (size, hash, rows), as a forger would."""
    data = (dist / path).read_bytes()

    def change(manifest: dict[str, Any]) -> None:
        for entry in manifest["outputs"]:  # a file the manifest does not list stays unlisted
            if entry["path"] == path:
                entry["bytes"] = len(data)
                entry["sha256"] = hashlib.sha256(data).hexdigest()
                if path.endswith(".parquet"):
                    # A shard that is no Parquet has no rows to count: its row count is left as listed.
                    with contextlib.suppress(OSError, pa.ArrowException):
                        entry["rows"] = pq.read_metadata(dist / path).num_rows

    edit_json(dist / "manifest.json", change)


def seal(dist: Path, *paths: str) -> None:
    """Make the manifest and croissant.json agree with files changed after the build, as a forger would.

    A sealed corruption leaves no hash, size or row-count problem behind, so a test can require that the one
    fault it made is the only kind reported.
    """
    shards = [path for path in paths if path.endswith(".parquet")]
    if shards:

        def change(croissant: dict[str, Any]) -> None:
            for shard in shards:
                found = [entry for entry in croissant["distribution"] if entry.get("contentUrl") == shard]
                for entry in found:
                    data = (dist / shard).read_bytes()
                    entry["sha256"] = hashlib.sha256(data).hexdigest()
                    entry["contentSize"] = f"{len(data)} B"

        edit_json(dist / "croissant.json", change)
    for path in [*paths, *(["croissant.json"] if shards else [])]:
        refresh_manifest_entry(dist, path)


def record_set(croissant: dict[str, Any], record_id: str) -> dict[str, Any]:
    (found,) = [entry for entry in croissant["recordSet"] if entry["@id"] == record_id]
    return found


def file_object(croissant: dict[str, Any], content_url: str) -> dict[str, Any]:
    (found,) = [entry for entry in croissant["distribution"] if entry.get("contentUrl") == content_url]
    return found
