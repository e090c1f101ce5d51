"""The spool a build keeps in the cache, so that the next build of the same output folder takes its unchanged
articles' rows from it instead of reading every cached result back and spooling it again.

After a build is in place, its spool's files move (renamed, not copied) to ``<cache>/spool/<name>``, ``name``
a hash of the output folder's path: each output folder has one kept spool, replaced only by a build holding that
folder's lock (:func:`builder.swap.locked`), so two builds never write the same one. ``kept.json`` beside the
files says the layout's version, the sketch's band count, the SHA-256 of its keys' file and every file's stamp
(size, modification and change times, inode), taken when it was kept; a kept spool whose files do not have those
stamps (a file written, truncated, replaced or copied since), or whose record is missing or of another version, is
not used. Only a build holding the folder's lock writes these files, and it stamps them when it has finished
writing: checking the stamps reads none of their bytes, where hashing them cost a rebuild a read of every kept
byte (about 60 KB an article).

A row's bytes are a function of its article's per-article cache key (:mod:`builder.cache`: the code, the options
and every byte the unit read), and the kept spool names each article's rows by that key. The next build's
workers (:func:`builder.work.process_unit`) compute each unit's key as before; one that the kept spool holds is
handed back as a key alone, and the driver copies that article's rows from the kept spool's files, runs of
consecutive articles at a time (:meth:`builder.spool.Spool.append_kept`), with the kernel's copy where the file
system has one (else read and written a megabyte at a time); when every kept article comes first and in order
(nothing changed, only labels, or new articles listed after the others), the kept files are taken whole, renamed
into the new spool, and the kept spool is used up. The rows are never decoded. A worker trusts only
the kept spool the driver opened (:class:`KeptRef`: its folder and the digest of its keys), not another one that
its own machine happens to hold at that path.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from builder.errors import OutputError
from builder.files import file_entry, path_key, stamp
from builder.swap import recover, staging_folder, swap_in

__all__ = [
    "KEPT_FORMAT",
    "KeptRef",
    "KeptSpool",
    "KeySet",
    "copy_range",
    "keep_files",
    "kept_files",
    "kept_folder",
    "kept_keys",
    "offsets_file",
    "sketch_data",
]

KEPT_FORMAT = "factpack-spool/3"
_RECORD = "kept.json"
ROWS = ("articles.arrows", "claims.arrows", "summaries.bin")
"""The spool's row files, each with an ``<stem>_offsets.npy`` of where each article's bytes start."""
ARRAYS = ("row_digests.npy", "claim_start.npy", "item_start.npy")
"""Per article: its rows' digest (its cache key), where its claims and its sketch items start."""


def kept_folder(cache_dir: Path, out_dir: Path) -> Path:
    """Where the spool of the builds of ``out_dir`` is kept."""
    return cache_dir / "spool" / path_key(out_dir)


def offsets_file(rows: str) -> str:
    """The file of where each article's bytes start in the row file ``rows``."""
    return f"{Path(rows).stem}_offsets.npy"


def sketch_data(bands: int) -> list[str]:
    """The sketch's files of items' data, relative to the spool's folder: each band's keys, then the shingles."""
    return [f"sketch/band-{band:03d}.u64" for band in range(bands)] + ["sketch/shingles.u32"]


def kept_files(bands: int) -> list[str]:
    """Every file a kept spool holds besides its record."""
    arrays = [f"sketch/{name}" for name in ("owner.npy", "offsets.npy", "exact.npy")]
    return [*ROWS, *map(offsets_file, ROWS), *ARRAYS, *sketch_data(bands), *arrays]


def keep_files(spool: Path, folder: Path, bands: int) -> bool:
    """Move a closed spool's files from ``spool`` to ``folder``, replacing what an earlier build kept there, with
    each file's stamp; False when they could not be (another file system, a full disk, a cache folder that cannot
    be written): the next build then reads the cache as before. Call it holding the output folder's lock."""
    staging: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        recover(folder)
        staging = staging_folder(folder)
        (staging / "sketch").mkdir()
        for name in kept_files(bands):
            (spool / name).rename(staging / name)  # a rename moves a file's change time: stamped after it
        stamps = {name: stamp((staging / name).stat()) for name in kept_files(bands)}
        keys = file_entry(staging / "row_digests.npy", staging).sha256
        record = {"format": KEPT_FORMAT, "bands": bands, "files": stamps, "keys_sha256": keys}
        (staging / _RECORD).write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
        swap_in(staging, folder)
    except (OSError, OutputError):
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        return False
    return True


