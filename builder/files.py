"""File helpers shared by the stages: hashes of files, curated JSON read with a clear error, atomic writes.

Nothing here knows about articles or datasets: a file is bytes, a path and a reason to refuse it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError

from builder.errors import InputError, OutputError
from builder.models import FileEntry

__all__ = [
    "FRESH_NS",
    "Stamp",
    "file_entry",
    "first_error",
    "naming",
    "os_reason",
    "path_key",
    "read_curated_json",
    "stamp",
    "unencodable",
    "write_atomic",
    "write_bytes_atomic",
]


def file_entry(path: Path, root: Path) -> FileEntry:
    """Size and sha256 of a file, named relative to ``root``; read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return FileEntry(path=path.relative_to(root).as_posix(), bytes=size, sha256=digest.hexdigest())


Stamp = tuple[int, int, int, int]
"""A file's size, modification and change times (ns) and inode: what any write, truncation or replacement of it
changes (the change time cannot be set back)."""
FRESH_NS = 2_000_000_000
"""A file changed this close to when it was stamped may change again without its stamp moving (a clock tick is
coarse): its stamp vouches for nothing."""


def path_key(path: Path) -> str:
    """A short name for a path, from where it resolves: what the cache keeps for one output folder is kept under
    it."""
    return hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:32]


def stamp(found: os.stat_result) -> Stamp:
    """The stamp of a file, from its ``stat``."""
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def read_curated_json(path: Path, expected: type[dict[str, Any]] | type[list[Any]], shape: str) -> Any:
    """A curated JSON file of the raw folder, parsed; raises :class:`InputError` naming the file when it is not
    valid UTF-8 JSON or not an ``expected`` value (``shape`` describes what it should hold)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc}); fix the file or remove it") from exc
    why = unencodable(value)
    if why is not None:
        raise InputError(f"{path}: {why}")
    if not isinstance(value, expected):
        raise InputError(f"{path}: expected {shape}")
    return value


def first_error(exc: ValidationError) -> tuple[str, str]:
    """The field (dotted ``loc``, or ``(entry)``) and the message of a validation error's first problem."""
    error = exc.errors()[0]
    return ".".join(str(part) for part in error["loc"]) or "(entry)", error["msg"]


def unencodable(value: Any) -> str | None:
    """Why a parsed JSON value cannot be stored as UTF-8 (a lone surrogate escape such as \\ud800), else None."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"holds a lone surrogate escape ({exc.object[exc.start : exc.end]!r}), which no text can store; fix it"
    return None


@contextmanager
def naming(path: Path) -> Iterator[None]:
    """An OSError raised while writing ``path`` names it: a failed ``write`` (a full disk) carries no file name,
    and the user needs to know which disk filled."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc


def write_atomic(path: Path, chunks: Iterable[str]) -> None:
    """Write ``chunks`` as UTF-8 to a temporary file beside ``path``, then rename it over ``path``.

    A failed or killed export leaves the previous file as it was, and a reader never sees half a file.
    """

    def fill(stream: BinaryIO) -> None:
        for chunk in chunks:
            stream.write(chunk.encode("utf-8"))

    _replace(path, fill)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` the same way, keeping its permissions."""
    _replace(path, lambda stream: stream.write(data))


def _replace(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as stream:
            fill(stream)
        if path.is_file():
            shutil.copymode(path, partial)
        partial.replace(path)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            why = f"{path}: cannot be written ({exc.strerror or exc}); check the path and permissions"
            raise OutputError(why) from exc
        raise


def os_reason(exc: OSError) -> str:
    """What an ``OSError`` says went wrong, for a message: its ``strerror`` ("No space left on device"), else its
    text, since some carry no ``strerror`` (a socket's "AF_UNIX path too long"), else its class's name."""
    return exc.strerror or str(exc) or type(exc).__name__
