"""Provenance: every claim, context, cue and selector is the article's text at its offsets; with the raw folder,
every article's text is the raw file it names, byte for byte.

Article texts are read one split at a time (claims never point into another split unless the data leaks, which
the values check reports), so the check holds at most one split's texts.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from builder.verify.dataset import Dataset, Problems
from builder.verify.values import Index

__all__ = ["check_provenance", "check_raw"]

_PREFIX = 32  # characters of context a TextQuoteSelector keeps on each side

# (field, start, end) of every value that must equal text[start:end]; a None value is not checked.
_SLICES = (
    ("text", "char_start", "char_end"),
    ("context", "context_start", "context_end"),
    ("cue", "cue_start", "cue_end"),
)


def _texts(dataset: Dataset, split: str | None) -> dict[str, str]:
    texts: dict[str, str] = {}
    for shard in dataset.of("articles", split):
        table = shard.table()
        if table is not None and {"article_id", "text"} <= set(table.column_names):
            ids = table["article_id"].to_pylist()
            texts.update(zip(ids, table["text"].to_pylist(), strict=True))
    return texts


def check_provenance(dataset: Dataset, index: Index, problems: Problems) -> int:
    """Check every claims shard against the article texts; returns the claims checked."""
    checked = 0
    for split in sorted({shard.split for shard in dataset.of("claims")}, key=str):
        if problems.full:
            break
        texts = _texts(dataset, split)
        for shard in dataset.of("claims", split):
            table = shard.table()
            if table is None:
                continue
            rows = table.to_pylist()
            del table
            for row, claim in enumerate(rows):
                text = texts.get(claim.get("article_id"))
                if text is not None:
                    _check_claim(shard.name, row, claim, text, problems)
                    checked += 1
    return checked


def _differs(value: Any, text: str, start: Any, end: Any) -> str | None:
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(text):
        return f"[{start}:{end}] is outside the article text of {len(text)} characters"
    if text[start:end] != value:
        return f"raw[{start}:{end}] differs"
    return None


def _check_claim(shard: str, row: int, claim: dict[str, Any], text: str, problems: Problems) -> None:
    for name, start, end in _SLICES:
        value = claim.get(name)
        if value is not None or name == "text":
            why = _differs(value, text, claim.get(start), claim.get(end))
            if why is not None:
                problems.add("offset-mismatch", shard, why, row=row, field=name)
    first, last = claim.get("speaker_start"), claim.get("speaker_end")
    # The speaker is the resolved name ("he" → "Jens Stoltenberg"), not a slice: only the mention's place is checked.
    if (first, last) != (None, None) and not (
        isinstance(first, int) and isinstance(last, int) and 0 <= first < last <= len(text)
    ):
        note = f"mention [{first}:{last}] is not a span of the article text of {len(text)} characters"
        problems.add("offset-mismatch", shard, note, row=row, field="speaker_start")
    selector = claim.get("selector") or {}
    begin, finish = claim.get("char_start"), claim.get("char_end")
    if isinstance(begin, int) and isinstance(finish, int):
        expected = {
            "exact": text[begin:finish],
            "prefix": text[max(0, begin - _PREFIX) : begin],
            "suffix": text[finish : finish + _PREFIX],
        }
        for part, value in expected.items():
            if selector.get(part) != value:
                problems.add(
                    "offset-mismatch",
                    shard,
                    f"selector.{part} is not the raw text there",
                    row=row,
                    field=f"selector.{part}",
                )


def check_raw(dataset: Dataset, raw: Path, problems: Problems) -> int:
    """Each article's raw file exists and hashes to the article's ``sha256``; returns the files checked."""
    checked: set[str] = set()
    for shard in dataset.of("articles"):
        table = shard.table()
        if table is None or not {"source_file", "sha256", "text"} <= set(table.column_names):
            continue
        columns = {
            name: table[name].to_pylist()
            for name in ("source_file", "source_line", "sha256", "text", "encoding")
            if name in table.column_names
        }
        for row, source in enumerate(columns["source_file"]):
            path = raw / str(source)
            if not path.is_file():
                problems.add("raw-missing", shard.name, f"{path} does not exist", row=row, field="source_file")
                continue
            checked.add(str(source))
            line = columns.get("source_line", [None] * (row + 1))[row]
            text = columns["text"][row]
            if line is None:
                data = path.read_bytes()
                encoding = columns.get("encoding", ["utf-8"] * (row + 1))[row] or "utf-8"
                matches = hashlib.sha256(data).hexdigest() == columns["sha256"][row]
                matches = matches and data.decode(encoding, errors="replace") == text
            else:  # a JSONL article: its sha256 is of the text's UTF-8 bytes, the line's decoded value
                matches = hashlib.sha256(text.encode("utf-8")).hexdigest() == columns["sha256"][row]
                matches = matches and _line_holds(path, line, text)
            if not matches:
                problems.add(
                    "raw-hash-mismatch", shard.name, f"{path} is not the article's raw text", row=row, field="sha256"
                )
    return len(checked)


def _line_holds(path: Path, line: int, text: str) -> bool:
    import json

    with path.open("rb") as stream:
        for number, data in enumerate(stream, start=1):
            if number == line:
                try:
                    value = json.loads(data)
                except ValueError:
                    return False
                return isinstance(value, dict) and text in value.values()
    return False
