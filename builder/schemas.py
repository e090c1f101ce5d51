"""``schema/*.schema.json``: JSON Schemas generated from :mod:`builder.models` (``factpack schema``)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from builder.models import (
    Article,
    ArticleMetadata,
    BuildManifest,
    Claim,
    CuratedSpeaker,
    DatasetMeta,
    FactCheck,
    Label,
    Rejection,
    Speaker,
    VerifyReport,
)

__all__ = ["SCHEMA_MODELS", "render_schemas", "stale_schemas", "write_schemas"]

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "article": Article,
    "article_metadata": ArticleMetadata,
    "build_manifest": BuildManifest,
    "claim": Claim,
    "curated_speaker": CuratedSpeaker,
    "dataset_meta": DatasetMeta,
    "factcheck": FactCheck,
    "verify_report": VerifyReport,
    "label": Label,
    "rejection": Rejection,
    "speaker": Speaker,
}


def render_schemas() -> dict[str, str]:
    """File name → content of every schema file."""
    rendered = {}
    for name, model in SCHEMA_MODELS.items():
        schema = model.model_json_schema(mode="validation")
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{name}.schema.json",
            **schema,
        }
        rendered[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return rendered


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema file into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in render_schemas().items():
        path = folder / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(folder: Path) -> list[Path]:
    """The schema files in ``folder`` that are missing or differ from what the models generate."""
    return [
        folder / name
        for name, content in render_schemas().items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != content
    ]
