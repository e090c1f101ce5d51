"""The Ray engine gives the local engine's results, in input order, on one local Ray started for the module."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

import stopped_build
from builder.config import BuildConfig
from builder.engines.local import run_local
from builder.engines.ray import ray_session, run_ray
from builder.errors import ConfigError
from builder.ingest import Unit, iter_units
from conftest import RAW, files_of, previous_dataset

pytestmark = [
    # Ray Data 2.60 assigns its own deprecated DataContext fields while it builds the default context
    # (ray/data/context.py, on the first from_items): not our code, and nothing we can set avoids it.
    pytest.mark.filterwarnings("ignore:`use_push_based_shuffle` is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:`use_polars` is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:`use_arrow_tensor_v2` is deprecated:DeprecationWarning"),
]


WORKERS = 2


@pytest.fixture(scope="module")
def local_ray() -> Iterator[dict[int, int]]:
    """One local Ray for the module (starting one costs seconds): run_ray finds it up and leaves it up. Yields its
    processes (pidfds), which must all have ended once it is stopped."""
    if importlib.util.find_spec("ray") is None:  # not imported here: ray_session must be the first to import it
        pytest.skip("Ray is not installed: pip install 'factpack[ray]'")
    with ExitStack() as stack:
        # Ray gives its node a fixed 30 s to start (no option changes it), which a machine busy with other builds
        # can exceed; a failed start stops what it started, so another try is safe.
        for attempt in (1, 2, 3):
            try:
                stack.enter_context(ray_session(WORKERS))
                break
            except ConfigError:
                if attempt == 3:
                    raise
        import ray

        nodes = [
            info.process.pid for infos in ray._private.worker._global_node.all_processes.values() for info in infos
        ]
        processes = {pid: os.pidfd_open(pid) for pid in nodes}  # the node's processes, then the workers under them
        for pid in nodes:
            processes.update(stopped_build.watch(pid))
        yield processes
    import ray

    assert not ray.is_initialized()
    assert stopped_build.still_running(processes) == [], "the local Ray left processes running"


def _environ(pid: int) -> dict[str, str]:
    pairs = (item.split("=", 1) for item in Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in item)
    return {key: value for key, value in pairs if key in ("RAY_USAGE_STATS_ENABLED", "http_proxy", "no_proxy")}


def test_without_an_address_a_local_ray_of_workers_cpus_runs_local_only(local_ray):
    """Its processes (GCS, raylet, dashboard, monitors) inherit what keeps them on this machine: no usage report,
    HTTP anywhere else sent to a closed local port; the build's own process keeps its proxy settings. (Release
    wheels of Ray also turn usage reports off in ``ray.init``; nightly wheels ask, and would report.) That they all
    stop with it is checked when the module's Ray is stopped."""
    import ray

    node = ray._private.worker._global_node
    pids = [info.process.pid for infos in node.all_processes.values() for info in infos]
    assert len(pids) >= 2 and set(pids) < set(local_ray)  # and Ray's workers
    assert ray.cluster_resources().get("CPU") == WORKERS and node.node_ip_address == "127.0.0.1"
    local_only = {
        "RAY_USAGE_STATS_ENABLED": "0",
        "http_proxy": "http://127.0.0.1:9",
        "no_proxy": "127.0.0.1,localhost,::1",
    }
    assert [_environ(pid) for pid in pids] == [local_only] * len(pids)
    assert os.environ.get("http_proxy") != local_only["http_proxy"]


def source_of(unit: Unit) -> str:
    return unit.rel if unit.line is None else f"{unit.rel}:{unit.line}"


def assert_same_as_local(raw: Path) -> None:
    cfg = BuildConfig(raw_dir=raw)
    units = list(iter_units(raw, cfg.ingest, []))
    got = list(run_ray(units, cfg, 2, None))
    expected = list(run_local(units, cfg, 1, None))
    assert len(got) == len(expected) == len(units)
    for ours, theirs in zip(got, expected, strict=True):
        assert ours == theirs
    assert [result.source for result in got] == [source_of(unit) for unit in units]


def test_the_seed_corpus_gives_the_local_results_in_input_order(local_ray):
    assert_same_as_local(RAW)


def test_a_ray_build_leaves_no_usage_poller_running_in_this_process(local_ray):
    """Ray Data would otherwise record its usage and leave a thread polling for cluster metrics every 10 s for the
    life of the process (formatting a traceback each time, there being no metrics server)."""
    assert_same_as_local(RAW)
    assert "data-usage-metrics-poller" not in {thread.name for thread in threading.enumerate()}


