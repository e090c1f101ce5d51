"""Credentials: no published value, and no file of the folder, holds a URL with a login or a credential parameter
(the rule of :mod:`builder.urls`). A build strips them from article URLs and rejects texts that hold one; this
check catches what reaches a folder another way (an older factpack, a curated label, a hand edit) before
``factpack publish`` would send it. Problems name the file, row and field, and the character, never the value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from builder.dataset_folder import CARD_NAME, REJECTS_NAME
from builder.urls import describe, find_credentials
from builder.verify.dataset import Dataset, Problems, Shard

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["CODE", "check_batch_credentials", "check_file_credentials"]

CODE = "url-credential"
_FIX = "take it out of the raw input and build again (factpack strips it from URLs and rejects such texts)"
_TEXT_FILES = (CARD_NAME, REJECTS_NAME, "croissant.json", "manifest.json")


def _strings(name: str, column: pa.Array) -> Iterator[tuple[str, pa.Array, list[int] | None]]:
    """Every string array of a column, with its field name and, for a list's items, the row of each item."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        yield name, column, None
    elif pa.types.is_struct(kind):
        for index in range(kind.num_fields):
            child = kind.field(index)
            if pa.types.is_string(child.type) or pa.types.is_large_string(child.type):
                yield f"{name}.{child.name}", pc.struct_field(column, [index]), None
    elif (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and (
        pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
    ):
        yield name, column.flatten(), pc.list_parent_indices(column).to_pylist()


def check_batch_credentials(shard: Shard, batch: pa.RecordBatch, first: int, problems: Problems) -> None:
    """Every string of a batch (columns, struct fields, list items) that holds a URL with a credential."""
    import pyarrow.compute as pc

    for name in batch.column_names:
        for field, values, parents in _strings(name, batch[name]):
            # Only the values that could hold a URL are read into Python: most hold none.
            maybe = pc.or_(pc.match_substring(values, "://"), pc.match_substring(values, "www.", ignore_case=True))
            for at in pc.indices_nonzero(maybe.fill_null(False)).to_pylist():
                for offset, found in find_credentials(values[at].as_py()):
                    row = first + (at if parents is None else parents[at])
                    note = f"character {offset}: a URL holds {describe(found)}; {_FIX}"
                    problems.add(CODE, shard.name, note, row=row, field=field)


def check_file_credentials(dataset: Dataset, problems: Problems) -> None:
    """The card, ``rejects.jsonl``, ``croissant.json`` and the manifest, line by line."""
    for name in _TEXT_FILES:
        path = dataset.root / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                if "://" not in line and "www." not in line.lower():
                    continue
                for offset, found in find_credentials(line):
                    note = f"line {number}, character {offset}: a URL holds {describe(found)}; {_FIX}"
                    problems.add(CODE, name, note)
