"""``croissant.json``: the published configs described in MLCommons Croissant 1.1 (JSON-LD).

Built only from what publishing already knows (the curated :class:`~builder.models.DatasetMeta`, the citation,
the config cards, the ``datasets`` features of each model and the written shards), so it needs no Croissant
library; the tests hold it to what ``mlcroissant`` 1.1.1 validates and loads, value for value.

The shape, and why each choice (every alternative named here was tried against mlcroissant 1.1.1):

- ``distribution``: a ``cr:FileObject`` per shard with its relative path, sha256 and size, and a ``cr:FileSet`` per
  config whose ``includes`` are the card's ``data_files`` globs. Records are read through the FileSet. Tying the
  FileSet to the FileObjects (``containedIn``) validates but does not load, so mlcroissant never checks the shard
  hashes when it reads; ``manifest.json`` carries them too.
- ``recordSet``: one per config, a field per Parquet column. A struct column is a parent field whose sub-fields
  each read the same column through a ``jsonPath`` transform; a list column is ``isArray``; a list of structs is
  both. A struct read as one field, or sub-fields without ``jsonPath``, validate but fail to load.
- ``ClassLabel`` columns stay integers (as in the shards) and keep their names, which the Hub's own Croissant export
  drops: an ``sc:Enumeration`` record set of inline ``{index, name}`` rows that the field references, and the names
  in the field's description for readers that do not follow references.
- Each config record set also gets ``split_of_shard`` (the split in the shard's file name) referencing a
  ``cr:Split`` record set, as the Hub's export does, so Croissant tools can find the splits.
- No ``datePublished`` unless the curator gave ``date_published``: never the build day.
"""

from __future__ import annotations

import fnmatch
import inspect
import json
import re
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from builder.dataset_folder import CROISSANT_NAME
from builder.errors import OutputError
from builder.features import features_of
from builder.models import DatasetMeta, FileEntry
from builder.write.card import TAGS, ConfigCard

__all__ = ["CONFORMS_TO", "croissant", "data_type", "license_of", "write_croissant"]

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
PARQUET = "application/x-parquet"
SPLITS_ID = "splits"
SPLIT_FIELD = "split_of_shard"

DEFAULT_DESCRIPTION = (
    "Claims from news articles (direct quotes, reported speech, interview answers and the outlets' own statements), "
    "each an exact slice of the article as scraped, with its speaker, cue and provenance. Built by factpack."
)

# The @context mlcroissant 1.1.1 writes for 1.1 (``rdf.make_context``): it warns about a context missing any of
# these keys. ``name`` and ``description`` may be language maps in 1.1; plain strings take ``@language``.
_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

_SPLIT_URLS = {"train": "cr:TrainingSplit", "validation": "cr:ValidationSplit", "test": "cr:TestSplit"}

# Hub license ids with a canonical URL that is not a Creative Commons one (those follow a pattern).
_LICENSE_URLS = {
    "apache-2.0": "https://www.apache.org/licenses/LICENSE-2.0",
    "mit": "https://opensource.org/license/mit",
    "bsd-2-clause": "https://opensource.org/license/bsd-2-clause",
    "bsd-3-clause": "https://opensource.org/license/bsd-3-clause",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "odc-by": "https://opendatacommons.org/licenses/by/1-0/",
    "odbl": "https://opendatacommons.org/licenses/odbl/1-0/",
    "pddl": "https://opendatacommons.org/licenses/pddl/1-0/",
    "gpl-3.0": "https://www.gnu.org/licenses/gpl-3.0.html",
    "lgpl-3.0": "https://www.gnu.org/licenses/lgpl-3.0.html",
    "agpl-3.0": "https://www.gnu.org/licenses/agpl-3.0.html",
    "cdla-permissive-2.0": "https://cdla.dev/permissive-2-0/",
    "cdla-sharing-1.0": "https://cdla.dev/sharing-1-0/",
    "unlicense": "https://unlicense.org/",
}
_CREATIVE_COMMONS = re.compile(r"cc-(by(?:-nc)?(?:-sa|-nd)?)-(\d\.\d)")

_INTEGERS = {f"{sign}int{bits}" for sign in ("", "u") for bits in (8, 16, 32, 64)}
_DATA_TYPES = {
    "string": "sc:Text",
    "large_string": "sc:Text",
    "bool": "sc:Boolean",
    "float16": "sc:Float",
    "float32": "sc:Float",
    "float64": "sc:Float",
    "date32": "sc:Date",
    "date64": "sc:Date",
    **dict.fromkeys(_INTEGERS, "sc:Integer"),
}


def data_type(dtype: str) -> str:
    """The Croissant ``dataType`` of a ``datasets.Value`` dtype; an unknown dtype raises, so it is never guessed."""
    if dtype in _DATA_TYPES:
        return _DATA_TYPES[dtype]
    if dtype.startswith("timestamp["):
        return "sc:DateTime"
    raise TypeError(f"no Croissant dataType for the feature dtype {dtype!r}; extend builder.write.croissant")


