"""Text handed to a command line by line: a file or standard input, UTF-8, plain lines or one JSON object per line.

``factpack worthiness score`` and ``factpack standalone`` read their input the same way, with these.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from builder.errors import InputError
from builder.files import os_reason

__all__ = ["json_object", "numbered_lines", "read_bytes", "read_source", "utf8_text"]


def read_bytes(path: Path, wanted: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; give {wanted}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({os_reason(exc)}); check the path and its rights") from exc


def utf8_text(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{name}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None


def json_object(where: str, line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not JSON ({exc.msg}); give one JSON object per line") from None
    if not isinstance(record, dict):
        raise InputError(f'{where}: a JSON {type(record).__name__}, not an object; give {{"text": ...}}')
    return record


def read_source(path: Path | None, stdin: bytes | None, wanted: str) -> tuple[str, str]:
    """The name (``-`` for standard input) and text of ``path``, or of ``stdin`` when ``path`` is None."""
    name = "-" if path is None else str(path)
    data = (stdin or b"") if path is None else read_bytes(path, wanted)
    return name, utf8_text(name, data)


def numbered_lines(text: str, source: str, nothing: str, unit: str) -> tuple[list[tuple[int, str]], bool]:
    """The non-blank lines of ``text`` with their 1-based numbers (blank lines count), and whether they are JSONL
    (the first starts with ``{``). No line at all is an error naming ``source``: "-: no passages; give one
    passage per line, …" (``nothing``, ``unit``)."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise InputError(f"{source}: {nothing}; give one {unit} per line, or JSONL with a 'text' field per line")
    return lines, lines[0][1].lstrip().startswith("{")
