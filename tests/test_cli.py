from __future__ import annotations

import json
import os
import subprocess
import sys

import pyarrow.parquet as pq
from typer.testing import CliRunner

from builder.cli import app
from conftest import REPO, write_article

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


def test_broken_sidecar_fails_validate_and_build_naming_file_and_field(raw_copy, tmp_path):
    write_article(raw_copy, "zz", "Title\n\nBody.\n", json.dumps({"published": "2014-02-30", "colour": "red"}))
    checked = runner.invoke(app, ["validate", str(raw_copy)])
    assert checked.exit_code == 1
    assert "articles/zz.json: published: Input should be a valid date" in checked.stderr
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
    assert "linking, clustering, splitting 91 claims" in text
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
