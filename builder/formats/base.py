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
from builder.formats import fields as fields_
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


TEXT_FIELDS = fields_.PRECEDENCE["text"]
"""The names a record may give its text under: ``text``, or news-please's ``maintext``."""


def record_article(
    record: dict[str, Any], rel: str, number: int, stem: str, input_format: InputFormat, what: str
) -> RawArticle | Rejected:
    """The raw article of one record of fields (a JSONL line, a Parquet row): ``text`` plus the sidecar fields,
    under their own names or a crawler's (:mod:`builder.formats.fields`); the crawlers' other fields are recorded
    as ignored, any other field is a problem. ``number`` is the record's 1-based line or row; ``what`` names a
    field in messages ("field", "column")."""
    source = f"{rel}:{number}"

    def problem(loc: str, reason: str) -> Rejection:
        # A field's name is the input's own: one holding a URL with a credential is shown masked.
        return Rejection(file=rel, line=number, loc=mask(loc), reason=reason, stage=Stage.INGEST, article=source)

    why = unencodable(record)
    if why is not None:
        return Rejected(source, (problem("", why),))
    problems: list[Rejection] = []
    given: dict[str, list[str]] = {}  # factpack's field -> the record's names for it
    ignored: list[str] = []
    for key in record:
        if key in fields_.MEANS:
            given.setdefault(fields_.MEANS[key], []).append(key)
        elif key in fields_.READ_PAST:
            ignored.append(key)
        else:
            hint = fields_.did_you_mean(key, fields_.MEANS)
            expected = ", ".join(fields_.OWN)
            listed = fields_.hinted(hint, f"expected {expected} (or a crawler's name for one)")
            problems.append(problem(key, f"unknown {what}; {listed}"))
    fields: dict[str, Any] = {}
    names: dict[str, str] = {}
    for name, keys in given.items():
        keys.sort(key=fields_.PRECEDENCE[name].index)
        valued = [key for key in keys if record[key] is not None]  # a null says nothing (news-please's "text")
        if name == "text" and len(valued) > 1:
            problems.append(problem(valued[1], f"gives {name!r} a second time; keep one of the two {what}s"))
        used = valued[0] if valued else keys[0]
        fields[name], names[name] = record[used], used
        if name != "text":  # two texts are a problem (above), not a choice
            ignored.extend(key for key in valued if key != used)
    byline = fields.get("byline")
    if isinstance(byline, list) and all(isinstance(author, str) for author in byline):
        fields["byline"] = fields_.BYLINE_JOINER.join(a.strip() for a in byline if a.strip()) or None
    text = fields.pop("text", None)
    their_text = fields_.their_loc("text", names)
    if not isinstance(text, str):
        got = "missing" if text is None else f"of type {type(text).__name__}"
        problems.append(problem(their_text, f"the article text is {got}; give it as a string in 'text'"))
        return Rejected(source, tuple(problems))
    if "\x00" in text:
        at = text.index("\x00")
        reason = f"binary content (NUL byte at character {at}); only text articles are read"
        problems.append(problem(their_text, reason))
        return Rejected(source, tuple(problems))
    if not text.strip():
        place = "line" if input_format is InputFormat.JSONL else "row"
        problems.append(problem(their_text, f"empty or whitespace only; fill the text or remove the {place}"))
        return Rejected(source, tuple(problems))
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        problems.append(problem(their_text, f"lone surrogate escape at character {exc.start}; not encodable text"))
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
        field_names={name: key for name, key in names.items() if key != name},
    )
