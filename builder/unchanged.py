"""A rebuild with nothing to do: the output folder already holds what the build would write.

When the last build of an output folder succeeded, it leaves in the cache (``<cache>/built/<name>.json``, ``name``
a hash of the output folder's path, as for the kept spool) a record of what it was built from and what it wrote:
a key over the code, the tools that shape the output, the options, the raw and output paths and every file of the
raw folder (path and SHA-256; a link by where it points, and the bytes it points at), the SHA-256 of the
``manifest.json`` it wrote, and its report. The next build of that folder computes the same key first
(:func:`look`); when it is the record's, and the output folder holds exactly the files its manifest lists with
those sizes and SHA-256s, the build would write the same bytes again (output is a function of those inputs) and
verify them clean again: it returns the recorded report (:func:`previous_report`) instead, and touches nothing.

The key is taken before a build reads the raw folder; a build remembers it (:func:`remember`) only when every raw
file still has the size, times and inode it had then, so that a file edited during a build never pairs the old
bytes' key with output built from the new ones. A raw folder whose configured files (models, labels, speakers,
metadata, fact-checks) lie outside it has no key: the build runs in full.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from builder.cache import code_fingerprint
from builder.config import BuildConfig
from builder.dataset_folder import MANIFEST_NAME
from builder.errors import OutputError
from builder.files import write_bytes_atomic
from builder.models import BuildReport
from builder.write.manifest import tool_versions

__all__ = ["RawState", "look", "previous_report", "remember"]

FORMAT = "factpack-built/1"
FOLDER = "built"
_HASHING_THREADS = 8

Stamp = tuple[int, int, int, int]
"""A file's size, modification and change times (ns) and inode: what an edit changes."""


@dataclass(frozen=True)
class RawState:
    """The key of a build's inputs, and each raw file's stamp when it was hashed."""

    key: str
    stamps: dict[str, Stamp]


def _record_path(cfg: BuildConfig) -> Path:
    assert cfg.cache_dir is not None
    name = hashlib.sha256(os.fsencode(cfg.out_dir.resolve())).hexdigest()[:32]
    return cfg.cache_dir / FOLDER / f"{name}.json"


def _configured_paths(cfg: BuildConfig) -> list[str]:
    return [
        cfg.ingest.articles_dir,
        cfg.link.speakers_file,
        cfg.labels.labels_file,
        cfg.publish.metadata_file,
        cfg.extract.worthiness_model,
        cfg.matches.model_file,
        cfg.matches.factchecks_dir,
    ]


def _walk(raw: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """Every file under ``raw`` (a link to a file too, as the file it points at), and every link and special file,
    described."""
    files: list[tuple[str, Path]] = []
    others: list[str] = []
    for top, folders, names in os.walk(raw, followlinks=False):
        here = Path(top)
        for name in [*folders, *names]:
            path = here / name
            relative = path.relative_to(raw).as_posix()
            if path.is_symlink():  # where it points is named in messages, what it points at is read
                others.append(f"link {relative} -> {path.readlink()}")
                if path.is_file():
                    files.append((relative, path))
            elif name in names:
                mode = path.lstat().st_mode
                if stat.S_ISREG(mode):
                    files.append((relative, path))
                else:
                    others.append(f"special {relative} {stat.S_IFMT(mode)}")
    return sorted(files), sorted(others)


def _stamp(path: Path) -> Stamp:
    found = path.stat()
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def _hashed(path: Path) -> tuple[Stamp, str]:
    before = _stamp(path)
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return before, digest.hexdigest()


def look(cfg: BuildConfig) -> RawState | None:
    """The key of this build's inputs, or None when it has none (no cache, a configured file outside the raw
    folder, a raw file that cannot be read: the build then runs in full and says why where it matters)."""
    if cfg.cache_dir is None:
        return None
    raw = cfg.raw_dir.resolve()
    for name in _configured_paths(cfg):
        if not (raw / name).resolve().is_relative_to(raw):
            return None
    try:
        files, others = _walk(raw)
        with ThreadPoolExecutor(_HASHING_THREADS) as pool:
            hashed = list(pool.map(_hashed, [path for _, path in files]))
    except OSError:
        return None
    parts = {
        "format": FORMAT,
        "code": code_fingerprint(),
        "tools": tool_versions(),
        "options": cfg.options(),
        "raw": str(cfg.raw_dir),
        "out": str(cfg.out_dir),
        "files": [[name, digest] for (name, _), (_, digest) in zip(files, hashed, strict=True)],
        "others": others,
    }
    key = hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()
    return RawState(key, {name: stamp for (name, _), (stamp, _) in zip(files, hashed, strict=True)})


def _manifest_digest(out: Path) -> str | None:
    try:
        return hashlib.sha256((out / MANIFEST_NAME).read_bytes()).hexdigest()
    except OSError:
        return None


def _holds_exactly(out: Path, manifest: bytes) -> bool:
    """Whether ``out`` holds the files ``manifest`` lists, with their sizes and SHA-256s, and nothing else."""
    try:
        listed = {entry["path"]: entry for entry in json.loads(manifest)["outputs"]}
        found = {
            (Path(top) / name).relative_to(out).as_posix()
            for top, _, names in os.walk(out, followlinks=False)
            for name in names
        }
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if found != set(listed) | {MANIFEST_NAME}:
        return False

    def same(name: str) -> bool:
        path = out / name
        if path.is_symlink() or not path.is_file() or path.stat().st_size != listed[name]["bytes"]:
            return False
        return bool(_hashed(path)[1] == listed[name]["sha256"])

    try:
        with ThreadPoolExecutor(_HASHING_THREADS) as pool:
            return all(pool.map(same, sorted(listed)))
    except OSError:
        return False


def previous_report(cfg: BuildConfig, state: RawState) -> BuildReport | None:
    """The report of the build that wrote ``cfg.out_dir`` from these very inputs (without its timings), when the
    folder still holds exactly what that build wrote; else None."""
    try:
        record = json.loads(_record_path(cfg).read_bytes())
        if record.get("format") != FORMAT or record.get("key") != state.key:
            return None
        manifest = (cfg.out_dir / MANIFEST_NAME).read_bytes()
        if hashlib.sha256(manifest).hexdigest() != record.get("manifest"):
            return None
        report = BuildReport.model_validate(record["report"])
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        return None
    return report if _holds_exactly(cfg.out_dir, manifest) else None


def remember(cfg: BuildConfig, state: RawState, report: BuildReport) -> None:
    """Record the build just put in place, unless a raw file changed while it ran (its stamp moved), or something
    cannot be read or written: a record only ever saves work, so failing to write one is not an error."""
    try:
        files, _ = _walk(cfg.raw_dir.resolve())
        if {name: _stamp(path) for name, path in files} != state.stamps:
            return
        manifest = _manifest_digest(cfg.out_dir)
        if manifest is None:
            return
        record = {
            "format": FORMAT,
            "key": state.key,
            "manifest": manifest,
            "report": report.model_dump(mode="json", exclude={"timings", "serial_share"}),
        }
        write_bytes_atomic(_record_path(cfg), json.dumps(record).encode("utf-8"))  # the report's order kept
    except (OSError, OutputError):  # see above: the build is in place whatever happens here
        return
