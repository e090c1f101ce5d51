"""A rebuild with nothing to do: the output folder already holds what the build would write.

When a build of an output folder is in place, it leaves in the cache (``<cache>/built/<name>.json``, ``name`` a
hash of the output folder's path, as for the kept spool) a record of what it was built from and what it wrote:
a key over the code (every file of the package), the tools that shape the output, the options, the raw and
output paths and every file of the raw folder (path and SHA-256; a link by where it resolves, and the bytes it
points at), the day, the SHA-256 of the ``manifest.json`` it wrote, every file's stamp (size, modification and
change times, inode), and its report. The next build of that folder computes the same key first (:func:`look`);
when it is the record's, and the output folder holds exactly the files it held then, the build would write the
same bytes again (output is a function of those inputs) and verify them clean again: it returns the recorded
report (:func:`previous_report`) instead, and touches nothing.

A file whose stamp is the one recorded is not read again: its SHA-256 is the recorded one, as ``git`` trusts its
index and ``make`` a file's time. An edit changes the modification time or the size, and always the change time,
which no tool sets back (on a file system that keeps one: FAT and exFAT do not). But a clock tick is coarse
(milliseconds; a second on some file systems), and a second edit within the tick of the first leaves the stamp as
it was: a build that finds a raw file changed within :data:`FRESH_NS` of when it stamped the folder is not
recorded, and an output file changed that close to the build's end is read again by the check. The raw files'
SHA-256 are those the build's manifest lists (the articles' as its workers read them), so a first build hashes
no article twice. The stamps are taken before the build reads the raw folder, and the record is written only
when, after its last read, every raw file still has the stamp it had then: a file edited during a build never
pairs the old bytes' key with output built from the new ones. A record is good for the day its build started
(and ended) on only: a date later than today is refused, or left unknown when read off the text, so the same
input may be read differently tomorrow. A raw folder whose configured files (models, labels, speakers,
metadata, fact-checks) lie outside it has no key: the build runs in full.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from builder.cache import code_fingerprint
from builder.config import BuildConfig
from builder.dataset_folder import MANIFEST_NAME
from builder.errors import OutputError
from builder.files import FRESH_NS, Stamp, file_entry, path_key, stamp, write_bytes_atomic
from builder.models import BuildReport
from builder.models.base import today
from builder.write.manifest import tool_versions

__all__ = ["FRESH_NS", "RawState", "look", "previous_report", "remember"]

FORMAT = "factpack-built/3"
FOLDER = "built"
_HASHING_THREADS = 8


@dataclass(frozen=True)
class RawState:
    """The raw folder as a build found it: each file's stamp, its links and special files (and which files are
    links), when it was stamped and on which day, the SHA-256 it knows without reading (stamp as recorded), and
    the key, when a record was there to check."""

    stamps: dict[str, Stamp]
    others: list[str]
    links: frozenset[str]
    stamped_ns: int
    day: str
    known: dict[str, str]
    key: str | None


def _record_path(cfg: BuildConfig) -> Path:
    assert cfg.cache_dir is not None
    return cfg.cache_dir / FOLDER / f"{path_key(cfg.out_dir)}.json"


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


def _walk(root: Path) -> tuple[dict[str, Stamp], list[str], frozenset[str]]:
    """Every file under ``root`` with its stamp (a link to a file too, with its target's); every link (where it
    resolves: messages name that) and special file, described; and which files are links."""
    stamps: dict[str, Stamp] = {}
    others: list[str] = []
    links: set[str] = set()
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_symlink():
                    others.append(f"link {relative} -> {os.path.realpath(entry.path)}")
                    links.add(relative)
                    if entry.is_file():
                        stamps[relative] = stamp(entry.stat())
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{relative}/"))
                elif entry.is_file(follow_symlinks=False):
                    stamps[relative] = stamp(entry.stat(follow_symlinks=False))
                else:
                    others.append(f"special {relative} {stat.S_IFMT(entry.stat(follow_symlinks=False).st_mode)}")
    return dict(sorted(stamps.items())), sorted(others), frozenset(links)


def _sha256(path: Path) -> str:
    return file_entry(path, path.parent).sha256


def _hashed(root: Path, names: Iterable[str]) -> dict[str, str]:
    names = list(names)
    with ThreadPoolExecutor(_HASHING_THREADS) as pool:
        return dict(zip(names, pool.map(_sha256, [root / name for name in names]), strict=True))


def _trusted(recorded: dict[str, Any], stamps: dict[str, Stamp]) -> dict[str, str]:
    """The SHA-256 of the files whose stamp is the one recorded (a build records none it could not trust)."""
    return {name: entry[1] for name, entry in recorded.items() if name in stamps and tuple(entry[0]) == stamps[name]}


def _read_record(cfg: BuildConfig) -> dict[str, Any] | None:
    try:
        record = json.loads(_record_path(cfg).read_bytes())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("format") == FORMAT else None


def _key(cfg: BuildConfig, digests: dict[str, str], others: list[str]) -> str:
    parts = {
        "format": FORMAT,
        "code": code_fingerprint(),
        "tools": tool_versions(),
        "options": cfg.options(),
        "raw": [str(cfg.raw_dir), str(cfg.raw_dir.resolve())],
        "out": str(cfg.out_dir),
        "files": sorted(digests.items()),
        "others": others,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def look(cfg: BuildConfig) -> RawState | None:
    """The raw folder's stamps, and, when the last build of this folder left a record, the key of this build's
    inputs (reading only the files whose stamps moved); None when a build can have no key (no cache, a configured
    file outside the raw folder or a link that loops, a raw folder that cannot be listed: the build then runs in
    full and says why where it matters)."""
    if cfg.cache_dir is None:
        return None
    try:
        raw = cfg.raw_dir.resolve()
        if not all((raw / name).resolve().is_relative_to(raw) for name in _configured_paths(cfg)):
            return None
        day, stamped_ns = _today(), time.time_ns()
        stamps, others, links = _walk(raw)
        record = _read_record(cfg)
        if record is None:
            return RawState(stamps, others, links, stamped_ns, day, {}, None)
        known = _trusted(record["files"], stamps)
        digests = known | _hashed(raw, [name for name in stamps if name not in known])
    except (OSError, RuntimeError, TypeError, ValueError, KeyError, IndexError, AttributeError):
        return None  # RuntimeError: a link that loops (Path.resolve)
    return RawState(stamps, others, links, stamped_ns, day, known, _key(cfg, digests, others))


def _holds_exactly(out: Path, outputs: dict[str, Any], manifest: dict[str, Any]) -> bool:
    """Whether ``out`` holds the files it held when recorded (``outputs``: stamps), and nothing else; a file whose
    stamp moved, or that was fresh when recorded, is read and compared with the manifest's SHA-256."""
    stamps, others, _ = _walk(out)
    if others or set(stamps) != set(outputs):
        return False
    listed = {entry["path"]: entry["sha256"] for entry in manifest["outputs"]}
    if set(listed) | {MANIFEST_NAME} != set(stamps):
        return False
    moved = [name for name in listed if outputs[name] is None or tuple(outputs[name]) != stamps[name]]
    hashed = _hashed(out, moved)
    return all(hashed[name] == listed[name] for name in moved)


