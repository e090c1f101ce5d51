"""A content-addressed cache of per-article results, so a rebuild re-extracts only what changed.

The key is a SHA-256 over the cache format, a hash of every source file of the package (any code change starts
afresh), the options that shape per-article results, the unit's place (path and line: ids derive from it) and
the SHA-256 of every byte the unit read (text, sidecar, JSONL line). An entry is one file
``<dir>/<key[:2]>/<key>.arrows`` holding the result exactly as a worker hands it over
(:class:`~builder.packed.Packed`: rows, sketch and summary), behind a header with the key, the
four lengths and a SHA-256 of the payload. It is written to a temporary name and renamed into place, so it is
whole or absent; an entry whose header, length, key or digest does not match is treated as missing and
rewritten. Only accepted articles are cached. No pickle.
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

__all__ = ["FORMAT", "Cache", "code_fingerprint"]

FORMAT = "factpack-cache/3"
_MAGIC = FORMAT.encode("ascii") + b"\n"
_HEADER = struct.Struct("<64s4Q32s")  # key (hex), four payload lengths, SHA-256 of the payload


@cache
def code_fingerprint() -> str:
    """A hash of every source file of the package: any change to any stage invalidates every entry."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Cache:
    """Per-article results on disk under ``folder``: each entry is four byte strings."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def key(parts: list[Any]) -> str:
        payload = json.dumps([FORMAT, code_fingerprint(), *parts], sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.arrows"

    def load(self, key: str) -> tuple[bytes, bytes, bytes, bytes] | None:
        """The entry, or None if it is absent, torn, corrupt or not this key's."""
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        head = len(_MAGIC) + _HEADER.size
        if not data.startswith(_MAGIC) or len(data) < head:
            return None
        stored, *lengths, digest = _HEADER.unpack_from(data, len(_MAGIC))
        payload = data[head:]
        if stored != key.encode("ascii") or sum(lengths) != len(payload) or hashlib.sha256(payload).digest() != digest:
            return None
        a, b, c = itertools.accumulate(lengths[:3])
        return payload[:a], payload[a:b], payload[b:c], payload[c:]

    def store(self, key: str, parts: tuple[bytes, bytes, bytes, bytes]) -> None:
        payload = b"".join(parts)
        header = _HEADER.pack(key.encode("ascii"), *map(len, parts), hashlib.sha256(payload).digest())
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
