"""Faults of the machine, not of the input: signals and a full disk end a build with one line and nothing left
behind but the previous dataset."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import stopped_build
from builder.config import BuildConfig
from builder.pipeline import build
from conftest import RAW, files_of, previous_dataset


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


NAME = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


def send(child: subprocess.Popen[bytes], sent: signal.Signals) -> None:
    """SIGINT as a terminal's Ctrl-C sends it, to the build's whole process group (the pool's forkserver and workers
    too); SIGTERM as ``docker stop`` or ``kill`` does, to the build alone."""
    if sent == signal.SIGINT:
        os.killpg(child.pid, sent)
    else:
        child.send_signal(sent)


def send_together(child: subprocess.Popen[bytes], signals: list[signal.Signals]) -> None:
    """Every one of ``signals`` pending at the same time, as when they arrive while the build waits for a CPU: the
    build is held stopped (SIGSTOP) while they are sent. Python then handles them in the order of their numbers."""
    os.killpg(child.pid, signal.SIGSTOP)
    deadline = time.monotonic() + stopped_build.HANG
    while Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "T":
        assert time.monotonic() < deadline, "the build never stopped"
        time.sleep(0.01)
    for each in signals:
        send(child, each)
    os.killpg(child.pid, signal.SIGCONT)


TERM, INT = (signal.SIGTERM, 143), (signal.SIGINT, 130)


# Both signals where the pool runs or is being started (SIGINT reaches its processes too, SIGTERM the build alone);
# past them the two take the same path, so each later point gets one of them, in turn.
@pytest.mark.parametrize(
    ("point", "workers", "sent", "code"),
    [
        ("extracting", 1, *TERM),
        ("extracting", 1, *INT),
        ("clustering", 2, *TERM),
        ("clustering", 2, *INT),
        ("shards-written", 1, *TERM),
        ("manifest-written", 1, *INT),
        ("verified", 1, *TERM),
    ],
)
def test_a_signal_cleans_up_like_an_error(tmp_path, point, workers, sent, code):
    raw, out, before = previous_dataset(tmp_path)
    with stopped_build.temporary_folder() as temporary:
        child = stopped_build.start(raw, out, point, tmp_path / "stopped", workers, cli=True, temporary=temporary)
        processes = stopped_build.watch(child.pid)
        send(child, sent)
        stdout, stderr = child.communicate(timeout=stopped_build.HANG)
        assert list(temporary.iterdir()) == []  # the pool's temporary files removed too
    assert child.returncode == code
    assert stderr.decode().splitlines() == [
        f"error: interrupted by {NAME[sent]}: nothing published, {out} is as it was; temporary folders removed"
    ]
    assert stdout == b""
    assert files_of(out) == before and leftovers(tmp_path) == []
    assert stopped_build.still_running(processes) == []  # the pool's workers, its forkserver and resource tracker


def articles_in(out: Path) -> int:
    return int(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]["articles_accepted"])


@pytest.mark.parametrize(
    ("point", "workers", "sent"),
    [
        ("before-swap", 1, [signal.SIGTERM]),
        ("swapped", 1, [signal.SIGINT]),
        ("pool-shutdown", 2, [signal.SIGTERM]),
        ("pool-shutdown", 2, [signal.SIGINT, signal.SIGTERM]),  # two at once: the first is the one reported
    ],
)
def test_a_signal_after_the_swap_decision_lets_the_build_finish_and_says_so(tmp_path, point, workers, sent):
    """From the moment the new folder, verified, is to be put in place, stopping would leave neither dataset
    whole or say something untrue: the build finishes, and the one line says the new dataset is in place."""
    raw, out, _ = previous_dataset(tmp_path)
    assert articles_in(out) == 5
    marker = tmp_path / "stopped"
    child = stopped_build.start(raw, out, point, marker, workers=workers, cli=True)
    processes = stopped_build.watch(child.pid)
    if len(sent) == 1:
        send(child, sent[0])
    else:
        send_together(child, sent)
    stopped_build.resume(marker)
    stdout, stderr = child.communicate(timeout=stopped_build.HANG)
    assert child.returncode == 128 + sent[0]
    assert stderr.decode().splitlines() == [
        f"error: interrupted by {NAME[sent[0]]}: the new dataset was already being put in place, and {out} now "
        "holds it; temporary folders removed"
    ]
    assert stdout.decode().startswith(f"{out}: ")  # the build's summary: it did finish
    assert articles_in(out) == 4 and leftovers(tmp_path) == []
    assert stopped_build.still_running(processes) == []


def test_ctrl_c_while_the_finished_command_exits_changes_nothing(tmp_path):
    """The build has finished and said so; the interpreter is ending (its exit handlers running): a Ctrl-C then
    prints nothing more, no traceback, and the exit code stays the build's."""
    raw, out, _ = previous_dataset(tmp_path)
    marker = tmp_path / "stopped"
    child = stopped_build.start(raw, out, "exiting", marker, workers=2, cli=True)
    send(child, signal.SIGINT)
    stopped_build.resume(marker)
    stdout, stderr = child.communicate(timeout=stopped_build.HANG)
    assert (child.returncode, stderr) == (0, b"")
    assert stdout.decode().startswith(f"{out}: ") and articles_in(out) == 4