def previous_report(cfg: BuildConfig, state: RawState) -> BuildReport | None:
    """The report of the build that wrote ``cfg.out_dir`` from these very inputs (without its timings), when the
    folder still holds exactly what that build wrote; else None."""
    if state.key is None:
        return None
    record = _read_record(cfg)
    try:
        if record is None or record.get("key") != state.key:
            return None
        if record.get("day") != state.day:
            return None
        manifest = (cfg.out_dir / MANIFEST_NAME).read_bytes()
        if hashlib.sha256(manifest).hexdigest() != record.get("manifest"):
            return None
        if not _holds_exactly(cfg.out_dir, record["outputs"], json.loads(manifest)):
            return None
        return BuildReport.model_validate(record["report"])
    except (OSError, ValueError, KeyError, TypeError, IndexError, ValidationError):
        return None


def _today() -> str:
    """The day validation judges dates by (:func:`~builder.models.base.today`), which a record is good for."""
    return today().isoformat()


def _stamps_kept(stamps: dict[str, Stamp], since_ns: int) -> dict[str, list[int] | None]:
    """Stamps to record: None for a file changed too close to ``since_ns`` to be trusted by its stamp."""
    return {name: None if stamp[2] >= since_ns - FRESH_NS else list(stamp) for name, stamp in stamps.items()}


def remember(cfg: BuildConfig, state: RawState, report: BuildReport, published_ns: int) -> None:
    """Record the build put in place at ``published_ns``, unless a raw file was changed just before it started or
    while it ran (its stamp moved), the day changed while it ran, or something cannot be read or written (a link
    that loops: RuntimeError): a record only ever saves work, so failing to write one is not an error."""
    if any(found[2] >= state.stamped_ns - FRESH_NS for found in state.stamps.values()) or _today() != state.day:
        return
    try:
        raw = cfg.raw_dir.resolve()
        manifest_bytes = (cfg.out_dir / MANIFEST_NAME).read_bytes()
        manifest = json.loads(manifest_bytes)
        read = {entry["path"]: entry["sha256"] for entry in manifest["inputs"] if entry["path"] not in state.links}
        digests = state.known | {name: read[name] for name in state.stamps if name in read}
        digests |= _hashed(raw, [name for name in state.stamps if name not in digests])
        if _walk(raw) != (state.stamps, state.others, state.links):  # after the last read of a raw file
            return
        out_stamps, _, _ = _walk(cfg.out_dir)
        record = {
            "format": FORMAT,
            "key": _key(cfg, digests, state.others),
            "day": state.day,
            "manifest": hashlib.sha256(manifest_bytes).hexdigest(),
            "files": {name: [list(found), digests[name]] for name, found in state.stamps.items()},
            "outputs": _stamps_kept(out_stamps, published_ns),
            "report": report.model_dump(mode="json", exclude={"timings", "serial_share"}),
        }
        write_bytes_atomic(_record_path(cfg), json.dumps(record).encode("utf-8"))  # the report's order kept
    except (OSError, RuntimeError, OutputError, ValueError, KeyError, TypeError):  # the build is in place whatever
        return
