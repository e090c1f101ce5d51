"""The export registry: what ``factpack export --format`` offers, each entry runnable as it is declared."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from builder.cli import app
from builder.export import EXPORTS


def test_the_formats_and_the_default():
    assert list(EXPORTS) == ["claimreview", "label-studio"]


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
