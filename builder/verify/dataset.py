"""What every check of ``factpack verify`` shares: the problem list and a view of the folder's shards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.dataset_folder import SHARD_NAME
from builder.files import file_entry
from builder.models import FileEntry, VerifyProblem

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Dataset", "Problems", "Shard"]

_BATCH_ROWS = 16_384  # rows a check holds at once


class Problems:
    """Problems in the order found; past ``limit`` they are only counted."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.listed: list[VerifyProblem] = []
        self.found = 0

    def add(self, code: str, file: str, note: str, row: int | None = None, field: str | None = None) -> None:
        self.found += 1
        if len(self.listed) < self.limit:
            self.listed.append(VerifyProblem(code=code, file=file, row=row, field=field, note=note))

    def sort_since(self, mark: int) -> None:
        """Within one check, problems go by file, then row."""
        self.listed[mark:] = sorted(self.listed[mark:], key=lambda p: (p.file, -1 if p.row is None else p.row))

    @property
    def full(self) -> bool:
        """Enough found: a check may stop looking (the report says it was truncated)."""
        return self.found > self.limit


@dataclass
class Shard:
    """One parquet file of a config folder. Its schema and row count come from the footer; the table is read
    only by the checks that need the values, one shard at a time."""

    root: Path
    name: str  # relative to the dataset folder
    config: str
    split: str | None  # from the Hub file name; None when the name is not a shard name
    error: str | None = None  # why the file is not readable parquet, once a read failed

    @property
    def path(self) -> Path:
        return self.root / self.name

    def _read(self, read: Any) -> Any:
        import pyarrow as pa

        if self.error is not None:
            return None
        try:
            return read(self.path)
        except (OSError, pa.ArrowException) as exc:
            self.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return None

    @cached_property
    def schema(self) -> pa.Schema | None:
        import pyarrow.parquet as pq

        return self._read(pq.read_schema)

    @cached_property
    def rows(self) -> int | None:
        import pyarrow.parquet as pq

        metadata = self._read(pq.read_metadata)
        return None if metadata is None else int(metadata.num_rows)

    def batches(
        self, columns: list[str] | None = None, rows: set[int] | None = None
    ) -> Iterator[tuple[int, pa.RecordBatch]]:
        """The rows in batches, each with the index of its first row; nothing when the file is not readable
        (``error`` then says why). Only ``columns`` that exist are read; with ``rows``, only the row groups that
        hold any of them."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.schema is None:
            return
        wanted = None if columns is None else [name for name in columns if name in self.schema.names]
        first = 0
        try:
            parquet = pq.ParquetFile(self.path)
            if rows is None:
                for batch in parquet.iter_batches(batch_size=_BATCH_ROWS, columns=wanted):
                    yield first, batch
                    first += batch.num_rows
                return
            for group in range(parquet.metadata.num_row_groups):
                size = parquet.metadata.row_group(group).num_rows
                if any(first <= row < first + size for row in rows):
                    for batch in parquet.read_row_group(group, columns=wanted).to_batches(_BATCH_ROWS):
                        yield first, batch
                        first += batch.num_rows
                else:
                    first += size
        except (OSError, pa.ArrowException) as exc:
            self.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__

    @cached_property
    def features(self) -> dict[str, Any] | None:
        """The ``datasets`` features the shard's ``huggingface`` schema metadata declares, if it declares them."""
        metadata = (self.schema.metadata or {}) if self.schema is not None else {}
        raw = metadata.get(b"huggingface")
        if raw is None:
            return None
        try:
            features: dict[str, Any] = json.loads(raw)["info"]["features"]
        except (ValueError, KeyError, TypeError):
            return None
        return features


@dataclass
class Dataset:
    """The folder under verification."""

    root: Path
    shards: list[Shard]
    _entries: dict[str, FileEntry] = field(default_factory=dict, repr=False)

    def entry(self, name: str) -> FileEntry:
        """Size and SHA-256 of a file of the folder (``name`` relative to it), read once however many checks ask."""
        if name not in self._entries:
            self._entries[name] = file_entry(self.root / name, self.root)
        return self._entries[name]

    @classmethod
    def open(cls, root: Path) -> Dataset:
        shards = []
        for path in sorted(root.rglob("*.parquet"), key=lambda p: p.relative_to(root).as_posix()):
            name = path.relative_to(root).as_posix()
            match = SHARD_NAME.fullmatch(path.name)
            config = name.split("/")[0] if "/" in name else ""
            shards.append(Shard(root, name, config, match.group("split") if match else None))
        return cls(root, shards)

    def of(self, config: str, split: str | None = None) -> list[Shard]:
        """The data shards of a config (Hub-named files only: ``load_dataset`` reads nothing else)."""
        return [
            s for s in self.shards if s.config == config and s.split is not None and (split is None or s.split == split)
        ]

    @cached_property
    def files(self) -> list[str]:
        """Every file of the folder, relative, sorted."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())
