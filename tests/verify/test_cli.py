"""``factpack verify DIST [--raw RAW] [--json] [--limit-errors N]``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from builder.cli import app
from builder.models import VerifyReport
from builder.verify import verify_dataset
from conftest import RAW
from verify.corrupt import CLAIMS_SHARDS, CLAIMS_TRAIN, cell, edit_column, seal, set_cell

runner = CliRunner()


def test_a_clean_folder_exits_0_with_a_summary(seed_dist):
    result = runner.invoke(app, ["verify", str(seed_dist)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout  # the summary line, no problem line
    assert lines[0].strip()
    assert "Traceback" not in result.output


def test_a_clean_folder_with_its_raw_folder_exits_0(seed_dist):
    result = runner.invoke(app, ["verify", str(seed_dist), "--raw", str(RAW)])
    assert result.exit_code == 0, result.output


def test_a_corrupted_folder_exits_1_with_one_line_per_problem(dist):
    set_cell(dist, CLAIMS_TRAIN, "char_start", 5, cell(dist, CLAIMS_TRAIN, "char_start", 5) + 1)
    set_cell(dist, CLAIMS_TRAIN, "claim_type", 7, 9)  # unsealed: manifest and croissant hashes too
    expected = [str(problem) for problem in verify_dataset(dist).problems]
    assert len(expected) >= 3
    assert f"offset-mismatch {CLAIMS_TRAIN} row 5 field text: " in "\n".join(expected)
    result = runner.invoke(app, ["verify", str(dist)])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[:-1] == expected  # each problem on its own line, then the summary line
    assert lines[-1].strip() and lines[-1] not in expected
    assert "Traceback" not in result.output


def test_json_output_is_the_report(dist):
    set_cell(dist, CLAIMS_TRAIN, "claim_type", 7, 9)
    seal(dist, CLAIMS_TRAIN)
    result = runner.invoke(app, ["verify", str(dist), "--json"])
    assert result.exit_code == 1, result.output
    report = VerifyReport.model_validate_json(result.stdout)
    assert report.ok is False and report.truncated is False
    assert [(p.code, p.file, p.row, p.field) for p in report.problems] == [
        ("label-out-of-range", CLAIMS_TRAIN, 7, "claim_type")
    ]
    assert report.problems == verify_dataset(dist).problems


def test_json_output_of_a_clean_folder(seed_dist):
    result = runner.invoke(app, ["verify", str(seed_dist), "--json"])
    assert result.exit_code == 0, result.output
    report = VerifyReport.model_validate_json(result.stdout)
    assert report.ok is True and report.problems == []
    assert Path(report.dist) == seed_dist


def test_limit_errors(dist):
    for shard in CLAIMS_SHARDS:
        edit_column(dist, shard, "char_start", lambda values: [value + 1 for value in values])
    seal(dist, *CLAIMS_SHARDS)
    result = runner.invoke(app, ["verify", str(dist), "--limit-errors", "2"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[:-1] == [str(problem) for problem in verify_dataset(dist, limit=2).problems]
    assert len(lines) == 3
    as_json = runner.invoke(app, ["verify", str(dist), "--limit-errors", "2", "--json"])
    assert as_json.exit_code == 1
    report = VerifyReport.model_validate_json(as_json.stdout)
    assert len(report.problems) == 2 and report.truncated is True


def test_a_path_that_is_no_folder_is_one_line_on_stderr(tmp_path):
    result = runner.invoke(app, ["verify", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert str(tmp_path / "nowhere") in result.stderr
    assert "Traceback" not in result.output