def test_an_interrupt_between_the_two_renames_of_a_swap_waits_for_the_second(tmp_path):
    """Where renameat2 is missing (forced here), the swap sets the old folder aside, then renames the new one into
    place: a Ctrl-C in between is handled after the second rename, so that the dataset is never missing."""
    raw, out, _ = previous_dataset(tmp_path)
    marker = tmp_path / "stopped"
    child = stopped_build.start(raw, out, "between-renames", marker)  # the library, as a program calling build()
    assert not out.exists() and (tmp_path / ".dist.factpack-old").is_dir()
    child.send_signal(signal.SIGINT)
    stopped_build.resume(marker)
    assert child.wait(timeout=stopped_build.HANG) == -signal.SIGINT  # an uncaught KeyboardInterrupt, after the swap
    assert articles_in(out) == 4 and leftovers(tmp_path) == []


def _mounted(folder: Path, options: str) -> None:
    """A tmpfs at ``folder`` (``options``: its size, ro): a real small or read-only disk; skips without root."""
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=False)
    if done.returncode != 0:
        pytest.skip("needs a tmpfs mount (root) for a real read-only or full disk")


def test_a_full_disk_is_one_line_and_leaves_the_previous_dataset(tmp_path):
    disk = tmp_path / "disk"
    _mounted(disk, "size=1m")
    try:
        out = disk / "dist"
        build(BuildConfig(raw_dir=RAW, out_dir=out))
        before = files_of(out)
        raw = tmp_path / "raw"
        shutil.copytree(RAW, raw)
        seed = next((raw / "articles").glob("*.txt"))
        for number in range(30):  # enough text that the spool and the new shards cannot fit beside the old ones
            shutil.copy(seed, raw / "articles" / f"copy_{number:02d}.txt")
            (raw / "articles" / f"copy_{number:02d}.txt").write_text(
                f"Copy {number}\n\n" + seed.read_text(encoding="utf-8") * 3, encoding="utf-8"
            )
        result = subprocess.run(
            ["factpack", "build", str(raw), "--out", str(out), "--no-cache", "--workers", "1"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1, result.stdout + result.stderr
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("error: ") and "No space left on device" in line and "free space on that disk" in line
        named = Path(line.removeprefix("error: ").split(": cannot write")[0])
        assert named.is_relative_to(disk) and ".factpack-tmp-" in str(named)  # the file it hit, not only --out
        assert files_of(out) == before and leftovers(disk) == []
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def factpack(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["factpack", *args], capture_output=True, text=True, check=False)


def test_an_out_on_a_read_only_disk_or_a_file_is_refused_at_once(tmp_path):
    disk = tmp_path / "ro"
    _mounted(disk, "ro,size=1m")
    try:
        result = factpack("build", str(RAW), "--out", str(disk / "dist"), "--no-cache")
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.strip().splitlines() == [
            f"error: {disk}: cannot write there (Read-only file system); choose an --out on a disk this user can write"
        ]
    finally:
        subprocess.run(["umount", str(disk)], check=False)
    afile = tmp_path / "afile"
    afile.write_text("not a dataset", encoding="utf-8")
    result = factpack("build", str(RAW), "--out", str(afile), "--no-cache")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: {afile}: exists and is not a folder; choose another --out"]
    assert afile.read_text(encoding="utf-8") == "not a dataset"


@pytest.mark.parametrize("options", ["ro,size=1m", "size=48k"], ids=["read-only", "full"])
def test_a_cache_that_cannot_be_written_never_fails_the_build(tmp_path, options):
    disk = tmp_path / "cache-disk"
    _mounted(disk, options)
    try:
        result = factpack("build", str(RAW), "--out", str(tmp_path / "cached"), "--cache-dir", str(disk / "cache"))
        assert result.returncode == 0, result.stderr
        warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
        if options.startswith("ro"):
            assert warnings == [
                f"warning: {disk / 'cache'}: the cache cannot be written (Read-only file system); building without it"
            ]
        else:  # the disk filled up half-way: some results were cached, the others not (5 articles and the clusters)
            assert warnings == [] and 0 < len(list((disk / "cache").rglob("*.arrows"))) < 6
    finally:
        subprocess.run(["umount", str(disk)], check=False)
    build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "plain"))
    assert files_of(tmp_path / "cached") == files_of(tmp_path / "plain")


