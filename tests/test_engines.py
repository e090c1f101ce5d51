from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.pipeline import build
from conftest import RAW, REPO, raw_with_variants


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def bigger_raw(tmp_path: Path) -> Path:
    """The seeds plus 40 variants, so that a pool has several batches to hand out."""
    return raw_with_variants(tmp_path, 40)


def test_one_worker_and_a_pool_give_byte_identical_datasets(bigger_raw, tmp_path):
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "one", workers=1))
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "pool", workers=3))
    assert files_of(tmp_path / "one") == files_of(tmp_path / "pool")


def test_a_rebuild_after_one_change_extracts_only_that_article(bigger_raw, tmp_path):
    cache = tmp_path / "cache"
    first = build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "a", cache_dir=cache))
    assert first.from_cache == 0
    changed = bigger_raw / "articles" / "variant_07.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA late paragraph was added today.\n", encoding="utf-8")
    second = build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "b", cache_dir=cache, workers=2))
    assert second.from_cache == second.counts.articles_seen - 1
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "c"))
    assert files_of(tmp_path / "b") == files_of(tmp_path / "c")  # the cache changes nothing in the output


def test_corrupt_or_torn_cache_entries_are_recomputed(bigger_raw, tmp_path):
    cache = tmp_path / "cache"
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "a", cache_dir=cache))
    entries = sorted(path for path in cache.rglob("*.arrows") if not {"cluster", "match"} & set(path.parts))
    entries[0].write_bytes(entries[0].read_bytes()[:300])  # torn
    damaged = bytearray(entries[1].read_bytes())
    damaged[-20] ^= 0xFF  # one flipped bit pattern inside the payload: the digest no longer matches
    entries[1].write_bytes(bytes(damaged))
    entries[2].write_bytes(entries[3].read_bytes())  # whole and valid, but another key's entry
    again = build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "b", cache_dir=cache))
    assert again.from_cache == again.counts.articles_seen - 3
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "c", cache_dir=cache)).from_cache == 45


def test_a_changed_option_misses_the_cache(bigger_raw, tmp_path):
    from builder.config import ExtractConfig

    cache = tmp_path / "cache"
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "a", cache_dir=cache))
    other = build(
        BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "b", cache_dir=cache, extract=ExtractConfig(min_chars=3))
    )
    assert other.from_cache == 0


def test_results_survive_the_trip_through_plain_values(bigger_raw):
    """What an engine that carries results in Arrow tables (Ray) hands back is what the worker made."""
    from builder.ingest import iter_units
    from builder.work import process_units, result_from_row, result_row

    (bigger_raw / "articles" / "empty.txt").write_bytes(b"")
    (bigger_raw / "articles" / "binary.txt").write_bytes(b"\x00\xff" * 10)
    cfg = BuildConfig(raw_dir=bigger_raw)
    results = process_units(list(iter_units(bigger_raw, cfg.ingest, [])), cfg, None)
    assert any(r.rejected for r in results) and any(r.packed for r in results)
    assert [result_from_row(result_row(r)) for r in results] == results


def test_a_rebuild_whose_claims_did_not_change_does_not_cluster_again(bigger_raw, tmp_path, monkeypatch):
    import builder.assemble

    cache = tmp_path / "cache"
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "a", cache_dir=cache))
    (entry,) = (cache / "cluster").rglob("*.arrows")

    def no_clustering(*args: object) -> None:
        raise AssertionError("clustered again")

    monkeypatch.setattr(builder.assemble, "cluster", no_clustering)
    meta = bigger_raw / "dataset.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace("factpack", "factpack (edited)", 1), encoding="utf-8")
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "b", cache_dir=cache))  # metadata only: cached
    monkeypatch.undo()
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "c"))
    assert files_of(tmp_path / "b") == files_of(tmp_path / "c") != files_of(tmp_path / "a")

    entry.write_bytes(entry.read_bytes()[:-5])  # torn: clustered again, same result
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "d", cache_dir=cache))
    assert files_of(tmp_path / "d") == files_of(tmp_path / "c")
    changed = bigger_raw / "articles" / "variant_03.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe mayor said the bridge would reopen.\n")
    monkeypatch.setattr(builder.assemble, "cluster", no_clustering)
    with pytest.raises(AssertionError, match="clustered again"):  # other claims: the clusters are not reused
        build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "e", cache_dir=cache))


def test_a_corpus_wide_result_is_reused_until_its_declared_section_or_its_inputs_change(
    bigger_raw, tmp_path, monkeypatch
):
    """Matching's and splitting's results are kept like the clusters: an option of another stage's section reruns
    none of them; one of splitting's own reruns the split only; one of matching's, matching (and the split when
    the groups moved); the output is always a clean build's."""
    import builder.assemble
    from builder.config import MatchConfig, SplitConfig

    cache = tmp_path / "cache"
    first = build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "a", cache_dir=cache))
    assert first.counts.matched_pairs > 0  # the corpus has matches, so a wrong reuse would show
    ran: list[str] = []

    def counting(name: str, real: object) -> object:
        def run(*args: object, **kwargs: object) -> object:
            ran.append(name)
            return real(*args, **kwargs)  # type: ignore[operator]

        return run

    monkeypatch.setattr(builder.assemble, "cluster", counting("cluster", builder.assemble.cluster))
    monkeypatch.setattr(builder.assemble, "match_claims", counting("match", builder.assemble.match_claims))
    monkeypatch.setattr(builder.assemble, "assign_splits", counting("split", builder.assemble.assign_splits))
    split = SplitConfig(train=0.5, validation=0.25, test=0.25)
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "b", cache_dir=cache, split=split))
    assert ran == ["split"]
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "b2", cache_dir=cache, split=split))
    assert ran == ["split"]  # the split kept too
    stricter = MatchConfig(threshold=0.9)
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "c", cache_dir=cache, split=split, matches=stricter))
    assert ran[:2] == ["split", "match"] and set(ran) <= {"split", "match"}
    monkeypatch.undo()
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "d", split=split))
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "e", split=split, matches=stricter))
    assert files_of(tmp_path / "b") == files_of(tmp_path / "b2") == files_of(tmp_path / "d") != files_of(tmp_path / "a")
    assert files_of(tmp_path / "c") == files_of(tmp_path / "e") != files_of(tmp_path / "d")


