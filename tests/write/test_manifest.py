"""manifest.json: what built the folder (factpack and tool versions) and every file read or written, each with
its SHA-256 and size."""

from __future__ import annotations

import hashlib
import platform
from importlib.metadata import version

from builder import __version__
from builder.models import BuildManifest
from conftest import RAW


def manifest_of(dist) -> BuildManifest:
    return BuildManifest.model_validate_json((dist / "manifest.json").read_text(encoding="utf-8"))


def test_the_manifest_names_the_factpack_and_the_tools_that_built_the_folder(seed_dist):
    manifest = manifest_of(seed_dist)
    assert manifest.factpack_version == __version__
    assert manifest.versions == {
        "python": platform.python_version(),
        **{name: version(name) for name in ("datasets", "pyarrow", "pydantic", "huggingface_hub")},
    }


def test_every_input_read_is_listed_with_its_sha256_and_size(seed_dist):
    inputs = manifest_of(seed_dist).inputs
    assert [entry.path for entry in inputs] == sorted(
        [p.relative_to(RAW).as_posix() for p in (RAW / "articles").iterdir()] + ["dataset.json"]
    )
    for entry in inputs:
        data = (RAW / entry.path).read_bytes()
        assert (entry.sha256, entry.bytes) == (hashlib.sha256(data).hexdigest(), len(data)), entry.path


def test_every_output_is_listed_with_its_sha256_size_and_rows(seed_dist):
    import pyarrow.parquet as pq

    outputs = manifest_of(seed_dist).outputs
    written = sorted(p.relative_to(seed_dist).as_posix() for p in seed_dist.rglob("*") if p.is_file())
    assert [entry.path for entry in outputs] == [path for path in written if path != "manifest.json"]
    for entry in outputs:
        data = (seed_dist / entry.path).read_bytes()
        assert (entry.sha256, entry.bytes) == (hashlib.sha256(data).hexdigest(), len(data)), entry.path
        rows = pq.read_metadata(seed_dist / entry.path).num_rows if entry.path.endswith(".parquet") else None
        assert entry.rows == rows, entry.path
