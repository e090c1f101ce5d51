"""The test processes' Hugging Face home (see :func:`private_hf_home`), kept out of conftest so that conftest can
set it before its own imports."""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import tempfile
from pathlib import Path


def private_hf_home() -> str:
    """A Hugging Face home for this process alone (each xdist worker makes its own), removed when the process exits.

    A process killed before its exit handlers ran leaves its home behind: the next test process removes it. Each
    process holds an OS lock (``flock``) on its home's ``.owner`` file for its whole life, which the kernel releases
    however it ends, so a home whose lock can be taken belongs to no running process."""
    for lock in Path(tempfile.gettempdir()).glob("factpack-hf-home-*/.owner"):
        try:
            handle = os.open(lock, os.O_RDONLY)
        except OSError:
            continue  # removed by another test process just now
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(lock.parent, ignore_errors=True)
        except OSError:
            pass  # its process is running
        finally:
            os.close(handle)
    home = tempfile.mkdtemp(prefix="factpack-hf-home-")
    # Locked under another name first, so that no other process sees an .owner that is not locked yet.
    handle = os.open(os.path.join(home, ".owner-new"), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(handle, fcntl.LOCK_EX)
    os.rename(os.path.join(home, ".owner-new"), os.path.join(home, ".owner"))
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:  # not in a forked child: its parent goes on using the home
            shutil.rmtree(home, ignore_errors=True)

    atexit.register(remove)
    return home
