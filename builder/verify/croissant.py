"""Croissant: ``croissant.json`` agrees with the shards (files and hashes, field names and types), and keeps the
names of every ClassLabel (mlcroissant itself checks neither the hashes nor the columns of every shard)."""

from __future__ import annotations

import json
from typing import Any

from builder.dataset_folder import CROISSANT_NAME
from builder.verify.dataset import Dataset, Problems
from builder.write.croissant import data_type

__all__ = ["check_croissant"]

Signature = tuple[str | None, bool, tuple[tuple[str, str | None], ...]]  # dataType, isArray, sub-fields


def check_croissant(dataset: Dataset, problems: Problems) -> None:
    path = dataset.root / CROISSANT_NAME
    if not path.is_file():
        problems.add("croissant-missing", CROISSANT_NAME, "no Croissant metadata; rebuild the folder")
        return
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        record_sets = {r["@id"]: r for r in document.get("recordSet", []) if isinstance(r, dict) and "@id" in r}
        distribution = document.get("distribution", [])
        if not isinstance(distribution, list):
            raise TypeError("distribution is not a list")
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        problems.add("croissant-missing", CROISSANT_NAME, f"not Croissant JSON-LD: {exc}")
        return
    _check_files(dataset, distribution, problems)
    for config in sorted({shard.config for shard in dataset.shards if shard.config}):
        shard = next((s for s in dataset.of(config) if s.features is not None), None)
        if shard is None or shard.features is None:
            continue
        record_set = record_sets.get(config)
        if record_set is None:
            problems.add(
                "croissant-field", CROISSANT_NAME, "no record set for this config", field=f"recordSet.{config}"
            )
            continue
        try:
            _check_fields(config, shard.features, record_set, record_sets, problems)
        except (AttributeError, TypeError, KeyError) as exc:  # a field that is not an object, a list that is not one
            note = f"malformed record set ({type(exc).__name__}: {exc})"
            problems.add("croissant-field", CROISSANT_NAME, note, field=f"recordSet.{config}")


def _check_files(dataset: Dataset, distribution: list[Any], problems: Problems) -> None:
    objects: dict[str, dict[str, Any]] = {}
    for position, item in enumerate(distribution):
        if not isinstance(item, dict):
            problems.add(
                "croissant-file", CROISSANT_NAME, "not a FileObject or FileSet", field=f"distribution.{position}"
            )
        elif item.get("@type") == "cr:FileObject":
            objects[str(item.get("contentUrl"))] = item
    root = dataset.root.resolve()
    for url, item in sorted(objects.items()):
        where = f"distribution.{url}"
        path = (dataset.root / url).resolve()
        if not path.is_relative_to(root):
            problems.add("croissant-file", CROISSANT_NAME, "points outside the dataset folder", field=where)
            continue
        if not path.is_file():
            problems.add("croissant-file", CROISSANT_NAME, "names a file the folder does not have", field=where)
            continue
        entry = dataset.entry(path.relative_to(root).as_posix())
        if item.get("sha256") != entry.sha256:
            problems.add("croissant-file", CROISSANT_NAME, "sha256 differs from the file's", field=where)
        if item.get("contentSize") not in (None, f"{entry.bytes} B"):
            problems.add("croissant-file", CROISSANT_NAME, f"contentSize differs from {entry.bytes} B", field=where)
    for shard in dataset.shards:
        if shard.name not in objects:
            problems.add(
                "croissant-file", CROISSANT_NAME, "shard has no FileObject", field=f"distribution.{shard.name}"
            )


def _unwrap(feature: Any) -> tuple[bool, Any]:
    """Whether the feature is a list, and its item (the feature itself when it is not)."""
    if isinstance(feature, dict) and feature.get("_type") in ("List", "Sequence", "LargeList"):
        return True, feature["feature"]
    if isinstance(feature, list):
        return True, feature[0]
    return False, feature


def _expected(feature: Any) -> tuple[Signature, list[str] | None]:
    """What a column's Croissant field must say, from its ``datasets`` feature dict; and its label names."""
    is_array, feature = _unwrap(feature)
    if isinstance(feature, dict) and "_type" not in feature:  # a struct
        children = tuple((name, _leaf_type(child)) for name, child in feature.items())
        return (None, is_array, children), None
    names = feature.get("names") if isinstance(feature, dict) and feature.get("_type") == "ClassLabel" else None
    return (_leaf_type(feature), is_array, ()), names


def _leaf_type(feature: Any) -> str | None:
    if not isinstance(feature, dict):
        return None
    if feature.get("_type") == "ClassLabel":
        return "sc:Integer"
    if feature.get("_type") == "Value":
        try:
            return data_type(str(feature.get("dtype")))
        except TypeError:
            return None
    return None


def _actual(field: dict[str, Any]) -> Signature:
    children = tuple((str(c.get("name")), c.get("dataType")) for c in field.get("subField", []))
    return (None if children else field.get("dataType"), bool(field.get("isArray")), children)


def _label_names(field: dict[str, Any], record_sets: dict[str, dict[str, Any]]) -> list[str] | None:
    reference = field.get("references", {}).get("field", {}).get("@id", "")
    enum = record_sets.get(reference.rsplit("/", 1)[0])
    if enum is None:
        return None
    rows = sorted(enum.get("data", []), key=lambda row: row.get(f"{enum['@id']}/index", -1))
    return [row.get(f"{enum['@id']}/name") for row in rows]


def _check_fields(
    config: str,
    features: dict[str, Any],
    record_set: dict[str, Any],
    record_sets: dict[str, dict[str, Any]],
    problems: Problems,
) -> None:
    fields = {str(f.get("name")): f for f in record_set.get("field", []) if "fileProperty" not in str(f.get("source"))}
    for column, feature in features.items():
        where = f"recordSet.{config}.{column}"
        field = fields.get(column)
        if field is None:
            problems.add("croissant-field", CROISSANT_NAME, "the shard's column has no field", field=where)
            continue
        signature, names = _expected(feature)
        if _actual(field) != signature:
            problems.add(
                "croissant-field", CROISSANT_NAME, f"field says {_actual(field)}, column is {signature}", field=where
            )
        leaves = [field, *field.get("subField", [])]
        if names is not None and _label_names(field, record_sets) != names:
            problems.add("croissant-labels", CROISSANT_NAME, f"class label names must be {names}", field=where)
        _, item = _unwrap(feature)
        for child_name, child in item.items() if isinstance(item, dict) and "_type" not in item else []:
            child_names = child.get("names") if isinstance(child, dict) and child.get("_type") == "ClassLabel" else None
            leaf = next((leaf for leaf in leaves if leaf.get("name") == child_name), None)
            if child_names is not None and (leaf is None or _label_names(leaf, record_sets) != child_names):
                problems.add(
                    "croissant-labels",
                    CROISSANT_NAME,
                    f"class label names must be {child_names}",
                    field=f"{where}.{child_name}",
                )
    for name in sorted(set(fields) - set(features)):
        problems.add(
            "croissant-field", CROISSANT_NAME, "no such column in the shards", field=f"recordSet.{config}.{name}"
        )
