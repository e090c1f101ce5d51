"""What every input format shares: the unit of per-article work, the reader record a format module provides,
and the helpers two formats would otherwise write twice (decoding bytes, a record of fields → raw article)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.config import IngestConfig
from builder.files import unencodable
from builder.models import ArticleMetadata, FileEntry, InputFormat, RawArticle, Rejected, Rejection, Stage
from builder.urls import mask

__all__ = [
    "METADATA_FIELDS",
    "REFUSED",
    "TEXT_FIELDS",
    "InputReader",
    "Unit",
    "decode",
    "entry_of",
    "record_article",
    "whole_file_problem",
]

REFUSED = "refused"
"""The format of a unit that is a file refused as it stands (its ``reason`` says why)."""
METADATA_FIELDS = tuple(ArticleMetadata.model_fields)


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of per-article work: a whole file, one line or row of a file, or a file refused as it stands.

    ``payload`` holds what listing the file already read (a JSONL line, a Parquet row): it travels to the worker
    and, hashed, into the unit's cache key, beside the hashes of the files the worker reads itself.
    """

    format: str
    rel: str
    line: int | None = None
    payload: bytes = b""
    reason: str = ""


@dataclass(frozen=True)
class InputReader:
    """One input format, as its module describes it to the registry (:mod:`builder.formats`).

    * ``units(path, rel, seen)``: the units of one file, in order; a file read whole here is recorded in ``seen``;
    * ``read(unit, raw_dir, cfg, seen)``: the raw article of a unit, or every problem found (files read: ``seen``);
    * ``holds(path, line, text, sha256, encoding)``: ``factpack verify --raw``: the raw file still holds this
      article, byte for byte.
    """

    name: InputFormat
    suffix: str
    shape: str
    units: Callable[[Path, str, list[FileEntry]], Iterator[Unit]]
    read: Callable[[Unit, Path, IngestConfig, list[FileEntry]], RawArticle | Rejected]
    holds: Callable[[Path, int | None, str, str, str], bool]
    companions: tuple[str, ...] = ()
    """Suffixes of files read with an article of this format (``.json`` sidecars beside ``.txt``)."""


def whole_file_problem(rel: str, reason: str, loc: str = "", line: int | None = None) -> Rejected:
    problem = Rejection(file=rel, line=line, loc=loc, reason=reason, stage=Stage.INGEST, article=rel)
    return Rejected(source=rel, problems=(problem,))


def entry_of(rel: str, data: bytes) -> FileEntry:
    return FileEntry(path=rel, bytes=len(data), sha256=hashlib.sha256(data).hexdigest())


def decode(data: bytes, fallback: str | None) -> tuple[str | None, str, str | None]:
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


# Field names news-please and trafilatura use for what factpack calls text / published.
_ALIASES = {"maintext": "text", "date_publish": "published", "date": "published"}
TEXT_FIELDS = ("text", *(name for name, meant in _ALIASES.items() if meant == "text"))
"""The names a record may give its text under: ``text``, or news-please's ``maintext``."""
# Their other fields: read past, and listed on the article as ignored_fields.
_TOOL_FIELDS = frozenset(
    {
        # news-please
        "authors", "date_download", "date_modify", "description", "filename", "image_url", "localpath",
        "source_domain", "title_page", "title_rss",
        # trafilatura
        "author", "hostname", "sitename", "id", "fingerprint", "excerpt", "categories", "tags", "license",
        "comments", "raw_text", "source", "source-hostname", "image", "pagetype", "filedate",
    }
)  # fmt: skip


def record_article(
    record: dict[str, Any], rel: str, number: int, stem: str, input_format: InputFormat, what: str
) -> RawArticle | Rejected:
    """The raw article of one record of fields (a JSONL line, a Parquet row): ``text`` plus the sidecar fields,
    under their own names or news-please's and trafilatura's; their other fields are recorded as ignored, any
    other field is a problem. ``number`` is the record's 1-based line or row; ``what`` names a field in messages
    ("field", "column")."""
    source = f"{rel}:{number}"

    def problem(loc: str, reason: str) -> Rejection:
        # A field's name is the input's own: one holding a URL with a credential is shown masked.
        return Rejection(file=rel, line=number, loc=mask(loc), reason=reason, stage=Stage.INGEST, article=source)

    why = unencodable(record)
    if why is not None:
        return Rejected(source, (problem("", why),))
    problems: list[Rejection] = []
    fields: dict[str, Any] = {}
    ignored: list[str] = []
    for key, value in record.items():
        name = _ALIASES.get(key, key)
        if name in fields and value is None:
            continue  # news-please writes "text": null beside "maintext": the null says nothing
        if name in fields and fields[name] is not None:
            problems.append(problem(key, f"gives {name!r} a second time; keep one of the two {what}s"))
        elif name == "text" or name in METADATA_FIELDS:
            fields[name] = value
        elif key in _TOOL_FIELDS:
            ignored.append(key)
        else:
            expected = ", ".join(("text", *METADATA_FIELDS))
            problems.append(problem(key, f"unknown {what}; expected {expected}"))
    text = fields.pop("text", None)
    if not isinstance(text, str):
        got = "missing" if text is None else f"of type {type(text).__name__}"
        problems.append(problem("text", f"the article text is {got}; give it as a string in 'text'"))
        return Rejected(source, tuple(problems))
    if "\x00" in text:
        at = text.index("\x00")
        problems.append(problem("text", f"binary content (NUL byte at character {at}); only text articles are read"))
        return Rejected(source, tuple(problems))
    if not text.strip():
        place = "line" if input_format is InputFormat.JSONL else "row"
        problems.append(problem("text", f"empty or whitespace only; fill the text or remove the {place}"))
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
        input_format=input_format,
        text=text,
        sha256=hashlib.sha256(encoded).hexdigest(),
        metadata=fields,
        metadata_file=rel,
        metadata_source=input_format.value,
        ignored_fields=tuple(sorted(ignored)),
        problems=tuple(problems),
    )