def test_every_kind_of_unit_survives_the_trip_through_arrow_in_order(local_ray, tmp_path):
    """Several blocks, so tasks can finish out of order; JSONL payloads, line numbers and refusals on the way."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    seeds = sorted((raw / "articles").glob("*.txt"))
    for number in range(40):
        text = seeds[number % len(seeds)].read_text(encoding="utf-8")
        (raw / "articles" / f"variant_{number:02d}.txt").write_text(f"Variant {number}\n\n{text}", encoding="utf-8")
    lines = [
        '{"text": "The minister said on Monday that prices would fall by 5% next year.", "title": "Prices"}',
        "{not json",
        '{"maintext": "Officials said the bridge will reopen in May.", "text": null, "hostname": "example.org"}',
    ]
    (raw / "articles" / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (raw / "articles" / "notes.csv").write_text("not,an,article\n", encoding="utf-8")
    assert_same_as_local(raw)


def test_a_missing_ray_is_a_config_error_saying_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` meets when Ray is not installed
    cfg = BuildConfig(raw_dir=RAW)
    with pytest.raises(ConfigError, match=r"pip install 'factpack\[ray\]'") as caught:
        run_ray(iter_units(RAW, cfg.ingest, []), cfg, 2, None)
    assert "\n" not in str(caught.value)


def test_ray_client_addresses_are_refused_before_anything_runs():
    """Ray Data needs its driver on the cluster; over ray:// it would fail half-way through the build."""
    cfg = BuildConfig(raw_dir=RAW)
    with pytest.raises(ConfigError, match="ray job submit"):
        run_ray(iter_units(RAW, cfg.ingest, []), cfg, 2, None, "ray://head:10001")


def test_a_build_on_ray_is_byte_identical_to_a_local_build(local_ray, tmp_path):
    from builder.pipeline import build

    build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "local"))
    build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "ray", engine="ray", workers=2))
    files = {
        name: {
            p.relative_to(tmp_path / name).as_posix(): p.read_bytes()
            for p in (tmp_path / name).rglob("*")
            if p.is_file()
        }
        for name in ("local", "ray")
    }
    assert files["local"] == files["ray"] and "claims/train-00000-of-00001.parquet" in files["ray"]


def test_a_ray_rebuild_takes_unchanged_rows_from_the_kept_spool_and_gives_a_clean_builds_bytes(local_ray, tmp_path):
    import shutil

    from builder.pipeline import build
    from conftest import files_of

    raw, cache, out = tmp_path / "raw", tmp_path / "cache", tmp_path / "ray"
    shutil.copytree(RAW, raw)
    ray_build = BuildConfig(raw_dir=raw, out_dir=out, engine="ray", workers=2, cache_dir=cache)
    build(ray_build)
    for entries in cache.glob("??"):  # the per-article cache emptied: unchanged rows can only come from the kept spool
        shutil.rmtree(entries)
    changed = sorted((raw / "articles").glob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe mayor said the bridge would reopen.\n")
    report = build(ray_build)
    assert report.from_cache == report.counts.articles_seen - 1
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "clean"))
    assert files_of(out) == files_of(tmp_path / "clean")


def test_a_cluster_address_where_nothing_listens_is_refused_in_seconds_on_one_line(tmp_path):
    """Ray itself waited on such an address for over ten minutes, retrying its GCS connection without end."""
    if importlib.util.find_spec("ray") is None:
        pytest.skip("Ray is not installed: pip install 'factpack[ray]'")
    with socket.socket() as probe:  # a port that was free a moment ago, and so has nothing listening on it
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    out = tmp_path / "dist"
    result = subprocess.run(
        ["factpack", "build", str(RAW), "--out", str(out), "--engine", "ray", "--ray-address", address],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,  # a guard: Ray alone hangs here for many minutes
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: --ray-address {address}: nothing accepts a connection there (Connection refused); start the "
        "cluster's head (ray start --head) or give its GCS address (host:6379), or 'auto' on a node of the cluster"
    ]
    assert not out.exists()


FAILING_START = r"""
import json, os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import ray._private.node
import stopped_build
from builder.config import BuildConfig
from builder.engines.ray import run_ray
from builder.errors import ConfigError
from builder.ingest import iter_units

started = ray._private.node.Node.start_ray_processes

def fails_once_started(self):  # as when the raylet does not register within Ray's fixed 30 s: its processes run
    started(self)
    global watched
    watched = stopped_build.watch(os.getpid())
    raise Exception("The current node timed out during startup (injected)")

ray._private.node.Node.start_ray_processes = fails_once_started
cfg = BuildConfig(raw_dir=Path(sys.argv[2]))
try:
    list(run_ray(iter_units(cfg.raw_dir, cfg.ingest, []), cfg, 2, None))
except ConfigError as exc:
    print(json.dumps({"error": str(exc), "started": len(watched), "left": stopped_build.still_running(watched)}))
"""