def license_of(meta: DatasetMeta) -> str | dict[str, Any]:
    """The licence as Croissant wants it: the licence's URL when the Hub id names a known one.

    ``other`` (or an id without a known URL) gives the curated terms' link, else a CreativeWork named by the
    curated ``license_name`` (more useful than the bare word), else the Hub id itself.
    """
    known = _CREATIVE_COMMONS.fullmatch(meta.license)
    if known:
        return f"https://creativecommons.org/licenses/{known[1]}/{known[2]}/"
    if meta.license in _LICENSE_URLS:
        return _LICENSE_URLS[meta.license]
    if meta.license_link is not None:
        return meta.license_link
    if meta.license_name is not None:
        return {"@type": "sc:CreativeWork", "name": meta.license_name}
    return meta.license


def croissant(
    *,
    meta: DatasetMeta,
    citation: str,
    languages: Sequence[str],
    configs: Sequence[ConfigCard],
    shards: Sequence[FileEntry],
) -> dict[str, Any]:
    """The Croissant JSON-LD document of the dataset; ``shards`` are every written Parquet file, relative to it."""
    document: dict[str, Any] = {
        "@context": dict(_CONTEXT),
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": meta.pretty_name,
        "description": meta.description or DEFAULT_DESCRIPTION,
        "license": license_of(meta),
        "citeAs": citation,
        "version": meta.version,
    }
    if meta.creators:
        document["creator"] = [_creator(c.name, c.kind, c.url) for c in meta.creators]
    if meta.homepage is not None:
        document["url"] = meta.homepage
    if meta.date_published is not None:
        document["datePublished"] = meta.date_published.isoformat()
    document["keywords"] = list(TAGS)
    if languages:
        document["inLanguage"] = list(languages)
    document["distribution"] = _distribution(configs, shards)
    enums: list[dict[str, Any]] = []
    tables = [_config_record_set(config, enums) for config in configs]
    document["recordSet"] = [_splits_record_set(configs), *enums, *tables]
    return document


def write_croissant(folder: Path, document: dict[str, Any]) -> None:
    """Write ``croissant.json`` at the dataset root: mlcroissant resolves the relative paths against its folder."""
    payload = json.dumps(document, indent=2, ensure_ascii=False)
    (folder / CROISSANT_NAME).write_text(payload + "\n", encoding="utf-8")


def _creator(name: str, kind: str, url: str | None) -> dict[str, Any]:
    creator = {"@type": "sc:Person" if kind == "person" else "sc:Organization", "name": name}
    return creator | ({"url": url} if url is not None else {})


def _file_set_id(config: str) -> str:
    return f"parquet-files-for-config-{config}"


def _distribution(configs: Sequence[ConfigCard], shards: Sequence[FileEntry]) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = []
    claimed: set[str] = set()
    for config in configs:
        globs = [split.path_glob for split in config.splits]
        for shard in shards:
            if any(fnmatch.fnmatchcase(shard.path, pattern) for pattern in globs):
                claimed.add(shard.path)
                files.append(
                    {
                        "@type": "cr:FileObject",
                        "@id": shard.path,
                        "name": shard.path,
                        "contentUrl": shard.path,
                        "encodingFormat": PARQUET,
                        "contentSize": f"{shard.bytes} B",
                        "sha256": shard.sha256,
                    }
                )
        files.append(
            {
                "@type": "cr:FileSet",
                "@id": _file_set_id(config.name),
                "name": _file_set_id(config.name),
                "description": f"The Parquet shards of the {config.name} config.",
                "encodingFormat": PARQUET,
                "includes": globs,
            }
        )
    stray = sorted({shard.path for shard in shards} - claimed)
    if stray:
        raise OutputError(f"shards outside every config's data files: {', '.join(stray)}; report a bug")
    return files


def _splits_record_set(configs: Sequence[ConfigCard]) -> dict[str, Any]:
    names = list(dict.fromkeys(split.name for config in configs for split in config.splits))
    return {
        "@type": "cr:RecordSet",
        "@id": SPLITS_ID,
        "name": SPLITS_ID,
        "description": "The splits of the dataset; every config's records say which one they are in.",
        "dataType": "cr:Split",
        "key": {"@id": f"{SPLITS_ID}/name"},
        "field": [
            {"@type": "cr:Field", "@id": f"{SPLITS_ID}/name", "name": "name", "dataType": "sc:Text"},
            {"@type": "cr:Field", "@id": f"{SPLITS_ID}/url", "name": "url", "dataType": "sc:URL"},
        ],
        "data": [
            {f"{SPLITS_ID}/name": name, **({f"{SPLITS_ID}/url": _SPLIT_URLS[name]} if name in _SPLIT_URLS else {})}
            for name in names
        ],
    }


