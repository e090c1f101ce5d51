"""``manifest.json``: every input and output file with its hash, the tool versions and the options."""

from __future__ import annotations

import hashlib
import json
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from builder.models import BuildManifest, FileEntry

__all__ = ["MANIFEST_NAME", "file_entries", "tool_versions", "write_manifest"]

MANIFEST_NAME = "manifest.json"
_SHAPING_PACKAGES = ("datasets", "pyarrow", "pydantic", "huggingface_hub")


def tool_versions() -> dict[str, str]:
    """Python's version and those of the packages whose version can change the output bytes."""
    found = {"python": platform.python_version()}
    for name in _SHAPING_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - all are dependencies
            found[name] = "absent"
    return found


def file_entries(root: Path) -> list[FileEntry]:
    """Every file under ``root`` except the manifest, sorted by path."""
    entries = []
    for path in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):
        if path.is_file() and path.relative_to(root).as_posix() != MANIFEST_NAME:
            digest = hashlib.sha256()
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            entries.append(
                FileEntry(
                    path=path.relative_to(root).as_posix(),
                    bytes=path.stat().st_size,
                    sha256=digest.hexdigest(),
                )
            )
    return entries


def write_manifest(folder: Path, manifest: BuildManifest) -> None:
    payload = json.dumps(manifest.model_dump(mode="json"), indent=2, ensure_ascii=False, sort_keys=False)
    (folder / MANIFEST_NAME).write_text(payload + "\n", encoding="utf-8")
