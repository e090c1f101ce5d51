"""``factpack build`` verifies the new folder before swapping it in; ``factpack publish`` refuses a folder that
does not verify, dry runs too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builder.cli import app
from builder.config import BuildConfig
from builder.hub_upload import publish_to_hub
from builder.pipeline import build
from verify.corrupt import CLAIMS_TRAIN, cell, files_of, seal, set_cell, where

runner = CliRunner()


def unlicensed(raw: Path) -> None:
    """raw/dataset.json with a license id that passes DatasetMeta's pattern but is no Hub license: the card built
    from it fails the card-metadata check (card-license)."""
    path = raw / "dataset.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["license"] = "not-a-hub-license"
    path.write_text(json.dumps(meta, indent=2), encoding="utf-8")


@pytest.fixture
def previous(seed_dist: Path, tmp_path: Path) -> Path:
    """A dataset folder already there (a copy of the seed dataset): what a failed build must leave as it was."""
    return Path(shutil.copytree(seed_dist, tmp_path / "out" / "dist"))


def test_a_build_that_does_not_verify_leaves_the_old_dataset_untouched(raw_copy, previous):
    from builder.errors import VerificationError

    unlicensed(raw_copy)
    before = files_of(previous)
    beside = sorted(p.name for p in previous.parent.iterdir())
    with pytest.raises(VerificationError) as caught:
        build(BuildConfig(raw_dir=raw_copy, out_dir=previous))
    assert caught.value.exit_code == 1
    assert ("card-license", "README.md", None, "license") in where(caught.value.report)
    assert files_of(previous) == before
    assert sorted(p.name for p in previous.parent.iterdir()) == beside, "staging or spool left behind"


def test_factpack_build_exits_1_and_keeps_the_old_dataset(raw_copy, previous):
    unlicensed(raw_copy)
    before = files_of(previous)
    result = runner.invoke(app, ["build", str(raw_copy), "--out", str(previous), "--no-cache"])
    assert result.exit_code == 1, result.output
    assert "card-license" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert files_of(previous) == before


def test_publish_refuses_a_folder_that_does_not_verify_even_a_dry_run(seed_dist, tmp_path):
    """The manifest is made to agree with the changed shard, so the publish plan alone would let it through."""
    from builder.errors import VerificationError

    dist = Path(shutil.copytree(seed_dist, tmp_path / "dist"))
    set_cell(dist, CLAIMS_TRAIN, "char_start", 5, cell(dist, CLAIMS_TRAIN, "char_start", 5) + 1)
    seal(dist, CLAIMS_TRAIN)
    with pytest.raises(VerificationError) as caught:
        publish_to_hub(dist, "org/x", dry_run=True)
    assert ("offset-mismatch", CLAIMS_TRAIN, 5, "text") in where(caught.value.report)


def test_publish_dry_run_of_a_clean_folder_still_plans(seed_dist):
    result = publish_to_hub(seed_dist, "org/x", dry_run=True)
    assert result.dry_run and result.plan.files


def test_factpack_publish_dry_run_exits_1_on_a_folder_that_does_not_verify(seed_dist, tmp_path):
    dist = Path(shutil.copytree(seed_dist, tmp_path / "dist"))
    set_cell(dist, CLAIMS_TRAIN, "claim_type", 7, 9)
    seal(dist, CLAIMS_TRAIN)
    result = runner.invoke(app, ["publish", "org/x", "--dist", str(dist), "--dry-run"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