def _config_record_set(config: ConfigCard, enums: list[dict[str, Any]]) -> dict[str, Any]:
    """A config's record set; the enumerations its ClassLabel columns reference are appended to ``enums``."""
    features = features_of(config.model)
    fields = [_column(config.name, config.model, name, feature, enums) for name, feature in features.items()]
    fields.append(_split_field(config))
    return {
        "@type": "cr:RecordSet",
        "@id": config.name,
        "name": config.name,
        "description": _summary(config.model),
        "field": fields,
    }


def _split_field(config: ConfigCard) -> dict[str, Any]:
    names = "|".join(re.escape(split.name) for split in config.splits)
    return {
        "@type": "cr:Field",
        "@id": f"{config.name}/{SPLIT_FIELD}",
        "name": SPLIT_FIELD,
        "description": "The split named by the shard the record was read from.",
        "dataType": "sc:Text",
        "references": {"field": {"@id": f"{SPLITS_ID}/name"}},
        "source": {
            "fileSet": {"@id": _file_set_id(config.name)},
            "extract": {"fileProperty": "fullpath"},
            # Matches the bare split name too: mlcroissant 1.1.1 applies the transform again to the extracted value
            # when it joins on the reference.
            "transform": {"regex": rf"^(?:.*/)?({names})(?:-\d+-of-\d+\.parquet)?$"},
        },
    }


def _column(
    record_set: str, model: type[BaseModel], name: str, feature: Any, enums: list[dict[str, Any]]
) -> dict[str, Any]:
    """The field of one top-level column, its struct children as sub-fields."""
    from datasets import List

    field_id = f"{record_set}/{name}"
    field = _field_head(field_id, name, _description(model, name))
    item = feature
    if isinstance(feature, List):
        field |= {"isArray": True, "arrayShape": str(feature.length)}
        item = feature.feature
    if isinstance(item, dict):
        nested = _nested_model(model.model_fields[name].annotation)
        field["subField"] = [
            _leaf(
                _field_head(f"{field_id}/{child}", child, _description(nested, child)),
                child_feature,
                _source(record_set, name, child),
                enums,
            )
            for child, child_feature in item.items()
        ]
        return field
    return _leaf(field, item, _source(record_set, name, None), enums)


def _leaf(field: dict[str, Any], feature: Any, source: dict[str, Any], enums: list[dict[str, Any]]) -> dict[str, Any]:
    """Type and source of a field holding one value (or a list of them, when the caller made it an array)."""
    from datasets import ClassLabel, Value

    if isinstance(feature, ClassLabel):
        names = list(feature.names)
        enum_id = field["@id"].replace("/", ".") + ".names"
        enums.append(_enum_record_set(enum_id, field["@id"], names))
        listed = ", ".join(f"{index}={label}" for index, label in enumerate(names))
        field["description"] = " ".join(filter(None, [field.get("description"), f"Class label index: {listed}."]))
        field["dataType"] = "sc:Integer"
        field["references"] = {"field": {"@id": f"{enum_id}/index"}}
    elif isinstance(feature, Value):
        field["dataType"] = data_type(feature.dtype)
    else:
        # mlcroissant 1.1.1 puts a struct inside a struct beside its parent, not in it: refuse rather than
        # describe records that no Croissant reader gets back as written.
        raise TypeError(f"{field['@id']}: Croissant output supports one level of struct, not {feature!r}")
    field["source"] = source
    return field


def _enum_record_set(enum_id: str, field_id: str, names: list[str]) -> dict[str, Any]:
    return {
        "@type": "cr:RecordSet",
        "@id": enum_id,
        "name": enum_id,
        "description": f"The class label names of {field_id}, by index.",
        "dataType": "sc:Enumeration",
        "key": {"@id": f"{enum_id}/index"},
        "field": [
            {"@type": "cr:Field", "@id": f"{enum_id}/index", "name": "index", "dataType": "sc:Integer"},
            {"@type": "cr:Field", "@id": f"{enum_id}/name", "name": "name", "dataType": "sc:Text"},
        ],
        "data": [{f"{enum_id}/index": index, f"{enum_id}/name": label} for index, label in enumerate(names)],
    }


def _field_head(field_id: str, name: str, description: str) -> dict[str, Any]:
    head = {"@type": "cr:Field", "@id": field_id, "name": name}
    return head | ({"description": description} if description else {})


def _source(record_set: str, column: str, child: str | None) -> dict[str, Any]:
    source: dict[str, Any] = {"fileSet": {"@id": _file_set_id(record_set)}, "extract": {"column": column}}
    if child is not None:
        # Each sub-field picks its key out of the struct (per element, in a list of structs).
        source["transform"] = {"jsonPath": child}
    return source


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``X``, ``X | None`` or ``list[X]``, for the descriptions of a struct's children."""
    while get_origin(annotation) in (Union, types.UnionType, list):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _description(model: type[BaseModel] | None, name: str) -> str:
    if model is None or name not in model.model_fields:
        return ""
    return model.model_fields[name].description or ""


def _summary(model: type[BaseModel]) -> str:
    """The first paragraph of the model's docstring, without reST markup."""
    return (inspect.getdoc(model) or model.__name__).split("\n\n")[0].replace("\n", " ").replace("``", "`")
