"""``manifest.json``: every input and output file with its hash, the tool versions and the options."""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from builder.dataset_folder import MANIFEST_NAME
from builder.files import file_entry
from builder.models import BuildManifest, FileEntry

__all__ = ["SHAPING_PACKAGES", "file_entries", "tool_versions", "write_manifest"]

SHAPING_PACKAGES = ("datasets", "pyarrow", "pydantic", "huggingface_hub")


def tool_versions() -> dict[str, str]:
    """Python's version and those of the packages whose version can change the output bytes."""
    found = {"python": platform.python_version()}
    for name in SHAPING_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - all are dependencies
            found[name] = "absent"
    return found


def file_entries(root: Path, known: Sequence[FileEntry] = ()) -> list[FileEntry]:
    """Every file under ``root`` except the manifest, sorted by path; parquet shards with their row counts.
    ``known``: entries already read of files not changed since (not hashed again)."""
    import pyarrow.parquet as pq

    paths = sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix())
    read = {entry.path: entry for entry in known}
    entries = []
    for path in paths:
        if path.is_file() and path.relative_to(root).as_posix() != MANIFEST_NAME:
            name = path.relative_to(root).as_posix()
            entry = read[name] if name in read else file_entry(path, root)
            if path.suffix == ".parquet":
                entry = entry.model_copy(update={"rows": pq.read_metadata(path).num_rows})
            entries.append(entry)
    return entries


def write_manifest(folder: Path, manifest: BuildManifest) -> None:
    payload = json.dumps(manifest.model_dump(mode="json"), indent=2, ensure_ascii=False, sort_keys=False)
    (folder / MANIFEST_NAME).write_text(payload + "\n", encoding="utf-8")
