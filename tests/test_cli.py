from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import builder.unchanged
from builder.cli import app
from conftest import REPO, files_of, rows_of, write_article

runner = CliRunner()


def test_build_then_inspect(raw_copy, tmp_path):
    out = tmp_path / "dist"
    result = runner.invoke(app, ["build", str(raw_copy), "--out", str(out), "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    per_split = {
        shard.name.split("-")[0]: pq.read_metadata(shard).num_rows for shard in (out / "claims").glob("*.parquet")
    }
    claims = sum(per_split.values())
    first, second, third = result.stdout.splitlines()
    assert first == f"{out}: {claims} claims from 5 articles (5 read, 0 rejected, 0 from the cache)"
    assert second.startswith("  splits: train ") and "speakers 2;" in second
    assert third.startswith("  CPU: ") and "serial" in third
    shown = runner.invoke(app, ["inspect", str(out)])
    assert shown.exit_code == 0
    splits = ", ".join(f"{name}={n}" for name, n in sorted(per_split.items()))
    assert f"[claims]\n  splits:  {splits}\n" in shown.stdout
    assert "outlets: Euronews=1, RBC=1, TASS=1, The Moscow Times=2" in shown.stdout
    as_json = json.loads(runner.invoke(app, ["inspect", str(out), "--json"]).stdout)
    configs = {c["name"]: c for c in as_json["configs"]}
    assert configs["articles"]["nulls_per_field"]["url"] == 4  # only one seed's URL is known
    assert sum(configs["articles"]["rows_per_split"].values()) == 5


def test_a_rebuild_with_nothing_changed_says_so(raw_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(builder.unchanged, "FRESH_NS", 0)  # the raw files copied a moment ago count as settled
    command = ["build", str(raw_copy), "--out", str(tmp_path / "dist"), "--cache-dir", str(tmp_path / "cache")]
    first = runner.invoke(app, command)
    assert first.exit_code == 0 and "nothing changed" not in first.stdout
    again = runner.invoke(app, command)
    assert again.exit_code == 0
    assert again.stdout.splitlines()[0] == first.stdout.splitlines()[0].replace("0 from the cache", "5 from the cache")
    assert again.stdout.splitlines()[1].startswith("  nothing changed since the last build of this folder")
    assert json.loads(runner.invoke(app, [*command, "--json"]).stdout)["unchanged"] is True


def test_broken_sidecar_fails_validate_and_build_naming_file_and_field(raw_copy, tmp_path):
    write_article(raw_copy, "zz", "Title\n\nBody.\n", json.dumps({"published": "2014-02-30", "colour": "red"}))
    checked = runner.invoke(app, ["validate", str(raw_copy)])
    assert checked.exit_code == 1
    assert "articles/zz.json: published: impossible date '2014-02-30': February 2014 has 28 days" in checked.stderr
    assert "articles/zz.json: colour: unknown field" in checked.stderr
    built = runner.invoke(app, ["build", str(raw_copy), "--out", str(tmp_path / "dist"), "--no-cache"])
    assert built.exit_code == 1
    assert built.stderr.splitlines()[-1].startswith("error: 2 problem(s) in 1 file(s): articles/zz.json;")
    assert "Traceback" not in built.output and not (tmp_path / "dist").exists()


def test_malformed_json_fails_with_line_and_column(raw_copy):
    write_article(raw_copy, "zz", "Title\n\nBody.\n", '{"title": "x",}')
    result = runner.invoke(app, ["validate", str(raw_copy), "--json"])
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)["rejections"]
    assert problem["file"] == "articles/zz.json" and "line 1 column 15" in problem["reason"]


def test_user_mistakes_get_one_line_and_no_traceback(tmp_path):
    result = runner.invoke(app, ["build", str(tmp_path / "nowhere"), "--no-cache"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "no such folder" in result.stderr
    missing = runner.invoke(app, ["inspect", str(tmp_path)])
    assert missing.exit_code == 1 and "not a dataset folder" in missing.stderr


def test_schema_check_detects_drift(tmp_path):
    assert runner.invoke(app, ["schema", "--out", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["schema", "--out", str(tmp_path), "--check"]).exit_code == 0
    (tmp_path / "claim.schema.json").write_text("{}", encoding="utf-8")
    stale = runner.invoke(app, ["schema", "--out", str(tmp_path), "--check"])
    assert stale.exit_code == 1 and "claim.schema.json: differs" in stale.stderr


def test_console_script_runs(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", "from builder.cli import main; main()", "validate", str(REPO / "raw")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.strip() == "5 read: 5 valid, 0 invalid (0 problems)"


def test_validate_reads_the_curated_files_too(raw_copy):
    (raw_copy / "labels.jsonl").write_text("{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(raw_copy)])
    assert result.exit_code == 1 and "labels.jsonl:1" in result.stderr
    (raw_copy / "labels.jsonl").unlink()
    (raw_copy / "speakers.json").write_text(json.dumps([{"name": 5}]), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(raw_copy)])
    assert result.exit_code == 1 and "speakers.json: entry 0: name" in result.stderr


def test_inspect_reports_a_corrupt_shard_in_one_line(seed_dist, tmp_path):
    import shutil

    copy = tmp_path / "dist"
    shutil.copytree(seed_dist, copy)
    shard = next((copy / "claims").glob("*.parquet"))
    shard.write_bytes(b"not parquet")
    result = runner.invoke(app, ["inspect", str(copy)])
    assert (
        result.exit_code == 1 and "not a readable parquet shard" in result.stderr and "Traceback" not in result.output
    )


def test_publish_dry_run_lists_files_and_json_matches(seed_dist):
    shown = runner.invoke(app, ["publish", "org/claims", "--dist", str(seed_dist), "--dry-run"])
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    files = sorted(p.relative_to(seed_dist).as_posix() for p in seed_dist.rglob("*") if p.is_file())
    assert [line.split()[-1] for line in lines[: len(files)]] == files
    assert lines[-1].startswith(f"dry run: org/claims@main would get {len(files)} upload")
    as_json = json.loads(
        runner.invoke(app, ["publish", "org/claims", "--dist", str(seed_dist), "--dry-run", "--json"]).stdout
    )
    assert [f["path"] for f in as_json["files"]] == files
    assert as_json["dry_run"] is True and as_json["commit_url"] is None


def test_publish_without_token_is_one_line(seed_dist, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    result = runner.invoke(app, ["publish", "org/claims", "--dist", str(seed_dist)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: no Hugging Face token: set HF_TOKEN or run 'hf auth login', or use --dry-run"
    ]


def test_progress_shows_counts_rates_and_stages_on_a_terminal(raw_copy, tmp_path):
    """On a terminal (a pseudo-terminal here) the build shows inputs done with their rate, then each stage."""
    import pty

    leader, follower = pty.openpty()
    command = [sys.executable, "-c", "from builder.cli import main; main()", "build", str(raw_copy)]
    command += ["--out", str(tmp_path / "dist"), "--no-cache", "--workers", "1"]
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm"}
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=follower, env=env, check=False, timeout=300)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed and drained
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0
    text = shown.decode("utf-8", "replace")
    assert "5 inputs" in text and "/s" in text
    assert "linking, clustering, matching, splitting 91 claims" in text
    assert "writing shards, card and manifest" in text


def test_review_writes_the_site_and_reports_it(seed_dist, tmp_path):
    out = tmp_path / "site"
    result = runner.invoke(app, ["review", str(seed_dist), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{out / 'index.html'}: 6 pages, 5 articles, 91 claims, 0 rejects"
    assert len(list((out / "articles").glob("*.html"))) == 5
    missing = runner.invoke(app, ["review", str(tmp_path / "nothing"), "--out", str(out)])
    assert missing.exit_code == 1 and missing.stderr.startswith("error: ")


def test_export_both_formats(seed_dist, tmp_path):
    claims = runner.invoke(app, ["export", str(seed_dist), "--out", str(tmp_path / "c.jsonl")])
    assert claims.exit_code == 0, claims.output
    lines = (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 91 and all(json.loads(line)["@type"] == "Claim" for line in lines)
    assert claims.stdout.startswith(f"{tmp_path / 'c.jsonl'}: 91 Claim documents")
    tasks = runner.invoke(app, ["export", str(seed_dist), "--format", "label-studio", "--out", str(tmp_path / "ls")])
    assert tasks.exit_code == 0, tasks.output
    assert len(json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))) == 91
    assert (tmp_path / "ls" / "config.xml").read_text(encoding="utf-8").lstrip().startswith("<View")


def test_label_studio_import_reports_bad_tasks_and_writes_nothing(raw_copy, tmp_path):
    export = tmp_path / "export.json"
    export.write_text(json.dumps([{"id": 7, "data": {}, "annotations": [{"result": "not a list"}]}]))
    result = runner.invoke(app, ["labels", "import-label-studio", str(export), "--raw", str(raw_copy)])
    assert result.exit_code == 1
    assert "task 7" in result.stderr and "NOT written" in result.stdout
    assert not (raw_copy / "labels.jsonl").exists()


# Every option of the command line, driven through the command: the option reaches the library and has its
# effect, and a bad value is refused with exit 2. A small raw folder keeps each build to a second or two.

PRICES = "Prices\n\nPrices rose by 5% in May, the bank said.\n"
RENTS = 'Rents\n\n"Rents will rise by 4% next year," the agency said.\n'
LATIN1 = b"Tickets\n\nTickets cost \xa330 each, the club said.\n"
NOT_UTF8 = "not valid UTF-8 at byte 22 (b'\\xa3'); re-save the file as UTF-8, or build with --encoding-fallback cp1252"


TRAIN_ONLY = ["--ratios", "1", "0", "0"]  # two articles cannot fill three splits: without this, a warning says so


def small_raw(folder):
    raw = folder / "raw"
    write_article(raw, "prices", PRICES)
    write_article(raw, "rents", RENTS)
    return raw


def refusal(result) -> str:
    """The message of a refused option: one line on stderr, exit 2, nothing on stdout."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_skip_invalid_publishes_the_other_articles_and_lists_the_bad_one(tmp_path):
    raw, out = small_raw(tmp_path), tmp_path / "dist"
    write_article(raw, "tickets", LATIN1)
    failed = runner.invoke(app, ["build", str(raw), "--out", str(out), "--no-cache", "--workers", "1"])
    assert failed.exit_code == 1 and not out.exists()
    assert failed.stderr.splitlines()[0] == f"articles/tickets.txt: text: {NOT_UTF8}"
    built = runner.invoke(
        app, ["build", str(raw), "--out", str(out), "--no-cache", "--workers", "1", "--skip-invalid", *TRAIN_ONLY]
    )
    assert built.exit_code == 0, built.output
    assert built.stderr == f"skipped: articles/tickets.txt: text: {NOT_UTF8}\n"
    assert built.stdout.splitlines()[0] == f"{out}: 2 claims from 2 articles (3 read, 1 rejected, 0 from the cache)"
    rejects = [json.loads(line) for line in (out / "rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["file"], r["loc"], r["reason"]) for r in rejects] == [("articles/tickets.txt", "text", NOT_UTF8)]
    assert f"| articles/tickets.txt |  | text | {NOT_UTF8} |" in (out / "README.md").read_text(encoding="utf-8")
    assert {row["article_id"] for row in rows_of(out, "articles")} == {"prices", "rents"}


def test_encoding_fallback_reaches_validate_and_build(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "dist"
    write_article(raw, "tickets", LATIN1)
    plain = runner.invoke(app, ["validate", str(raw)])
    assert plain.exit_code == 1 and plain.stderr == f"articles/tickets.txt: text: {NOT_UTF8}\n"
    decoded = runner.invoke(app, ["validate", str(raw), "--encoding-fallback", "cp1252"])
    assert decoded.exit_code == 0, decoded.output
    assert decoded.stdout == "1 read: 1 valid, 0 invalid (0 problems)\n"
    built = runner.invoke(
        app, ["build", str(raw), "--out", str(out), "--no-cache", "--workers", "1", "--encoding-fallback", "cp1252"]
    )
    assert built.exit_code == 0, built.output
    (article,) = rows_of(out, "articles")
    assert article["encoding"] == "cp1252" and "cost £30 each" in article["text"]
    assert article["sha256"] == hashlib.sha256(LATIN1).hexdigest()  # of the bytes on disk, not of the decoded text
    for command in (["validate", str(raw)], ["build", str(raw), "--out", str(tmp_path / "other"), "--no-cache"]):
        refused = runner.invoke(app, [*command, "--encoding-fallback", "nope"])
        assert "--encoding-fallback: unknown codec 'nope'" in refusal(refused)
    assert not (tmp_path / "other").exists()


def test_encoding_fallback_decodes_text_files_only(tmp_path):
    """JSON and Parquet must be UTF-8: a JSONL line or a Parquet string that is not is still rejected."""
    import pyarrow as pa

    raw = tmp_path / "raw"
    write_article(raw, "tickets", LATIN1)
    good = json.dumps({"text": PRICES}).encode()
    (raw / "articles" / "feed.jsonl").write_bytes(good + b'\n{"text": "Caf\xe9 au lait costs \xa33."}\n')
    data = RENTS.encode() + b"Caf\xe9 prices rose \xa32."
    offsets = pa.array([0, len(RENTS.encode()), len(data)], pa.int32()).buffers()[1]
    texts = pa.StringArray.from_buffers(2, offsets, pa.py_buffer(data))  # as a writer that never checked would
    pq.write_table(pa.table({"text": texts}), raw / "articles" / "rows.parquet")
    result = runner.invoke(app, ["validate", str(raw), "--encoding-fallback", "cp1252"])
    assert result.exit_code == 1
    assert result.stdout == "5 read: 3 valid, 2 invalid (2 problems)\n"  # tickets.txt decoded, one line, one row
    assert result.stderr.splitlines() == [
        "articles/feed.jsonl:2: (file): not valid UTF-8 at byte 13 of the line; re-save as UTF-8",
        "articles/rows.parquet:2: text: not valid UTF-8 at byte 3 of the value; Parquet strings must be UTF-8",
    ]


def test_validate_max_bytes_rejects_a_text_over_the_limit(tmp_path):
    raw = tmp_path / "raw"
    body = "Budget\n\n" + " ".join(f"The council said spending rose by {i}% in {2000 + i}." for i in range(40)) + "\n"
    write_article(raw, "long", body)
    size = len(body.encode())
    assert 1000 < size < 5_000_000
    assert runner.invoke(app, ["validate", str(raw)]).exit_code == 0
    limited = runner.invoke(app, ["validate", str(raw), "--max-bytes", "1000"])
    assert limited.exit_code == 1
    assert limited.stderr == f"articles/long.txt: (file): {size} bytes is over the limit of 1000; raise --max-bytes\n"
    assert runner.invoke(app, ["validate", str(raw), "--max-bytes", str(size)]).exit_code == 0
    assert "'--max-bytes'" in refusal(runner.invoke(app, ["validate", str(raw), "--max-bytes", "0"]))


def test_max_shard_rows_cuts_every_split_into_shards_of_at_most_that_many_rows(tmp_path):
    out = tmp_path / "dist"
    result = runner.invoke(
        app, ["build", str(REPO / "raw"), "--out", str(out), "--no-cache", "--workers", "1", "--max-shard-rows", "20"]
    )
    assert result.exit_code == 0, result.output
    rows = {shard.name: pq.read_metadata(shard).num_rows for shard in (out / "claims").glob("*.parquet")}
    assert sorted(rows) == [
        "test-00000-of-00001.parquet",
        *(f"train-0000{i}-of-00004.parquet" for i in range(4)),
        "validation-00000-of-00001.parquet",
    ]
    # the seed's 69 training claims dealt by article into 4 buckets (one of 11 claims, one of 41 + 17), each bucket
    # cut every 20 rows
    assert [rows[f"train-0000{i}-of-00004.parquet"] for i in range(4)] == [11, 20, 20, 18]
    assert sum(rows.values()) == 91 and max(rows.values()) <= 20
    assert runner.invoke(app, ["verify", str(out), "--raw", str(REPO / "raw")]).exit_code == 0


def test_workers_runs_the_articles_on_that_many_processes_by_default_one_per_core(tmp_path, monkeypatch):
    import builder.pipeline as pipeline

    started: list[int] = []
    real_pool = pipeline.worker_pool

    def counted_pool(workers: int):  # the real pool, counted
        started.append(workers)
        return real_pool(workers)

    monkeypatch.setattr(pipeline, "worker_pool", counted_pool)
    raw = small_raw(tmp_path)

    def build(out: str, *options: str) -> dict[str, bytes]:
        result = runner.invoke(app, ["build", str(raw), "--out", str(tmp_path / out), "--no-cache", *options])
        assert result.exit_code == 0, result.output
        return {name: data for name, data in files_of(tmp_path / out).items() if name != "manifest.json"}

    pooled = build("two", "--workers", "2")
    assert started == [2]
    assert build("one", "--workers", "1") == pooled and started == [2]  # in this process, and the same bytes
    build("default")
    cores = os.cpu_count() or 1
    assert started == [2, cores] if cores > 1 else started == [2]
    assert "'--workers'" in refusal(runner.invoke(app, ["build", str(raw), "--workers", "0", "--no-cache"]))


def test_no_cache_neither_reads_nor_writes_the_cache(tmp_path):
    raw, cache = small_raw(tmp_path), tmp_path / "cache"

    def build(out: str, *options: str) -> str:
        result = runner.invoke(app, ["build", str(raw), "--out", str(tmp_path / out), "--workers", "1", *options])
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()[0]

    assert build("cold", "--cache-dir", str(cache)).endswith("(2 read, 0 rejected, 0 from the cache)")
    assert build("warm", "--cache-dir", str(cache)).endswith("(2 read, 0 rejected, 2 from the cache)")
    entries = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in cache.rglob("*") if path.is_file()}
    assert entries
    assert build("uncached", "--cache-dir", str(cache), "--no-cache").endswith("0 from the cache)")
    assert {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in cache.rglob("*") if path.is_file()} == (
        entries
    )
    build("nowhere", "--cache-dir", str(tmp_path / "unused"), "--no-cache")
    assert not (tmp_path / "unused").exists()


def test_build_json_is_the_report_with_every_stage_timed(tmp_path):
    from builder.models import BuildReport
    from builder.stages import STAGES

    raw = small_raw(tmp_path)
    write_article(raw, "tickets", LATIN1)
    command = ["build", str(raw), "--out", str(tmp_path / "dist"), "--no-cache", "--workers", "1", *TRAIN_ONLY]
    result = runner.invoke(app, [*command, "--skip-invalid", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # nothing but the report on stdout
    assert set(report) == set(BuildReport.model_fields) - {"outputs"}
    assert report["out_dir"] == str(tmp_path / "dist")
    counts = report["counts"]
    assert (counts["articles_seen"], counts["articles_accepted"], counts["articles_rejected"]) == (3, 2, 1)
    assert counts["claims"] == 2 and report["from_cache"] == 0
    assert [(r["file"], r["reason"]) for r in report["rejections"]] == [("articles/tickets.txt", NOT_UTF8)]
    timings = report["timings"]
    per_article = [t["name"] for t in timings if t["where"] == "workers"]
    assert per_article == ["read", *(stage.name for stage in STAGES)]
    driver = [t["name"] for t in timings if t["where"] == "driver"]
    assert {"cluster", "split", "labels", "write", "verify"} <= set(driver)
    assert len(timings) == len(per_article) + len(driver)
    assert all(t["wall_seconds"] >= 0 and t["cpu_seconds"] >= 0 for t in timings)
    total = sum(t["cpu_seconds"] for t in timings)
    serial = sum(t["cpu_seconds"] for t in timings if t["where"] == "driver")
    assert 0 < report["serial_share"] < 1 and report["serial_share"] == round(serial / total, 4)
    assert result.stderr == ""  # with --json the skipped article is in the report, not on stderr


def test_wait_starts_the_build_once_the_one_writing_the_folder_has_finished(tmp_path):
    """This test holds the folder's build lock, as a build writing it would; with --wait a build waits for it."""
    import select

    from builder.swap import locked

    raw, out = small_raw(tmp_path), tmp_path / "dist"
    command = [sys.executable, "-c", "from builder.cli import main; main()", "build", str(raw), "--out", str(out)]
    command += ["--no-cache", "--workers", "1"]
    waiting = None
    try:
        with locked(out):
            refused = subprocess.run(command, capture_output=True, text=True, check=False)
            assert refused.returncode == 1 and not out.exists()
            assert f"another build (pid {os.getpid()}) is writing it" in refused.stderr
            waiting = subprocess.Popen([*command, "--wait"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            ready, _, _ = select.select([waiting.stderr], [], [], 600)  # only a broken build takes this long
            assert ready, "the build neither waited nor ended"
            line = waiting.stderr.readline()
            assert line == f"waiting for the build (pid {os.getpid()}) writing the same folder to finish\n"
            assert waiting.poll() is None and not out.exists()
        stdout, stderr = waiting.communicate(timeout=600)
    finally:
        if waiting is not None and waiting.returncode is None:  # the test failed: end the build, close its pipes
            waiting.kill()
            waiting.communicate()
    assert waiting.returncode == 0, stderr
    assert stdout.startswith(f"{out}: 2 claims from 2 articles") and (out / "manifest.json").is_file()


def test_engine_ray_with_a_ray_client_address_is_refused_before_anything_runs(tmp_path):
    out = tmp_path / "dist"
    command = ["build", str(REPO / "raw"), "--out", str(out), "--no-cache", "--engine", "ray"]
    result = runner.invoke(app, [*command, "--ray-address", "ray://head:10001"])
    assert result.exit_code == 2 and result.stdout == "" and not out.exists()
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: --ray-address ray://head:10001: Ray Data cannot run through Ray Client (ray://)")
    assert line.endswith("ray job submit --working-dir . -- factpack build raw --engine ray --ray-address auto")
    assert "'--engine'" in refusal(runner.invoke(app, ["build", str(REPO / "raw"), "--engine", "spark"]))


def test_review_json_is_the_site_report(seed_dist, tmp_path):
    out = tmp_path / "site"
    result = runner.invoke(app, ["review", str(seed_dist), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "out": str(out),
        "index": str(out / "index.html"),
        "pages": 6,
        "articles": 5,
        "claims": 91,
        "rejects": 0,
    }
    assert (out / "index.html").is_file()


def test_label_studio_import_with_skip_invalid_merges_the_good_tasks_and_json_is_the_report(
    seed_dist, raw_copy, tmp_path
):
    from labels.curator import annotation, export_json

    from builder.labels import export_label_studio

    export_label_studio(seed_dist, tmp_path / "ls")
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))[:2]
    done = export_json(tasks, {0: [annotation(tasks[0], check_worthy="yes", verdict="false")], 1: []})
    done[1]["annotations"] = [{**annotation(tasks[1], check_worthy="no"), "result": "not a list"}]
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(done), encoding="utf-8")
    command = ["labels", "import-label-studio", str(exported), "--raw", str(raw_copy)]
    labels = raw_copy / "labels.jsonl"

    refused = runner.invoke(app, command)
    assert refused.exit_code == 1 and not labels.exists()
    as_json = runner.invoke(app, [*command, "--json"])
    assert as_json.exit_code == 1 and not labels.exists()
    report = json.loads(as_json.stdout)
    assert (report["added"], report["invalid"], report["written"], report["withheld"]) == (1, 1, False, True)
    (problem,) = report["problems"]
    assert (problem["index"], problem["task_id"]) == (1, 102)

    skipped = runner.invoke(app, [*command, "--skip-invalid"])
    assert skipped.exit_code == 1  # the bad task is still a problem, listed
    assert "task 102 (#1): annotations[0].result" in skipped.stderr
    assert skipped.stdout.startswith(f"{labels} written: 2 tasks, 1 labels (1 added, 0 replaced, 0 unchanged)")
    (line,) = labels.read_text(encoding="utf-8").splitlines()
    label = json.loads(line)
    assert (label["claim_id"], label["check_worthy"], label["verdict"]) == (tasks[0]["data"]["claim_id"], True, "false")
    labels.unlink()
    as_json = runner.invoke(app, [*command, "--skip-invalid", "--json"])
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert (report["tasks"], report["labels"], report["added"], report["invalid"]) == (2, 1, 1, 1)
    assert report["written"] is True and report["withheld"] is False and report["labels_file"] == str(labels)
    assert labels.read_text(encoding="utf-8") == line + "\n"
    again = runner.invoke(app, [*command, "--skip-invalid"])  # nothing new: the file is not said to be held back
    assert again.stdout.startswith(f"{labels} unchanged (it already holds every label): 2 tasks, 1 labels (0 added")
    assert labels.read_text(encoding="utf-8") == line + "\n"


def test_export_and_review_refuse_a_bad_out_with_2_and_a_folder_that_is_no_dataset_with_1(seed_dist, tmp_path):
    a_file = tmp_path / "taken.txt"
    a_file.write_text("mine\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    refused = {
        ("export", "--out", str(seed_dist / "c.jsonl")): "inside the dataset folder",
        ("export", "--out", str(tmp_path / "folder")): "is a folder; give a file path",
        ("export", "--format", "label-studio", "--out", str(a_file)): "is a file; give a folder",
        ("review", "--out", str(seed_dist / "site")): "must not be, contain or lie inside the dataset folder",
        ("review", "--out", str(a_file)): "exists and is not a folder; choose another --out",
    }
    for (command, *options), reason in refused.items():
        result = runner.invoke(app, [command, str(seed_dist), *options])
        assert result.exit_code == 2, (command, options, result.output)
        (line,) = result.stderr.splitlines()
        assert line.startswith("error: ") and reason in line and result.stdout == ""
    assert a_file.read_text(encoding="utf-8") == "mine\n" and not (seed_dist / "site").exists()
    assert "--order does not apply to --format claimreview" in refusal(
        runner.invoke(app, ["export", str(seed_dist), "--out", str(tmp_path / "c.jsonl"), "--order", "dataset"])
    )
    for command in ("export", "review"):
        result = runner.invoke(app, [command, str(tmp_path / "folder"), "--out", str(tmp_path / "out")])
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"error: {tmp_path / 'folder'}: not a dataset folder (no manifest.json); build it with "
            f"'factpack build RAW --out {tmp_path / 'folder'}'"
        ]
    assert not (tmp_path / "out").exists() and not (tmp_path / "c.jsonl").exists()


def test_without_paths_the_commands_read_raw_and_dist_and_write_beside_them(tmp_path, monkeypatch):
    """The defaults the README's examples rely on: raw/ in, dist/ out, and each command's output beside them."""
    import shutil

    from labels.curator import annotation, export_json

    shutil.copytree(REPO / "raw", tmp_path / "raw")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    checked = runner.invoke(app, ["validate"])
    assert checked.exit_code == 0 and checked.stdout == "5 read: 5 valid, 0 invalid (0 problems)\n"
    built = runner.invoke(app, ["build", "--workers", "1"])
    assert built.exit_code == 0, built.output
    assert built.stdout.startswith("dist: 91 claims from 5 articles") and Path("dist/manifest.json").is_file()
    assert any((tmp_path / "user-cache" / "factpack").iterdir())  # the user's cache folder, not this one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "raw", "user-cache"]
    rebuilt = runner.invoke(app, ["build", "--workers", "1"])
    assert rebuilt.stdout.splitlines()[0].endswith("(5 read, 0 rejected, 5 from the cache)")
    verified = runner.invoke(app, ["verify"])
    assert verified.exit_code == 0 and verified.stdout.startswith("dist: verified")
    exported = runner.invoke(app, ["export"])  # a filter: the claims on standard output, nothing written here
    assert exported.exit_code == 0 and len(exported.stdout.splitlines()) == 91
    assert not Path("claims.claimreview.jsonl").exists()
    tasks = runner.invoke(app, ["export", "--format", "label-studio"])
    assert tasks.exit_code == 0 and Path("label-studio/tasks.json").is_file()
    site = runner.invoke(app, ["review"])
    assert site.exit_code == 0 and site.stdout.startswith(f"{Path('site/index.html')}: 6 pages")
    first = json.loads(Path("label-studio/tasks.json").read_text(encoding="utf-8"))[:1]
    Path("export.json").write_text(json.dumps(export_json(first, {0: [annotation(first[0], verdict="false")]})))
    imported = runner.invoke(app, ["labels", "import-label-studio", "export.json"])
    assert imported.exit_code == 0 and Path("raw/labels.jsonl").is_file()
    unlabelled = runner.invoke(app, ["worthiness", "fit", "--dry-run"])  # dist/ carries no check_worthy label
    assert unlabelled.exit_code == 1
    assert unlabelled.stderr.startswith("error: dist (claims with check_worthy): 0 labelled text(s)")
    rows = [{"text": f"Unemployment fell to {i}% in 2019." if i % 2 else f"Thank you, {i}.", "label": i % 2 == 1}
            for i in range(60)]  # fmt: skip
    Path("labels.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    fitted = runner.invoke(app, ["worthiness", "fit", "labels.jsonl"])
    assert fitted.exit_code == 0, fitted.output
    assert fitted.stdout.splitlines()[-1] == f"  wrote {Path('raw/worthiness-model.json')}"
    assert json.loads(Path("raw/worthiness-model.json").read_text(encoding="utf-8"))["training"]["examples"] == 60


def test_a_count_below_one_exits_2_naming_the_option(seed_dist, tmp_path):
    for command in (
        ["verify", str(seed_dist), "--limit-errors", "0"],
        ["export", str(seed_dist), "--format", "label-studio", "--out", str(tmp_path / "ls"), "--limit", "0"],
        ["build", str(REPO / "raw"), "--out", str(tmp_path / "dist"), "--workers", "0"],
    ):
        assert command[-2].removeprefix("--") in refusal(runner.invoke(app, command))
    assert not (tmp_path / "ls").exists() and not (tmp_path / "dist").exists()


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["build", "--bogus"],
            "error: No such option: --bogus (Possible options: --out) (see 'factpack build --help')",
        ),
        (["verify", "a", "b"], "error: Got unexpected extra argument(s) (b) (see 'factpack verify --help')"),
        (["nothing"], "error: No such command 'nothing'. (see 'factpack --help')"),
    ],
)
def test_a_usage_mistake_is_one_line_pointing_at_the_help_and_exit_2(argv, line):
    """The real command, as a shell runs it: click's own usage box was five lines and a frame."""
    result = subprocess.run(["factpack", *argv], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", line + "\n")
