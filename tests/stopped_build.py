"""A real build in a child process that stops at one point (by wrapping a library function), for the tests that
signal or kill a build, or run two at once. Nothing in the library knows about this.

The build stops until the test lets it go on (:func:`resume`) or ends it: every wait is on an event (a file
appearing or going, a process ending), never a guess about how fast this machine is. The deadlines below only
keep a broken test from hanging for ever.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import REPO

HANG = 600.0
"""Seconds after which a wait that should have ended is a hung test: far beyond any build here, on any machine."""
GONE = 120.0
"""Seconds after which a process of a build that has ended, still running, was left behind: its processes end as soon
as they are scheduled once, on any machine."""

CHILD = r"""
import atexit, os, signal, sys, time
from pathlib import Path
# A program started from a terminal: SIGINT and SIGTERM neither blocked nor ignored, whatever the test process left
# to its children (a test worker that started a pool may have them blocked in a thread, or ignored).
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
raw, out, point, marker = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
workers, face, engine = int(sys.argv[5]), sys.argv[6], sys.argv[7]
parent = os.getppid()

def stop():
    marker.write_text(point)
    while marker.exists():  # until the test removes it; a test that died takes this process with it
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(0.01)

import concurrent.futures
import builder.assemble as assemble
import builder.pipeline as pipeline
import builder.swap as swap
import builder.write as write
import builder.stages as stages

def after(function):
    def wrapped(*args, **kwargs):
        result = function(*args, **kwargs)
        stop()
        return result
    return wrapped

def before(function):
    def wrapped(*args, **kwargs):
        stop()
        return function(*args, **kwargs)
    return wrapped

progress = None
if point == "extracting":
    stages.extract_claims = lambda article, cfg, model=None: stop()
elif point == "first-result":  # the workers are busy with the next batches
    seen = []
    def progress(source):
        if not seen:
            seen.append(source)
            stop()
elif point == "clustering":
    assemble.cluster = before(assemble.cluster)
elif point == "shards-written":
    write.render_card = after(write.render_card)
elif point == "manifest-written":
    write.write_manifest = after(write.write_manifest)
elif point == "verified":  # the last moment that leaves the previous dataset: the swap is not decided yet
    pipeline.verify_timed = after(pipeline.verify_timed)
elif point == "before-swap":  # decided: the new folder is verified and about to be put in place
    pipeline.swap_in = before(pipeline.swap_in)
elif point == "between-renames":  # a system without renameat2: the old folder set aside, the new not yet in place
    swap._exchange = lambda first, second: False
    rename = Path.rename
    def set_aside_then_stop(self, target):
        moved = rename(self, target)
        if Path(target).name.endswith(".factpack-old"):
            stop()
        return moved
    Path.rename = set_aside_then_stop
elif point == "swapped":
    pipeline.swap_in = after(pipeline.swap_in)
elif point == "pool-shutdown":  # the build done, its pool waited for
    shutdown = concurrent.futures.ProcessPoolExecutor.shutdown
    def stop_then_shutdown(self, wait=True, **kwargs):
        if wait:
            stop()
        return shutdown(self, wait, **kwargs)
    concurrent.futures.ProcessPoolExecutor.shutdown = stop_then_shutdown
elif point == "exiting":  # the command has returned: the interpreter is ending
    atexit.register(stop)
if face == "cli":  # the command, with its signal handling: factpack build RAW --out OUT --workers N --no-cache …
    from builder.cli import main
    sys.argv = ["factpack", "build", str(raw), "--out", str(out), "--workers", str(workers), "--no-cache"]
    sys.argv += ["--engine", engine]
    main()
else:
    from builder.config import BuildConfig
    pipeline.build(BuildConfig(raw_dir=raw, out_dir=out, workers=workers, engine=engine), progress)
"""


def start(
    raw: Path,
    out: Path,
    point: str,
    marker: Path,
    workers: int = 1,
    cli: bool = False,
    engine: str = "local",
    temporary: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start the build and return once it has stopped at ``point``, where it stays until :func:`resume`; with
    ``cli``, through ``factpack build`` (its stdout and stderr piped), else through the library. The build runs in a
    process group of its own, which a test can signal as a terminal does (``os.killpg``). ``temporary``: its
    TMPDIR (see :func:`temporary_folder`)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if temporary is not None:
        env["TMPDIR"] = str(temporary)
    face = "cli" if cli else "library"
    args = [sys.executable, "-c", CHILD, str(raw), str(out), point, str(marker), str(workers), face, engine]
    piped = subprocess.PIPE if cli else None
    child = subprocess.Popen(args, env=env, stdout=piped, stderr=piped, start_new_session=True)
    deadline = time.monotonic() + HANG
    while not marker.exists():
        if child.poll() is not None:
            _, stderr = child.communicate()
            raise AssertionError(f"the build ended before reaching {point}: {(stderr or b'').decode()}")
        if time.monotonic() > deadline:
            child.kill()
            child.communicate()
            raise AssertionError(f"the build never reached {point}")
        time.sleep(0.01)
    return child


def resume(marker: Path) -> None:
    """Let the build stopped at ``marker`` go on."""
    marker.unlink()


def descendants(pid: int) -> list[int]:
    """Every process under ``pid`` (children, their children, …), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _started(pid: int) -> int | None:
    """When ``pid`` started (field 22 of /proc/<pid>/stat, in clock ticks since boot); None once it is gone."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def watch(pid: int) -> dict[int, int]:
    """A pidfd for every process under ``pid``: it refers to that process, not to its number, which the system
    gives to another process once it has ended, and it is readable once the process has ended (a zombie, which
    still has a /proc entry, has ended)."""
    handles = {}
    for process in descendants(pid):
        started = _started(process)
        try:
            handle = os.pidfd_open(process)
        except ProcessLookupError:
            continue  # ended since the listing
        if started is None or _started(process) != started:
            os.close(handle)  # ended, and its number taken by another process, since the listing
            continue
        handles[process] = handle
    return handles


def still_running(handles: dict[int, int]) -> list[int]:
    """Wait for every watched process to end; those still running :data:`GONE` seconds later (none, unless the build
    leaves processes behind), which are then killed. Closes the handles."""
    deadline = time.monotonic() + GONE
    running = dict(handles)
    while running and time.monotonic() < deadline:
        ready, _, _ = select.select(list(running.values()), [], [], deadline - time.monotonic())
        running = {pid: handle for pid, handle in running.items() if handle not in ready}
    for handle in running.values():
        signal.pidfd_send_signal(handle, signal.SIGKILL)
    for handle in handles.values():
        os.close(handle)
    return sorted(running)


@contextmanager
def temporary_folder() -> Iterator[Path]:
    """A TMPDIR for a build, removed after the block: a pool's forkserver keeps its socket in a folder there, which a
    build killed with SIGKILL cannot remove. Short, in the machine's temporary folder, since a Unix socket's path is
    at most 107 bytes (a test's own folder is too deep for one)."""
    folder = Path(tempfile.mkdtemp(prefix="fp-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