def _record(folder: Path, bands: int) -> dict[str, object] | None:
    """The kept spool's record when it is of this layout and band count and every file it names has the stamp it
    had when it was kept, else None."""
    try:
        record = json.loads((folder / _RECORD).read_text(encoding="utf-8"))
        if record.get("format") != KEPT_FORMAT or record.get("bands") != bands:
            return None
        files = record["files"]
        if set(files) != set(kept_files(bands)) or not isinstance(record["keys_sha256"], str):
            return None
        if any(list(stamp((folder / name).stat())) != recorded for name, recorded in files.items()):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return dict(record)


class KeySet:
    """32-byte keys, looked up by their first 8 bytes in a sorted array (16 bytes a key, not a Python object
    each): where one is in the kept spool, or whether it is there."""

    def __init__(self, keys: np.ndarray) -> None:
        self._keys = np.ascontiguousarray(keys, dtype=np.uint8).reshape(-1, 32)
        prefixes = self._keys[:, :8].copy().view(">u8").ravel()
        self._order = np.argsort(prefixes, kind="stable")
        self._sorted = prefixes[self._order]

    def __len__(self) -> int:
        return len(self._keys)

    def index(self, key: bytes, hint: int = -1) -> int:
        """A place where ``key`` is (the same key twice names the same bytes), or -1; ``hint``, where it is likely
        to be, is looked at first (a rebuild asks for the kept articles mostly in their order)."""
        if 0 <= hint < len(self._keys) and self._keys[hint].tobytes() == key:
            return hint
        prefix = np.frombuffer(key[:8], dtype=">u8")[0]
        first = int(np.searchsorted(self._sorted, prefix, side="left"))
        while first < len(self._sorted) and self._sorted[first] == prefix:
            place = int(self._order[first])
            if self._keys[place].tobytes() == key:
                return place
            first += 1
        return -1

    def __contains__(self, key: object) -> bool:
        return isinstance(key, bytes) and len(key) == 32 and self.index(key) >= 0


@dataclass(frozen=True)
class KeptRef:
    """What a worker is told of the kept spool the driver opened: its folder, and the SHA-256 of its keys' file,
    so that a worker whose machine holds another kept spool at that path (a Ray node's own cache) uses none."""

    folder: Path
    keys_digest: str


@functools.lru_cache(maxsize=1)
def _keys(ref: KeptRef, _stamp: tuple[int, int, int]) -> KeySet:
    path = ref.folder / "row_digests.npy"
    if file_entry(path, path.parent).sha256 != ref.keys_digest:
        return _no_keys()
    return KeySet(np.load(path))


def kept_keys(ref: KeptRef) -> KeySet:
    """The cache keys of the articles the kept spool ``ref`` names holds; none when this machine's file at that path
    is another or cannot be read. Read once per process while the file stays the same (a worker serves many
    units)."""
    try:
        stat = (ref.folder / "row_digests.npy").stat()
        return _keys(ref, (stat.st_ino, stat.st_mtime_ns, stat.st_size))
    except (OSError, ValueError):
        return _no_keys()


def _no_keys() -> KeySet:
    return KeySet(np.empty((0, 32), dtype=np.uint8))


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

    def __init__(self, folder: Path, bands: int, keys_digest: str) -> None:
        self.folder = folder
        self.bands = bands
        self.ref = KeptRef(folder, keys_digest)
        self.row_digests: np.ndarray = np.load(folder / "row_digests.npy")
        self.keys = KeySet(self.row_digests)
        self.claim_start: np.ndarray = np.load(folder / "claim_start.npy")
        self.item_start: np.ndarray = np.load(folder / "item_start.npy")
        self.offsets = {name: np.load(folder / offsets_file(name)) for name in ROWS}
        # Per item, read in runs as they are copied: mapped, not loaded whole.
        self.owner: np.ndarray = np.load(folder / "sketch" / "owner.npy", mmap_mode="r")
        self.exact: np.ndarray = np.load(folder / "sketch" / "exact.npy", mmap_mode="r")
        self.shingle_offsets: np.ndarray = np.load(folder / "sketch" / "offsets.npy", mmap_mode="r")
        self._fds: dict[str, int] = {}

    @classmethod
    def open(cls, folder: Path, bands: int) -> KeptSpool | None:
        """The kept spool in ``folder`` when there is a whole, undamaged one of this layout and band count, else
        None."""
        record = _record(folder, bands)
        if record is None:
            return None
        keys = record["keys_sha256"]
        assert isinstance(keys, str)
        try:
            return cls(folder, bands, keys)
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

    def consume(self) -> None:
        """Mark it as no longer whole, before a build takes its files by renaming them (a build that fails after
        leaves no record naming files that are gone; the next one reads the cache)."""
        (self.folder / _RECORD).unlink()

    def close(self) -> None:
        """Close its files and drop its maps, so that replacing it frees its disk space at once."""
        for descriptor in self._fds.values():
            os.close(descriptor)
        self._fds = {}
        empty = np.empty(0, dtype=np.int64)
        self.owner, self.exact, self.shingle_offsets = empty, empty.astype(np.uint64), empty
