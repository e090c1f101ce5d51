"""What the dataset says about itself: the optional ``raw/dataset.json``, and the citation built from it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from builder.config import PublishConfig
from builder.errors import InputError
from builder.files import first_error, read_curated_json
from builder.models import DatasetMeta
from builder.urls import credentials_in, mask

__all__ = ["bibtex_key", "citation", "read_dataset_meta"]


def read_dataset_meta(raw_dir: Path, cfg: PublishConfig) -> DatasetMeta:
    """The curated dataset metadata, or the defaults when the file is absent; a bad field raises, naming it."""
    path = raw_dir / cfg.metadata_file
    if not path.is_file():
        return DatasetMeta()
    value = read_curated_json(path, dict, "a JSON object with pretty_name, license, creators, citation, …")
    try:
        meta = DatasetMeta.model_validate(value)
    except ValidationError as exc:
        field, message = first_error(exc)
        raise InputError(f"{path}: {field}: {mask(message)}") from exc
    for field, text in _strings(meta.model_dump(mode="json")):
        where = next(credentials_in(text), None)
        if where is not None:  # published as written (card, Croissant, citation): the curator takes it out
            raise InputError(
                f"{path}: {field}: {where}; take the credential out, since the dataset's own metadata is published "
                "as written"
            )
    return meta


def _strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string in ``value`` with its dotted place (``creators.0.url``)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}.{index}")


def bibtex_key(meta: DatasetMeta, year: int | None) -> str:
    """``factpack_claims_2014``: the name's words in lower case, then the year."""
    words = re.findall(r"[a-z0-9]+", meta.pretty_name.lower()) or ["dataset"]
    return "_".join([*words, *([str(year)] if year is not None else [])])


def citation(meta: DatasetMeta, year: int | None) -> str:
    """The curated BibTeX, else a ``@misc`` entry from the name, creators, version and ``year`` (the newest
    article's year: a citation must not depend on the day the dataset was built)."""
    if meta.citation is not None:
        return meta.citation.strip()
    fields = [("title", "{" + meta.pretty_name + "}")]
    if meta.creators:
        # An organisation is braced so that BibTeX does not split it into first and last names.
        names = [c.name if c.kind == "person" else "{" + c.name + "}" for c in meta.creators]
        fields.append(("author", " and ".join(names)))
    if year is not None:
        fields.append(("year", str(year)))
    fields.append(("version", meta.version))
    if meta.homepage is not None:
        fields.append(("howpublished", "\\url{" + meta.homepage + "}"))
    fields.append(("note", "Claims extracted with factpack"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(meta, year)},\n{body}\n}}"