def test_a_fault_while_cleaning_up_does_not_mask_the_first(tmp_path, monkeypatch):
    import errno

    import builder.pipeline
    from builder.errors import OutputError
    from builder.spool import Spool

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "dist-shard.parquet"))

    def refuses(self: Spool) -> None:
        raise OSError(errno.EIO, "Input/output error", "the spool")

    monkeypatch.setattr(builder.pipeline, "write_dataset", full)
    monkeypatch.setattr(Spool, "release", refuses)
    with pytest.raises(OutputError) as raised:
        build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "dist"))
    assert str(raised.value).startswith(f"{tmp_path / 'dist-shard.parquet'}: cannot write the dataset (No space left")
    assert leftovers(tmp_path) == [] and not (tmp_path / "dist").exists()


def test_a_raw_file_vanishing_after_listing_is_rejected_by_name(tmp_path, monkeypatch):
    import builder.pipeline
    from builder.errors import InvalidArticlesError

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    victim = sorted((raw / "articles").glob("*.txt"))[1]
    listing = builder.pipeline.iter_units

    def listed_then_deleted(*args: object, **kwargs: object) -> object:
        units = list(listing(*args, **kwargs))  # type: ignore[arg-type]
        victim.unlink()
        return iter(units)

    monkeypatch.setattr(builder.pipeline, "iter_units", listed_then_deleted)
    with pytest.raises(InvalidArticlesError) as raised:
        build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist"))
    (problem,) = raised.value.rejections
    assert problem.file == f"articles/{victim.name}" and "No such file or directory" in problem.reason
    assert leftovers(tmp_path) == [] and not (tmp_path / "dist").exists()


def test_a_raw_file_changing_after_it_was_read_fails_the_build_naming_it(tmp_path, monkeypatch):
    import builder.pipeline
    from builder.errors import VerificationError

    raw, out, before = previous_dataset(tmp_path, then_change=False)
    changed = sorted((raw / "articles").glob("*.txt"))[2]
    (raw / "articles" / "extra.txt").write_text("Title\n\nThe minister said the plan had failed.\n", encoding="utf-8")
    verify = builder.pipeline.verify_timed

    def edited_first(*args: object, **kwargs: object) -> object:
        changed.write_text(changed.read_text(encoding="utf-8") + "\nA late edit.\n", encoding="utf-8")
        return verify(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builder.pipeline, "verify_timed", edited_first)
    with pytest.raises(VerificationError) as raised:
        build(BuildConfig(raw_dir=raw, out_dir=out))
    mismatches = [p for p in raised.value.report.problems if p.code == "raw-hash-mismatch"]
    assert len(mismatches) == 1 and changed.name in mismatches[0].note
    assert files_of(out) == before and leftovers(tmp_path) == []


def test_a_raw_file_changing_while_it_is_read_gets_the_hash_of_the_bytes_read(tmp_path, monkeypatch):
    """The writer finishes right after the build's read (injected there): the article's hash is of the bytes it
    holds, never of a second read of the file."""
    import hashlib

    from builder.config import IngestConfig
    from builder.ingest import iter_raw

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    target = sorted((raw / "articles").glob("*.txt"))[0]
    read_bytes = Path.read_bytes

    def racing(path: Path) -> bytes:
        data = read_bytes(path)
        if path == target:
            target.write_bytes(data + b"\nA late edit.\n")
        return data

    monkeypatch.setattr(Path, "read_bytes", racing)
    (article,) = [a for a in iter_raw(raw, IngestConfig()) if getattr(a, "source_file", "").endswith(target.name)]
    assert article.sha256 == hashlib.sha256(article.text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    ("where", "target"),
    [
        ("spooling", "builder.spool._StreamFile.append"),
        ("writing a shard", "builder.write.parquet.SplitWriter._flush"),
        ("writing Croissant", "builder.write.write_croissant"),
        ("writing the manifest", "builder.write.write_manifest"),
    ],
)
def test_no_space_at_each_place_is_one_error_naming_it(tmp_path, monkeypatch, where, target):
    """Fault injection at the write call (a real full disk cannot be made to fill at a chosen place)."""
    import errno

    from builder.errors import OutputError

    out = tmp_path / "dist"
    build(BuildConfig(raw_dir=RAW, out_dir=out))
    before = files_of(out)
    place = tmp_path / f"{where.replace(' ', '-')}.bin"

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(place))

    monkeypatch.setattr(target, full)
    with pytest.raises(OutputError) as raised:
        build(BuildConfig(raw_dir=RAW, out_dir=out, workers=1))
    assert str(raised.value) == (
        f"{place}: cannot write the dataset (No space left on device); free space on that disk, check its rights, "
        "or choose another --out"
    )
    assert files_of(out) == before and leftovers(tmp_path) == []
