"""Ingest: find the articles under ``raw/articles/`` and read them without changing a byte.

Two input shapes:

* ``<name>.txt`` — the text as scraped, with an optional curated sidecar ``<name>.json`` beside it;
* ``<name>.jsonl`` — one article per line, ``text`` plus the sidecar fields, as news-please and trafilatura
  write them (their own names ``maintext``, ``date_publish`` and ``date`` are understood, and their other
  fields are recorded as ignored, never silently dropped).

Nothing is validated here beyond what is needed to read: problems travel with the article
(:attr:`RawArticle.problems`) so that validation can report every problem of an article at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from builder.config import IngestConfig
from builder.errors import InputError
from builder.files import unencodable
from builder.models import ArticleMetadata, FileEntry, InputFormat, RawArticle, Rejected, Rejection, Stage

__all__ = ["Unit", "iter_raw", "iter_units", "read_unit"]

METADATA_FIELDS = tuple(ArticleMetadata.model_fields)
# Field names news-please and trafilatura use for what factpack calls text / published.
_JSONL_ALIASES = {"maintext": "text", "date_publish": "published", "date": "published"}
# Their other fields: read past, and listed on the article as ignored_fields.
_JSONL_TOOL_FIELDS = frozenset(
    {
        # news-please
        "authors", "date_download", "date_modify", "description", "filename", "image_url", "localpath",
        "source_domain", "title_page", "title_rss",
        # trafilatura
        "author", "hostname", "sitename", "id", "fingerprint", "excerpt", "categories", "tags", "license",
        "comments", "raw_text", "source", "source-hostname", "image", "pagetype", "filedate",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of per-article work: a text file, one JSONL line, or a file refused as it stands."""

    kind: Literal["txt", "jsonl", "refused"]
    rel: str
    line: int | None = None
    payload: bytes = b""
    reason: str = ""


def iter_units(raw_dir: Path, cfg: IngestConfig, seen: list[FileEntry] | None = None) -> Iterator[Unit]:
    """Every unit of work under ``raw_dir/cfg.articles_dir``, in path order (then line order).

    JSONL files are read here, line by line, and recorded in ``seen``; text files and sidecars are read by
    :func:`read_unit`, possibly in another process.
    """
    root = raw_dir / cfg.articles_dir
    if not root.is_dir():
        raise InputError(f"{root}: no such folder; put articles there as *.txt (+ *.json sidecars) or *.jsonl")
    real_root = root.resolve()
    sink: list[FileEntry] = seen if seen is not None else []
    for path in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(root).parts):
            continue  # folders, and hidden files such as .DS_Store
        rel = path.relative_to(raw_dir).as_posix()
        suffix = path.suffix.lower()
        if not path.resolve().is_relative_to(real_root):
            yield Unit("refused", rel, reason=f"points outside {root} (a link to {path.resolve()}); copy the file in")
        elif suffix not in {".txt", ".jsonl", ".json"}:
            yield Unit("refused", rel, reason="not an article: factpack reads *.txt (+ *.json sidecars) and *.jsonl")
        elif suffix == ".txt":
            yield Unit("txt", rel)
        elif suffix == ".jsonl":
            try:
                yield from _jsonl_units(path, rel, sink)
            except OSError as exc:
                yield Unit("refused", rel, reason=f"cannot be read ({exc.strerror}); fix the file or remove it")
        elif not path.with_suffix(".txt").exists():
            yield Unit(
                "refused", rel, reason=f"sidecar without an article: no {path.with_suffix('.txt').name} beside it"
            )


def read_unit(unit: Unit, raw_dir: Path, cfg: IngestConfig, seen: list[FileEntry]) -> RawArticle | Rejected:
    """The raw article of one unit (texts and sidecars read here are recorded in ``seen``)."""
    if unit.kind == "refused":
        return _whole_file_problem(unit.rel, unit.reason)
    root = raw_dir / cfg.articles_dir
    if unit.kind == "txt":
        return _read_txt(raw_dir / unit.rel, unit.rel, root, cfg, seen)
    assert unit.line is not None
    stem = (raw_dir / unit.rel).relative_to(root).with_suffix("").as_posix()
    return _jsonl_article(unit.payload, unit.line, unit.rel, stem, cfg)


def iter_raw(raw_dir: Path, cfg: IngestConfig, seen: list[FileEntry] | None = None) -> Iterator[RawArticle | Rejected]:
    """Stage: every raw article under ``raw_dir/cfg.articles_dir`` in path order.

    ``seen``, when given, receives a :class:`FileEntry` for every file read (texts, sidecars, JSONL files).
    """
    sink: list[FileEntry] = seen if seen is not None else []
    for unit in iter_units(raw_dir, cfg, sink):
        yield read_unit(unit, raw_dir, cfg, sink)


def _whole_file_problem(rel: str, reason: str, loc: str = "", line: int | None = None) -> Rejected:
    problem = Rejection(file=rel, line=line, loc=loc, reason=reason, stage=Stage.INGEST, article=rel)
    return Rejected(source=rel, problems=(problem,))


