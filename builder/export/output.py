"""Writing export files: never inside the dataset folder, and never half-written."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from builder.errors import ConfigError, OutputError

__all__ = ["check_target", "write_atomic", "write_bytes_atomic"]


def check_target(dist: Path, out: Path, *, folder: bool = False) -> None:
    """Refuse an output inside the dataset folder (its manifest hashes every file there, so one more breaks it),
    and a file where a folder is meant or the other way round."""
    if out.resolve().is_relative_to(dist.resolve()):
        raise ConfigError(f"{out}: inside the dataset folder {dist}; write the export somewhere else")
    if folder and out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: is a file; give a folder for the tasks and the labeling config")
    if not folder and out.is_dir():
        raise ConfigError(f"{out}: is a folder; give a file path")


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
