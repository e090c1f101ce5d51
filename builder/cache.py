"""A content-addressed cache of per-article results, so a rebuild re-extracts only what changed.

The key is a SHA-256 over the cache format, a hash of every file of the package (any code change starts
afresh), the options that shape per-article results, the unit's place (path and line: ids derive from it) and
the SHA-256 of every byte the unit read (text, sidecar, JSONL line). An entry is one file
``<dir>/<key[:2]>/<key>.arrows`` holding the result exactly as a worker hands it over
(:class:`~builder.packed.Packed`: rows, sketch and summary), behind a header with the key, the
parts' lengths and a SHA-256 of the payload. It is written to a temporary name and renamed into place, so it is
whole or absent; an entry whose header, length, key or digest does not match is treated as missing and
rewritten. Only accepted articles are cached. No pickle.

The build caches corpus-wide results the same way, each stage in a folder named after it (:mod:`builder.assemble`):
``<dir>/cluster/`` keyed by its options and every article's row digest in corpus order (which names every
claim's id, article, outlet and sketch);
``<dir>/match/`` by its options, every article's rows, the clusters, the linked speakers, the fact-checks and the
fitted model; ``<dir>/split/`` by its options, every article's row digest and the groups claims are kept in. A
rebuild whose claims did not change does not cluster again (a labels-only change, curated speakers
or dataset metadata edited), nor match again unless the linked speakers changed. Publishing keeps each parquet
shard it wrote in ``<dir>/shard/`` under a key of everything its bytes depend on (:mod:`builder.write.shards`),
and the build's verify keeps in ``<dir>/verify/`` a record of each shard's bytes it found clean
(:func:`builder.verify.verify_timed`). A build's spool is kept in ``<dir>/spool/``, one per output folder
(:mod:`builder.kept`), for the next build of that folder to copy unchanged articles' rows from.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import struct
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FORMAT", "Cache", "array_digest", "code_fingerprint", "package_fingerprint"]

FORMAT = "factpack-cache/3"
_MAGIC = FORMAT.encode("ascii") + b"\n"
_HEAD = struct.Struct("<64sQ")  # key (hex), number of parts; then each part's length, then the payload's SHA-256
_DIGEST = 32
_MAX_PARTS = 16


@cache
def code_fingerprint() -> str:
    """A hash of every file of the package: any change to any stage, or to a file one reads (the card's template,
    the quality figures it prints), invalidates every entry."""
    return package_fingerprint(Path(__file__).resolve().parent)


def package_fingerprint(root: Path) -> str:
    """A hash of every file under ``root`` and its path, bytecode caches left out."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.relative_to(root).parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def array_digest(values: np.ndarray) -> str:
    """The SHA-256 of an array's values, for a key naming what a result was computed from."""
    return hashlib.sha256(np.ascontiguousarray(values).tobytes()).hexdigest()


class Cache:
    """Results on disk under ``folder``, each entry a few byte strings: per-article results (four), and the
    corpus-wide results a rebuild can reuse when their inputs have not changed (clusters, three; matches, four;
    split, two)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def key(parts: list[Any]) -> str:
        payload = json.dumps([FORMAT, code_fingerprint(), *parts], sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.arrows"

    def load(self, key: str) -> tuple[bytes, ...] | None:
        """The entry, or None if it is absent, torn, corrupt or not this key's."""
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        at = len(_MAGIC) + _HEAD.size
        if not data.startswith(_MAGIC) or len(data) < at:
            return None
        stored, count = _HEAD.unpack_from(data, len(_MAGIC))
        end = at + 8 * count + _DIGEST
        if stored != key.encode("ascii") or count > _MAX_PARTS or len(data) < end:
            return None
        lengths = struct.unpack_from(f"<{count}Q", data, at)
        payload = data[end:]
        if sum(lengths) != len(payload) or hashlib.sha256(payload).digest() != data[end - _DIGEST : end]:
            return None
        ends = list(itertools.accumulate(lengths))
        return tuple(payload[start:stop] for start, stop in zip([0, *ends[:-1]], ends, strict=True))

    def store(self, key: str, parts: tuple[bytes, ...]) -> None:
        payload = b"".join(parts)
        lengths = struct.pack(f"<{len(parts)}Q", *map(len, parts))
        header = _HEAD.pack(key.encode("ascii"), len(parts)) + lengths + hashlib.sha256(payload).digest()
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".arrows")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(_MAGIC + header + payload)
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