def _entry(rel: str, data: bytes) -> FileEntry:
    return FileEntry(path=rel, bytes=len(data), sha256=hashlib.sha256(data).hexdigest())


def _decode(data: bytes, fallback: str | None) -> tuple[str | None, str, str | None]:
    """The text and the codec that decoded it, or why it cannot be an article."""
    encoding = "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1]
        why = f"not valid UTF-8 at byte {exc.start} ({bad!r}); re-save the file as UTF-8"
        if fallback is None:
            return None, encoding, why + ", or build with --encoding-fallback cp1252"
        try:
            text, encoding = data.decode(fallback), fallback
        except UnicodeDecodeError as second:
            return None, encoding, f"{why}; not valid {fallback} either (byte {second.start})"
    if "\x00" in text:
        return (
            None,
            encoding,
            f"binary content (NUL byte at character {text.index(chr(0))}); only text articles are read",
        )
    if not text.strip():
        return None, encoding, "empty or whitespace only; remove the file or fill it"
    return text, encoding, None


def _read_txt(path: Path, rel: str, root: Path, cfg: IngestConfig, seen: list[FileEntry]) -> RawArticle | Rejected:
    try:
        size = path.stat().st_size
        if size > cfg.max_bytes:
            return _whole_file_problem(rel, f"{size} bytes is over the limit of {cfg.max_bytes}; raise --max-bytes")
        data = path.read_bytes()
    except OSError as exc:
        return _whole_file_problem(rel, f"cannot be read ({exc.strerror}); fix the file or remove it")
    entry = _entry(rel, data)
    seen.append(entry)
    problems: list[Rejection] = []
    text, encoding, why = _decode(data, cfg.encoding_fallback)
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
            reason = f"cannot be read ({exc.strerror}); fix the sidecar or remove it"
            problems.append(Rejection(file=sidecar_rel, loc="", reason=reason, stage=Stage.INGEST, article=rel))
        else:
            seen.append(_entry(sidecar_rel, side_data))
            metadata, problem = _parse_sidecar(side_data, sidecar_rel, rel)
            if problem is not None:
                problems.append(problem)
    if text is None:
        return Rejected(source=rel, problems=tuple(problems))
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


def _jsonl_units(path: Path, rel: str, seen: list[FileEntry]) -> Iterator[Unit]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            digest.update(line)
            size += len(line)
            if line.strip():
                yield Unit("jsonl", rel, number, line)
    seen.append(FileEntry(path=rel, bytes=size, sha256=digest.hexdigest()))


def _jsonl_article(line: bytes, number: int, rel: str, stem: str, cfg: IngestConfig) -> RawArticle | Rejected:
    source = f"{rel}:{number}"

    def problem(loc: str, reason: str) -> Rejection:
        return Rejection(file=rel, line=number, loc=loc, reason=reason, stage=Stage.INGEST, article=source)

    if len(line) > cfg.max_bytes:
        return Rejected(
            source,
            (problem("", f"{len(line)} bytes is over the limit of {cfg.max_bytes}; raise --max-bytes"),),
        )
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return Rejected(source, (problem("", f"not valid UTF-8 at byte {exc.start} of the line; re-save as UTF-8"),))
    except json.JSONDecodeError as exc:
        return Rejected(source, (problem("", f"malformed JSON at column {exc.colno}: {exc.msg}"),))
    if not isinstance(record, dict):
        return Rejected(source, (problem("", f"expected a JSON object, got {type(record).__name__}"),))
    why = unencodable(record)
    if why is not None:
        return Rejected(source, (problem("", why),))

    problems: list[Rejection] = []
    fields: dict[str, Any] = {}
    ignored: list[str] = []
    for key, value in record.items():
        name = _JSONL_ALIASES.get(key, key)
        if name in fields and value is None:
            continue  # news-please writes "text": null beside "maintext": the null says nothing
        if name in fields and fields[name] is not None:
            problems.append(problem(key, f"gives {name!r} a second time; keep one of the two fields"))
        elif name == "text" or name in METADATA_FIELDS:
            fields[name] = value
        elif key in _JSONL_TOOL_FIELDS:
            ignored.append(key)
        else:
            expected = ", ".join(("text", *METADATA_FIELDS))
            problems.append(problem(key, f"unknown field; expected {expected}"))
    text = fields.pop("text", None)
    if not isinstance(text, str):
        got = "missing" if text is None else f"a {type(text).__name__}"
        problems.append(problem("text", f"the article text is {got}; give it as a string in 'text'"))
        return Rejected(source, tuple(problems))
    if "\x00" in text or not text.strip():
        problems.append(problem("text", "empty, whitespace-only or binary text"))
        return Rejected(source, tuple(problems))
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        problems.append(problem("text", f"lone surrogate escape at character {exc.start}; not encodable text"))
        return Rejected(source, tuple(problems))
    return RawArticle(
        article_id=f"{stem}:{number}",
        source_file=rel,
        source_line=number,
        input_format=InputFormat.JSONL,
        text=text,
        sha256=hashlib.sha256(encoded).hexdigest(),
        metadata=fields,
        metadata_file=rel,
        ignored_fields=tuple(sorted(ignored)),
        problems=tuple(problems),
    )
