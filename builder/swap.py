"""Put a finished dataset folder in place of the old one so that a reader never sees a half-built one, and let
only one build at a time write to it.

On Linux the two folders are exchanged in one ``renameat2(RENAME_EXCHANGE)`` call, then the old one is
deleted. Where that call is missing, the old folder is first renamed aside; a build that dies in between
leaves it there under ``.<name>.factpack-old``, and :func:`recover` (run at the start of every build)
puts it back.

:func:`locked` holds an OS lock (``flock``) on ``.<name>.factpack-lock`` beside the folder for a build's life: the
kernel releases it when the process ends, however it ends, so a killed build never blocks the next one. The lock
file holds the holder's pid for the message a second build gets, and is removed when the lock is released.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.errors import ConfigError, OutputError
from builder.files import os_reason

__all__ = [
    "LOCK_MARK",
    "TEMP_MARK",
    "check_replaceable",
    "locked",
    "recover",
    "signals_held",
    "staging_folder",
    "swap_in",
]

TEMP_MARK = ".factpack-tmp-"
LOCK_MARK = ".factpack-lock"
_OLD_MARK = ".factpack-old"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def check_replaceable(out: Path, ours: Callable[[Path], bool], holds: str) -> None:
    """Refuse an ``out`` that is a file, or a non-empty folder that ``ours`` does not recognise as factpack's own
    output (``holds`` names what that would be): a swap deletes what it replaces."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not ours(out):
        raise ConfigError(
            f"{out}: is not empty and holds no {holds}; factpack replaces only its own output, so choose another "
            "--out or empty the folder"
        )


def staging_folder(out: Path, tag: str = "") -> Path:
    """A new, empty folder beside ``out`` to build into (same file system, so the swap is a rename); a ``tag``
    names another temporary folder of the same build (the spool), which :func:`recover` clears the same way."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}{TEMP_MARK}{tag}{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    return staging


def recover(out: Path) -> None:
    """Undo what a killed build left: put an aside folder back, delete stale staging folders."""
    aside = out.parent / f".{out.name}{_OLD_MARK}"
    if aside.exists():
        if out.exists():
            shutil.rmtree(aside)
        else:
            aside.rename(out)
    if out.parent.is_dir():
        for stale in out.parent.glob(f".{out.name}{TEMP_MARK}*"):
            shutil.rmtree(stale, ignore_errors=True)


def swap_in(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging``; ``out`` may not exist yet."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; choose another --out or remove it")
    try:
        if not out.exists():
            staging.rename(out)
            return
        if _exchange(staging, out):
            shutil.rmtree(staging)
            return
        aside = out.parent / f".{out.name}{_OLD_MARK}"
        placed = False
        try:
            with signals_held():  # an interrupt between the two renames would leave no dataset at out
                out.rename(aside)
                staging.rename(out)
                placed = True
        finally:
            if placed:  # also when an interrupt held above is raised now; a folder left, the next build removes
                shutil.rmtree(aside, ignore_errors=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot put the new dataset in place ({os_reason(exc)}); check permissions") from exc


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM arriving in the block wait until it ends, then are handled as they would have been: for
    steps that must not be cut in the middle (the swap's two renames, the clean-up). In the main thread, where
    Python handles signals; elsewhere nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []

    def hold(signum: int, _frame: object) -> None:
        held.append(signum)

    previous = {int(sig): signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig, handler in previous.items():
        if handler is not None:  # None: set outside Python, left as it is
            signal.signal(sig, hold)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            if handler is not None:
                signal.signal(sig, handler)
        for sig in held[:1]:
            signal.raise_signal(sig)


def _exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two paths; False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return bool(result == 0)


@contextmanager
def locked(out: Path, *, wait: bool = False, waiting: Callable[[int | None], None] | None = None) -> Iterator[None]:
    """Hold the build lock of ``out`` for the block. When another live build holds it: wait for it (``wait``,
    telling ``waiting`` its pid first), else raise :class:`OutputError` naming its pid."""
    import fcntl

    path = out.parent / f".{out.name}{LOCK_MARK}"
    while True:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(
                f"{out.parent}: cannot write there ({os_reason(exc)}); choose an --out on a disk this user can write"
            ) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            if not wait:
                os.close(descriptor)
                who = f"pid {holder}" if holder is not None else "another process"
                raise OutputError(
                    f"{out}: another build ({who}) is writing it; wait for it to finish, or build with --wait to "
                    "start when it has"
                ) from None
            if waiting is not None:
                waiting(holder)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        if _same_file(descriptor, path):
            break
        os.close(descriptor)  # the holder before removed the file as we opened it: lock the one that is there now
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        with signals_held():  # an interrupt here would leave the lock file behind
            path.unlink(missing_ok=True)  # before the unlock: a waiter then finds its file gone and opens a new one
            os.close(descriptor)


def _holder(descriptor: int) -> int | None:
    text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        return os.fstat(descriptor).st_ino == path.stat().st_ino
    except FileNotFoundError:
        return False
