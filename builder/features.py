"""The ``datasets.Features`` and Arrow rows of the published tables, derived from :mod:`builder.models`.

Types map one to one: ``str`` → ``string``, ``int`` → ``int64``, ``float`` → ``float64``, ``bool`` → ``bool``,
``date`` → ``date32``, an optional type → the same type (Arrow columns are nullable), an enum →
``ClassLabel`` with the members' values as names in declaration order, ``list[X]`` → ``List(X)``, a nested
model → a struct of its fields. Nothing else is allowed, so a new field type fails loudly here.
"""

from __future__ import annotations

import hashlib
import json
import types
from datetime import date
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

from pydantic import BaseModel

if TYPE_CHECKING:
    import datasets
    import pyarrow as pa

__all__ = [
    "arrow_schema",
    "enum_paths",
    "features_of",
    "features_sha256",
    "from_rows",
    "plain_schema",
    "to_batch",
    "to_row",
    "to_table",
]

_VALUES: dict[type, str] = {bool: "bool", int: "int64", float: "float64", str: "string", date: "date32"}


def features_of(model: type[BaseModel]) -> datasets.Features:
    """The ``datasets.Features`` of a table whose rows are ``model`` records."""
    from datasets import Features

    return Features({name: _feature(field.annotation) for name, field in model.model_fields.items()})


def features_sha256(features: dict[str, Any]) -> str:
    """SHA-256 of a features dict (``Features.to_dict()``, or a shard's ``huggingface`` metadata) as canonical JSON."""
    canonical = json.dumps(features, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    """The Arrow schema, carrying the ``huggingface`` features metadata that ``datasets`` reads back."""
    schema: pa.Schema = features_of(model).arrow_schema
    return schema


@cache
def plain_schema(model: type[BaseModel]) -> pa.Schema:
    """The same Arrow schema without the ``datasets`` metadata, derived without importing ``datasets``.

    Workers build their rows with it (importing ``datasets`` would cost each of them a second and 150 MB);
    publishing attaches the metadata. A test holds it equal to ``arrow_schema(model)`` minus the metadata.
    """
    import pyarrow as pa

    return pa.schema([pa.field(name, _arrow_type(field.annotation)) for name, field in model.model_fields.items()])


def _arrow_type(annotation: Any) -> pa.DataType:
    import pyarrow as pa

    origin = get_origin(annotation)
    arguments = get_args(annotation)
    if origin in (Union, types.UnionType):
        (present,) = [argument for argument in arguments if argument is not type(None)]
        return _arrow_type(present)
    if origin is list:
        return pa.list_(_arrow_type(arguments[0]))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return pa.int64()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct([pa.field(n, _arrow_type(f.annotation)) for n, f in annotation.model_fields.items()])
    arrow: pa.DataType = pa.type_for_alias(_VALUES[annotation])
    return arrow


def _feature(annotation: Any) -> Any:
    from datasets import ClassLabel, List, Value

    origin = get_origin(annotation)
    arguments = get_args(annotation)
    if origin in (Union, types.UnionType):
        present = [argument for argument in arguments if argument is not type(None)]
        if len(present) != 1:
            raise TypeError(f"cannot publish a union of {present}")
        return _feature(present[0])
    if origin is list:
        return List(_feature(arguments[0]))
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return ClassLabel(names=[member.value for member in annotation])
        if issubclass(annotation, BaseModel):
            return {name: _feature(field.annotation) for name, field in annotation.model_fields.items()}
        for python_type, dtype in _VALUES.items():
            if annotation is python_type:
                return Value(dtype)
    raise TypeError(f"no published type for {annotation!r}; extend builder.features")


@cache
def _label_index(enum: type[Enum]) -> dict[str, int]:
    return {member.value: index for index, member in enumerate(enum)}


@cache
def enum_paths(model: type[BaseModel]) -> tuple[tuple[tuple[str, ...], type[Enum]], ...]:
    """Where a model's enums sit in its dumped dict: ("claim_type",), ("excluded", "*", "kind"), …"""
    paths: list[tuple[tuple[str, ...], type[Enum]]] = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        arguments = [a for a in get_args(annotation) if a is not type(None)] or [annotation]
        inner = arguments[0] if get_origin(annotation) in (Union, types.UnionType) else annotation
        many = get_origin(inner) is list
        target = get_args(inner)[0] if many else inner
        prefix = (name, "*") if many else (name,)
        if isinstance(target, type) and issubclass(target, Enum):
            paths.append((prefix, target))
        elif isinstance(target, type) and issubclass(target, BaseModel):
            paths.extend(((*prefix, *path), enum) for path, enum in enum_paths(target))
    return tuple(paths)


def to_row(record: BaseModel) -> dict[str, Any]:
    """A record as an Arrow-ready row: enums become their ClassLabel index, nested models dicts.

    pydantic's compiled ``model_dump`` does the walking; only the enum positions are then rewritten.
    """
    row = record.model_dump()
    for path, enum in enum_paths(type(record)):
        _encode_enum(row, path, _label_index(enum))
    return row


def _encode_enum(row: dict[str, Any], path: tuple[str, ...], labels: dict[Any, Any]) -> None:
    """Replace the values at ``path`` through ``labels`` (enum → index, or index → value)."""
    head, rest = path[0], path[1:]
    value = row.get(head)
    if value is None:  # null, or a column not read
        return
    if not rest:
        row[head] = labels[value.value if isinstance(value, Enum) else value]
    elif rest[0] == "*" and not rest[1:]:
        row[head] = [labels[item.value if isinstance(item, Enum) else item] for item in value]
    elif rest[0] == "*":
        for item in value:
            _encode_enum(item, rest[1:], labels)
    else:
        _encode_enum(value, rest, labels)


def from_rows(
    model: type[BaseModel],
    batch: pa.RecordBatch | pa.Table,
    labels: dict[tuple[str, ...], list[str]] | None = None,
) -> list[Any]:
    """The records of an Arrow batch written by :func:`to_batch` or read from a shard, validated again.

    ``labels``: per enum position (see :func:`enum_paths`), the ClassLabel names the shard declares; where it
    declares none, the enum's own member order. An index past the names raises :class:`IndexError`.
    """
    rows = batch.to_pylist()
    for path, enum in enum_paths(model):
        names = (labels or {}).get(path) or [member.value for member in enum]
        values = _Names(names)
        for row in rows:
            _encode_enum(row, path, values)
    return [model.model_validate(row) for row in rows]


class _Names(dict[int, str]):
    """Label index → name; an index out of range raises, naming it and the names."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(enumerate(names))
        self.names = names

    def __missing__(self, index: int) -> str:
        raise IndexError(f"label {index} is out of range for {self.names}")


def to_batch(model: type[BaseModel], records: list[Any]) -> pa.RecordBatch:
    """An Arrow record batch of ``records`` with the plain schema (no ``datasets`` import)."""
    import pyarrow as pa

    return pa.RecordBatch.from_pylist([to_row(record) for record in records], schema=plain_schema(model))


def to_table(model: type[BaseModel], records: list[Any]) -> pa.Table:
    """An Arrow table of ``records`` (instances of ``model``) with the derived schema."""
    import pyarrow as pa

    return pa.Table.from_pylist([to_row(record) for record in records], schema=arrow_schema(model))
