"""The export registry: what ``factpack export --format`` offers, each entry runnable as it is declared."""

from __future__ import annotations

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
