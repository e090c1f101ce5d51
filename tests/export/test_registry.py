"""The export registry: what ``factpack export --format`` offers, each entry runnable as it is declared."""

from __future__ import annotations

import json
import subprocess

from typer.testing import CliRunner

from builder.cli import app
from builder.export import EXPORTS


def test_the_formats_and_the_default():
    assert list(EXPORTS) == ["claimreview", "label-studio", "label-studio-pairs"]


def test_every_export_runs_and_sums_itself_up_in_one_line(seed_dist, tmp_path):
    for name, export in EXPORTS.items():
        out = tmp_path / export.default_out
        report = export.run(seed_dist, out)
        line = export.summary(report)
        assert "\n" not in line and str(out) in line, name
        result = CliRunner().invoke(app, ["export", str(seed_dist), "--format", name, "--out", str(tmp_path / name)])
        assert (
            result.exit_code == 0
            and result.stdout.strip() == export.summary(export.run(seed_dist, tmp_path / name)).strip()
        )


def test_json_prints_the_export_report_and_nothing_else(seed_dist, tmp_path):
    runner = CliRunner()
    out = tmp_path / "claims.jsonl"
    claims = runner.invoke(app, ["export", str(seed_dist), "--out", str(out), "--json"])
    assert claims.exit_code == 0, claims.output
    report = json.loads(claims.stdout)
    assert report == EXPORTS["claimreview"].run(seed_dist, tmp_path / "again.jsonl").model_dump(mode="json") | {
        "path": str(out)
    }
    assert report["claims"] == 91 == len(out.read_text(encoding="utf-8").splitlines())
    assert sum(report["authors"].values()) == 91
    command = ["export", str(seed_dist), "--format", "label-studio", "--out", str(tmp_path / "ls"), "--json"]
    tasks = runner.invoke(app, [*command, "--order", "check-worthiness", "--limit", "5"])
    assert tasks.exit_code == 0, tasks.output
    assert json.loads(tasks.stdout) == {
        "tasks_file": str(tmp_path / "ls" / "tasks.json"),
        "config_file": str(tmp_path / "ls" / "config.xml"),
        "tasks": 5,
        "prefilled": 0,
    }
    assert len(json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))) == 5


def test_without_out_the_claims_go_to_standard_output_and_the_summary_to_standard_error(seed_dist, tmp_path):
    for out in ([], ["--out", "-"]):
        result = subprocess.run(
            ["factpack", "export", str(seed_dist), *out], capture_output=True, text=True, check=False, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        documents = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(documents) == 91 and {document["@type"] for document in documents} == {"Claim"}
        assert result.stderr == (
            "standard output: 91 Claim documents (authors: 14 Organization, 77 Person; "
            "speaker types: 13 none, 1 organisation, 77 person)\n"
        )
        assert list(tmp_path.iterdir()) == []


def test_a_reader_that_stops_early_ends_the_export_quietly(seed_dist):
    """``factpack export | head -n 1``: the pipe closes after the first line; no traceback."""
    export = subprocess.Popen(["factpack", "export", str(seed_dist)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert export.stdout is not None and json.loads(export.stdout.readline())["@type"] == "Claim"
    export.stdout.close()
    _, stderr = export.communicate(timeout=120)
    assert b"Traceback" not in stderr and b"Error" not in stderr


def test_a_folder_export_or_json_with_standard_output_is_refused_on_one_line(seed_dist, tmp_path):
    runner = CliRunner()
    folder = runner.invoke(app, ["export", str(seed_dist), "--format", "label-studio", "--out", "-"])
    assert (folder.exit_code, folder.stdout) == (2, "")
    assert folder.stderr == (
        "error: Invalid value: --out -: --format label-studio writes a folder (tasks.json, config.xml), not a "
        "stream; give its path (see 'factpack export --help')\n"
    )
    as_json = runner.invoke(app, ["export", str(seed_dist), "--json"])
    assert (as_json.exit_code, as_json.stdout) == (2, "")
    assert "--json needs --out FILE" in as_json.stderr and as_json.stderr.count("\n") == 1
