from __future__ import annotations

import json

from builder.models import ArticleMetadata
from builder.schemas import SCHEMA_MODELS, render_schemas, stale_schemas, write_schemas
from conftest import REPO


def test_committed_schemas_equal_the_models():
    committed = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "schema").glob("*.schema.json")}
    assert committed == render_schemas(), "schema/ is stale: run 'factpack schema'"


def test_schemas_are_json_with_ids(tmp_path):
    paths = write_schemas(tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"{name}.schema.json" for name in SCHEMA_MODELS)
    sidecar = json.loads((tmp_path / "article_metadata.schema.json").read_text(encoding="utf-8"))
    assert sidecar["$id"] == "article_metadata.schema.json"
    assert sidecar["additionalProperties"] is False
    assert set(sidecar["properties"]) == set(ArticleMetadata.model_fields)


def test_stale_schemas_names_missing_and_changed_files(tmp_path):
    write_schemas(tmp_path)
    assert stale_schemas(tmp_path) == []
    (tmp_path / "claim.schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "label.schema.json").unlink()
    assert sorted(p.name for p in stale_schemas(tmp_path)) == ["claim.schema.json", "label.schema.json"]
