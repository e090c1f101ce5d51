"""The spool a build keeps in the cache, so that the next build of the same output folder takes its unchanged
articles' rows from it instead of reading every cached result back and spooling it again.

After a build is in place, its spool's files move (renamed, not copied) to ``<cache>/spool/<name>``, ``name``
a hash of the output folder's path: each output folder has one kept spool, replaced only by a build holding that
folder's lock (:func:`builder.swap.locked`), so two builds never write the same one. ``kept.json`` beside the
files says the layout's version, the sketch's band count and every file's size; a kept spool whose files do not
have those sizes, or whose record is missing or of another version, is not used.

A row's bytes are a function of its article's per-article cache key (:mod:`builder.cache`: the code, the options
and every byte the unit read), and the kept spool names each article's rows by that key. The next build's
workers (:func:`builder.work.process_unit`) compute each unit's key as before; one that the kept spool holds is
handed back as a key alone, and the driver copies that article's rows from the kept spool's files, runs of
consecutive articles at a time (:meth:`builder.spool.Spool.append_kept`), with the kernel's copy where the file
system has one. The rows are not read in Python and not decoded.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import BinaryIO

import numpy as np

from builder.errors import OutputError
from builder.swap import recover, staging_folder, swap_in

__all__ = ["KEPT_FORMAT", "KeptSpool", "copy_range", "keep_files", "kept_folder", "kept_keys"]

KEPT_FORMAT = "factpack-spool/1"
_RECORD = "kept.json"
ROWS = ("articles.arrows", "claims.arrows", "summaries.bin")
"""The spool's row files, each with an ``<stem>_offsets.npy`` of where each article's bytes start."""
ARRAYS = ("row_digests.npy", "claim_start.npy", "item_start.npy")
"""Per article: its rows' digest (its cache key), where its claims and its sketch items start."""


def kept_folder(cache_dir: Path, out_dir: Path) -> Path:
    """Where the spool of the builds of ``out_dir`` is kept."""
    name = hashlib.sha256(os.fsencode(out_dir.resolve())).hexdigest()[:32]
    return cache_dir / "spool" / name


def sketch_files(bands: int) -> list[str]:
    """The sketch's files, relative to the spool's folder."""
    names = [f"band-{band:03d}.u64" for band in range(bands)] + ["shingles.u32", "owner.npy", "offsets.npy"]
    return [f"sketch/{name}" for name in [*names, "exact.npy"]]


def _files(bands: int) -> list[str]:
    offsets = [f"{Path(name).stem}_offsets.npy" for name in ROWS]
    return [*ROWS, *offsets, *ARRAYS, *sketch_files(bands)]


def keep_files(spool: Path, folder: Path, bands: int) -> bool:
    """Move a closed spool's files from ``spool`` to ``folder``, replacing what an earlier build kept there; False
    when they could not be (another file system, a full disk): the next build then reads the cache as before.
    Call it holding the output folder's lock."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    recover(folder)
    staging = staging_folder(folder)
    try:
        (staging / "sketch").mkdir()
        sizes = {}
        for name in _files(bands):
            (spool / name).rename(staging / name)
            sizes[name] = (staging / name).stat().st_size
        record = {"format": KEPT_FORMAT, "bands": bands, "sizes": sizes}
        (staging / _RECORD).write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
        swap_in(staging, folder)
    except (OSError, OutputError):
        shutil.rmtree(staging, ignore_errors=True)
        return False
    return True


def _record(folder: Path) -> dict[str, object] | None:
    """The kept spool's record when every file it names has its size, else None."""
    try:
        record = json.loads((folder / _RECORD).read_text(encoding="utf-8"))
        if record.get("format") != KEPT_FORMAT:
            return None
        sizes = record["sizes"]
        if set(sizes) != set(_files(int(record["bands"]))):
            return None
        if any((folder / name).stat().st_size != size for name, size in sizes.items()):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return dict(record)


@functools.lru_cache(maxsize=2)
def _keys(path: Path, _stamp: tuple[int, int, int]) -> frozenset[bytes]:
    digests = np.load(path)
    return frozenset(bytes(row) for row in digests)


def kept_keys(folder: Path) -> frozenset[bytes]:
    """The cache keys (32 bytes each) of the articles the kept spool in ``folder`` holds; empty when it holds none
    or cannot be read. Read once per process while the file stays the same (a worker serves many units)."""
    path = folder / "row_digests.npy"
    try:
        stat = path.stat()
        return _keys(path, (stat.st_ino, stat.st_mtime_ns, stat.st_size))
    except (OSError, ValueError):
        return frozenset()


def copy_range(source: int, target: BinaryIO, start: int, length: int) -> None:
    """Append ``length`` bytes of the open file ``source`` from ``start`` to ``target``: in the kernel where it
    can (no bytes through this process), else read and written a megabyte at a time."""
    target.flush()
    kernel_copy = getattr(os, "copy_file_range", None)  # Linux only
    with contextlib.suppress(OSError):
        while kernel_copy is not None and length > 0:
            copied = kernel_copy(source, target.fileno(), length, start)
            if copied == 0:
                break
            start, length = start + copied, length - copied
    target.seek(0, os.SEEK_END)  # the writer's idea of where it is, after the kernel moved the descriptor
    while length > 0:
        chunk = os.pread(source, min(length, 1 << 20), start)
        if not chunk:
            raise OSError(f"the kept spool ended {length} bytes early")
        target.write(chunk)
        start, length = start + len(chunk), length - len(chunk)


class KeptSpool:
    """A kept spool, open for a build to copy rows from: its articles by cache key, and their byte ranges."""

    def __init__(self, folder: Path, bands: int) -> None:
        self.folder = folder
        self.bands = bands
        self.row_digests: np.ndarray = np.load(folder / "row_digests.npy")
        self.index = {bytes(row): article for article, row in enumerate(self.row_digests)}
        self.claim_start: np.ndarray = np.load(folder / "claim_start.npy")
        self.item_start: np.ndarray = np.load(folder / "item_start.npy")
        self.offsets = {name: np.load(folder / f"{Path(name).stem}_offsets.npy") for name in ROWS}
        # Per item, read in runs as they are copied: mapped, not loaded whole.
        self.owner: np.ndarray = np.load(folder / "sketch" / "owner.npy", mmap_mode="r")
        self.exact: np.ndarray = np.load(folder / "sketch" / "exact.npy", mmap_mode="r")
        self.shingle_offsets: np.ndarray = np.load(folder / "sketch" / "offsets.npy", mmap_mode="r")
        self._fds: dict[str, int] = {}

    @classmethod
    def open(cls, folder: Path, bands: int) -> KeptSpool | None:
        """The kept spool in ``folder`` when there is a whole one of this layout and band count, else None."""
        record = _record(folder)
        if record is None or record["bands"] != bands:
            return None
        try:
            return cls(folder, bands)
        except (OSError, ValueError):
            return None

    def fd(self, name: str) -> int:
        """An open descriptor of one of its files (opened once)."""
        if name not in self._fds:
            self._fds[name] = os.open(self.folder / name, os.O_RDONLY)
        return self._fds[name]

    def summary(self, article: int) -> bytes:
        """The summary of an article it holds, as its worker wrote it."""
        offsets = self.offsets["summaries.bin"]
        start, end = int(offsets[article]), int(offsets[article + 1])
        return os.pread(self.fd("summaries.bin"), end - start, start)

    def close(self) -> None:
        for descriptor in self._fds.values():
            os.close(descriptor)
        self._fds = {}
