"""``<name>.txt``: the article text as scraped, with an optional curated sidecar ``<name>.json`` beside it.

The article id is the path under the articles folder without ``.txt``; ``sha256`` is of the file's bytes.
The text is UTF-8, or the ``--encoding-fallback`` codec, recorded as the article's ``encoding``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from builder.config import IngestConfig
from builder.files import os_reason, unencodable
from builder.formats.base import InputReader, Unit, decode, entry_of, whole_file_problem
from builder.models import FileEntry, InputFormat, RawArticle, Rejected, Rejection, Stage

__all__ = ["READER"]


def units(path: Path, rel: str, seen: list[FileEntry]) -> Iterator[Unit]:
    """One unit: the file is read by the worker, with its sidecar."""
    yield Unit(InputFormat.TXT.value, rel)


def read(unit: Unit, raw_dir: Path, cfg: IngestConfig, seen: list[FileEntry]) -> RawArticle | Rejected:
    path, rel = raw_dir / unit.rel, unit.rel
    try:
        size = path.stat().st_size
        if size > cfg.max_bytes:
            return whole_file_problem(rel, f"{size} bytes is over the limit of {cfg.max_bytes}; raise --max-bytes")
        data = path.read_bytes()
    except OSError as exc:
        return whole_file_problem(rel, f"cannot be read ({os_reason(exc)}); fix the file or remove it")
    entry = entry_of(rel, data)
    seen.append(entry)
    problems: list[Rejection] = []
    text, encoding, why = decode(data, cfg.encoding_fallback)
    if why is not None:
        problems.append(
            Rejection(file=rel, loc="text", reason=why, stage=Stage.INGEST, article=rel),
        )
    metadata: dict[str, Any] = {}
    sidecar = path.with_suffix(".json")
    sidecar_rel: str | None = None
    if sidecar.exists():
        sidecar_rel = Path(rel).with_suffix(".json").as_posix()
        try:
            side_data = sidecar.read_bytes()
        except OSError as exc:
            reason = f"cannot be read ({os_reason(exc)}); fix the sidecar or remove it"
            problems.append(Rejection(file=sidecar_rel, loc="", reason=reason, stage=Stage.INGEST, article=rel))
        else:
            seen.append(entry_of(sidecar_rel, side_data))
            metadata, problem = _parse_sidecar(side_data, sidecar_rel, rel)
            if problem is not None:
                problems.append(problem)
    if text is None:
        return Rejected(source=rel, problems=tuple(problems))
    root = raw_dir / cfg.articles_dir
    return RawArticle(
        article_id=path.relative_to(root).with_suffix("").as_posix(),
        source_file=rel,
        source_line=None,
        input_format=InputFormat.TXT,
        text=text,
        sha256=entry.sha256,
        metadata=metadata,
        metadata_file=sidecar_rel,
        problems=tuple(problems),
        encoding=encoding,
    )


def holds(path: Path, line: int | None, text: str, sha256: str, encoding: str) -> bool:
    """The file's bytes hash to ``sha256`` and decode to ``text``."""
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest() == sha256 and data.decode(encoding or "utf-8", "replace") == text


def _parse_sidecar(data: bytes, sidecar_rel: str, article: str) -> tuple[dict[str, Any], Rejection | None]:
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        reason = f"not valid UTF-8 at byte {exc.start}; re-save the sidecar as UTF-8"
        return {}, Rejection(file=sidecar_rel, loc="", reason=reason, stage=Stage.INGEST, article=article)
    except json.JSONDecodeError as exc:
        reason = f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        return {}, Rejection(
            file=sidecar_rel, line=exc.lineno, loc="", reason=reason, stage=Stage.INGEST, article=article
        )
    if not isinstance(value, dict):
        reason = f"expected a JSON object of metadata fields, got {type(value).__name__}"
        return {}, Rejection(file=sidecar_rel, loc="", reason=reason, stage=Stage.INGEST, article=article)
    why = unencodable(value)
    if why is not None:
        return {}, Rejection(file=sidecar_rel, loc="", reason=why, stage=Stage.INGEST, article=article)
    return value, None


READER = InputReader(
    name=InputFormat.TXT,
    suffix=".txt",
    shape="*.txt (+ *.json sidecars)",
    units=units,
    read=read,
    holds=holds,
    companions=(".json",),
)
