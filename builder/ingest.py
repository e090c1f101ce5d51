"""Ingest: find the articles under ``raw/articles/`` and read them without changing a byte.

Every file is read by the format its suffix names (:mod:`builder.formats`); a file no format reads, a companion
file without its article (a ``.json`` sidecar with no ``.txt``), a link out of the folder, a linked folder and an
unreadable file are each refused as a unit of their own, so every file is accounted for. Hidden files are skipped.

Nothing is validated here beyond what is needed to read: problems travel with the article
(:attr:`RawArticle.problems`) so that validation can report every problem of an article at once.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

from builder.config import IngestConfig
from builder.errors import InputError
from builder.files import os_reason
from builder.formats import FORMATS, REFUSED, Unit, accepted, companion_of, reader
from builder.formats.base import whole_file_problem
from builder.models import FileEntry, RawArticle, Rejected

__all__ = ["Unit", "iter_raw", "iter_units", "read_unit"]


def iter_units(raw_dir: Path, cfg: IngestConfig, seen: list[FileEntry] | None = None) -> Iterator[Unit]:
    """Every unit of work under ``raw_dir/cfg.articles_dir``, in path order (then line or row order).

    A file a format lists by reading it (JSONL, Parquet) is recorded in ``seen`` here; the others are read by
    :func:`read_unit`, possibly in another process.
    """
    root = raw_dir / cfg.articles_dir
    if not raw_dir.is_dir():
        what = "not a folder" if raw_dir.exists() else "no such folder"
        raise InputError(
            f"{raw_dir}: {what}; give the raw folder, the one holding {cfg.articles_dir}/ (factpack build RAW)"
        )
    if not root.is_dir():
        raise InputError(f"{root}: no such folder; put articles there as {accepted(' or ')}")
    real_root = root.resolve()
    sink: list[FileEntry] = seen if seen is not None else []
    try:
        prefix = root.relative_to(raw_dir).as_posix()
    except ValueError:
        raise InputError(
            f"{root}: the articles folder is not under the raw folder {raw_dir}; give IngestConfig.articles_dir "
            "relative to it"
        ) from None
    for name, entry in _entries(root):
        rel = name if prefix == "." else f"{prefix}/{name}"
        if _is_dir(entry):
            if entry.is_symlink():  # not entered (its files could be anywhere): said, not skipped in silence
                yield Unit(REFUSED, rel, reason=f"a link to a folder ({Path(entry.path).resolve()}); copy its files in")
            continue
        path = Path(entry.path)
        suffix = path.suffix.lower()
        format_ = FORMATS.get(suffix)
        owner = companion_of(suffix)
        # Linked folders are not entered, so only a file that is itself a link can lead out of the folder:
        # resolving every path cost a few system calls per component of each of them.
        if entry.is_symlink() and not path.resolve().is_relative_to(real_root):
            yield Unit(REFUSED, rel, reason=f"points outside {root} (a link to {path.resolve()}); copy the file in")
        elif format_ is not None:
            try:
                yield from format_.units(path, rel, sink)
            except OSError as exc:
                yield Unit(REFUSED, rel, reason=f"cannot be read ({os_reason(exc)}); fix the file or remove it")
        elif owner is None:
            yield Unit(REFUSED, rel, reason=f"not an article: factpack reads {accepted()}")
        elif not path.with_suffix(owner.suffix).exists():
            article = path.with_suffix(owner.suffix).name
            yield Unit(REFUSED, rel, reason=f"sidecar without an article: no {article} beside it")


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a folder or a link to one; False, as ``Path.is_dir`` says, for a link that leads
    through a file or loops (the file is then refused, or rejected when read)."""
    try:
        return entry.is_dir()
    except OSError as exc:
        if exc.errno in (errno.ENOTDIR, errno.ELOOP, errno.ENOENT, errno.EBADF):
            return False
        raise


def _entries(root: Path) -> list[tuple[str, os.DirEntry[str]]]:
    """Every file and folder under ``root`` but hidden ones (such as .DS_Store) and what is in them, with its path
    relative to ``root``, in the order of those paths. A linked folder is listed, not entered; a folder this
    process may not list is passed over, as ``Path.rglob`` does. Each entry answers ``is_dir`` and
    ``is_symlink`` from what listing its folder found, without a system call of its own for most files."""
    found: list[tuple[str, os.DirEntry[str]]] = []
    pending = [(str(root), "")]
    while pending:
        folder, above = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except PermissionError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            name = above + entry.name
            found.append((name, entry))
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, name + "/"))
    found.sort(key=lambda item: item[0])
    return found


def read_unit(unit: Unit, raw_dir: Path, cfg: IngestConfig, seen: list[FileEntry]) -> RawArticle | Rejected:
    """The raw article of one unit (files read here are recorded in ``seen``)."""
    if unit.format == REFUSED:
        return whole_file_problem(unit.rel, unit.reason)
    return reader(unit.format).read(unit, raw_dir, cfg, seen)


def iter_raw(raw_dir: Path, cfg: IngestConfig, seen: list[FileEntry] | None = None) -> Iterator[RawArticle | Rejected]:
    """Stage: every raw article under ``raw_dir/cfg.articles_dir`` in path order.

    ``seen``, when given, receives a :class:`FileEntry` for every file read (texts, sidecars, JSONL files).
    """
    sink: list[FileEntry] = seen if seen is not None else []
    for unit in iter_units(raw_dir, cfg, sink):
        yield read_unit(unit, raw_dir, cfg, sink)