def test_a_kept_temporal_split_gives_a_clean_builds_bytes(bigger_raw, tmp_path, monkeypatch):
    """The split read back from the cache (its dates, counts and uneven splits) publishes what splitting again does."""
    import builder.assemble
    from builder.config import SplitConfig

    cache, temporal = tmp_path / "cache", SplitConfig(mode="temporal")
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "a", cache_dir=cache, split=temporal))

    def no_splitting(*_args: object) -> None:
        raise AssertionError("split again")

    monkeypatch.setattr(builder.assemble, "assign_splits", no_splitting)
    kept = build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "b", cache_dir=cache, split=temporal))
    monkeypatch.undo()
    clean = build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "c", split=temporal))
    assert files_of(tmp_path / "b") == files_of(tmp_path / "c")
    assert kept.counts == clean.counts and kept.uneven_splits == clean.uneven_splits


def test_matching_runs_again_when_the_fact_checks_change(bigger_raw, tmp_path, monkeypatch):
    """An input of matching's key that no option names: the published fact-checks in the raw folder."""
    import json

    import builder.assemble
    from conftest import COLD_WAR_FACTCHECK

    cache = tmp_path / "cache"
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "a", cache_dir=cache))
    ran: list[int] = []
    real = builder.assemble.match_claims

    def counted(*args: object, **kwargs: object) -> object:
        ran.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builder.assemble, "match_claims", counted)
    (bigger_raw / "factchecks").mkdir()
    reviews = bigger_raw / "factchecks" / "reviews.jsonl"
    reviews.write_text(json.dumps(COLD_WAR_FACTCHECK) + "\n", encoding="utf-8")
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "b", cache_dir=cache))
    assert len(ran) == 1
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "c", cache_dir=cache))
    assert len(ran) == 1  # the same fact-checks: reused
    edited = dict(COLD_WAR_FACTCHECK, claimReviewed=COLD_WAR_FACTCHECK["claimReviewed"] + " again")
    reviews.write_text(json.dumps(edited) + "\n", encoding="utf-8")
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "d", cache_dir=cache))
    assert len(ran) == 2
    monkeypatch.undo()
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "e"))
    assert files_of(tmp_path / "d") == files_of(tmp_path / "e")


def test_a_temporary_folder_too_deep_for_the_pools_socket_is_one_line_naming_it_and_the_fix(tmp_path):
    """The forkserver's Unix socket lives under TMPDIR and its path may be 107 bytes at most; the error it raises
    has no error number, and the build said 'cannot write the dataset (None)'."""
    deep = tmp_path / ("t" * 60)
    deep.mkdir()
    out = tmp_path / "dist"
    result = subprocess.run(
        ["factpack", "build", str(RAW), "--out", str(out), "--workers", "2", "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TMPDIR": str(deep)},
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: the worker pool cannot start (AF_UNIX path too long; temporary folder {deep}); set TMPDIR to a "
        "short folder such as /tmp, or build with --workers 1\n"
    )
    assert not out.exists() and list(deep.iterdir()) == []
    one_worker = subprocess.run(
        ["factpack", "build", str(RAW), "--out", str(out), "--workers", "1", "--no-cache"],
        capture_output=True,
        check=False,
        env={**os.environ, "TMPDIR": str(deep)},
    )
    assert one_worker.returncode == 0 and (out / "manifest.json").is_file()


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (OSError(28, "No space left on device"), "No space left on device"),
        (OSError("AF_UNIX path too long"), "AF_UNIX path too long"),
        (PermissionError(), "PermissionError"),
    ],
)
def test_an_os_error_gives_its_reason_whatever_it_carries(error, reason):
    from builder.files import os_reason

    assert os_reason(error) == reason


STOPPED_MID_RESULT = r"""
import os, struct, sys, threading, time
from builder.engines.local import stop_pool, worker_pool

if __name__ == "__main__":
    pool = worker_pool(2)
    pool.submit(time.sleep, 60)
    # What a worker killed while sending its result leaves in the result pipe: a header announcing 1,000 bytes,
    # and 10 of them.
    os.write(pool._result_queue._writer.fileno(), struct.pack("!i", 1000) + b"x" * 10)
    manager = pool._executor_manager_thread
    stop_pool(pool)
    manager.join(timeout=60)
    print("manager thread running" if manager.is_alive() else "manager thread ended", flush=True)
"""


def test_a_pool_stopped_while_a_result_is_half_sent_lets_the_process_exit(tmp_path):
    """Ctrl-C late in a large build killed a worker half-way through sending its result: the pool's manager
    thread then waited for the rest of the message for ever, and the command, having printed its one line, never
    exited (a second Ctrl-C is ignored by design)."""
    script = tmp_path / "stopped_mid_result.py"
    script.write_text(STOPPED_MID_RESULT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,  # a guard: without the fix the process never exits
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert (result.returncode, result.stdout) == (0, "manager thread ended\n"), result.stderr