def test_a_local_ray_that_cannot_start_is_one_error_and_leaves_none_of_its_processes():
    """A busy machine can keep Ray's node from starting within the 30 s Ray allows itself (not an option): the
    build then fails with one line saying what to do, and the processes that Ray did start are stopped, not left
    running beside the build (in a separate process: this one may have a Ray of its own up)."""
    if importlib.util.find_spec("ray") is None:
        pytest.skip("Ray is not installed: pip install 'factpack[ray]'")
    result = subprocess.run(
        [sys.executable, "-c", FAILING_START, str(Path(__file__).parent.parent), str(RAW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["error"] == (
        "--engine ray: the local Ray did not start (The current node timed out during startup (injected)); try "
        "again when the machine is less busy, or build with --engine local"
    )
    assert outcome["started"] >= 2 and outcome["left"] == []  # its GCS server and raylet at least, all stopped


def test_sigterm_during_a_ray_build_is_one_line_and_exit_143(tmp_path):
    """``ray.init`` puts its own SIGTERM handler (``sys.exit``) in place of the command's: the build then ended with
    exit 15 and no word. Stopped in the driver after Ray ran the per-article stages (clustering)."""
    if importlib.util.find_spec("ray") is None:
        pytest.skip("Ray is not installed: pip install 'factpack[ray]'")
    raw, out, before = previous_dataset(tmp_path)
    for attempt in (1, 2, 3):  # Ray's fixed 30 s to start its node can be too short on a busy machine
        try:
            child = stopped_build.start(raw, out, "clustering", tmp_path / "stopped", 2, cli=True, engine="ray")
            break
        except AssertionError as failed:
            if attempt == 3 or "the local Ray did not start" not in str(failed):
                raise
    child.send_signal(signal.SIGTERM)
    stdout, stderr = child.communicate(timeout=stopped_build.HANG)
    assert child.returncode == 143
    assert stderr.decode().splitlines() == [
        f"error: interrupted by SIGTERM: nothing published, {out} is as it was; temporary folders removed"
    ]
    assert stdout == b"" and files_of(out) == before


def test_units_go_to_ray_a_window_at_a_time_and_come_back_whole_and_in_order(local_ray, monkeypatch):
    """The driver never lists the whole corpus into one pipeline: with windows of 2 units, the seed's 5 articles
    are three pipelines, and the results are the local engine's, in input order."""
    import ray.data

    import builder.engines.ray

    windows: list[int] = []
    real = ray.data.from_items

    def counted(rows, **kwargs):  # type: ignore[no-untyped-def]
        windows.append(len(rows))
        return real(rows, **kwargs)

    monkeypatch.setattr(builder.engines.ray, "WINDOW", 2)
    monkeypatch.setattr(ray.data, "from_items", counted)
    assert_same_as_local(RAW)
    assert windows == [2, 2, 1]


def test_the_corpus_wide_stages_run_as_ray_tasks_with_no_local_pool_and_the_same_bytes(
    local_ray, tmp_path, monkeypatch
):
    """Under --engine ray, clustering's bands, matching, each shard's writer and verify's checks are Ray tasks
    (here from the first row, as on a large corpus), never a process pool on the driver's machine."""
    import builder.pipeline
    import builder.verify
    from builder.engines.ray import RayTasks
    from builder.pipeline import build

    build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "local"))
    monkeypatch.setattr(builder.pipeline, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(builder.verify, "PARALLEL_ROWS", 0)

    def no_local_pool(workers: int) -> None:
        raise AssertionError("a process pool was started on the driver's machine")

    monkeypatch.setattr(builder.pipeline, "worker_pool", no_local_pool)
    monkeypatch.setattr(builder.verify, "worker_pool", no_local_pool)
    submitted: list[str] = []
    real = RayTasks.submit

    def counted(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        submitted.append(fn.__name__)
        return real(self, fn, *args, **kwargs)

    monkeypatch.setattr(RayTasks, "submit", counted)
    report = build(BuildConfig(raw_dir=RAW, out_dir=tmp_path / "ray", engine="ray", workers=2))
    assert files_of(tmp_path / "ray") == files_of(tmp_path / "local")
    assert {"_similar_pairs", "_timed", "write_shard", "_provenance_checks", "_claim_value_checks"} <= set(submitted)
    assert [t.name for t in report.timings if t.where == "workers"][-4:] == ["cluster", "match", "write", "verify"]


def test_a_task_that_does_not_see_the_builds_folder_says_so_in_one_line(local_ray, tmp_path):
    """On a cluster whose nodes do not share --out, a corpus-wide task fails with the library's error, one line
    naming the folder and the fix, not Ray's wrapping of it."""
    from builder.engines.ray import RayTasks

    tasks = RayTasks(tmp_path / "not-there")
    with pytest.raises(ConfigError, match="every node mounts at the same path") as caught:
        tasks.submit(len, [1, 2]).result()
    assert "\n" not in str(caught.value) and str(tmp_path / "not-there") in str(caught.value)
    assert RayTasks(tmp_path).submit(len, [1, 2]).result() == 2
