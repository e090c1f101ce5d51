"""Manifest: every listed file exists with its hash, size and rows; nothing unlisted; schemas and versions recorded."""

from __future__ import annotations

from pydantic import ValidationError

from builder.dataset_folder import MANIFEST_NAME
from builder.features import features_sha256
from builder.models import BuildManifest
from builder.verify.dataset import Dataset, Problems
from builder.write.manifest import SHAPING_PACKAGES

__all__ = ["check_manifest", "read_manifest"]


def read_manifest(dataset: Dataset, problems: Problems) -> BuildManifest | None:
    path = dataset.root / MANIFEST_NAME
    if not path.is_file():
        problems.add("manifest-missing", MANIFEST_NAME, "no manifest; rebuild the folder with 'factpack build'")
        return None
    try:
        return BuildManifest.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or None
        problems.add("manifest-missing", MANIFEST_NAME, f"not a factpack manifest: {error['msg']}", field=where)
        return None


def check_manifest(dataset: Dataset, manifest: BuildManifest, problems: Problems) -> None:
    listed = {entry.path: entry for entry in manifest.outputs}
    present = set(dataset.files) - {MANIFEST_NAME}
    for name in sorted(present - set(listed)):
        problems.add("file-unlisted", name, "in the folder but not in manifest.json; remove it or rebuild")
    shards = {shard.name: shard for shard in dataset.shards}
    for name, entry in sorted(listed.items()):
        if name not in present:
            problems.add("file-missing", name, "listed in manifest.json but absent; rebuild or re-download")
            continue
        path = dataset.root / name
        if path.stat().st_size != entry.bytes:
            problems.add(
                "size-mismatch", name, f"{path.stat().st_size} bytes, manifest says {entry.bytes}", field="bytes"
            )
        actual = dataset.entry(name).sha256
        if actual != entry.sha256:
            problems.add("hash-mismatch", name, f"sha256 {actual[:12]}… differs from the manifest's", field="sha256")
        shard = shards.get(name)
        if shard is not None and entry.rows is not None and shard.rows is not None and shard.rows != entry.rows:
            problems.add("row-count-mismatch", name, f"{shard.rows} rows, manifest says {entry.rows}", field="rows")
    for shard in dataset.shards:
        if shard.error is None and shard.schema is not None and shard.config:
            recorded = manifest.schemas.get(shard.config)
            actual_hash = features_sha256(shard.features) if shard.features is not None else None
            if recorded is None or actual_hash != recorded:
                note = "no features hash recorded" if recorded is None else "features differ from the recorded hash"
                problems.add("schema-hash-mismatch", shard.name, note, field=f"schemas.{shard.config}")
    if not manifest.factpack_version:
        problems.add("manifest-incomplete", MANIFEST_NAME, "no factpack version recorded", field="factpack_version")
    for package in ("python", *SHAPING_PACKAGES):
        if not manifest.versions.get(package):
            problems.add(
                "manifest-incomplete", MANIFEST_NAME, f"no {package} version recorded", field=f"versions.{package}"
            )
