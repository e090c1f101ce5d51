"""A content-addressed cache of per-article results, so a rebuild re-extracts only what changed.

The key is a SHA-256 over the cache format, a hash of every source file of the package (any code change starts
afresh), the options that shape per-article results, the unit's place (path and line: ids derive from it) and
the SHA-256 of every byte the unit read (text, sidecar, JSONL line). An entry is one JSON file
``<dir>/<key[:2]>/<key>.json``, written to a temporary name and renamed into place, so it is whole or absent. An
entry that does not parse, does not validate or carries another key is treated as missing and rewritten. Only
accepted articles are cached. No pickle: entries are JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from builder.models import Article, Claim, Rejected, Rejection

__all__ = ["FORMAT", "Cache", "CachedResult", "code_fingerprint"]

FORMAT = "factpack-cache/1"


@dataclass(frozen=True)
class CachedResult:
    """What a unit produced: the article and its claims, or every problem of the input."""

    item: Article | Rejected
    claims: list[Claim]


@cache
def code_fingerprint() -> str:
    """A hash of every source file of the package: any change to any stage invalidates every entry."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Cache:
    """Per-article results on disk under ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def key(parts: list[Any]) -> str:
        payload = json.dumps([FORMAT, code_fingerprint(), *parts], sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def load(self, key: str) -> CachedResult | None:
        """The entry, or None if it is absent, torn, corrupt or not this key's."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
            if entry.get("key") != key:
                return None
            claims = [Claim.model_validate(claim) for claim in entry["claims"]]
            if entry["article"] is not None:
                return CachedResult(Article.model_validate(entry["article"]), claims)
            problems = tuple(Rejection.model_validate(problem) for problem in entry["problems"])
            return CachedResult(Rejected(source=entry["source"], problems=problems), [])
        except (OSError, ValueError, KeyError, TypeError, ValidationError):
            return None

    def store(self, key: str, result: CachedResult) -> None:
        item = result.item
        entry = {
            "key": key,
            "article": item.model_dump(mode="json") if isinstance(item, Article) else None,
            "source": item.source if isinstance(item, Rejected) else None,
            "problems": [p.model_dump(mode="json") for p in item.problems] if isinstance(item, Rejected) else [],
            "claims": [claim.model_dump(mode="json") for claim in result.claims],
        }
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(entry, stream, ensure_ascii=False)
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
