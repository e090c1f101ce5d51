"""A real build in a child process that stops at one point (by wrapping a library function), for the tests that
kill a build or run two at once. Nothing in the library knows about this."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO

CHILD = r"""
import sys, time
from pathlib import Path
raw, out, point, marker = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
pause, workers, face = float(sys.argv[5]), int(sys.argv[6]), sys.argv[7]

def stop():
    marker.write_text("stopped")
    time.sleep(pause)

import builder.assemble as assemble
import builder.pipeline as pipeline
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
elif point == "before-swap":
    pipeline.swap_in = before(pipeline.swap_in)
if face == "cli":  # the command, with its signal handling: factpack build RAW --out OUT --workers N --no-cache
    from builder.cli import main
    sys.argv = ["factpack", "build", str(raw), "--out", str(out), "--workers", str(workers), "--no-cache"]
    main()
else:
    from builder.config import BuildConfig
    pipeline.build(BuildConfig(raw_dir=raw, out_dir=out, workers=workers), progress)
"""


def start(
    raw: Path, out: Path, point: str, marker: Path, pause: float = 600, workers: int = 1, cli: bool = False
) -> subprocess.Popen[bytes]:
    """Start the build and return once it has reached ``point`` (it then sleeps ``pause`` seconds, and goes on);
    with ``cli``, through ``factpack build`` (its stderr piped), else through the library."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    face = "cli" if cli else "library"
    args = [sys.executable, "-c", CHILD, str(raw), str(out), point, str(marker), str(pause), str(workers), face]
    child = subprocess.Popen(args, env=env, stderr=subprocess.PIPE if cli else None)
    deadline = time.monotonic() + 120
    while not marker.exists():
        if child.poll() is not None:
            raise AssertionError(f"the build ended before reaching {point}")
        if time.monotonic() > deadline:
            child.kill()
            raise AssertionError(f"the build never reached {point}")
        time.sleep(0.05)
    return child


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
