"""``<name>.jsonl``: one article per line, ``text`` plus the sidecar fields, as trafilatura, news-please and
newspaper4k write them (their names for factpack's fields are understood, :mod:`builder.formats.fields`, and their
other fields are recorded as ignored, never silently dropped).

The lines are read when the file is listed, and travel to the workers as they are. The article id is
``<path without .jsonl>:<line>``; ``sha256`` is of the text's UTF-8 bytes (the decoded value of one field).

A line's record is the line without its line break; ``--max-bytes`` counts the record's bytes, as it counts a text
file's. A UTF-8 byte order mark at the start of the file is read past, as JSON lets a parser do (editors on Windows
write one): it is not part of line 1's record, though it stays in the bytes hashed for the file and the cache.
Offsets in messages count the line as it is on disk, the mark included.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from builder.config import IngestConfig
from builder.formats.base import InputReader, Unit, record_article
from builder.models import FileEntry, InputFormat, RawArticle, Rejected, Rejection, Stage

__all__ = ["READER"]

_BOM = codecs.BOM_UTF8


def _record(line: bytes, number: int) -> tuple[bytes, int]:
    """The JSON record of line ``number`` and how many bytes before it were read past (a byte order mark
    that starts the file)."""
    skipped = len(_BOM) if number == 1 and line.startswith(_BOM) else 0
    return line[skipped:].removesuffix(b"\n").removesuffix(b"\r"), skipped


def units(path: Path, rel: str, seen: list[FileEntry]) -> Iterator[Unit]:
    """One unit per non-blank line; the file is hashed as it is read."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            digest.update(line)
            size += len(line)
            if _record(line, number)[0].strip():
                yield Unit(InputFormat.JSONL.value, rel, number, line)
    seen.append(FileEntry(path=rel, bytes=size, sha256=digest.hexdigest()))


def read(unit: Unit, raw_dir: Path, cfg: IngestConfig, seen: list[FileEntry]) -> RawArticle | Rejected:
    assert unit.line is not None
    line, number, rel = unit.payload, unit.line, unit.rel
    source = f"{rel}:{number}"

    def problem(reason: str) -> Rejected:
        return Rejected(
            source, (Rejection(file=rel, line=number, loc="", reason=reason, stage=Stage.INGEST, article=source),)
        )

    data, skipped = _record(line, number)
    if len(data) > cfg.max_bytes:
        reason = f"the record is {len(data)} bytes (its line break not counted), over the limit of {cfg.max_bytes}"
        return problem(f"{reason}; raise --max-bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return problem(f"not valid UTF-8 at byte {skipped + exc.start} of the line; re-save as UTF-8")
    if text.startswith("\ufeff"):
        return problem("a byte order mark (U+FEFF) starts the record; only the file may start with one: remove it")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return problem(f"malformed JSON at column {exc.colno + (1 if skipped else 0)}: {exc.msg}")
    if not isinstance(record, dict):
        return problem(f"expected a JSON object, got {type(record).__name__}")
    stem = (raw_dir / rel).relative_to(raw_dir / cfg.articles_dir).with_suffix("").as_posix()
    return record_article(record, rel, number, stem, InputFormat.JSONL, "field")


def holds(path: Path, line: int | None, text: str, sha256: str, encoding: str) -> bool:
    """The text's UTF-8 bytes hash to ``sha256``, and the line still holds the text as one of its values."""
    if line is None or hashlib.sha256(text.encode("utf-8")).hexdigest() != sha256:
        return False
    with path.open("rb") as stream:
        for number, data in enumerate(stream, start=1):
            if number == line:
                try:
                    value = json.loads(data)
                except ValueError:
                    return False
                return isinstance(value, dict) and text in value.values()
    return False


READER = InputReader(
    name=InputFormat.JSONL,
    suffix=".jsonl",
    shape="*.jsonl",
    units=units,
    read=read,
    holds=holds,
)
